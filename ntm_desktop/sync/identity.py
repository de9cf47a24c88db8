"""Adopt the unit identities a package brings, for units created by hand at this office.

Units come down from the office above, known everywhere by the id they were
born with. An office that was set up by hand (its own unit typed in at first
start, perhaps its province too) knows the same units under ids of its own,
so the package made for it names another id for the same code. When such a
package is opened, each unit born here whose code arrives under another id is
merged into the package's unit: every reference moves to the package's id and
the hand-made row goes, in the apply transaction, before the records are
written. A unit that came from a package is never re-keyed this way: two ids
for one code there are a real disagreement, refused as before.

The national criteria sets the app installed here by itself (same ids
everywhere, made from their codes) are replaced the same way by the copies
the package brings, so the office above's version is the one kept.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import bindparam, create_engine, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from ntm_desktop.models import AuditEntry, Base, Unit, natural_id, utcnow
from ntm_desktop.sync.bulk import defer_foreign_keys

# Records whose id is derived from their natural key, unit included (one value per cell):
# table -> (natural_id kind, key columns in order).
_NATURAL_KEYS = {
    "commune_profiles": ("commune_profile", ("unit_id", "year")),
    "criterion_assessments": ("assessment", ("unit_id", "year", "criterion_id")),
    "indicator_assessments": ("indicator_assessment", ("unit_id", "year", "indicator_id")),
    "task_criterion_links": ("task_criterion_link", ("task_id", "unit_id", "criterion_code")),
}
# The shared catalogue: the app installs these itself, with ids made from their codes.
_CATALOGUE = ("criteria_sets", "criteria", "indicators")
# Text columns that may hold a unit id anywhere in their value.
_TEXT_HOLDING_IDS = (("settings", "value"), ("audit_log", "old"), ("audit_log", "new"),
                     ("sync_snapshots", "data"), ("sync_conflicts", "local_value"),
                     ("sync_conflicts", "incoming_value"))


@dataclass(frozen=True)
class UnitMerge:
    code: str
    local_id: str
    local_name: str
    incoming_id: str
    incoming_name: str

    def line(self, office: bool) -> str:
        if not office:
            return (f"Đơn vị “{self.code} – {self.local_name}” được tạo tay ở máy này, nên sẽ được gộp vào đơn vị "
                    f"cùng mã trong gói (“{self.incoming_name}”).")
        return (f"Đơn vị của máy này “{self.code} – {self.local_name}” được tạo tay ở máy này, nên sẽ được gộp vào "
                f"đơn vị cùng mã trong gói (“{self.incoming_name}”): đơn vị nhận mã định danh do cấp trên cấp, "
                "mọi văn bản, nhiệm vụ, kết quả đã nhập ở máy này giữ nguyên và chuyển sang đơn vị đó.")


@dataclass(frozen=True)
class Adoption:
    merges: tuple[UnitMerge, ...]
    office_code: str = ""  # this office's code, when its own unit is among the merges
    replaced: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (catalogue entity, ids installed here, in the package)

    def lines(self) -> list[str]:
        lines = [m.line(m.code == self.office_code) for m in self.merges]
        sets = sum(len(ids) for entity, ids in self.replaced if entity == "criteria_sets")
        if self.replaced:
            lines.append(f"Bộ tiêu chí phần mềm tự cài ở máy này ({sets} bộ) được thay bằng bản trong gói của cấp trên.")
        return lines


def born_here(session: Session, unit: Unit) -> bool:
    """Created and changed only at this installation, never received in a package."""
    installation = session.info.get("installation_id", "")
    if set(unit.version or {}) - {installation}:
        return False
    received = session.scalar(select(AuditEntry.id).where(
        AuditEntry.entity == "units", AuditEntry.record_id == unit.id, AuditEntry.package_id.is_not(None)).limit(1))
    return received is None


def _catalogue_born_here(session: Session, records: dict[str, list[dict]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    installation = session.info.get("installation_id", "")
    found = []
    for entity in _CATALOGUE:
        ids = sorted(r["id"] for r in records.get(entity, []))
        here = []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = session.execute(text(f"SELECT id, version FROM {entity} WHERE id IN :ids")
                                   .bindparams(bindparam("ids", expanding=True)), {"ids": chunk}).all()
            received = set(session.scalars(select(AuditEntry.record_id).where(
                AuditEntry.entity == entity, AuditEntry.record_id.in_(chunk), AuditEntry.package_id.is_not(None))))
            here += [rid for rid, version in rows
                     if rid not in received and not set(json.loads(version or "{}")) - {installation}]
        if here:
            found.append((entity, tuple(here)))
    return tuple(found)


def plan_adoption(session: Session, records: dict[str, list[dict]], office_code: str = "") -> Adoption | None:
    """What the package's records replace here (None when nothing): hand-made units, self-installed catalogue."""
    incoming_units = records.get("units", [])
    replaced = _catalogue_born_here(session, records)
    by_code = {r["code"]: r for r in incoming_units if not r.get("deleted")}
    incoming_ids = {r["id"] for r in incoming_units}
    merges = []
    codes = sorted(by_code)
    for i in range(0, len(codes), 500):
        for unit in session.scalars(select(Unit).where(Unit.code.in_(codes[i:i + 500]))):
            record = by_code[unit.code]
            if unit.id == record["id"] or unit.id in incoming_ids or not born_here(session, unit):
                continue
            merges.append(UnitMerge(unit.code, unit.id, unit.name, record["id"], record["name"]))
    if not merges and not replaced:
        return None
    merges.sort(key=lambda m: (m.code != office_code, m.code))
    return Adoption(tuple(merges), office_code, replaced)


