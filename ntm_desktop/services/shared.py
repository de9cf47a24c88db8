"""Data many screens show (the unit tree, the criteria catalogue), read once per open data folder.

The lists are read on first use and kept; a commit that writes their tables (a unit saved, a package
applied, a set imported) drops the kept copy and tells the listeners once, naming what changed
("units", "criteria"), so every screen refreshes from one notification instead of reading again.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

from ntm_desktop.services.units import UnitRow

log = logging.getLogger(__name__)

UNITS, CRITERIA = "units", "criteria"
TABLES = {
    UNITS: frozenset({"units", "unit_levels"}),
    CRITERIA: frozenset({"criteria_sets", "criteria", "indicators"}),
}

Listener = Callable[[frozenset[str]], None]


class SharedData:
    def __init__(self, db):
        self._db = db
        self._lock = threading.RLock()
        self._kept: dict[str, object] = {}
        self._generation = {UNITS: 0, CRITERIA: 0}
        self._listeners: list[Listener] = []
        if db.watch is not None:
            db.watch.listen(self._written)

    def units(self) -> list[UnitRow]:
        """Every unit not deleted, in Vietnamese alphabetical order (services.units.all_units)."""
        from ntm_desktop.services import units

        return self._get(UNITS, units.all_units)

    def criteria_sets(self) -> list:
        """The criteria sets (services.criteria.catalogue.set_rows)."""
        from ntm_desktop.services.criteria import catalogue

        return self._get(CRITERIA, catalogue.set_rows)

    def _get(self, kind: str, read):
        with self._lock:
            if kind in self._kept:
                return self._kept[kind]
            generation = self._generation[kind]
        with self._db.transaction() as session:  # outside the lock: another screen's read need not wait
            value = read(session)
        with self._lock:
            if self._generation[kind] == generation:  # nothing was written meanwhile
                self._kept[kind] = value
        return value

    def listen(self, listener: Listener) -> None:
        """`listener(kinds)` after a commit changed these kinds of shared data (in the committing thread)."""
        with self._lock:
            self._listeners.append(listener)

    def forget(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def changed(self, kinds: frozenset[str] = frozenset(TABLES)) -> None:
        """Drop the kept copies of `kinds` and tell the listeners (also for a database replaced by a restore)."""
        with self._lock:
            for kind in kinds:
                self._kept.pop(kind, None)
                self._generation[kind] += 1
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(kinds)
            except Exception:  # noqa: BLE001 - a screen's failure must not undo a committed save
                log.exception("shared data listener failed")

    def _written(self, tables: frozenset[str]) -> None:
        kinds = frozenset(kind for kind, names in TABLES.items() if tables & names)
        if kinds:
            self.changed(kinds)
