"""A commune's results over the years, its predecessors' included after a merger.

The predecessors are the units the tree links to the commune (services.units.predecessors: a merger
recorded here, or a former unit linked by catalogue.former), and, for a commune of the official catalogue,
the former communes the catalogue's 2025 conversion says it was made of that the tree holds without that
link: a unit typed by hand under an old name, or a commune divided between several new ones, which the tree
links to its main successor only (the others show its results as "in part")."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from ntm_desktop.catalogue import identity
from ntm_desktop.models import Assessment, CommuneProfile, Criterion, Unit
from ntm_desktop.services import units
from ntm_desktop.services.criteria.profiles import RecognitionRow, recognitions
from ntm_desktop.services.criteria.statuses import DAT
from ntm_desktop.text import fold, sort_key


@dataclass(frozen=True)
class YearResult:
    unit_id: str
    unit_name: str
    year: int
    met: int
    total: int
    planned_year: int | None
    own: bool  # False: the result of a commune later merged into this one
    part: bool = False  # a former commune divided between several, of which this one got a part

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
    names = {unit_id: unit.name, **{u.id: u.name for u in before}}
    partly: set[str] = set()
    for former_id, name, part in _absorbed_per_catalogue(session, unit_id, unit.code, set(names)):
        names[former_id] = name
        # and the units merged into that old commune before the reform
        earlier = {u.id: u.name for u in units.predecessors(session, former_id) if u.id not in names}
        names.update(earlier)
        if part:
            partly.update({former_id, *earlier})
    ids = list(names)
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
        (YearResult(unit_id=u, unit_name=names[u], year=y, met=int(m), total=int(t), planned_year=p, own=u == unit_id,
                    part=u in partly)
         for u, y, m, t, p in rows),
        key=lambda r: (r.year, not r.own, r.unit_name),
    )
    predecessor_names = sorted((names[i] for i in ids if i != unit_id), key=sort_key)
    return CommuneHistory(results=tuple(results), recognitions=tuple(recognitions(session, ids)),
                          predecessor_names=tuple(predecessor_names))


_COMMUNE_LEVELS = ("xa", "phuong", "dac_khu", "thi_tran")


def _absorbed_per_catalogue(session: Session, unit_id: str, code: str,
                            known: set[str]) -> list[tuple[str, str, bool]]:
    """(unit id, name, in part) of the tree's units the catalogue names as former communes of this commune
    of the catalogue, beyond `known` (the commune and the predecessors the tree links): each former commune's
    own unit from the catalogue, or a unit typed by hand bearing its name alone among the former communes of
    this one and not the name of a commune in force (a unit typed under the commune's own name is a copy of it,
    for catalogue.linking), with the units merged into it before."""
    if unit_id != identity.unit_id(code):
        return []  # typed by hand: the catalogue is not even read
    from ntm_desktop.catalogue import catalogue

    cat = catalogue()
    entry = cat.get(code)
    if entry is None or not entry.in_force or not entry.is_commune:
        return []
    formers = cat.predecessors(entry)
    if not formers:
        return []
    # A name a commune in force also bears (its own, or Phường Ngọc Hà's, old and new) may be a unit typed for
    # the new commune: not taken for the old one.
    in_force_names = {fold(n) for e in cat.communes(entry.province_code) for n in (e.body_name, e.body_short_name,
                                                                                     e.name)}
    by_id = {identity.unit_id(f.ref): f for f in formers}
    by_name: dict[str, list] = {}
    for former in formers:
        for name in {fold(former.body_name), fold(former.body_short_name), fold(former.name)} - in_force_names:
            by_name.setdefault(name, []).append(former)
    found = []
    named = [Unit.name_folded.startswith(name, autoescape=True) for name in by_name]  # name, short name, code
    for uid, code_, name, short_name, level, successor in session.execute(
            select(Unit.id, Unit.code, Unit.name, Unit.short_name, Unit.level_code, Unit.successor_id)
            .where(Unit.deleted.is_(False), or_(Unit.id.in_(list(by_id)), *named))):
        if uid in known:
            continue
        former = by_id.get(uid)
        if former is None:
            if uid == identity.unit_id(code_):
                continue  # a unit of the catalogue is its own entry, never an old commune of the same name
            same_name = {f.ref: f for n in {fold(name), fold(short_name or "")} for f in by_name.get(n, [])}
            if level not in _COMMUNE_LEVELS or len(same_name) != 1:
                continue  # not a commune, or two former communes of that name: left to a person
            former = next(iter(same_name.values()))
        if successor is not None and successor not in {identity.unit_id(c) for c in former.successors}:
            continue  # a person linked it elsewhere
        found.append((uid, name, former.successors[0] != entry.code))
    return found
