"""A commune's results over the years, its predecessors' included after a merger."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ntm_desktop.models import Assessment, CommuneProfile, Criterion
from ntm_desktop.services import units
from ntm_desktop.services.criteria.profiles import RecognitionRow, recognitions
from ntm_desktop.services.criteria.statuses import DAT


@dataclass(frozen=True)
class YearResult:
    unit_id: str
    unit_name: str
    year: int
    met: int
    total: int
    planned_year: int | None
    own: bool  # False: the result of a commune later merged into this one

    @property
    def result(self) -> str:
        return f"{self.met}/{self.total}"


@dataclass(frozen=True)
class CommuneHistory:
    results: tuple[YearResult, ...]
    recognitions: tuple[RecognitionRow, ...]
    predecessor_names: tuple[str, ...]


def commune_history(session: Session, unit_id: str) -> CommuneHistory:
    """Yearly results and recognitions of the commune and of every unit merged into it."""
    unit = units.get_unit(session, unit_id)
    before = units.predecessors(session, unit_id)
    ids = [unit_id] + [u.id for u in before]
    names = {unit_id: unit.name, **{u.id: u.name for u in before}}
    totals = (select(Criterion.set_id, func.count(Criterion.id).label("n")).where(Criterion.deleted.is_(False))
              .group_by(Criterion.set_id).subquery())
    met = (select(Assessment.unit_id, Assessment.year,
                  func.sum(case((Assessment.status == DAT, 1), else_=0)).label("met"))
           .where(Assessment.unit_id.in_(ids), Assessment.deleted.is_(False))
           .group_by(Assessment.unit_id, Assessment.year).subquery())
    rows = session.execute(
        select(CommuneProfile.unit_id, CommuneProfile.year, func.coalesce(met.c.met, 0), func.coalesce(totals.c.n, 0),
               CommuneProfile.planned_year)
        .outerjoin(totals, totals.c.set_id == CommuneProfile.set_id)
        .outerjoin(met, (met.c.unit_id == CommuneProfile.unit_id) & (met.c.year == CommuneProfile.year))
        .where(CommuneProfile.unit_id.in_(ids), CommuneProfile.deleted.is_(False))
    ).all()
    results = sorted(
        (YearResult(unit_id=u, unit_name=names[u], year=y, met=int(m), total=int(t), planned_year=p, own=u == unit_id)
         for u, y, m, t, p in rows),
        key=lambda r: (r.year, not r.own, r.unit_name),
    )
    return CommuneHistory(results=tuple(results), recognitions=tuple(recognitions(session, ids)),
                          predecessor_names=tuple(u.name for u in before))
