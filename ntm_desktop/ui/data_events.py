"""The GUI thread's side of the database's change notices: one Qt signal per committed transaction.

`tables_changed(tables)` after any commit (from whichever thread committed it), `shared_changed(kinds)`
when the shared data changed ("units", "criteria": ntm_desktop.services.shared). Screens connect to
these instead of reading the unit tree again each time they are shown.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class DataEvents(QObject):
    tables_changed = Signal(object)  # frozenset of table names
    shared_changed = Signal(object)  # frozenset of kinds

    def __init__(self, workspace):
        super().__init__()
        self._workspace = workspace
        if workspace.db.watch is not None:
            workspace.db.watch.listen(self._tables)
        workspace.shared().listen(self._shared)

    def _tables(self, tables: frozenset[str]) -> None:
        try:
            self.tables_changed.emit(tables)
        except RuntimeError:  # the window has gone
            pass

    def _shared(self, kinds: frozenset[str]) -> None:
        try:
            self.shared_changed.emit(kinds)
        except RuntimeError:
            pass

    def detach(self) -> None:
        if self._workspace.db.watch is not None:
            self._workspace.db.watch.forget(self._tables)
        self._workspace.shared().forget(self._shared)


def data_events(workspace) -> DataEvents:
    """The one DataEvents of this workspace (made on first use, in the GUI thread)."""
    events = workspace.__dict__.get("_data_events")
    if events is None:
        events = DataEvents(workspace)
        workspace.__dict__["_data_events"] = events
    return events
