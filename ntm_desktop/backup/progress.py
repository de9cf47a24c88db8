"""How far a backup has gone, in bytes, and the officer's cancel; the copies that report it.

A backup of a national data folder copies a few hundred MB three times (the database by the SQLite
backup API, that copy into the zip, the zip onto a USB stick). Each copy goes in steps of a few MB and
tells the Meter after each step; the Meter hands (done, total) to the caller's `report`, which returns
False to stop: the copy then raises BackupCancelled and the backup undoes what it had written.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import BinaryIO, Callable

STEP_BYTES = 4 << 20  # one step of a copy: the window's bar moves every few hundredths of a second
Report = Callable[[int, int], "bool | None"]  # (bytes done, bytes in all) -> False to stop


class BackupCancelled(Exception):
    """The officer stopped the backup; nothing of it was kept and the older backups are untouched."""


class Meter:
    """Bytes done of the bytes planned, rising only, ending exactly at the total."""

    def __init__(self, report: Report | None = None, total: int = 0):
        self.report = report
        self.total = max(1, int(total))
        self.done = 0

    def plan(self, more: int) -> None:
        """Add work found on the way (attachments to copy)."""
        self.total += max(0, int(more))

    def advance(self, size: int) -> None:
        self.reach(self.done + size)

    def reach(self, done: int) -> None:
        self.done = max(self.done, min(self.total, int(done)))
        self.check()

    def finish(self) -> None:
        self.done = self.total
        self.check()

    def check(self) -> None:
        """Tell the caller; raise BackupCancelled when it asks to stop."""
        if self.report is not None and self.report(self.done, self.total) is False:
            raise BackupCancelled()


def copy_database(source: Path, target: Path, meter: Meter, share: int) -> Path:
    """Copy a live database with the SQLite backup API in steps; its progress fills `share` bytes of the meter.

    Consistent even with WAL; a write by the app between two steps makes SQLite start over, which the
    meter does not show as going back.
    """
    start = meter.done
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    src = sqlite3.connect(source)
    try:
        page_size = src.execute("PRAGMA page_size").fetchone()[0]
        pages = max(1, STEP_BYTES // page_size)

        def step(_status: int, remaining: int, total: int) -> None:
            if total:
                meter.reach(start + share * (total - remaining) // total)

        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst, pages=pages, progress=step)
        finally:
            dst.close()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    os.replace(tmp, target)
    meter.reach(start + share)
    return target


def copy_stream(source: BinaryIO, target: BinaryIO, meter: Meter, size: int, share: int) -> None:
    """Copy `size` bytes in steps; the meter moves by `share` in all (a zip counts its input bytes)."""
    start, copied = meter.done, 0
    while True:
        chunk = source.read(STEP_BYTES)
        if not chunk:
            break
        target.write(chunk)
        copied += len(chunk)
        meter.reach(start + share * min(copied, size) // max(1, size))
    meter.reach(start + share)


def copy_file(source: Path, target: Path, meter: Meter, share: int | None = None) -> Path:
    """Copy a file under a temporary name, renamed when complete; removed if stopped or failed."""
    size = source.stat().st_size
    tmp = target.with_name(target.name + ".tmp")
    try:
        with open(source, "rb") as src, open(tmp, "wb") as dst:
            copy_stream(src, dst, meter, size, size if share is None else share)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
