"""Who may change what: a package changes only records owned by its origin or units below it.

Records owned by units above the origin come down the tree as relays: a
district passes the province's directives to its communes. Units come down
from the parent, so a unit is known everywhere by the id it was born with; a
unit arriving with a code used here by another id is refused.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.models import Unit


class Tree:
    def __init__(self, session: Session, incoming_units: list[dict] | None = None):
        self.parent: dict[str, str | None] = dict(session.execute(select(Unit.id, Unit.parent_id)).all())
        for record in incoming_units or []:
            self.parent.setdefault(record["id"], record.get("parent_id"))
        self._ancestors: dict[str | None, tuple[str, ...]] = {}

    def ancestors(self, unit_id: str | None) -> tuple[str, ...]:
        """The units above, nearest first (asked once per record of a package: remembered)."""
        found = self._ancestors.get(unit_id)
        if found is None:
            chain, seen = [], set()
            current = self.parent.get(unit_id) if unit_id else None
            while current and current not in seen:
                seen.add(current)
                chain.append(current)
                current = self.parent.get(current)
            found = self._ancestors[unit_id] = tuple(chain)
        return found

    def is_within(self, unit_id: str | None, root: str) -> bool:
        return unit_id == root or root in self.ancestors(unit_id)

    def may_write(self, owner_id: str | None, origin_id: str, office_id: str, new: bool = False) -> bool:
        """`new`: the record is not here yet. Records with no owner are the shared catalogue
        (national criteria sets): any known office may bring one that is missing, only an
        office above us may change one."""
        if owner_id is None:
            return new or origin_id in self.ancestors(office_id)
        if self.is_within(owner_id, origin_id):
            return True
        # relay down: the origin is above us and the owner is above the origin
        return origin_id in self.ancestors(office_id) and owner_id in self.ancestors(origin_id)
