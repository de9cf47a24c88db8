"""How much a field may hold and which dates it may take: one table for the forms, the Excel import and sync.

Texts are measured in characters. A column not listed gets the default for its kind (a `Text` column:
`DEFAULT_TEXT`; a `String(n)` column: n). Dates: every date lies between 1 January 1945 and the end of the tenth
year from now; a date that records something done (a progress report, a completion) is not in the future. Sync
allows one day ahead for the sender's time zone and clock.

`check_fields` applies the same limits to what a form or an import is about to store, and raises the
Vietnamese `ValidationError` naming the field as the form does (`field_labels`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ntm_desktop.errors import ValidationError
from ntm_desktop.services.field_labels import field_label

FULL_TEXT = 1_000_000  # a directive's whole text, pasted: a few hundred pages
LONG_TEXT = 100_000  # notes, a progress report, a legal basis
SHORT_TEXT = 10_000  # a subject, a task summary, a list of recipients
DEFAULT_TEXT = LONG_TEXT

TEXT_LIMITS: dict[tuple[str, str], int] = {
    ("directives", "full_text"): FULL_TEXT,
    ("directives", "subject"): SHORT_TEXT,
    ("directives", "recipients"): SHORT_TEXT,
    ("directives", "notes"): LONG_TEXT,
    ("tasks", "summary"): SHORT_TEXT,
    ("tasks", "notes"): LONG_TEXT,
    ("progress_updates", "text"): LONG_TEXT,
    ("indicators", "name"): SHORT_TEXT,
    ("criteria_sets", "targets_vary_by"): SHORT_TEXT,
    ("criteria_sets", "legal_basis"): LONG_TEXT,
}

# Small JSON values (an indicator's targets, a set's target keys): nesting and size.
JSON_MAX_DEPTH = 3
JSON_MAX_CHARS = 64_000
# Whole numbers fit a 32-bit integer (counts, numbers, years, sizes up to 2 GiB).
INT_MIN, INT_MAX = -(2 ** 31), 2 ** 31 - 1

EARLIEST_YEAR = 1945
YEARS_AHEAD = 10
SYNC_GRACE = timedelta(days=1)

# Dates that record something already done: never in the future (the forms refuse them too).
PAST_DATES: dict[tuple[str, str], str] = {
    ("progress_updates", "reported_on"): "Ngày báo cáo tiến độ",
    ("tasks", "completed_on"): "Ngày hoàn thành",
}
# Integer columns holding a year.
YEAR_COLUMNS: frozenset[tuple[str, str]] = frozenset({
    ("directives", "arrival_year"), ("commune_profiles", "year"), ("commune_profiles", "planned_year"),
    ("criterion_assessments", "year"), ("indicator_assessments", "year"),
    ("criteria_sets", "period_start"), ("criteria_sets", "period_end"),
})


def text_limit(table: str, column: str, declared: int | None = None) -> int:
    """Most characters `table.column` may hold (`declared`: the String(n) length, if any)."""
    if declared:
        return min(declared, TEXT_LIMITS.get((table, column), declared))
    return TEXT_LIMITS.get((table, column), DEFAULT_TEXT)


def count_text(number: int) -> str:
    """10000 -> "10.000", as Vietnamese writes numbers."""
    return f"{number:,}".replace(",", ".")


def text_problem(table: str, column: str, value: str, declared: int | None = None,
                 label: str | None = None) -> str | None:
    """Why `value` is too long for `table.column` (Vietnamese, naming the field), or None."""
    limit = text_limit(table, column, declared)
    if len(value) <= limit:
        return None
    return (f"{label or field_label(table, column)} dài {count_text(len(value))} ký tự, quá giới hạn "
            f"{count_text(limit)} ký tự")


def latest_year(today: date | None = None) -> int:
    return (today or date.today()).year + YEARS_AHEAD


def year_problem(value: int, today: date | None = None, label: str = "Năm") -> str | None:
    """Why `value` is not an acceptable year (Vietnamese), or None."""
    last = latest_year(today)
    if not EARLIEST_YEAR <= value <= last:
        return f"{label} {value} nằm ngoài khoảng {EARLIEST_YEAR}–{last}"
    return None


def date_problem(table: str, column: str, value: date | datetime, today: date | None = None,
                 grace: timedelta = timedelta(0), label: str | None = None) -> str | None:
    """Why `value` may not be stored in `table.column` (Vietnamese), or None.

    `grace`: how far ahead of `today` a date of something done may be (sync: `SYNC_GRACE`; forms: none)."""
    today = today or date.today()
    day = value.date() if isinstance(value, datetime) else value
    label = label or PAST_DATES.get((table, column)) or field_label(table, column)
    last = latest_year(today)
    if not EARLIEST_YEAR <= day.year <= last:
        return f"{label} {day:%d/%m/%Y} nằm ngoài khoảng năm {EARLIEST_YEAR}–{last}"
    if (table, column) in PAST_DATES and day > today + grace:
        return f"{label} {day:%d/%m/%Y} ở tương lai (sau ngày {today:%d/%m/%Y})"
    return None


def json_depth(value, limit: int = JSON_MAX_DEPTH) -> int:
    """Nesting depth of a JSON value (a scalar: 0), counted without recursion; stops once past `limit`."""
    deepest, level = 0, [(value, 0)]
    while level:
        item, depth = level.pop()
        if isinstance(item, (dict, list)):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            level.extend((v, depth) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def column_problem(model, column: str, value, today: date | None = None) -> str | None:
    """Why `value` may not be stored in `model`'s `column` (Vietnamese, naming the field), or None: a text too long
    for the column, a date outside the years or (something done) in the future, a year outside the range."""
    from sqlalchemy import Date, DateTime, Integer, String, Text

    if value is None:
        return None
    table = model.__table__
    kind = table.c[column].type
    if isinstance(kind, (String, Text)) and isinstance(value, str):
        return text_problem(table.name, column, value, kind.length if isinstance(kind, String) else None)
    if isinstance(kind, (Date, DateTime)) and isinstance(value, (date, datetime)):
        return date_problem(table.name, column, value, today)
    if isinstance(kind, Integer) and (table.name, column) in YEAR_COLUMNS and isinstance(value, int):
        return year_problem(value, today, label=field_label(table.name, column))
    return None


_ADVICE = {"text": "Hãy rút gọn nội dung rồi lưu lại.", "date": "Hãy kiểm tra lại ngày.",
           "year": "Hãy kiểm tra lại năm."}


def check_fields(model, values: dict, fields: dict[str, str] | None = None, today: date | None = None) -> None:
    """Refuse what a form is about to store in `model`'s table when a value breaks a limit (`column_problem`).
    `values`: column -> value (None: not checked); `fields`: column -> the form's field to point at (default the
    column). Raises the `ValidationError` of the first value that breaks one."""
    for column, value in values.items():
        found = column_problem(model, column, value, today)
        if found:
            kind = "text" if isinstance(value, str) else "year" if isinstance(value, int) else "date"
            raise ValidationError(f"{found}. {_ADVICE[kind]}", (fields or {}).get(column, column))
