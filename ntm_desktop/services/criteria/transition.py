"""Moving a commune into a new period: the first year of a new criteria set (2025 → 2026).

What carries over: the profile (planned year, note; the commune's group is chosen anew, since the
new set's groups are not the old regions), the recognitions (they belong to the commune and keep the
set they were made under), the evidence files of the old criteria and the open tasks linked to them,
both moved to the new criteria the data maps them to. Statuses do not carry: the new set has other
criteria and other targets, so the new year's assessment starts empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Assessment, CommuneProfile, CriteriaSet, Criterion, Recognition, Task, TaskCriterionLink
from ntm_desktop.models import natural_id
from ntm_desktop.services.criteria import catalogue, links, periods, profiles
from ntm_desktop.services.criteria.profiles import RecognitionRow
from ntm_desktop.services import access
from ntm_desktop.services.access import Permission


@dataclass(frozen=True)
class CarriedEvidence:
    new_code: str
    old_code: str
    file_name: str
    sha256: str


@dataclass(frozen=True)
class TransitionPlan:
    unit_id: str
    unit_name: str
    from_year: int
    to_year: int
    old_set_id: str
    old_set_name: str
    new_set_id: str
    new_set_name: str
    new_legal_basis: str
    target_keys: tuple[str, ...]
    targets_vary_by: str
    target_key: str  # the group already chosen for the new year ("" when none)
    planned_year: int | None
    note: str
    old_statuses: dict  # old criterion code -> status in the old year
    mapping: periods.CriteriaMapping
    evidence: tuple[CarriedEvidence, ...]
    open_links: tuple[tuple[str, str], ...]  # (task id, old criterion code) of open tasks linked to old criteria
    recognitions: tuple[RecognitionRow, ...]
    carried_over_on: date | None  # when the step was done for this commune (None: not yet)


@dataclass(frozen=True)
class CarryResult:
    profile_id: str
    evidence_moved: int
    links_moved: int
    recognitions_named: int


def _old_profile(session: Session, unit_id: str, from_year: int) -> CommuneProfile:
    found = profiles.get_profile(session, unit_id, from_year)
    if found is None:
        raise ValidationError(f"Xã chưa có hồ sơ năm {from_year}, nên không có gì để chuyển sang năm {from_year + 1}. "
                              f"Hãy lập hồ sơ năm {from_year + 1} ở “Hồ sơ xã…”.")
    return found


def plan_transition(session: Session, unit_id: str, to_year: int) -> TransitionPlan:
    """What moving the commune from `to_year - 1` into `to_year` would carry, and onto which set."""
    unit = profiles.require_commune(session, unit_id)
    from_year = to_year - 1
    old_profile = _old_profile(session, unit_id, from_year)
    old_set = catalogue.get_set(session, old_profile.set_id)
    catalogue.install_shipped_sets(session)
    new_set = catalogue.set_for_year(session, to_year, old_set.tier)
    if new_set is None:
        raise ValidationError(f"Chưa có bộ tiêu chí xã nông thôn mới cho năm {to_year}. Hãy nhập bộ tiêu chí của "
                              "giai đoạn mới ở “Bộ tiêu chí…”.")
    if old_set.period_end is None or old_set.period_end >= to_year:
        raise ValidationError(f"Năm {to_year} vẫn thuộc giai đoạn của “{old_set.name}”, nên không phải chuyển bộ "
                              "tiêu chí. Dùng “Chép kết quả năm trước” trong phiếu đánh giá.")
    old_rows = session.execute(
        select(Criterion.code, Assessment.status, Assessment.evidence_name, Assessment.evidence_sha256)
        .join(Criterion, Criterion.id == Assessment.criterion_id)
        .where(Assessment.unit_id == unit_id, Assessment.year == from_year, Assessment.deleted.is_(False),
               Criterion.set_id == old_set.id)
    ).all()
    mapping = periods.mapping_between(session, old_set, new_set)
    evidence_by_old = {code: (name, sha) for code, _s, name, sha in old_rows if sha}
    evidence = tuple(CarriedEvidence(row.new_code, old_code, *evidence_by_old[old_code])
                     for row in mapping.rows for old_code, _n in row.old if old_code in evidence_by_old)
    old_codes = {c.code for c in catalogue.criteria_of(session, old_set.id)}
    open_links = tuple(session.execute(
        select(TaskCriterionLink.task_id, TaskCriterionLink.criterion_code)
        .join(Task, Task.id == TaskCriterionLink.task_id)
        .where(TaskCriterionLink.unit_id == unit_id, TaskCriterionLink.deleted.is_(False),
               TaskCriterionLink.criterion_code != "", TaskCriterionLink.set_code.in_(("", old_set.code)),
               Task.deleted.is_(False), Task.completed_on.is_(None))
        .order_by(TaskCriterionLink.criterion_code)
    ).all())
    new_profile = profiles.get_profile(session, unit_id, to_year)
    on_new = new_profile is not None and new_profile.set_id == new_set.id
    key = new_profile.target_key if on_new else ""
    planned = old_profile.planned_year if old_profile.planned_year and old_profile.planned_year >= to_year else None
    return TransitionPlan(
        unit_id=unit_id, unit_name=unit.name, from_year=from_year, to_year=to_year,
        old_set_id=old_set.id, old_set_name=old_set.name, new_set_id=new_set.id, new_set_name=new_set.name,
        new_legal_basis=new_set.legal_basis, target_keys=tuple(new_set.target_keys or ()),
        targets_vary_by=new_set.targets_vary_by, target_key=key,
        planned_year=new_profile.planned_year if on_new else planned,
        note=old_profile.note, old_statuses={code: status for code, status, _n, _s in old_rows},
        mapping=mapping, evidence=evidence,
        open_links=tuple((t, c) for t, c in open_links if c in old_codes),
        recognitions=tuple(profiles.recognitions(session, [unit_id])),
        carried_over_on=new_profile.carried_over_on if on_new else None,
    )


def communes_to_move(session: Session, to_year: int) -> list[tuple[str, str]]:
    """(unit id, name) of communes whose last year's set ends before `to_year` and that are not moved yet."""
    from ntm_desktop.models import Unit

    rows = session.execute(
        select(CommuneProfile.unit_id, Unit.name, CriteriaSet.period_end)
        .join(Unit, Unit.id == CommuneProfile.unit_id).join(CriteriaSet, CriteriaSet.id == CommuneProfile.set_id)
        .where(CommuneProfile.year == to_year - 1, CommuneProfile.deleted.is_(False), Unit.deleted.is_(False),
               Unit.valid_to.is_(None) | (Unit.valid_to >= date(to_year, 1, 1)))
        .order_by(Unit.name_sort)
    ).all()
    moved = set(session.scalars(  # one query for every commune, not one each
        select(CommuneProfile.unit_id).where(CommuneProfile.year == to_year, CommuneProfile.deleted.is_(False),
                                             CommuneProfile.carried_over_on.is_not(None))))
    found = []
    for unit_id, name, period_end in rows:
        if period_end is None or period_end >= to_year:
            continue
        if unit_id in moved:
            continue
        found.append((unit_id, name))
    return found


