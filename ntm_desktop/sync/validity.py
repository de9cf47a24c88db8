"""Field values a package may write: the same limits as the forms, checked record by record.

A record that breaks one is rejected with its reason (shown in the preview and sent back in the receipt);
the rest of the package applies. The limits themselves are in `services/field_limits.py`, shared with the
forms; which attachment types are accepted is in `services/file_types.py`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, String, Text

from ntm_desktop.services.field_labels import field_label
from ntm_desktop.services.field_limits import (EARLIEST_YEAR, PAST_DATES, SYNC_GRACE, YEAR_COLUMNS, count_text,
                                               date_problem, latest_year, text_limit, year_problem)
from ntm_desktop.services.file_types import is_allowed_attachment, safe_display_name
from ntm_desktop.sync.entities import EntitySpec
from ntm_desktop.sync.identifiers import is_sha256, is_unit_code

# Columns naming a file of the data folder by its content hash (files/<sha256>), and the column with its name.
# `required`: a record without a file is not a record of this kind.
HASH_COLUMNS: dict[tuple[str, str], tuple[str, bool]] = {
    ("attachments", "sha256"): ("file_name", True),
    ("criterion_assessments", "evidence_sha256"): ("evidence_name", False),
}


_CHECKS: dict[str, tuple] = {}


def _checks(spec: EntitySpec) -> tuple[tuple[str, str, object], ...]:
    if spec.name not in _CHECKS:
        _CHECKS[spec.name] = _find_checks(spec)
    return _CHECKS[spec.name]


def _find_checks(spec: EntitySpec) -> tuple[tuple[str, str, object], ...]:
    found = []
    for column in spec.table.columns:
        name = column.name
        if name not in spec.columns:
            continue
        t = column.type
        if isinstance(t, DateTime):
            found.append((name, "datetime", None))
        elif isinstance(t, Date):
            found.append((name, "date", None))
        elif isinstance(t, Text):
            found.append((name, "text", text_limit(spec.name, name)))
        elif isinstance(t, String) and (spec.name, name) not in HASH_COLUMNS:
            limit = text_limit(spec.name, name, t.length)
            if t.length is None or limit < t.length:
                found.append((name, "text", limit))
        if (spec.name, name) in YEAR_COLUMNS:
            found.append((name, "year", None))
        if (spec.name, name) in HASH_COLUMNS:
            found.append((name, "hash", HASH_COLUMNS[(spec.name, name)]))
    if spec.name == "units":
        found.append(("code", "unit_code", None))
    return tuple(found)


def problem(spec: EntitySpec, record: dict, today: date | None = None) -> str | None:
    """Why `record` (a state about to be written) may not be written here, in Vietnamese; None when it may."""
    today = today or date.today()
    for name, kind, extra in _checks(spec):
        value = record.get(name)
        if value is None:
            continue
        if kind == "text":
            if len(value) > extra:
                return (f"trường “{field_label(spec.name, name)}” dài {count_text(len(value))} ký tự, quá giới hạn "
                        f"{count_text(extra)} ký tự")
        elif kind == "date" or kind == "datetime":
            parsed = (datetime if kind == "datetime" else date).fromisoformat(value)
            found = date_problem(spec.name, name, parsed, today, grace=SYNC_GRACE)
            if found:
                return found[0].lower() + found[1:]
        elif kind == "year":
            found = year_problem(value, today, label=f"trường “{field_label(spec.name, name)}”: năm")
            if found:
                return found
        elif kind == "hash":
            name_column, required = extra
            if value == "" and not required:
                continue
            if not is_sha256(value):
                return (f"mã tệp đính kèm “{value[:80]}” không phải mã SHA-256 (64 chữ số hệ 16), nên không trỏ tới "
                        "tệp nào trong thư mục dữ liệu; bản ghi có thể bị sửa có chủ ý")
            file_name = record.get(name_column) or ""
            if not is_allowed_attachment(file_name):
                return (f"tệp đính kèm “{safe_display_name(file_name)}” không phải loại tài liệu hay ảnh văn phòng "
                        "dùng (PDF, Word, Excel, ảnh quét…); tệp chạy được hoặc tệp lệnh không được nhận")
        elif kind == "unit_code":
            if not is_unit_code(value):
                return (f"mã đơn vị “{value[:60]}” có khoảng trắng hoặc ký tự không dùng được trong mã "
                        "(/ \\ : * ? \" < > |)")
    return None


def problems(spec: EntitySpec, records: list[dict], today: date | None = None) -> list[str | None]:
    """`problem` of each record, in order. A column whose values all plainly pass (the longest text within its
    limit, the earliest and latest date or year within theirs, no file named) is passed whole; when one does
    not, every record is checked by `problem`, so the reasons are the same as one by one."""
    today = today or date.today()
    try:
        plain = all(_column_passes(spec, name, kind, extra, records, today) for name, kind, extra in _checks(spec))
    except (TypeError, ValueError):  # times with and without a zone, say: told record by record
        plain = False
    if plain:
        return [None] * len(records)
    return [problem(spec, record, today) for record in records]


def _column_passes(spec: EntitySpec, name: str, kind: str, extra, records: list[dict], today: date) -> bool:
    values = [r.get(name) for r in records]
    values = [v for v in values if v is not None]
    if not values:
        return True
    if kind == "text":
        return max(map(len, values)) <= extra
    if kind == "date" or kind == "datetime":
        parsed = list(map((datetime if kind == "datetime" else date).fromisoformat, values))
        first, last = min(parsed), max(parsed)
        if kind == "datetime":
            first, last = first.date(), last.date()
        return (EARLIEST_YEAR <= first.year and last.year <= latest_year(today)
                and not ((spec.name, name) in PAST_DATES and last > today + SYNC_GRACE))
    if kind == "year":
        return EARLIEST_YEAR <= min(values) and max(values) <= latest_year(today)
    if kind == "hash":
        return not extra[1] and all(v == "" for v in values)  # no file named where none is required
    return False  # unit codes: record by record (the unit tree is small)
