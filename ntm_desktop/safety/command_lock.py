"""Commands that write take the same instance lock as the window, so the two never write at once."""

from __future__ import annotations

from ntm_desktop.paths import DataFolder
from ntm_desktop.safety.errors import AlreadyRunningError
from ntm_desktop.safety.lock import InstanceLock
from ntm_desktop.safety.logs import setup_logging


def lock_for_command(folder: DataFolder) -> InstanceLock:
    """Take the data folder's lock for a command-line write, or refuse while the window has it open.

    Also starts the log and removes what killed backups and restores left behind. Release the returned
    lock when the command is done (the OS does it too if the process dies).
    """
    from ntm_desktop.backup.leftovers import remove_leftovers

    folder.require_writable()
    try:
        lock = InstanceLock(folder.root).acquire()
    except AlreadyRunningError:
        raise AlreadyRunningError(
            f"NTM Desktop đang mở thư mục dữ liệu này (“{folder.root}”): cửa sổ phần mềm, hoặc một lệnh khác "
            "đang ghi vào đó. Lệnh này ghi vào dữ liệu nên không chạy cùng lúc được; chưa có gì thay đổi.\n\n"
            "Hãy làm việc này ngay trong cửa sổ đang mở, hoặc đóng cửa sổ NTM Desktop (đợi lệnh kia xong) rồi "
            "chạy lại lệnh."
        ) from None
    try:
        setup_logging(folder.logs)
        remove_leftovers(folder, lock)
    except BaseException:
        lock.release()
        raise
    return lock
