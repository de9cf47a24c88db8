"""The communes × criteria matrix for a year: statuses, "17/19", bands, per-criterion counts, average.

Everything is read with a handful of SQL statements (no ORM objects), so the
whole country (3,321 communes × 19 criteria) comes back well under a second.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ntm_desktop.models import (
    Assessment, CommuneProfile, CriteriaSet, Criterion, Recognition, Task, TaskCriterionLink, Unit,
)
from ntm_desktop.services.criteria import catalogue, periods
from ntm_desktop.services.criteria.statuses import DAT, RECOGNITION_SHORT
from ntm_desktop.text import fold


@dataclass(frozen=True)
class CommuneLine:
    unit_id: str
    name: str
    set_id: str
    target_key: str
    planned_year: int | None
    statuses: tuple[str | None, ...]  # aligned with Matrix.criteria
    open_tasks: tuple[int, ...]  # open linked tasks per criterion, aligned with Matrix.criteria
    met: int
    total: int
    band: str
    recognition: str  # e.g. "NTM nâng cao"
    recognition_decision: str  # e.g. "123/QĐ-UBND ngày 05/01/2024"
    recognition_year: int | None
    recognition_set: str = ""  # the set the commune was recognised under

    @property
    def result(self) -> str:
        return f"{self.met}/{self.total}"


@dataclass(frozen=True)
class Matrix:
    year: int
    set_id: str | None
    set_name: str
    criteria: tuple[tuple[str, str], ...]  # (code, name)
    communes: tuple[CommuneLine, ...]
    met_per_criterion: tuple[int, ...]
    band_counts: tuple[tuple[str, int], ...]
    average: float
    legal_basis: str = ""
    target_label: str = "Vùng/nhóm"  # what targets vary by: "Nhóm xã" (2026-2030), "Vùng" (2021-2025)

    @property
    def total_criteria(self) -> int:
        return len(self.criteria)


def main_set_id(session: Session, year: int) -> str | None:
    """The set most communes are assessed under this year."""
    return session.scalar(
        select(CommuneProfile.set_id).where(CommuneProfile.year == year, CommuneProfile.deleted.is_(False))
        .group_by(CommuneProfile.set_id).order_by(func.count().desc()).limit(1)
    )


def target_label(criteria_set: CriteriaSet | None) -> str:
    words = fold(criteria_set.targets_vary_by if criteria_set is not None else "")
    return "Nhóm xã" if words.startswith("nhom") else "Vùng" if words.startswith("vung") else "Vùng/nhóm"


def years_with_data(session: Session) -> list[int]:
    return list(session.scalars(
        select(CommuneProfile.year).where(CommuneProfile.deleted.is_(False)).distinct().order_by(CommuneProfile.year)
    ))


def _recognitions(session: Session, on: date) -> dict[str, tuple[str, str, int, str]]:
    rank = {"ntm": 1, "nang_cao": 2, "kieu_mau": 3}
    best: dict[str, tuple] = {}
    rows = session.execute(
        select(Recognition.unit_id, Recognition.level, Recognition.decision_number, Recognition.decision_date,
               CriteriaSet.name)
        .outerjoin(CriteriaSet, CriteriaSet.id == Recognition.set_id)
        .where(Recognition.deleted.is_(False), Recognition.decision_date <= on,
               (Recognition.revoked_date.is_(None)) | (Recognition.revoked_date > on))
    )
    for unit_id, level, number, when, set_name in rows:
        key = (rank.get(level, 0), when)
        if unit_id not in best or key > best[unit_id][0]:
            best[unit_id] = (key, level, number, when, set_name or "")
    return {u: (RECOGNITION_SHORT.get(level, level), f"{number} ngày {when:%d/%m/%Y}", when.year, set_name)
            for u, (_k, level, number, when, set_name) in best.items()}


def build_matrix(session: Session, year: int, set_id: str | None = None) -> Matrix:
    """Communes with a profile for `year`, in Vietnamese order, against the criteria of `set_id`
    (by default the set most communes use, else the set in force that year, so an empty year still
    shows its criteria); other sets' criteria are matched by code."""
    if not set_id:
        set_id = main_set_id(session, year)
    if not set_id:
        in_force = catalogue.set_for_year(session, year)
        set_id = in_force.id if in_force is not None else None
    criteria_set = session.get(CriteriaSet, set_id) if set_id else None
    criteria = tuple(session.execute(
        select(Criterion.code, Criterion.name).where(Criterion.set_id == set_id, Criterion.deleted.is_(False))
        .order_by(Criterion.number)
    ).all()) if set_id else ()
    codes = [c for c, _ in criteria]
    position = {c: i for i, c in enumerate(codes)}

    totals = (select(Criterion.set_id, func.count(Criterion.id).label("n"))
              .where(Criterion.deleted.is_(False)).group_by(Criterion.set_id).subquery())
    communes = session.execute(
        select(CommuneProfile.unit_id, Unit.name, CommuneProfile.set_id, CommuneProfile.target_key,
               CommuneProfile.planned_year, func.coalesce(totals.c.n, 0))
        .join(Unit, Unit.id == CommuneProfile.unit_id)
        .outerjoin(totals, totals.c.set_id == CommuneProfile.set_id)
        .where(CommuneProfile.year == year, CommuneProfile.deleted.is_(False), Unit.deleted.is_(False))
        .order_by(Unit.name_sort)
    ).all()

    # The year's assessments read once: each commune's cells, and the criteria met per commune and per code
    # (a commune on another set counts its own criteria met).
    cells: dict[str, list] = {}
    met_by_unit: dict[str, int] = {}
    per_criterion: dict[str, int] = {}
    width = len(codes)
    for unit_id, code, status in session.execute(
        select(Assessment.unit_id, Criterion.code, Assessment.status)
        .join(Criterion, Criterion.id == Assessment.criterion_id)
        .where(Assessment.year == year, Assessment.deleted.is_(False))
    ):
        if status == DAT:
            met_by_unit[unit_id] = met_by_unit.get(unit_id, 0) + 1
            per_criterion[code] = per_criterion.get(code, 0) + 1
        index = position.get(code)
        if index is not None:
            line = cells.get(unit_id)
            if line is None:
                line = cells[unit_id] = [None] * width
            line[index] = status

    tasks: dict[str, list] = {}
    open_task = select(Task.id).where(Task.id == TaskCriterionLink.task_id, Task.deleted.is_(False),
                                      Task.completed_on.is_(None))
    for unit_id, code, count in session.execute(  # read from the links (far fewer than the open tasks)
        select(TaskCriterionLink.unit_id, TaskCriterionLink.criterion_code, func.count())
        .where(TaskCriterionLink.deleted.is_(False),
               TaskCriterionLink.set_code.in_(("", criteria_set.code if criteria_set else "")),
               open_task.exists())
        .group_by(TaskCriterionLink.unit_id, TaskCriterionLink.criterion_code)
    ):
        index = position.get(code)
        if index is not None:
            tasks.setdefault(unit_id, [0] * len(codes))[index] = count

    recognised = _recognitions(session, min(date(year, 12, 31), date.today()))
    empty_statuses, empty_tasks = (None,) * len(codes), (0,) * len(codes)
    bands = periods.bands_of(criteria_set, len(codes))
    other_bands: dict[str, tuple] = {}
    lines = []
    for unit_id, name, line_set, key, planned, total in communes:
        met = met_by_unit.get(unit_id, 0)
        recognition = recognised.get(unit_id, ("", "", None, ""))
        if line_set == set_id:
            own_bands = bands
        else:  # a commune on another set (a province's version): that set's bands
            if line_set not in other_bands:
                other_bands[line_set] = periods.bands_of(session.get(CriteriaSet, line_set), int(total))
            own_bands = other_bands[line_set]
        lines.append(CommuneLine(
            unit_id=unit_id, name=name, set_id=line_set, target_key=key or "", planned_year=planned,
            statuses=tuple(cells.get(unit_id, empty_statuses)), open_tasks=tuple(tasks.get(unit_id, empty_tasks)),
            met=int(met), total=int(total), band=periods.band_of(int(met), own_bands),
            recognition=recognition[0], recognition_decision=recognition[1], recognition_year=recognition[2],
            recognition_set=recognition[3],
        ))
    counted = Counter(line.band for line in lines)
    band_counts = tuple((label, counted.get(label, 0)) for label, _ in bands)
    average = round(sum(line.met for line in lines) / len(lines), 2) if lines else 0.0
    return Matrix(
        year=year, set_id=set_id, set_name=criteria_set.name if criteria_set else "",
        criteria=tuple((c, n) for c, n in criteria), communes=tuple(lines),
        met_per_criterion=tuple(per_criterion.get(c, 0) for c in codes), band_counts=band_counts, average=average,
        legal_basis=criteria_set.legal_basis if criteria_set else "", target_label=target_label(criteria_set),
    )
