"""Who a task goes to: an assignee phrase read against the unit tree on the directive's date.

A phrase naming one unit finds it (abbreviations, "Uỷ"/"Ủy" and case do not matter;
among namesakes the one in the issuer's province wins; a unit that had ended by then
gives way to its successor). A listable group ("Các sở, ban, ngành", "UBND các xã")
stands for the units of that kind in the province, active on the date: each of them
leads its own task. A group no list stands for stays as wording in the task's notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ntm_desktop.parsing.assignees import Group, split_assignees
from ntm_desktop.parsing.units import canonical
from ntm_desktop.services.units import UnitRow, all_units
from ntm_desktop.text import fold, sort_key


@dataclass(frozen=True)
class UnitChoice:
    """A unit as reviewed: a known unit (`unit_id`) or a new one to create under `name`."""

    name: str
    unit_id: str | None = None


@dataclass(frozen=True)
class Assignment:
    """The units a reviewed task goes to: one task per lead."""

    leads: tuple[UnitChoice, ...]  # empty: nobody named; the office follows the task up
    cooperating: tuple[UnitChoice, ...]
    lead_wording: str  # the lead phrase as written when it was not one unit ("" otherwise)
    cooperating_wording: tuple[str, ...]  # groups no unit list stands for


class UnitTree:
    """The live units, read once, to find names, provinces and the members of a group."""

    def __init__(self, rows: list[UnitRow]):
        self.units = {u.id: u for u in rows}
        self._names: dict[str, list[UnitRow]] = {}
        for unit in self.units.values():
            for name in {canonical(unit.name), canonical(unit.short_name)} - {""}:
                self._names.setdefault(name, []).append(unit)

    @classmethod
    def read(cls, session: Session) -> "UnitTree":
        return cls(all_units(session))

    def province_of(self, unit_id: str | None) -> str | None:
        """The unit itself when it is a province, else its nearest province ancestor."""
        seen = set()
        while unit_id and unit_id not in seen:
            seen.add(unit_id)
            unit = self.units.get(unit_id)
            if unit is None:
                return None
            if unit.level_code == "tinh":
                return unit.id
            unit_id = unit.parent_id
        return None

    def _within(self, unit: UnitRow, scope_id: str | None) -> bool:
        if scope_id is None:
            return True
        seen, current = set(), unit
        while current is not None and current.id not in seen:
            if current.id == scope_id:
                return True
            seen.add(current.id)
            current = self.units.get(current.parent_id) if current.parent_id else None
        return False

    def current(self, unit: UnitRow, on: date) -> UnitRow:
        """The unit, or the successor that carries it on at `on` (a unit merged away gives way)."""
        seen, current = set(), unit
        while not current.is_active(on) and current.successor_id and current.successor_id not in seen:
            seen.add(current.id)
            nxt = self.units.get(current.successor_id)
            if nxt is None:
                break
            current = nxt
        return current if current.is_active(on) else unit

    def find(self, name: str, scope_id: str | None, on: date) -> str | None:
        """The unit a single name means: in scope first, active first, then its successor."""
        key = canonical(name)
        found = list(self._names.get(key, []))
        if not found and scope_id and key.endswith(" tinh"):
            # "Văn phòng Ủy ban nhân dân tỉnh" in a Lào Cai letter: "... tỉnh Lào Cai".
            place = fold(self.units[scope_id].name).rsplit(" tinh ", 1)[-1]
            found = list(self._names.get(f"{key} {place}", []))
        if not found:
            return None
        found.sort(key=lambda u: (not self._within(u, scope_id), not u.is_active(on), sort_key(u.name)))
        return self.current(found[0], on).id

    def members(self, group: Group, scope_id: str | None, on: date) -> list[UnitRow]:
        """Units of the group's levels in scope, active on `on`, in Vietnamese order."""
        if not group.listable:
            return []
        found = [u for u in self.units.values()
                 if u.level_code in group.levels and u.is_active(on) and u.id != scope_id
                 and self._within(u, scope_id)]
        return sorted(found, key=lambda u: sort_key(u.name))


def _parts(tree: UnitTree, choice: UnitChoice, scope_id: str | None, on: date) -> list[UnitChoice | Group]:
    if choice.unit_id:
        return [choice]
    out: list[UnitChoice | Group] = []
    for part in split_assignees(choice.name):
        if isinstance(part, Group):
            out.append(part)
        else:
            out.append(UnitChoice(part, tree.find(part, scope_id, on)))
    return out


def _expand(tree: UnitTree, part: UnitChoice | Group, scope_id: str | None, on: date) -> list[UnitChoice]:
    if isinstance(part, UnitChoice):
        return [part]
    return [UnitChoice(u.name, u.id) for u in tree.members(part, scope_id, on)]


def _unique(choices: list[UnitChoice]) -> tuple[UnitChoice, ...]:
    seen, out = set(), []
    for c in choices:
        key = c.unit_id or fold(c.name)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return tuple(out)


def assign(tree: UnitTree, lead: UnitChoice, cooperating: tuple[UnitChoice, ...], scope_id: str | None,
           on: date) -> Assignment:
    """Read a task's lead and cooperating phrases against the tree (see the module docstring).

    A lead phrase with a listable group gives every unit it addresses its own task;
    a list of named units keeps the first as lead and the others as cooperating.
    """
    lead_parts = _parts(tree, lead, scope_id, on)
    coop: list[UnitChoice] = []
    wording: list[str] = []
    listed = [p for p in lead_parts if isinstance(p, Group) and tree.members(p, scope_id, on)]
    if listed:
        leads = [c for p in lead_parts for c in _expand(tree, p, scope_id, on)]
    else:
        named = [p for p in lead_parts if isinstance(p, UnitChoice)]
        leads, coop = named[:1], named[1:]
    for choice in cooperating:
        for part in _parts(tree, choice, scope_id, on):
            expanded = _expand(tree, part, scope_id, on)
            if expanded:
                coop += expanded
            elif isinstance(part, Group):
                wording.append(part.text)
    one_unit = len(lead_parts) == 1 and isinstance(lead_parts[0], UnitChoice)
    leads_t = _unique(leads)
    lead_keys = {c.unit_id or fold(c.name) for c in leads_t} if len(leads_t) == 1 else set()
    return Assignment(
        leads=leads_t,
        cooperating=tuple(c for c in _unique(coop) if (c.unit_id or fold(c.name)) not in lead_keys),
        lead_wording="" if one_unit else lead.name.strip(),
        cooperating_wording=tuple(dict.fromkeys(wording)),
    )
