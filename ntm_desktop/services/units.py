"""The unit tree: create, edit, merge (a merged unit stays in history with its successor)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Unit, UnitLevel
from ntm_desktop.services import access
from ntm_desktop.services.field_limits import check_fields
from ntm_desktop.text import fold, nfc, sort_key


@dataclass(frozen=True)
class UnitRow:
    id: str
    code: str
    name: str
    short_name: str
    level_code: str
    level_name: str
    parent_id: str | None
    valid_from: date | None
    valid_to: date | None
    successor_id: str | None
    successor_name: str
    parent_name: str = ""

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_active(self, on: date) -> bool:
        if self.valid_from and on < self.valid_from:
            return False
        return not (self.valid_to and on > self.valid_to)


def levels(session: Session) -> list[UnitLevel]:
    return list(session.scalars(select(UnitLevel).order_by(UnitLevel.rank)))


def _row(unit: Unit) -> UnitRow:
    return UnitRow(
        id=unit.id, code=unit.code, name=unit.name, short_name=unit.short_name or "",
        level_code=unit.level_code, level_name=unit.level.name if unit.level else unit.level_code,
        parent_id=unit.parent_id, valid_from=unit.valid_from, valid_to=unit.valid_to,
        successor_id=unit.successor_id, successor_name=unit.successor.name if unit.successor else "",
        parent_name=unit.parent.name if unit.parent else "",
    )


def all_units(session: Session, include_deleted: bool = False) -> list[UnitRow]:
    """Every unit in Vietnamese alphabetical order (merged ones included: they are history).

    One query with the level, parent and successor joined in (a country has thousands of communes);
    screens take the list from the workspace's shared data rather than calling this each.
    """
    parent, successor = aliased(Unit), aliased(Unit)
    query = (
        select(Unit.id, Unit.code, Unit.name, Unit.short_name, Unit.level_code, UnitLevel.name, Unit.parent_id,
               Unit.valid_from, Unit.valid_to, Unit.successor_id, successor.name, parent.name)
        .outerjoin(UnitLevel, UnitLevel.code == Unit.level_code)
        .outerjoin(parent, parent.id == Unit.parent_id)
        .outerjoin(successor, successor.id == Unit.successor_id)
        .order_by(Unit.name_sort)
    )
    if not include_deleted:
        query = query.where(Unit.deleted.is_(False))
    return [
        UnitRow(id=r[0], code=r[1], name=r[2], short_name=r[3] or "", level_code=r[4], level_name=r[5] or r[4],
                parent_id=r[6], valid_from=r[7], valid_to=r[8], successor_id=r[9], successor_name=r[10] or "",
                parent_name=r[11] or "")
        for r in session.execute(query)
    ]


def get_unit(session: Session, unit_id: str) -> UnitRow:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise ValidationError("Không tìm thấy đơn vị (có thể đã bị xóa).")
    return _row(unit)


def find_by_code(session: Session, code: str) -> Unit | None:
    return session.scalar(select(Unit).where(Unit.code == code.strip()))


def find_by_name(session: Session, name: str) -> Unit | None:
    """A live unit whose full or short name folds to the same text."""
    folded = fold(name)
    for unit in session.scalars(select(Unit).where(Unit.deleted.is_(False))):
        if fold(unit.name) == folded or (unit.short_name and fold(unit.short_name) == folded):
            return unit
    return None


def within_office(session: Session, unit_id: str | None) -> bool:
    """`unit_id` is this office or a unit below it: a record it owns may be changed here (the owner's rule of
    sync). Before the office is chosen (first start) every unit is."""
    from ntm_desktop.services import settings

    office = settings.office_unit_id(session)
    if office is None:
        return True
    current, seen = unit_id, set()
    while current and current not in seen:
        if current == office:
            return True
        seen.add(current)
        current = session.scalar(select(Unit.parent_id).where(Unit.id == current))
    return False


def may_hold_new_unit(session: Session, parent_id: str | None) -> bool:
    """A unit may be added (or moved) under `parent_id` here: the parent is this office, a unit below it or a
    unit it keeps, as sync accepts from this office. No parent: only for an office at the top of its tree
    (every unit above it kept here), whose data nobody above receives. Before the office is chosen: anywhere."""
    from ntm_desktop.services import settings
    from ntm_desktop.sync.ownership import Tree

    office = settings.office_unit_id(session)
    if office is None:
        return True
    tree = Tree(session)
    if parent_id is not None:
        return tree.owns(office, parent_id)
    return all(tree.owns(office, above) for above in tree.ancestors(office))


def _require_place(session: Session, unit_id: str | None, parent_id: str | None) -> None:
    """Where a new or moved unit may go (the same rule as a package from this office)."""
    from ntm_desktop.services import settings

    if unit_id is not None:
        unit = session.get(Unit, unit_id)
        if unit is not None and unit.parent_id == parent_id:
            return  # not moved
        office = settings.office_unit_id(session)
        if unit_id == office and not may_hold_new_unit(session, None):
            raise ValidationError("Đơn vị mình không tự chuyển sang đơn vị cấp trên khác được; việc này do cấp trên "
                                  "làm rồi gửi dữ liệu xuống.", "parent_id")
    if not may_hold_new_unit(session, parent_id):
        raise ValidationError(
            "Đơn vị mới chỉ được đặt dưới chính đơn vị mình hoặc dưới một đơn vị do đơn vị mình quản lý; các đơn vị "
            "khác do cấp trên lập và gửi xuống. Hãy chọn đơn vị cấp trên là đơn vị mình (hoặc đơn vị trực thuộc).",
            "parent_id")


def _validate(session: Session, unit_id: str | None, data: dict) -> dict:
    code = (nfc(data.get("code")) or "").upper().replace(" ", "")
    name = nfc(data.get("name")) or ""
    if not code:
        raise ValidationError("Mã đơn vị không được để trống.", "code")
    if not name:
        raise ValidationError("Tên đơn vị không được để trống.", "name")
    check_fields(Unit, {"code": code, "name": name, "short_name": nfc(data.get("short_name")),
                        "valid_from": data.get("valid_from"), "valid_to": data.get("valid_to")})
    from ntm_desktop.sync.identifiers import is_unit_code

    if not is_unit_code(code):
        raise ValidationError(f"Mã đơn vị “{code}” có ký tự không dùng được trong mã (/ \\ : * ? \" < > | hoặc "
                              "dấu chấm đứng riêng). Hãy dùng chữ, số và dấu gạch ngang, ví dụ LC-VPDP.", "code")
    clash = find_by_code(session, code)
    if clash is not None and clash.id != unit_id:
        raise ValidationError(f"Mã đơn vị “{code}” đã được dùng cho “{clash.name}”.", "code")
    level = data.get("level_code")
    if session.get(UnitLevel, level) is None:
        raise ValidationError("Hãy chọn cấp của đơn vị.", "level_code")
    valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.", "valid_to")
    parent_id = data.get("parent_id") or None
    if parent_id and (parent_id == unit_id or (unit_id and parent_id in descendants(session, unit_id))):
        raise ValidationError("Đơn vị cấp trên không thể là chính đơn vị này hoặc đơn vị cấp dưới của nó. "
                              "Hãy chọn một đơn vị ở trên nó trong cây đơn vị.", "parent_id")
    successor_id = data.get("successor_id") or None
    if successor_id and successor_id == unit_id:
        raise ValidationError("Đơn vị kế thừa phải là một đơn vị khác.", "successor_id")
    _require_place(session, unit_id, parent_id)
    return dict(
        code=code, name=name, short_name=nfc(data.get("short_name")) or None, level_code=level,
        parent_id=parent_id, valid_from=valid_from, valid_to=valid_to, successor_id=successor_id,
    )


def descendants(session: Session, unit_id: str) -> set[str]:
    """Ids of every unit below this one (children, their children ...); stops on a cycle."""
    children: dict[str, list[str]] = {}
    for child_id, parent_id in session.execute(select(Unit.id, Unit.parent_id).where(Unit.parent_id.is_not(None))):
        children.setdefault(parent_id, []).append(child_id)
    found: set[str] = set()
    frontier = [unit_id]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found and child != unit_id:
                found.add(child)
                frontier.append(child)
    return found


def place_name(name: str) -> str:
    """"Ủy ban nhân dân tỉnh Lào Cai" -> "Tỉnh Lào Cai": a parent shown beside a unit's name."""
    for head in ("Ủy ban nhân dân ", "Uỷ ban nhân dân ", "UBND "):
        if name.startswith(head) and len(name) > len(head):
            rest = name[len(head):]
            return rest[:1].upper() + rest[1:]
    return name


