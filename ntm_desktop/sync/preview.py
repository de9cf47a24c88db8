"""What a package would do, record by record, without changing anything.

The same plan is computed again inside the apply transaction, so what was
previewed and what is applied follow the same rules.

A package is planned a batch at a time (`plan_batches`: the unit tree first, then
each entity `reader.BATCH` records at a time), so that the apply can write each
batch and let it go: what a later batch needs of the earlier ones (the ids that
arrive, the directives' owners, the register numbers taken) is carried along.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Iterator

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from ntm_desktop.models import Base, Unit
from ntm_desktop.services import settings
from ntm_desktop.sync import snapshots, validity
from ntm_desktop.sync.entities import ENTITIES, EntitySpec, load_rows
from ntm_desktop.sync.merge import CONCURRENT, NEW, NEWER, OLDER, UNCHANGED, FieldConflict, compare, merge_concurrent
from ntm_desktop.sync.ownership import Tree, structure_problem
from ntm_desktop.sync.reader import Package

KEEP_ACTIONS = 20_000  # a preview of a package this size or smaller keeps every record's action
_ORDER = {spec.name: i for i, spec in enumerate(ENTITIES)}

OUTCOMES = ("new", "updated", "unchanged", "older", "deleted", "conflict", "rejected")
OUTCOME_LABELS = {
    "new": "Mới", "updated": "Cập nhật", "unchanged": "Không đổi", "older": "Cũ hơn (bỏ qua)",
    "deleted": "Xóa", "conflict": "Xung đột", "rejected": "Bị từ chối",
}


@dataclass(slots=True)
class Action:
    entity: str
    record_id: str
    outcome: str
    incoming: dict
    local: dict | None = None
    result: dict | None = None  # the state to write, for new/updated/deleted/conflict
    conflicts: tuple[FieldConflict, ...] = ()
    reason: str = ""

    @property
    def writes(self) -> bool:
        return self.outcome in ("new", "updated", "deleted", "conflict")


@dataclass
class Plan:
    package: Package
    actions: dict[str, list[Action]] = field(default_factory=dict)
    already: str = ""  # when this very file was applied before: what to tell the user ("" otherwise)
    # What batches let go of (a large package): outcomes per entity, and the rejections with their reasons.
    tallies: dict[str, Counter] = field(default_factory=dict)
    let_go: list[tuple[str, str, str]] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        tallies = {e: Counter(a.outcome for a in acts) for e, acts in self.actions.items()}
        for entity, tally in self.tallies.items():
            tallies[entity] = tallies.get(entity, Counter()) + tally
        return {e: {o: tallies[e][o] for o in OUTCOMES} for e in sorted(tallies, key=_ORDER.get)}

    def rejections(self) -> list[tuple[str, str, str]]:
        kept = [(a.entity, a.record_id, a.reason) for acts in self.actions.values() for a in acts
                if a.outcome == "rejected"]
        return sorted(self.let_go + kept, key=lambda r: _ORDER[r[0]]) if self.let_go else kept

    def take(self, batch: "Plan", keep: bool) -> None:
        """Add a batch's plan: its actions kept, or only their outcomes and rejections."""
        for entity, actions in batch.actions.items():
            if keep:
                self.actions.setdefault(entity, []).extend(actions)
                continue
            self.tallies.setdefault(entity, Counter()).update(a.outcome for a in actions)
            self.let_go += [(a.entity, a.record_id, a.reason) for a in actions if a.outcome == "rejected"]

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts().values())

    def summary(self) -> dict:
        m = self.package.manifest
        return {
            "package_id": m.package_id, "kind": m.kind, "origin": m.origin_code, "destination": m.destination_code,
            "sequence": m.sequence, "created_utc": m.created_utc, "user": m.origin_user,
            "counts": self.counts(),
            "rejected": [{"entity": e, "id": i, "reason": r} for e, i, r in self.rejections()],
        }


def _existing_ids(session: Session, table: Table, ids: set[str]) -> set[str]:
    pk = list(table.primary_key.columns)[0]
    found: set[str] = set()
    items = sorted(ids)
    for i in range(0, len(items), 500):
        found.update(session.scalars(select(pk).where(pk.in_(items[i:i + 500]))))
    return found


_NOT_YOURS = ("đơn vị gửi không được sửa dữ liệu của đơn vị khác (chỉ được sửa dữ liệu của chính mình "
              "và đơn vị cấp dưới); nếu cần góp ý, hãy gửi báo cáo tiến độ")


def _present_ids(session: Session, table: Table, ids: list[str]) -> set[str]:
    """Which of `ids` are rows of `table` here: on the SQLite file one statement over a JSON array of the ids
    (checked UUIDs), read from the primary key's index; elsewhere 500 at a time."""
    if session.autoflush:
        session.flush()  # as a query through the session would: what this transaction added is seen
    connection = session.connection()
    if connection.dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 38):
        pk = list(table.primary_key.columns)[0].name
        rows = connection.exec_driver_sql(
            f"SELECT {pk} FROM {table.name} WHERE {pk} IN (SELECT value FROM json_each(?))", (json.dumps(ids),))
        return {row[0] for row in rows}
    return _existing_ids(session, table, set(ids))


