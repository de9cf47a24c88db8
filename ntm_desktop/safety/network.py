"""Refusing a data folder on a network drive: SQLite's locking is unreliable there and files get corrupted."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

from ntm_desktop.safety.errors import NetworkDriveError

NETWORK_FS_TYPES = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p"}
DRIVE_REMOTE = 4

FsTypeLookup = Callable[[Path], str | None]


def _unescape_mount(field: str) -> str:
    # /proc/mounts escapes space, tab, newline and backslash as octal
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def linux_fs_type(path: Path, mounts_file: Path = Path("/proc/mounts")) -> str | None:
    """File-system type of the mount that holds `path` (the longest matching mount point)."""
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    target = str(Path(path).resolve())
    best, best_type = "", None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point, fs_type = _unescape_mount(parts[1]), parts[2]
        prefix = mount_point.rstrip("/") + "/"
        if (target == mount_point or target.startswith(prefix) or mount_point == "/") and len(mount_point) >= len(best):
            best, best_type = mount_point, fs_type
    return best_type


def _windows_is_remote(path: Path) -> bool:
    text = str(path)
    if text.startswith("\\\\") or text.startswith("//"):
        return not text.startswith("\\\\?\\") or text.upper().startswith("\\\\?\\UNC\\")
    import ctypes

    drive = os.path.splitdrive(os.path.abspath(text))[0]
    if not drive:
        return False
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE


def is_network_path(path: Path, fs_type: FsTypeLookup | None = None, platform: str = sys.platform) -> bool:
    """True when `path` lies on a network share. `fs_type` replaces the /proc/mounts lookup (for tests)."""
    path = Path(path)
    if platform == "win32" and fs_type is None:
        return _windows_is_remote(path)
    lookup = fs_type or linux_fs_type
    kind = lookup(path)
    return bool(kind) and kind.lower() in NETWORK_FS_TYPES


def check_local_folder(path: Path, fs_type: FsTypeLookup | None = None) -> None:
    """Raise NetworkDriveError, with an explanation, when the data folder is on a network drive."""
    if is_network_path(path, fs_type):
        raise NetworkDriveError(
            f"Thư mục dữ liệu “{path}” nằm trên ổ mạng (thư mục chia sẻ). NTM Desktop không mở dữ liệu ở đó vì "
            "cơ sở dữ liệu có thể bị hỏng khi ghi qua mạng, nhất là khi mạng chập chờn hoặc hai máy cùng mở.\n\n"
            "Hãy để thư mục dữ liệu trên ổ đĩa của chính máy này (mặc định). Để chia sẻ dữ liệu giữa các máy, "
            "hãy dùng chức năng xuất/nhập gói dữ liệu."
        )
