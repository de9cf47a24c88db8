"""Which backups to keep: the newest of each of the last 7 days, 4 weeks and 12 months."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Hashable, Iterable, TypeVar

T = TypeVar("T")

DAILY, WEEKLY, MONTHLY = 7, 4, 12
KEEP_RECENT = timedelta(days=1)  # every backup of the last 24 hours is kept besides the retention rule


def _newest_per_period(items: list[tuple[datetime, T]], period: Callable[[datetime], Hashable], count: int) -> set[int]:
    kept: set[int] = set()
    seen: list[Hashable] = []
    for index, (when, _item) in enumerate(items):  # newest first
        key = period(when)
        if key in seen:
            continue
        if len(seen) == count:
            break
        seen.append(key)
        kept.add(index)
    return kept


def select_to_keep(
    items: Iterable[tuple[datetime, T]], daily: int = DAILY, weekly: int = WEEKLY, monthly: int = MONTHLY
) -> list[T]:
    """The items to keep, newest first; the rest may be deleted.

    A backup is kept when it is the newest of one of the `daily` most recent days that have a backup, of one
    of the `weekly` most recent ISO weeks, or of one of the `monthly` most recent months (the usual
    grandfather-father-son rule). Periods without a backup do not use up a slot, so a PC that is switched
    off for a month still keeps older backups.
    """
    ordered = sorted(items, key=lambda pair: pair[0], reverse=True)
    kept = (
        _newest_per_period(ordered, lambda d: d.date(), daily)
        | _newest_per_period(ordered, lambda d: d.isocalendar()[:2], weekly)
        | _newest_per_period(ordered, lambda d: (d.year, d.month), monthly)
    )
    return [ordered[i][1] for i in sorted(kept)]


def delete_unkept(backups: Iterable, now: datetime | None = None) -> tuple[set[Path], list[Path]]:
    """The rule applied to backups (each with .created_at and .path): those of the last 24 hours and those
    select_to_keep keeps stay, the others' files are deleted. Returns (kept paths, deleted paths)."""
    now = now or datetime.now()
    backups = list(backups)
    keep = set(select_to_keep([(b.created_at, b.path) for b in backups]))
    keep |= {b.path for b in backups if now - b.created_at < KEEP_RECENT}
    deleted = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            deleted.append(b.path)
    return keep, deleted
