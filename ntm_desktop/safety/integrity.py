"""Integrity checks: quick at every start, full on demand; the way out is the newest good backup."""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ntm_desktop.errors import UserError


@dataclass(frozen=True)
class IntegrityResult:
    ok: bool
    problems: list[str]  # SQLite's own lines, for the log and the details box


def check_integrity(database: Path, full: bool = False, max_problems: int = 20) -> IntegrityResult:
    """`PRAGMA quick_check` (seconds, at start) or `PRAGMA integrity_check` (thorough, on demand)."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        con = sqlite3.connect(f"file:{Path(database).as_posix()}?mode=rw", uri=True, timeout=5)
        try:
            rows = [r[0] for r in con.execute(f"PRAGMA {pragma}({int(max_problems)})")]
        finally:
            con.close()
    except sqlite3.DatabaseError as error:
        return IntegrityResult(False, [str(error)])
    return IntegrityResult(rows == ["ok"], [] if rows == ["ok"] else rows)


def newest_good_backup(backup_dirs: list[Path]) -> Path | None:
    """The newest backup (in any of the folders) whose database passes the integrity check."""
    from ntm_desktop.backup import list_backups, verify_backup

    candidates = sorted(
        (b for d in backup_dirs if d for b in list_backups(d)), key=lambda b: b.created_at, reverse=True
    )
    for info in candidates:
        with tempfile.TemporaryDirectory(prefix="ntm-check-") as tmp:
            try:
                verify_backup(info.path, Path(tmp))
                return info.path
            except UserError:
                continue
    return None
