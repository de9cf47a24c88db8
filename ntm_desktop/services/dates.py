"""Dates as Vietnamese offices type and read them: dd/mm/yyyy."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ntm_desktop.errors import ValidationError

_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def parse_vn_date(text: str, field: str | None = None, label: str = "Ngày") -> date:
    """Parse "05/01/2024"; a date that does not exist (31/02) is refused with a clear message."""
    match = _DATE.match(text or "")
    if not match:
        raise ValidationError(f"{label} “{text}” không đúng dạng ngày/tháng/năm (ví dụ 05/01/2024).", field)
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(
            f"{label} {day:02d}/{month:02d}/{year} không tồn tại trong lịch. Hãy kiểm tra lại ngày và tháng.",
            field,
        ) from None


_TYPED = re.compile(r"^(\d{1,2})[/.\-\s]+(\d{1,2})[/.\-\s]+(\d{2}|\d{4})$")
_TYPED_HINT = "Hãy gõ ngày/tháng/năm, ví dụ 23/11/2026, 23-11-2026, 23/11/26 hoặc 23112026."


def _full_year(short: int, today: date) -> int:
    """A two-digit year: the nearest one that is at most 50 years ahead ("26" -> 2026, "98" -> 1998)."""
    year = today.year // 100 * 100 + short
    return year - 100 if year > today.year + 50 else year


def parse_typed_date(text: str, field: str | None = None, label: str = "Ngày", today: date | None = None) -> date:
    """A date as an officer types it into a date field.

    Accepts "23/11/2026", "23-11-2026", "23.11.2026", "23 11 2026", "23/11/26", "23112026" and "231126";
    a date that does not exist (31/02) is refused with a clear message, never moved to another day.
    """
    today = today or date.today()
    typed = (text or "").strip()
    if not typed:
        raise ValidationError(f"Chưa nhập {label[:1].lower()}{label[1:]}. {_TYPED_HINT}", field)
    match = _TYPED.match(typed)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year = _full_year(year, today)
    elif typed.isdigit() and len(typed) in (6, 8):
        day, month = int(typed[:2]), int(typed[2:4])
        year = int(typed[4:]) if len(typed) == 8 else _full_year(int(typed[4:]), today)
    elif typed.isdigit():
        raise ValidationError(
            f"{label} “{typed}”: khi gõ liền không có dấu /, hãy gõ đủ 2 chữ số ngày, 2 chữ số tháng và năm "
            f"(ví dụ 01022026 là ngày 01/02/2026).", field)
    else:
        raise ValidationError(f"{label} “{typed}” không đúng dạng ngày/tháng/năm. {_TYPED_HINT}", field)
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(
            f"{label} {day:02d}/{month:02d}/{year} không có trên lịch. Hãy kiểm tra lại ngày và tháng.",
            field,
        ) from None


def format_vn_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week containing `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    next_first = (first + timedelta(days=32)).replace(day=1)
    return first, next_first - timedelta(days=1)


def format_vn_datetime(value, tz=None) -> str:
    """A moment as the office reads it: local time, "dd/mm/yyyy hh:mm".

    `value` is a datetime (naive ones are UTC, as the database stores them) or an ISO 8601 text such as a
    package's "2026-12-02T11:24:46+00:00"; `tz` replaces this computer's time zone (tests). Text that is not
    a moment is returned as it is; None gives "".
    """
    from datetime import datetime, timezone

    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return format_vn_date(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    v = value.astimezone(tz)
    return f"{v.day:02d}/{v.month:02d}/{v.year:04d} {v.hour:02d}:{v.minute:02d}"  # (strftime is slower: lists)
