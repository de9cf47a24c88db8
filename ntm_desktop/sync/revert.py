"""Revert what a package changed, as new revisions (so the revert itself syncs)."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import AuditEntry, ImportLedger, Unit
from ntm_desktop.services import access
from ntm_desktop.sync.entities import BY_NAME, from_json_value


def _value(column, text: str | None):
    if text is None:
        return None
    type_name = type(column.type).__name__
    if type_name == "Boolean":
        return text in ("True", "true", "1")
    if type_name == "Integer":
        return int(text)
    return from_json_value(column, text)


def revert_package(session: Session, package_id: str, user: str = "") -> int:
    """Undo each change the package made, unless the field was changed again since. Returns fields undone."""
    access.require(session, access.Permission.SYNC)
    entry = session.scalar(select(ImportLedger).where(
        ImportLedger.package_id == package_id, ImportLedger.result == "applied"))
    if entry is None:
        raise ValidationError("Không tìm thấy gói đã áp dụng này (có thể đã được hoàn tác).")
    undone = 0
    rows = session.scalars(select(AuditEntry).where(AuditEntry.package_id == package_id).order_by(AuditEntry.id.desc()))
    for row in list(rows):
        spec = BY_NAME.get(row.entity)
        if spec is None:
            continue
        obj = session.get(spec.model, row.record_id)
        if obj is None:
            continue
        if row.field == "*":  # the package created this record: tombstone it
            if not obj.deleted:
                obj.deleted = True
                undone += 1
            continue
        if row.field == "cooperating_units":
            current = json.dumps(sorted(u.id for u in obj.cooperating_units))
            if current == row.new:
                obj.cooperating_units = [session.get(Unit, i) for i in json.loads(row.old or "[]")]
                undone += 1
            continue
        if row.field not in spec.table.c:
            continue
        column = spec.table.c[row.field]
        if getattr(obj, column.key) == _value(column, row.new):
            setattr(obj, column.key, _value(column, row.old))
            undone += 1
    entry.result = "reverted"
    session.flush()
    return undone
