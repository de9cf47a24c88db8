"""The retention rule: 7 daily, 4 weekly, 12 monthly, over a simulated year of office days."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from ntm_desktop.backup import list_backups, make_daily_backup, select_to_keep
from ntm_desktop.backup.store import FILES_DIR


def _expected(stamps: list[datetime]) -> set[datetime]:
    """The rule written out plainly: the newest backup of each of the last 7/4/12 days/weeks/months."""
    newest: dict[tuple, datetime] = {}
    for when in stamps:
        for key in (("d", when.date()), ("w", when.isocalendar()[:2]), ("m", when.year, when.month)):
            newest[key] = max(newest.get(key, when), when)
    keep = set()
    for tag, count in (("d", 7), ("w", 4), ("m", 12)):
        periods = sorted((k for k in newest if k[0] == tag), reverse=True)[:count]
        keep |= {newest[k] for k in periods}
    return keep


def test_rule_on_random_histories():
    rng = random.Random(7)
    for _ in range(50):
        start = datetime(2025, 1, 1)
        stamps = sorted({start + timedelta(minutes=rng.randrange(0, 400 * 24 * 60)) for _ in range(rng.randrange(1, 300))})
        kept = select_to_keep([(s, s) for s in stamps])
        assert set(kept) == _expected(stamps)
        assert kept == sorted(kept, reverse=True)
        assert stamps[-1] in kept  # the newest backup is never deleted
        assert len(kept) <= 7 + 4 + 12


@pytest.mark.sqlite_only  # the daily backups of the SQLite file
def test_a_year_of_daily_starts(workspace):
    """Every working day the app starts (twice on some days); a week of holiday in between."""
    folder = workspace.folder
    day = date(2025, 1, 1)
    made = []
    while day <= date(2025, 12, 31):
        holiday = date(2025, 8, 4) <= day <= date(2025, 8, 15)
        if day.weekday() < 5 and not holiday:
            for hour in (7, 13):
                result = make_daily_backup(folder, datetime.combine(day, datetime.min.time()).replace(hour=hour))
                if hour == 13:
                    assert result is None  # only the first start of the day backs up
                else:
                    made.append(result.info.created_at)
        day += timedelta(days=1)

    kept = [b.created_at for b in list_backups(folder.backups)]
    assert set(kept) == _expected(made)
    assert len(kept) == len(set(kept)) <= 23
    last = made[-1]
    assert sum(1 for k in kept if (last - k).days < 10) >= 7  # the last seven office days are all there
    assert min(kept).month == 1  # a backup from a year ago is still there
    assert not any((folder.backups / FILES_DIR).glob("*/*.tmp"))
