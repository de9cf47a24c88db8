"""Linking units made by hand to the catalogue: an office's own copy of Xã Mường Bo becomes the catalogue's.

A unit typed in by hand before the catalogue (or by an office that had no catalogue) has an id of its own.
Linking it to its catalogue entry keeps every record on it (directives, tasks, assessments, its units
below) and gives it the catalogue's identity, so that its packages agree with every other office's:

- a unit that never left this installation (made here, never received, in no package sent) is re-keyed:
  every reference moves to the catalogue's id, as sync.identity does when an office adopts the ids the
  office above sends; the unit then holds the catalogue's code, name and place in the tree;
- a unit already known elsewhere (received, or sent in a package) keeps its id, which others hold: it ends
  the day before today and names the catalogue's unit as its successor, as a merger does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ntm_desktop.catalogue import identity
from ntm_desktop.catalogue.lookup import Catalogue, catalogue as shipped
from ntm_desktop.catalogue.tree import add_units
from ntm_desktop.errors import ValidationError
from ntm_desktop.models import AuditEntry, ExportLog, Unit


@dataclass(frozen=True)
class Linked:
    unit_id: str  # the id the unit has now (the catalogue's, when re-keyed)
    rekeyed: bool  # False: the hand-made unit was kept and points at the catalogue's unit as its successor
    name: str


def travelled(session: Session, unit: Unit) -> bool:
    """The unit is known outside this installation: it was received, changed elsewhere, or sent."""
    from ntm_desktop.sync.identity import born_here

    if not born_here(session, unit):
        return True
    first = session.scalar(select(func.min(AuditEntry.id)).where(
        AuditEntry.entity == "units", AuditEntry.record_id == unit.id))
    if first is None:
        return False
    return session.scalar(select(ExportLog.id).where(ExportLog.audit_watermark >= first).limit(1)) is not None


def link_unit(session: Session, unit_id: str, code: str, cat: Catalogue | None = None,
              today: date | None = None) -> Linked:
    """Link the unit `unit_id` of the tree to the catalogue's unit of `code` ("03043"), in the caller's
    transaction."""
    from ntm_desktop.services import access
    from ntm_desktop.sync.identity import Adoption, UnitMerge, adopt

    cat = cat or shipped()
    access.require(session, access.Permission.UNITS)
    entry = cat.unit(code)
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise ValidationError("Không tìm thấy đơn vị cần gắn với danh mục (có thể đã bị xóa).")
    target = identity.unit_id(entry.ref)
    if unit.id == target:
        return Linked(target, False, unit.name)
    if entry.in_force and unit.level_code != entry.level_code and not (
            unit.level_code in ("xa", "phuong", "dac_khu") and entry.is_commune):
        raise ValidationError(
            f"“{unit.name}” là đơn vị cấp “{unit.level.name}”, còn {entry.name} là "
            f"{'tỉnh, thành phố' if entry.is_province else 'đơn vị cấp xã'}: hãy chọn đúng đơn vị trong danh mục.")
    if not travelled(session, unit):
        name, old_code = unit.name, unit.code
        merge = UnitMerge(old_code, unit.id, name, target, entry.body_name)
        adopt(session, Adoption((merge,)))  # references move to the catalogue's id; the hand-made row goes
        add_units(session, [entry], cat)
        return Linked(target, True, name)
    clash = session.scalar(select(Unit).where(Unit.code == entry.ref, Unit.id != target))
    if clash is not None:
        raise ValidationError(
            f"“{clash.name}” đã dùng mã {entry.ref} và đã gửi đi hoặc nhận từ đơn vị khác, nên không đổi được mã "
            f"định danh. Hãy đổi mã của nó (ví dụ {entry.ref}-CU) rồi gắn lại; không có gì bị thay đổi.", "code")
    add_units(session, [entry], cat)
    unit = session.get(Unit, unit_id)
    day_before = (today or date.today()) - timedelta(days=1)
    if unit.valid_to is None or unit.valid_to > day_before:
        unit.valid_to = day_before
    unit.successor_id = target
    return Linked(unit.id, False, unit.name)
