"""One process per data folder: an OS file lock held as long as the database is open.

The lock is taken on a small file beside the database with flock (Linux, macOS) or msvcrt.locking
(Windows). The OS releases it when the process ends, even after a crash or a kill, so a stale lock
file never blocks the next start.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ntm_desktop.safety.errors import AlreadyRunningError

LOCK_FILE_NAME = "ntm.lock"


def _try_lock(fd: int) -> bool:
    os.lseek(fd, 0, os.SEEK_SET)
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


class InstanceLock:
    """`with InstanceLock(root):` or `lock = InstanceLock(root).acquire()` … `lock.release()`."""

    def __init__(self, root: Path):
        self.path = Path(root) / LOCK_FILE_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> "InstanceLock":
        if self._fd is not None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            os.close(fd)
            raise AlreadyRunningError(
                "NTM Desktop đang mở thư mục dữ liệu này ở một cửa sổ khác (hoặc một lệnh sao lưu, khôi phục "
                "đang chạy). Hãy dùng cửa sổ đang mở; nếu không thấy, hãy đợi một lát rồi mở lại."
            )
        if sys.platform != "win32":  # the process id, for whoever looks at the folder; the lock is what counts
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            _unlock(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "InstanceLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