def labels(rows: list[UnitRow]) -> dict[str, str]:
    """Names to show in a list: namesakes ("Sở Tài chính" of two provinces) get their parent's place too."""
    seen: dict[str, int] = {}
    for row in rows:
        seen[fold(row.name)] = seen.get(fold(row.name), 0) + 1
    out = {}
    for row in rows:
        label = row.name
        if seen[fold(row.name)] > 1 and row.parent_name:
            label = f"{row.name} — {place_name(row.parent_name)}"
        out[row.id] = label
    repeated: dict[str, int] = {}
    for label in out.values():
        repeated[label] = repeated.get(label, 0) + 1
    by_id = {row.id: row for row in rows}
    return {uid: f"{label} ({by_id[uid].code})" if repeated[label] > 1 else label for uid, label in out.items()}


def create_unit(session: Session, owner_unit_id: str | None = None, *,
                as_part_of: access.Permission = access.Permission.UNITS, **data) -> str:
    """A new unit, kept by `owner_unit_id` (default: this office; before the office is chosen, the unit itself).

    `as_part_of`: the action the unit is made for (a task assigned to a unit the tree lacks: ASSIGN)."""
    from ntm_desktop.services import settings

    access.require(session, as_part_of)
    values = _validate(session, None, data)
    unit = Unit(**values)
    session.add(unit)
    session.flush()
    unit.owner_unit_id = owner_unit_id or settings.office_unit_id(session) or unit.id
    return unit.id