def _move_links(session: Session, plan: TransitionPlan, unit_id: str) -> None:
    """Open tasks linked to old criteria are linked to the new criteria those map to. A link keeps its old
    criterion (marked with the old set, so the old years still show it) unless the new criterion has the same
    code: one record cannot mean both, and the open task's work now counts under the new criterion."""
    old_code, new_code = (catalogue.get_set(session, plan.old_set_id).code,
                          catalogue.get_set(session, plan.new_set_id).code)
    wanted = set()
    for task_id, code in plan.open_links:  # decided from the links as they were: codes of the old set
        targets = [row.new_code for row in plan.mapping.rows if code in dict(row.old)] or [""]
        wanted |= {(task_id, target) for target in targets}
    for task_id, code in plan.open_links:
        link = session.get(TaskCriterionLink, natural_id("task_criterion_link", task_id, unit_id, code))
        link.set_code = new_code if (task_id, code) in wanted else old_code
    for task_id, code in sorted(wanted):
        links.link_task(session, task_id, unit_id, code, new_code if code else "")


def carry_over(session: Session, unit_id: str, to_year: int, target_key: str, planned_year: int | None = None,
               keep_plan: bool = True, today: date | None = None) -> CarryResult:
    """Move the commune into `to_year`: its profile on the new set with its group, evidence and open task
    links onto the mapped new criteria, its recognitions named with the set they were made under.
    `planned_year`: the new planned year (None with keep_plan: the one the plan proposes). Done twice,
    the second time only changes the group and the plan: links already moved are not moved again."""
    access.require(session, Permission.CRITERIA)
    plan = plan_transition(session, unit_id, to_year)
    if plan.target_keys and not (target_key or "").strip():
        raise ValidationError(f"Hãy chọn nhóm xã của {plan.unit_name} trong giai đoạn mới ("
                              + "; ".join(plan.target_keys) + "): mức chỉ tiêu khác nhau theo nhóm.", "target_key")
    planned = planned_year if planned_year is not None or not keep_plan else plan.planned_year
    profile = profiles.save_profile(session, unit_id, to_year, plan.new_set_id, target_key, planned, plan.note)
    if plan.carried_over_on is not None:
        session.flush()
        return CarryResult(profile_id=profile.id, evidence_moved=0, links_moved=0, recognitions_named=0)
    profile.carried_over_on = today or date.today()
    unit = profiles.require_commune(session, unit_id)
    new_ids = {c.code: c.id for c in catalogue.criteria_of(session, plan.new_set_id)}
    moved = 0
    for item in plan.evidence:
        key = natural_id("assessment", unit_id, to_year, new_ids[item.new_code])
        record = session.get(Assessment, key)
        if record is None:
            record = Assessment(id=key, unit_id=unit_id, year=to_year, criterion_id=new_ids[item.new_code],
                                owner_unit_id=unit.owner_unit_id or unit.id)
            session.add(record)
        record.deleted = False
        line = f"Minh chứng năm {plan.from_year}, tiêu chí {item.old_code}: {item.file_name}"
        if not record.evidence_sha256:
            record.evidence_sha256, record.evidence_name = item.sha256, item.file_name
            moved += 1
        elif record.evidence_sha256 != item.sha256 and line not in (record.note or ""):
            record.note = "; ".join(filter(None, [record.note, line]))
            moved += 1
    _move_links(session, plan, unit_id)
    links_moved = len(plan.open_links)
    named = 0
    for row in plan.recognitions:
        if not row.set_id:
            found = profiles.recognition_set(session, row.level, row.decision_date)
            if found is not None:
                session.get(Recognition, row.id).set_id = found.id
                named += 1
    session.flush()
    return CarryResult(profile_id=profile.id, evidence_moved=moved, links_moved=links_moved, recognitions_named=named)