def _unit_columns() -> list[tuple[str, str]]:
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            points_at_units = any(fk.column.table.name == "units" for fk in column.foreign_keys)
            if points_at_units or column.name.endswith("_unit_id"):
                found.append((table.name, column.name))
    return found


def _rekey_natural(session: Session, old: str, new: str) -> None:
    """Cell records of the unit get the id their natural key gives with the new unit id."""
    for table, (kind, keys) in _NATURAL_KEYS.items():
        rows = session.execute(text(f"SELECT id, {', '.join(keys)} FROM {table} WHERE unit_id = :old"),
                               {"old": old}).all()
        for row in rows:
            values = dict(zip(keys, row[1:]))
            if row[0] != natural_id(kind, *(values[k] for k in keys)):
                continue  # not made from its key: its id stays
            moved = natural_id(kind, *((new if k == "unit_id" else values[k]) for k in keys))
            params = {"old": row[0], "new": moved}
            session.execute(text(f"UPDATE {table} SET id = :new WHERE id = :old"), params)
            session.execute(text("UPDATE audit_log SET record_id = :new WHERE entity = :t AND record_id = :old"),
                            {**params, "t": table})
            session.execute(text("UPDATE sync_snapshots SET record_id = :new WHERE entity = :t AND record_id = :old"),
                            {**params, "t": table})


def adopt(session: Session, adoption: Adoption, package_id: str = "") -> None:
    """Merge each hand-made unit into the package's one, inside the caller's transaction.

    The incoming unit rows are written afterwards by the package itself; foreign keys are checked at
    commit, when they exist."""
    if adoption is None:
        return
    session.flush()
    user = session.info.get("user", "")
    # A write opens the transaction, so that the deferral below holds until its commit.
    session.execute(text("UPDATE settings SET value = value WHERE key = 'installation_id'"))
    defer_foreign_keys(session.connection())
    for entity, ids in adoption.replaced:
        ids = list(ids)
        for i in range(0, len(ids), 500):  # under SQLite's limit of bound values in one statement
            params = {"ids": ids[i:i + 500], "entity": entity}
            session.execute(text(f"DELETE FROM {entity} WHERE id IN :ids")
                            .bindparams(bindparam("ids", expanding=True)), params)
            session.execute(text("DELETE FROM sync_snapshots WHERE entity = :entity AND record_id IN :ids")
                            .bindparams(bindparam("ids", expanding=True)), params)
    for merge in adoption.merges:
        old, new = merge.local_id, merge.incoming_id
        params = {"old": old, "new": new}
        _rekey_natural(session, old, new)
        for table, column in _unit_columns():
            session.execute(text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old"), params)
        for table, column in _TEXT_HOLDING_IDS:
            session.execute(text(f"UPDATE {table} SET {column} = replace({column}, :old, :new) "
                                 f"WHERE {column} LIKE :within"), {**params, "within": f"%{old}%"})
        session.execute(text("UPDATE audit_log SET record_id = :new WHERE entity = 'units' AND record_id = :old"),
                        params)
        session.execute(text("DELETE FROM sync_snapshots WHERE entity = 'units' AND record_id = :old"), params)
        session.execute(text("DELETE FROM units WHERE id = :old"), params)
        session.add(AuditEntry(at=utcnow(), user=user, entity="units", record_id=new, field="adopted_from",
                               old=old, new=json.dumps({"code": merge.code, "name": merge.local_name},
                                                       ensure_ascii=False),
                               package_id=package_id or None))
    session.flush()
    session.expire_all()  # rows changed around the ORM


@contextmanager
def rehearsal(session: Session) -> Iterator[Session]:
    """A session on an in-memory copy of the database, to preview an adoption without writing (even when the
    data folder is read-only). Only an office set up by hand adopts, so its database is small.

    On the office's server: the session itself, inside a savepoint rolled back at the end."""
    if session.get_bind().dialect.name != "sqlite":
        savepoint = session.begin_nested()
        try:
            yield session
        finally:
            savepoint.rollback()
            session.expire_all()
        return
    source = session.connection().connection.driver_connection
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    source.backup(copy)
    engine = create_engine("sqlite://", creator=lambda: copy, poolclass=StaticPool)
    scratch = Session(engine, info=dict(session.info))
    try:
        yield scratch
    finally:
        scratch.close()
        engine.dispose()
        copy.close()