def _classify(session: Session, spec: EntitySpec, records: list[dict], tree: Tree, origin: str, office: str,
              installation: str) -> list[Action]:
    ids = [r["id"] for r in records]
    present = _present_ids(session, spec.table, ids)
    allowed: dict[tuple, bool] = {}  # (owner, new) -> may the origin write it (a batch has few owners)

    def may_write(owner, new: bool) -> bool:
        found = allowed.get((owner, new))
        if found is None:
            found = allowed[(owner, new)] = tree.may_write(owner, origin, office, new=new)
        return found

    if not present:  # none of them is here yet: each is new, or rejected when its owner may not be written
        name = spec.name
        return [Action(name, record["id"], "deleted" if record["deleted"] else "new", record, None, record)
                if may_write(record.get("owner_unit_id"), True) else
                Action(name, record["id"], "rejected", record, reason=_NOT_YOURS) for record in records]
    local = {r["id"]: r for r in load_rows(session, spec, sorted(present))}
    state = {r["id"]: compare(local[r["id"]]["version"], r["version"]) for r in records if r["id"] in local}
    bases = snapshots.load(session, spec.name, [i for i, s in state.items() if s == CONCURRENT])
    actions = []

    for record in records:
        rid = record["id"]
        mine = local.get(rid)
        relation = NEW if mine is None else state[rid]
        if relation == UNCHANGED:
            actions.append(Action(spec.name, rid, "unchanged", record, mine))
            continue
        if relation == OLDER:
            actions.append(Action(spec.name, rid, "older", record, mine))
            continue
        owner = record.get("owner_unit_id")
        if not may_write(owner, mine is None) or (mine is not None and mine.get("owner_unit_id") != owner
                                                  and not may_write(mine.get("owner_unit_id"), False)):
            actions.append(Action(spec.name, rid, "rejected", record, mine, reason=_NOT_YOURS))
            continue
        if relation == NEW:
            outcome = "deleted" if record["deleted"] else "new"
            actions.append(Action(spec.name, rid, outcome, record, None, result=dict(record)))
        elif relation == NEWER:
            outcome = "deleted" if record["deleted"] and not mine["deleted"] else "updated"
            actions.append(Action(spec.name, rid, outcome, record, mine, result=dict(record)))
        else:
            merged = merge_concurrent(spec.data_fields, mine, record, bases.get(rid), installation)
            outcome = "conflict" if merged.conflicts else (
                "deleted" if merged.record["deleted"] and not mine["deleted"] else "updated")
            actions.append(Action(spec.name, rid, outcome, record, mine, merged.record, merged.conflicts))
    return actions


def _reject(action: Action, reason: str) -> None:
    action.outcome, action.reason, action.result, action.conflicts = "rejected", reason, None, ()


def _check_references(session: Session, plan: Plan, arriving: dict[str, set[str]] | None = None) -> None:
    """A record pointing at something neither here nor arriving is rejected (and so are its dependants).

    `arriving`: the ids of earlier batches that are written (entity -> ids), extended with this plan's."""
    arriving = {} if arriving is None else arriving
    for spec in ENTITIES:
        if spec.name not in plan.actions:
            continue
        arriving.setdefault(spec.name, set()).update(
            a.record_id for a in plan.actions[spec.name] if a.outcome != "rejected")
        for _ in range(2):  # a second pass settles records that point at records rejected in the first
            writing = [a.result for a in plan.actions.get(spec.name, []) if a.writes]
            wanted: dict[str, set[str]] = {}
            for column, target in spec.references.items():
                wanted.setdefault(target, set()).update(filter(None, (r.get(column) for r in writing)))
            known = {t: _existing_ids(session, Base.metadata.tables[t], ids - arriving.get(t, set())) | (ids & arriving.get(t, set()))
                     for t, ids in wanted.items()}
            if all(ids <= known[t] for t, ids in wanted.items()):
                break  # every reference is known: nothing to reject
            rejected = False
            for action in plan.actions.get(spec.name, []):
                if not action.writes:
                    continue
                for column, target in spec.references.items():
                    value = action.result.get(column)
                    if value and value not in known[target]:
                        _reject(action, f"tham chiếu tới bản ghi không có ở máy này ({column} = {value}); "
                                        "hãy nhận gói “toàn bộ dữ liệu” từ đơn vị gửi")
                        arriving[spec.name].discard(action.record_id)
                        rejected = True
                        break
            if not rejected:
                break  # nothing changed: a second pass would find the same


