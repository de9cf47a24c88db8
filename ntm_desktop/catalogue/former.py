"""Old names resolve: units from before the reform of 01/7/2025 linked to the units that carry them on.

Directives from before the reform name districts and communes that no longer exist ("UBND xã Liên Minh",
"UBND huyện Văn Bàn"). Two things make those names lead somewhere:

- `find_former_units` / `link_former_units`: a unit of the tree (typed by hand, or received in a package)
  that is a former unit of the catalogue, recognised by its name among the former units of the provinces
  the tree holds, gets its last day (30/6/2025) and, unless it is a district (whose communes went to
  several new ones), the catalogue's unit that carries it on as its successor (made if the tree lacks
  it); its records stay on it, and the successor's history lists it (services.units.predecessors);
- `former_names`: for the parser's unit matching, the old names of the communes each unit in force of
  the tree was made of, each naming the unit that carries it on.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.catalogue import identity
from ntm_desktop.catalogue.data import Entry
from ntm_desktop.catalogue.lookup import Catalogue, catalogue as shipped
from ntm_desktop.catalogue.tree import add_units
from ntm_desktop.models import Unit
from ntm_desktop.text import fold

_LEVEL_FITS = {"tinh": ("tinh",), "huyen": ("huyen",), "xa": ("xa", "phuong", "thon"), "phuong": ("xa", "phuong"),
               "dac_khu": ("dac_khu",)}


@dataclass(frozen=True)
class FormerLink:
    unit_id: str
    unit_name: str
    former: Entry
    successor: Entry | None  # None for a district: it only ends


def _provinces_in_tree(session: Session, cat: Catalogue) -> list[Entry]:
    ids = {identity.unit_id(p.code): p for p in cat.provinces()}
    found = set(session.scalars(select(Unit.id).where(Unit.id.in_(list(ids)))))
    return [p for uid, p in ids.items() if uid in found]


def _names(entry: Entry) -> set[str]:
    return {fold(entry.body_name), fold(entry.body_short_name), fold(entry.name)}


def find_former_units(session: Session, cat: Catalogue | None = None) -> list[FormerLink]:
    """Units of the tree that are former units of the catalogue and name no successor yet."""
    cat = cat or shipped()
    by_name: dict[str, list[Entry]] = {}
    for province in _provinces_in_tree(session, cat):
        for entry in cat.former_of_province(province.code):
            for name in _names(entry):
                bucket = by_name.setdefault(name, [])
                if entry not in bucket:
                    bucket.append(entry)
    if not by_name:
        return []
    links = []
    for unit in session.scalars(select(Unit).where(Unit.deleted.is_(False), Unit.successor_id.is_(None))):
        if identity.from_catalogue(unit.id, unit.code, unit.version):
            continue
        fits = _LEVEL_FITS.get(unit.level_code)
        candidates = {e.ref: e for name in {fold(unit.name), fold(unit.short_name or "")} if name
                      for e in by_name.get(name, []) if fits is None or e.level_code in fits}
        if len(candidates) != 1:
            continue  # unknown, or two former units of that name (in different districts): left to a person
        former = next(iter(candidates.values()))
        successor = cat.successor(former)
        if successor is None and unit.valid_to is not None and unit.valid_to <= former.valid_to:
            continue  # a district already ended: nothing more to link
        links.append(FormerLink(unit.id, unit.name, former, successor))
    return links


def link_former_units(session: Session, links: list[FormerLink] | None = None, cat: Catalogue | None = None) -> int:
    """End each unit on its former unit's last day and name its successor; returns how many were linked."""
    from ntm_desktop.services import access

    cat = cat or shipped()
    access.require(session, access.Permission.UNITS)
    links = find_former_units(session, cat) if links is None else links
    successors = [link.successor for link in links if link.successor is not None]
    if successors:
        add_units(session, successors, cat)
    for link in links:
        unit = session.get(Unit, link.unit_id)
        if unit.valid_to is None or unit.valid_to > link.former.valid_to:
            unit.valid_to = link.former.valid_to
        if link.successor is not None:
            unit.successor_id = identity.unit_id(link.successor.ref)
    return len(links)


def former_names(session: Session, cat: Catalogue | None = None) -> list[tuple[str, str]]:
    """(unit id, old name) for the parser: the People's Committees of the former communes each catalogue unit
    in force of the tree carries on ("Ủy ban nhân dân xã Liên Minh" -> Xã Mường Bo's unit). A divided commune
    names its main successor only; names the tree itself holds are left to the tree's units."""
    ours = [(uid, code) for uid, code in session.execute(select(Unit.id, Unit.code).where(Unit.deleted.is_(False)))
            if uid == identity.unit_id(code)]
    if not ours:
        return []  # no unit from the catalogue: the file is not even read
    cat = cat or shipped()
    held = {fold(n) for row in session.execute(select(Unit.name, Unit.short_name)) for n in row if n}
    pairs = []
    for uid, code in ours:
        entry = cat.get(code)
        if entry is None or not entry.in_force or entry.is_province:
            continue
        for former in cat.predecessors(entry):
            if former.successors[0] != entry.code:
                continue
            for name in (former.body_name, former.body_short_name):
                if fold(name) not in held:
                    pairs.append((uid, name))
    return pairs
