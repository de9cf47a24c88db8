"""Free space on the disk a backup or a restore writes to, checked before anything is written."""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from ntm_desktop.errors import DiskFullError

MARGIN = 1 << 20  # room left for the database's own journal and the log


def size_text(size: int) -> str:
    if size >= 1 << 30:
        return f"{size / (1 << 30):.1f} GB".replace(".", ",")
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MB".replace(".", ",")
    return f"{max(0, size) // 1024} KB"


def free_bytes(where: Path) -> int | None:
    """Free bytes on the disk holding `where` (its nearest existing folder); None when the system cannot say."""
    place = Path(where)
    while not place.exists() and place.parent != place:
        place = place.parent
    try:
        return shutil.disk_usage(place).free
    except OSError:
        return None


def require_free_space(where: Path, needed: int, doing: str) -> None:
    """DiskFullError (Vietnamese) when the disk holding `where` has less than `needed` + a margin free."""
    free = free_bytes(where)
    wanted = int(needed) + MARGIN
    if free is not None and free < wanted:
        raise DiskFullError(
            f"Ổ đĩa chứa “{where}” chỉ còn {size_text(free)} trống, không đủ để {doing} (cần khoảng "
            f"{size_text(wanted)}). Chưa có gì được ghi; dữ liệu hiện tại không bị thay đổi. "
            "Hãy giải phóng dung lượng ổ đĩa (xóa bớt tệp không cần, dọn thùng rác) rồi thử lại."
        )


def is_disk_full(error: BaseException) -> bool:
    """True for the ways a full disk shows up: OSError ENOSPC/EDQUOT, or SQLite's "database or disk is full"."""
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1))
    if isinstance(error, sqlite3.Error):
        return "full" in str(error).lower()
    return False


def database_size(path: Path) -> int:
    """Bytes of a database with its WAL (what a copy of it can take)."""
    total = 0
    for suffix in ("", "-wal"):
        part = Path(f"{path}{suffix}")
        if part.is_file():
            total += part.stat().st_size
    return total