def update_unit(session: Session, unit_id: str, **data) -> None:
    access.require(session, access.Permission.UNITS)
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise ValidationError("Không tìm thấy đơn vị (có thể đã bị xóa).")
    for key, value in _validate(session, unit_id, data).items():
        setattr(unit, key, value)


def merge_units(session: Session, merged_ids: list[str], successor_id: str, on: date) -> None:
    """Record a merger: each merged unit ends the day before `on` and points to its successor."""
    access.require(session, access.Permission.UNITS)
    if successor_id in merged_ids:
        raise ValidationError("Đơn vị kế thừa không thể nằm trong danh sách đơn vị bị sáp nhập.")
    for unit_id in merged_ids:
        unit = session.get(Unit, unit_id)
        unit.valid_to = date.fromordinal(on.toordinal() - 1)
        unit.successor_id = successor_id


def delete_unit(session: Session, unit_id: str) -> None:
    """Tombstone a unit that nothing refers to; a unit with history is merged, not deleted."""
    from ntm_desktop.models import Directive, Task

    access.require(session, access.Permission.UNITS)
    used = session.scalar(select(Task.id).where(Task.lead_unit_id == unit_id, Task.deleted.is_(False)).limit(1))
    used = used or session.scalar(
        select(Directive.id).where(
            (Directive.issuer_unit_id == unit_id) | (Directive.office_unit_id == unit_id)
        ).limit(1)
    )
    children = session.scalar(select(Unit.id).where(Unit.parent_id == unit_id, Unit.deleted.is_(False)).limit(1))
    if used or children:
        raise ValidationError(
            "Không xóa được đơn vị này vì đã có văn bản, nhiệm vụ hoặc đơn vị cấp dưới gắn với nó. "
            "Nếu đơn vị đã sáp nhập, hãy ghi ngày hết hiệu lực và đơn vị kế thừa."
        )
    session.get(Unit, unit_id).deleted = True


def successor_chain(session: Session, unit_id: str) -> list[UnitRow]:
    """The unit, then its successor, then that one's successor... (stops on a cycle)."""
    chain, seen = [], set()
    while unit_id and unit_id not in seen:
        seen.add(unit_id)
        unit = session.get(Unit, unit_id)
        if unit is None:
            break
        chain.append(_row(unit))
        unit_id = unit.successor_id
    return chain


def predecessors(session: Session, unit_id: str) -> list[UnitRow]:
    """Units merged into this one, directly or through earlier mergers."""
    found, frontier = [], [unit_id]
    while frontier:
        current = frontier.pop()
        for unit in session.scalars(select(Unit).where(Unit.successor_id == current)):
            if unit.id not in {r.id for r in found} and unit.id != unit_id:
                found.append(_row(unit))
                frontier.append(unit.id)
    return sorted(found, key=lambda r: sort_key(r.name))
