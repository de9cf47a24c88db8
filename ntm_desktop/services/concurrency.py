"""Two officers saving the same record from two PCs: the second save is refused and told what the first changed.

A form keeps the revision of the record it loaded (models.base.Revised) and passes it back with its save. If
the record's revision has moved on since, nothing is written: `RecordChangedError` lists, from the audit rows
of the saves made meanwhile, each changed field by its name on screen (services.field_labels), its old and new
value, who saved it and when. The UPDATE itself is written `WHERE revision =` the revision read, so two saves in
the very same instant are caught by the database too (SQLAlchemy's StaleDataError, turned into the same
refusal by `saving`, or with a shorter message by `Database.transaction` elsewhere).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterator

from sqlalchemy import Date, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ntm_desktop.errors import UserError
from ntm_desktop.models import (
    DOC_TYPES, SECRECY_LABELS, URGENCY_LABELS, AuditEntry, Base, Revised, Secrecy, Unit, Urgency, User,
)
from ntm_desktop.services.dates import format_vn_date, format_vn_datetime
from ntm_desktop.services.deadlines import RECURRENCE_LABELS, DeadlineKind
from ntm_desktop.services.field_labels import field_label

_CHECKED = "ntm_revisions_checked"  # in the session's info: records whose revision this transaction checked
_SHOWN_LENGTH = 80  # a long text is shown up to this many characters

WHAT = {"tasks": "Nhiệm vụ này", "directives": "Văn bản này"}
DEADLINE_KIND_LABELS = {
    DeadlineKind.NONE.value: "Thường xuyên (không có thời hạn)",
    DeadlineKind.DATE.value: "Trước một ngày cụ thể",
    DeadlineKind.PERIOD.value: "Trong tháng, quý hoặc năm",
    DeadlineKind.RECURRING.value: "Định kỳ",
}
# The audit names a task's cooperating units by the relationship; the screen by its list.
_AUDIT_TO_LABEL = {("tasks", "cooperating_units"): "cooperating_unit_ids"}
AFTER = ("Chưa có gì bị ghi đè: thay đổi đó được giữ nguyên, còn nội dung đang nhập vẫn nằm trên màn hình. "
         "Hãy chép lại phần mình sửa nếu cần, bấm “Tải lại” để xem bản mới nhất rồi sửa lại trên bản đó.")
SAME_INSTANT = ("{what} vừa được lưu ở máy khác đúng lúc đang lưu ở đây, nên lần lưu này chưa được ghi. "
                "Chưa có gì bị ghi đè. Hãy tải lại bản mới nhất rồi sửa lại.")


@dataclass(frozen=True)
class FieldChange:
    label: str  # the field's name on screen
    old: str
    new: str


@dataclass(frozen=True)
class SaveMade:
    """One save of the record made after the revision a form loaded."""

    revision: int
    who: str  # the person (full name and user name when sign-in is on), "" if unknown
    at: datetime
    changes: tuple[FieldChange, ...]
    from_package: bool = False  # written by a sync package that `who` applied

    def saved(self) -> str:
        """"Nguyễn Văn An (an.nv) lưu lúc 02/12/2026 09:15", as the refusal says it."""
        when = format_vn_datetime(self.at)
        if self.from_package:
            by = f" ({self.who} nhận về)" if self.who else ""
            return f"được cập nhật từ một gói dữ liệu{by} lúc {when}"
        return f"được {self.who or 'một người dùng khác'} lưu lúc {when}"


class RecordChangedError(UserError):
    """The record was saved by someone else after this form loaded it; nothing was written."""

    def __init__(self, message: str, entity: str, record_id: str, saves: tuple[SaveMade, ...] = ()):
        super().__init__(message)
        self.entity = entity
        self.record_id = record_id
        self.saves = saves

    @property
    def labels(self) -> list[str]:
        return [c.label for save in self.saves for c in save.changes]


def this_transaction(session: Session, key: str) -> set:
    """A set kept in the session's info for its current transaction only (emptied when a new one begins)."""
    transaction = session.get_transaction()
    held = session.info.get(key)
    if held is None or held[0] is not transaction:
        held = session.info[key] = (transaction, set())
    return held[1]


def require_revision(session: Session, record: Revised, revision: int | None) -> None:
    """Refuse the save if `record` is no longer at the `revision` the form loaded (None: no check, a new form).

    Checked once per record and transaction: a second service call in the same save (the completion after
    the content) finds the revision the first one's flush made."""
    if revision is None:
        return
    checked = this_transaction(session, _CHECKED)
    key = (record.__tablename__, record.id)
    if key in checked:
        return
    if record.revision != revision:
        raise changed_error(session, record.__tablename__, record.id, revision)
    checked.add(key)


