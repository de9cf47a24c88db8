"""Conflicts waiting for a person: both values side by side, and the decision as a new revision.

The decision is an ordinary local save (the revision hook bumps the version),
so it travels back with the next package and every installation ends with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import SyncConflict, Unit, utcnow
from ntm_desktop.services import access
from ntm_desktop.sync.entities import BY_NAME, from_json_value

FIELD_LABELS = {
    "deleted": "Đã xóa", "summary": "Nội dung nhiệm vụ", "notes": "Ghi chú", "due_date": "Hạn xử lý",
    "completed_on": "Ngày hoàn thành", "reply_number": "Số văn bản trả lời", "subject": "Trích yếu",
    "name": "Tên", "short_name": "Tên ngắn", "text": "Nội dung", "lead_unit_id": "Đơn vị chủ trì",
    "cooperating_unit_ids": "Đơn vị phối hợp", "deadline_text": "Thời hạn (như văn bản)",
    "started_on": "Ngày bắt đầu", "status": "Kết quả đánh giá",
}


@dataclass(frozen=True)
class ConflictRow:
    id: str
    entity: str
    entity_label: str
    record_id: str
    record_title: str
    field: str
    field_label: str
    local_value: object
    incoming_value: object
    kept: str
    package_id: str


def _title(session: Session, entity: str, record_id: str) -> str:
    spec = BY_NAME.get(entity)
    obj = session.get(spec.model, record_id) if spec else None
    for attr in ("summary", "subject", "name", "text", "file_name", "code"):
        if obj is not None and getattr(obj, attr, None):
            return str(getattr(obj, attr))[:120]
    return record_id


def display(session: Session, field: str, value) -> str:
    """A value as a person reads it: unit names instead of ids, Có/Không, dd/mm/yyyy."""
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, list):
        return ", ".join(display(session, field, v) for v in value) or "(trống)"
    if isinstance(value, str) and field.endswith("_id") or field.endswith("_ids"):
        unit = session.get(Unit, value)
        if unit is not None:
            return unit.display_name
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:]}/{value[5:7]}/{value[:4]}"
    return str(value)


def open_conflicts(session: Session) -> list[ConflictRow]:
    rows = session.scalars(select(SyncConflict).where(SyncConflict.resolved.is_(False)).order_by(SyncConflict.created_at))
    return [ConflictRow(
        c.id, c.entity, BY_NAME[c.entity].label if c.entity in BY_NAME else c.entity, c.record_id,
        _title(session, c.entity, c.record_id), c.field, FIELD_LABELS.get(c.field, c.field),
        json.loads(c.local_value) if c.local_value else None,
        json.loads(c.incoming_value) if c.incoming_value else None, c.kept, c.package_id,
    ) for c in rows]


def resolve(session: Session, conflict_id: str, choice: str, user: str = "") -> None:
    """Keep the local or the incoming value of one field; the choice is saved as a new revision."""
    access.require(session, access.Permission.SYNC)
    if choice not in ("local", "incoming"):
        raise ValidationError("Hãy chọn giữ giá trị của máy này hoặc giá trị nhận được.")
    conflict = session.get(SyncConflict, conflict_id)
    if conflict is None or conflict.resolved:
        raise ValidationError("Xung đột này đã được xử lý.")
    spec = BY_NAME[conflict.entity]
    obj = session.get(spec.model, conflict.record_id)
    value = json.loads(conflict.local_value if choice == "local" else conflict.incoming_value)
    if conflict.field == "cooperating_unit_ids":
        obj.cooperating_units = [session.get(Unit, uid) for uid in value or []]
    else:
        column = spec.table.c[conflict.field]
        setattr(obj, column.key, from_json_value(column, value))
    session.flush()
    if not session.is_modified(obj):
        obj.updated_at = utcnow()  # same value as now: still a decision that should travel
    conflict.resolved, conflict.resolved_at, conflict.resolved_by = True, utcnow(), user
