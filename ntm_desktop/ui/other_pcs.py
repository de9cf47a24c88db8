"""What other PCs save appears here without restarting.

A timer on the GUI thread asks the database's watcher (ntm_desktop.remote_changes) about once a second; the
question never waits (SQLite: one PRAGMA; PostgreSQL: the notices already received). What others committed is
told to the database's own change listeners, so the window's data event (ui.data_events) marks the pages not on
screen for reading again, the shared unit tree reloads, and the page on screen (overview, register, tasks) reads
its rows again at once, keeping the selected row and the scroll position.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from ntm_desktop.remote_changes import watch_other_connections

log = logging.getLogger(__name__)

POLL_MS = 1000
# The tables each page shows: a change to one of them elsewhere refreshes the page on screen.
PAGE_TABLES = {
    "overview": frozenset({"tasks", "directives", "progress_updates", "units"}),
    "register": frozenset({"directives", "attachments", "tasks", "progress_updates"}),
    "tasks": frozenset({"tasks", "task_cooperators", "directives", "progress_updates", "units"}),
}


class OtherPcs(QObject):
    """Polls the workspace's database for other connections' commits; `changed(tables)` when there were some."""

    changed = Signal(object)  # frozenset of table names

    def __init__(self, workspace, parent: QObject | None = None, interval_ms: int = POLL_MS):
        super().__init__(parent)
        self._watcher = watch_other_connections(workspace.db)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()

    def poll(self) -> frozenset[str]:
        try:
            tables = self._watcher.poll()
        except Exception:  # noqa: BLE001 - a failed look must not stop the window; the next one tries again
            log.exception("looking for other PCs' changes failed")
            return frozenset()
        if tables:
            self.changed.emit(tables)
        return tables

    def stop(self) -> None:
        self._timer.stop()
        self._watcher.close()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Close:  # the window closes: the database is let go right after
            self.stop()
        return False


def refresh_keeping_place(page) -> None:
    """Read the page's rows again; the row selected stays selected (by its record) and the list where it was."""
    view, model = getattr(page, "view", None), getattr(page, "model", None)
    if view is None or not hasattr(model, "row_at"):
        page.refresh()
        return
    rows = view.selectionModel().selectedRows()
    selected = getattr(model.row_at(rows[0].row()), "id", None) if rows else None
    scroll = view.verticalScrollBar().value()
    page.refresh()
    if selected is not None:
        for row in range(model.rowCount()):
            if getattr(model.row_at(row), "id", None) == selected:
                view.selectRow(row)
                break
    view.verticalScrollBar().setValue(scroll)


def follow_other_pcs(window) -> OtherPcs:
    """Watch for the window's workspace until the window closes; the page on screen refreshes when another PC
    changes what it shows."""
    watch = OtherPcs(window.workspace, parent=window)
    window.installEventFilter(watch)

    def changed(tables: frozenset[str]) -> None:
        key = window.current_key()
        if key in PAGE_TABLES and window.is_built(key) and tables & PAGE_TABLES[key]:
            refresh_keeping_place(window.page(key))

    watch.changed.connect(changed)
    return watch