def _check_rules(session: Session, plan: Plan, tree: Tree, origin: str, office: str,
                 owners: dict[str, str | None] | None = None) -> None:
    """The forms' rules on what is written: owners, where units go, registers, field limits and dates.

    `owners`: the owners of directives written by earlier batches."""
    from ntm_desktop.models import Directive

    from_above = plan.package.bootstrap or tree.keeps_tree_of(origin, office)
    owners = owners or {}

    arriving = {a.record_id: a for a in plan.actions.get("directives", [])}
    wanted = sorted({a.result.get("directive_id") for name in ("tasks", "attachments")
                     for a in plan.actions.get(name, []) if a.writes} - {None} - set(owners))
    here: dict[str, str | None] = {}
    for i in range(0, len(wanted), 500):
        here.update(session.execute(select(Directive.id, Directive.owner_unit_id).where(
            Directive.id.in_(wanted[i:i + 500]))).all())

    def directive_owner(directive_id):  # as it will be once the package is applied (directives come first)
        action = arriving.get(directive_id)
        if action is not None and action.writes:
            return action.result.get("owner_unit_id")
        if directive_id in owners:
            return owners[directive_id]
        return here.get(directive_id)

    for spec in ENTITIES:
        writing = [a for a in plan.actions.get(spec.name, []) if a.writes]
        limits = validity.problems(spec, [a.result for a in writing])
        for action, beyond in zip(writing, limits):
            reason = structure_problem(tree, spec.name, action.result, action.local, origin, from_above,
                                       directive_owner) or beyond
            if reason:
                _reject(action, reason)


def _check_unique(session: Session, plan: Plan, taken: dict[tuple, str] | None = None) -> None:
    """Unit codes and register numbers must stay unique: a clash is a rejection with its reason.

    `taken`: register numbers known from earlier batches ((office, year, number) -> id), extended here."""
    for action in plan.actions.get("units", []):
        if action.writes:
            other = session.scalar(select(Unit.id).where(Unit.code == action.result["code"], Unit.id != action.record_id))
            if other:
                _reject(action, f"mã đơn vị “{action.result['code']}” đã dùng cho một đơn vị khác ở máy này; "
                                "danh mục đơn vị phải nhận từ cấp trên (cùng mã định danh)")
    from ntm_desktop.models import Directive

    wanted = [a for a in plan.actions.get("directives", []) if a.writes and not a.result["deleted"]]
    taken = {} if taken is None else taken
    offices = taken.setdefault(None, set())  # the offices whose numbers are read already
    for office in {a.result["office_unit_id"] for a in wanted} - offices:
        rows = session.execute(select(Directive.arrival_year, Directive.arrival_number, Directive.id).where(
            Directive.office_unit_id == office))
        taken.update({(office, y, n): i for y, n, i in rows})
        offices.add(office)
    for action in wanted:
        r = action.result
        other = taken.get((r["office_unit_id"], r["arrival_year"], r["arrival_number"]))
        if other and other != action.record_id:
            _reject(action, f"số đến {r['arrival_number']}/{r['arrival_year']} đã có ở sổ văn bản đến của máy này")
    for action in wanted:  # what this batch writes is taken for the next ones
        if action.writes:
            r = action.result
            taken.setdefault((r["office_unit_id"], r["arrival_year"], r["arrival_number"]), action.record_id)


def plan_batches(session: Session, package: Package, size: int | None = None) -> Iterator[Plan]:
    """Classify the package's records a batch at a time; changes nothing.

    Each plan holds one batch of one entity (its package: the same package, with that batch's records and
    lines). The caller may write each batch before asking for the next (the apply does); what a later batch
    needs of the earlier ones is carried here, so previewing and applying decide alike."""
    manifest = package.manifest
    office = manifest.destination_unit_id if package.bootstrap else settings.office_unit_id(session)
    tree = Tree(session, package.records.get("units", []))
    installation = session.info.get("installation_id", "")
    writer = office if package.entered_here else manifest.origin_unit_id
    arriving: dict[str, set[str]] = {}
    owners: dict[str, str | None] = {}
    taken: dict[tuple, str] = {}
    referred = set().union(*(spec.references.values() for spec in ENTITIES))
    for spec in ENTITIES:
        for records, lines in package.batches(spec.name, size):
            if not records:
                continue
            view = replace(package, records={spec.name: records}, lines={spec.name: lines})
            plan = Plan(view, {spec.name: _classify(session, spec, records, tree, writer, office, installation)})
            _check_rules(session, plan, tree, writer, office, owners)
            _check_unique(session, plan, taken)
            _check_references(session, plan, arriving)
            if spec.name not in referred:
                arriving.pop(spec.name, None)  # nothing points at these
            if spec.name == "directives":
                owners.update((a.record_id, a.result.get("owner_unit_id")) for a in plan.actions[spec.name]
                              if a.writes)
            yield plan


def plan_package(session: Session, package: Package) -> Plan:
    """Classify every record of the package; changes nothing. A large package's plan keeps the outcomes and
    rejections, not every record's action."""
    plan = Plan(package)
    keep = sum(len(rs) for rs in package.records.values()) + sum(
        e.count for e in package.streamed.values()) <= KEEP_ACTIONS
    for batch in plan_batches(session, package):
        plan.take(batch, keep)
    return plan
