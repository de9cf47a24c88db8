"""Task deadlines: a date, a period due at its end, a recurrence, or none ("thường xuyên")."""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import date

from ntm_desktop.text import fold


class DeadlineKind(str, enum.Enum):
    NONE = "none"  # thường xuyên: no deadline
    DATE = "date"
    PERIOD = "period"  # due at the end of a month, quarter or year
    RECURRING = "recurring"


class Recurrence(str, enum.Enum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


RECURRENCE_LABELS = {
    Recurrence.MONTHLY: "Hằng tháng",
    Recurrence.QUARTERLY: "Hằng quý",
    Recurrence.YEARLY: "Hằng năm",
}

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


class DeadlineError(ValueError):
    """A deadline that cannot be understood; the message is for the user."""


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    return month_end(year, quarter * 3)


@dataclass(frozen=True)
class Period:
    """A reporting period written the way offices write it."""

    year: int
    quarter: int | None = None
    month: int | None = None

    @property
    def end(self) -> date:
        if self.month:
            return month_end(self.year, self.month)
        if self.quarter:
            return quarter_end(self.year, self.quarter)
        return date(self.year, 12, 31)

    @property
    def label(self) -> str:
        if self.month:
            return f"tháng {self.month}/{self.year}"
        if self.quarter:
            roman = {1: "I", 2: "II", 3: "III", 4: "IV"}[self.quarter]
            return f"Quý {roman}/{self.year}"
        return f"năm {self.year}"


_QUARTER = re.compile(r"quy\s+(iv|iii|ii|i|[1-4])\s*(?:/|nam|-)\s*(\d{4})")
_MONTH = re.compile(r"thang\s+(\d{1,2})\s*(?:/|nam|-)\s*(\d{4})")
_YEAR = re.compile(r"(?:nam\s+)?(\d{4})$")


def parse_period(text: str) -> Period:
    """Parse "Quý III/2024", "quý 3 năm 2024", "tháng 9/2026", "năm 2025" into a Period."""
    folded = fold(text).replace("  ", " ")
    if m := _QUARTER.search(folded):
        q = m.group(1)
        quarter = _ROMAN.get(q) or int(q)
        return Period(int(m.group(2)), quarter=quarter)
    if m := _MONTH.search(folded):
        month = int(m.group(1))
        if not 1 <= month <= 12:
            raise DeadlineError(f"Tháng {month} không hợp lệ (phải từ 1 đến 12).")
        return Period(int(m.group(2)), month=month)
    if m := _YEAR.search(folded.strip()):
        return Period(int(m.group(1)))
    raise DeadlineError(
        f"Không hiểu thời hạn “{text}”. Hãy viết như: Quý III/2024, tháng 9/2026 hoặc năm 2025."
    )


def next_occurrence(
    recurrence: Recurrence, day: int, month: int | None, after: date
) -> date:
    """First due date of a recurring task strictly after `after`.

    Monthly: day `day` of each month; quarterly: day `day` of the last month of
    each quarter; yearly: `day`/`month` of each year. Days past a month's end
    fall on its last day (the 31st in February is the 28th or 29th).
    """
    if not 1 <= day <= 31:
        raise DeadlineError("Ngày định kỳ phải từ 1 đến 31.")

    def on(year: int, m: int) -> date:
        return date(year, m, min(day, calendar.monthrange(year, m)[1]))

    if recurrence == Recurrence.MONTHLY:
        months = range(1, 13)
    elif recurrence == Recurrence.QUARTERLY:
        months = (3, 6, 9, 12)
    else:
        if not month or not 1 <= month <= 12:
            raise DeadlineError("Nhiệm vụ hằng năm cần tháng đến hạn (1 đến 12).")
        months = (month,)
    for year in (after.year, after.year + 1):
        for m in months:
            candidate = on(year, m)
            if candidate > after:
                return candidate
    raise AssertionError("unreachable: a later occurrence always exists within two years")


def describe_recurrence(recurrence: Recurrence, day: int, month: int | None) -> str:
    if recurrence == Recurrence.MONTHLY:
        return f"Trước ngày {day} hằng tháng"
    if recurrence == Recurrence.QUARTERLY:
        return f"Trước ngày {day} tháng cuối quý, hằng quý"
    return f"Trước ngày {day:02d}/{month:02d} hằng năm"