@contextmanager
def saving(session: Session, record: Revised, revision: int | None) -> Iterator[None]:
    """Change `record` inside the block; it is flushed at the end. An UPDATE that found its revision gone (the
    record saved elsewhere in the same instant, after `require_revision`) is refused with what that save
    changed, whichever flush met it; the transaction is rolled back, nothing of this save is left."""
    entity, record_id = record.__tablename__, record.id
    loaded = revision if revision is not None else record.revision
    try:
        yield
        session.flush()
    except StaleDataError:
        # The flush has rolled this transaction back; what the other save changed is read beside it.
        with Session(session.get_bind()) as reader:
            raise changed_error(reader, entity, record_id, loaded) from None


def saves_since(session: Session, entity: str, record_id: str, revision: int) -> tuple[SaveMade, ...]:
    """The saves of a record after `revision`, oldest first, from its audit rows."""
    rows = list(session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.record_id == record_id, AuditEntry.revision > revision)
        .order_by(AuditEntry.id)
    ))
    names = _people(session, {r.user for r in rows if r.user})
    saves: dict[int, list[AuditEntry]] = {}
    for row in rows:
        saves.setdefault(row.revision, []).append(row)
    made = []
    for number, entries in saves.items():
        first = entries[0]
        changes = tuple(FieldChange(
            label=field_label(entity, _AUDIT_TO_LABEL.get((entity, e.field), e.field)),
            old=shown_value(session, entity, e.field, e.old), new=shown_value(session, entity, e.field, e.new),
        ) for e in entries if e.field != "*")
        made.append(SaveMade(revision=number, who=names.get(first.user) or first.user, at=first.at, changes=changes,
                             from_package=first.package_id is not None))
    return tuple(made)


def changed_error(session: Session, entity: str, record_id: str, revision: int) -> RecordChangedError:
    saves = saves_since(session, entity, record_id, revision)
    what = WHAT.get(entity, "Bản ghi này")
    if not saves:
        return RecordChangedError(SAME_INSTANT.format(what=what), entity, record_id)
    first = saves[0]
    lines = [f"{what} đã {first.saved()}, trong khi đang mở để sửa ở đây, nên lần lưu này chưa được ghi."
             + (" Những gì đã thay đổi:" if first.changes else "")]
    for save in saves:
        if save is not first:
            lines.append(f"Sau đó lại {save.saved()}:")
        lines += [f"• {c.label}: {c.old} → {c.new}" for c in save.changes]
    lines += ["", AFTER]
    return RecordChangedError("\n".join(lines), entity, record_id, saves)


def stale_message(error: StaleDataError) -> RecordChangedError:
    """The refusal for an UPDATE that found its revision gone, where the record is not known (any service)."""
    text = str(error)
    entity = next((name for name in WHAT if f"'{name}'" in text), "")
    return RecordChangedError(SAME_INSTANT.format(what=WHAT.get(entity, "Bản ghi này")), entity, "")


def _people(session: Session, user_names: set[str]) -> dict[str, str]:
    """Full names of the people who signed in under these user names (sign-in on); else nothing."""
    if not user_names:
        return {}
    rows = session.execute(select(User.user_name, User.full_name).where(User.user_name.in_(user_names)))
    return {name: f"{full} ({name})" if full else name for name, full in rows}


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN_LENGTH else text[:_SHOWN_LENGTH - 1].rstrip() + "…"


def shown_value(session: Session, entity: str, field: str, value: str | None) -> str:
    """An audit value as the form shows it: units by name, dates as dd/mm/yyyy, codes by their label."""
    labels = _CODE_LABELS.get(field)
    if labels is not None and value in labels:  # ("" is an urgency: Thường)
        return labels[value]
    if value is None or value == "" or value == "[]":
        return "(trống)"
    if field.endswith("unit_id") or field == "successor_id" or field == "parent_id":
        return _unit_name(session, value)
    if field == "cooperating_units":
        try:
            ids = json.loads(value)
        except ValueError:
            return _shorten(value)
        return _shorten(", ".join(_unit_name(session, i) for i in ids))
    table = Base.metadata.tables.get(entity)
    column = table.c.get(field) if table is not None else None
    if column is not None and isinstance(column.type, Date):
        try:
            return format_vn_date(date.fromisoformat(value[:10]))
        except ValueError:
            return value
    if field == "deleted":
        return "đã xóa" if value == "True" else "còn dùng"
    return f"“{_shorten(value)}”"


def _unit_name(session: Session, unit_id: str) -> str:
    name = session.scalar(select(Unit.name).where(Unit.id == unit_id))
    return name or "(đơn vị không còn trong danh mục)"


_CODE_LABELS: dict[str, dict[str, str]] = {
    "deadline_kind": DEADLINE_KIND_LABELS,
    "recurrence": {r.value: label for r, label in RECURRENCE_LABELS.items()},
    "doc_type": DOC_TYPES,
    "urgency": {Urgency(u).value: label for u, label in URGENCY_LABELS.items()},
    "secrecy": {Secrecy(s).value: label for s, label in SECRECY_LABELS.items()},
}
