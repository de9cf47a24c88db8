"""Units of the catalogue put into the office's unit tree, in one bulk write.

A province comes with its NTM coordination office (the keeper of the province's units, see
catalogue.identity); a commune comes with its province; a former unit with its former province (and
district) and a successor link to the unit in force that carries it on, when that one is in the tree.
Each unit gets the catalogue's id and first revision, the People's Committee's name ("Ủy ban nhân dân
xã Mường Bo", short "UBND xã Mường Bo"), the level of its kind, the day the map took effect as
valid_from (a former unit: its last day as valid_to) and an audit row, so it travels in the next
package like any unit created here. Units already in the tree are left as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ntm_desktop.catalogue import identity
from ntm_desktop.catalogue.data import Entry
from ntm_desktop.catalogue.lookup import Catalogue, catalogue as shipped
from ntm_desktop.errors import ValidationError
from ntm_desktop.models import AuditEntry, Unit, utcnow
from ntm_desktop.services.revisions import derived_values


@dataclass(frozen=True)
class Added:
    """What add_units did: tree code -> unit id, for the units it created and those already there."""

    created: dict[str, str]
    present: dict[str, str]

    @property
    def ids(self) -> dict[str, str]:
        return {**self.present, **self.created}


def _row(values: dict, when: datetime) -> dict:
    row = {"short_name": None, "parent_id": None, "valid_from": None, "valid_to": None, "successor_id": None,
           **values, "version": identity.first_version(), "updated_at": when, "deleted": False}
    row.update(derived_values("units", row.get))
    return row


def _keeper_row(province: Entry, when: datetime) -> dict:
    name = identity.keeper_name(province.name)
    return _row({"id": identity.keeper_id(province.code), "code": identity.keeper_code(province.code), "name": name,
                 "short_name": "VPĐP NTM " + province.name[:1].lower() + province.name[1:], "level_code": "so",
                 "parent_id": identity.unit_id(province.code), "owner_unit_id": identity.keeper_id(province.code)},
                when)


def _unit_row(entry: Entry, cat: Catalogue, when: datetime, wanted: set[str]) -> dict:
    values = {"id": identity.unit_id(entry.ref), "code": entry.ref, "name": entry.body_name,
              "short_name": entry.body_short_name, "level_code": entry.level_code}
    if entry.in_force:
        values["valid_from"] = cat.in_force
        values["owner_unit_id"] = identity.keeper_id(entry.province_code)
        if not entry.is_province:
            values["parent_id"] = identity.unit_id(entry.province_code)
        return _row(values, when)
    values["valid_to"] = entry.valid_to
    above = cat.district_of(entry) if entry.is_commune else (None if entry.is_province else cat.province_of(entry))
    if above is not None:
        values["parent_id"] = identity.unit_id(above.ref)
    successor = cat.successor(entry)
    if successor is not None and successor.ref in wanted:
        values["successor_id"] = identity.unit_id(successor.ref)
    carried_by = successor or (cat.successors(entry) or [None])[0]
    province = carried_by.province_code if carried_by is not None else entry.province_code
    values["owner_unit_id"] = identity.keeper_id(province)
    return _row(values, when)


def closure(entries: list[Entry], cat: Catalogue) -> list[Entry]:
    """The entries with the units above them (province; former district and province), parents first."""
    seen: dict[str, Entry] = {}

    def visit(entry: Entry) -> None:
        if entry.ref in seen:
            return
        if entry.in_force and not entry.is_province:
            visit(cat.province_of(entry))
        elif not entry.in_force and not entry.is_province:
            above = cat.district_of(entry) if entry.is_commune else None
            visit(above or cat.province_of(entry))
            if above is not None:
                visit(cat.province_of(entry))
        seen[entry.ref] = entry

    for entry in entries:
        visit(entry)
    rank = {True: 0, False: 1}
    return sorted(seen.values(), key=lambda e: (rank[e.in_force], not e.is_province, e.is_commune))


def add_units(session: Session, entries: list[Entry], cat: Catalogue | None = None) -> Added:
    """Put `entries` (with the units above them and each province's keeper) into the tree; in the caller's
    transaction. A unit with the same code made by hand (another id) is refused, nothing written: it is
    linked to its catalogue entry first (catalogue.linking)."""
    cat = cat or shipped()
    ordered = closure(entries, cat)
    when = datetime.combine(cat.in_force, datetime.min.time())
    wanted = {e.ref for e in ordered}
    rows: list[dict] = []
    for entry in ordered:
        if entry.is_province and entry.in_force:
            rows.append(_unit_row(entry, cat, when, wanted))
            rows.append(_keeper_row(entry, when))
        else:
            rows.append(_unit_row(entry, cat, when, wanted))
    codes = [r["code"] for r in rows]
    here: dict[str, str] = {}
    for i in range(0, len(codes), 500):
        here.update(session.execute(select(Unit.code, Unit.id).where(Unit.code.in_(codes[i:i + 500]))).all())
    for row in rows:
        found = here.get(row["code"])
        if found is not None and found != row["id"]:
            name = session.get(Unit, found).name
            raise ValidationError(
                f"Mã “{row['code']}” đã được dùng cho đơn vị “{name}” tạo tay ở máy này, nên chưa thêm được "
                f"“{row['name']}” từ danh mục. Hãy gắn đơn vị “{name}” với danh mục (lệnh “ntm-desktop units link "
                f"{row['code']} {row['code']}”) rồi thử lại; không có gì bị thay đổi.", "code")
    new_rows = [r for r in rows if r["code"] not in here]
    if new_rows:
        session.flush()
        session.execute(insert(Unit.__table__), new_rows)
        user, now = session.info.get("user", ""), utcnow()
        session.execute(insert(AuditEntry.__table__), [
            {"at": now, "user": user, "entity": "units", "record_id": r["id"], "field": "*", "old": None,
             "new": json.dumps(_snapshot(r), ensure_ascii=False, sort_keys=True), "package_id": None}
            for r in new_rows])
        session.expire_all()
    return Added(created={r["code"]: r["id"] for r in new_rows}, present=dict(here))


def _snapshot(row: dict) -> dict:
    keep = ("id", "code", "name", "short_name", "level_code", "parent_id", "valid_from", "valid_to",
            "successor_id", "owner_unit_id")
    return {k: (row[k].isoformat() if hasattr(row[k], "isoformat") else row[k]) for k in keep if row.get(k) is not None}
