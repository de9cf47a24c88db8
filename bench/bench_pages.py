"""Each page of the main window opened as the officer opens it, on the national-scale folder (bench_start.py).

Usage: .venv/bin/python bench/bench_pages.py DATA_DIR

Opens the main window (offscreen), then clicks each page in the navigation list and times it until the
page has painted with its rows (a page that reads off the GUI thread: until the rows arrived); then each
filter of the task list (until its rows show; the count in the corner follows from a worker thread and
is timed once, for the overdue list), the overdue list's next rows, the criteria matrix of one year, and
the sync page's history and inbox tabs. Target: 0.3 s each.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET = 0.3
CRITERIA_YEAR = 2025


def log(message: str) -> None:
    print(message, flush=True)


def main(data_dir: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from ntm_desktop.ui.app import make_application
    from ntm_desktop.workspace import open_workspace

    app = make_application()
    workspace = open_workspace(data_dir)
    workspace.db.refresh_statistics()  # as each start of the window does, after its check and backup
    missed = []

    def settle(until=None) -> None:
        deadline = time.perf_counter() + 60
        while True:
            for _ in range(3):  # asked after each pass: the moment the rows show, not two passes later
                app.processEvents()
                if until is not None and until():
                    return
            if until is None or time.perf_counter() > deadline:
                return
            time.sleep(0.002)

    def idle() -> bool:
        """No page still reading off the GUI thread (so that one timing does not pay for the last one's work)."""
        from ntm_desktop.ui.background import Loader

        window = holder.get("w")
        return window is None or not any(loader.busy for loader in window.findChildren(Loader))

    def timed(label: str, action, until=None, target: float | None = TARGET) -> float:
        settle(idle)
        started = time.perf_counter()
        action()
        settle(until)
        elapsed = time.perf_counter() - started
        verdict = "" if target is None else ("  ok" if elapsed <= target else f"  MISSED (target {target:.1f} s)")
        if target is not None and elapsed > target:
            missed.append(label)
        log(f"{label:<58} {elapsed * 1000:8.1f} ms{verdict}")
        return elapsed

    from ntm_desktop.ui.main_window import MainWindow

    holder = {}

    def build_window():
        holder["w"] = MainWindow(workspace)
        holder["w"].show()

    timed("main window built and shown (overview)", build_window, target=None)
    window = holder["w"]
    keys = window.page_keys() if hasattr(window, "page_keys") else list(window.pages)
    page = {}

    def open_page(key: str):
        return lambda: page.__setitem__(key, window.show_page(key))

    def loaded(key: str):
        return lambda: not getattr(page.get(key), "loading", False)

    for key in ("register", "tasks", "units", "criteria", "reports", "sync", "overview"):
        if key in keys:
            timed(f"open page: {key}", open_page(key), loaded(key))
    tasks = window.show_page("tasks")
    settle(loaded("tasks"))
    counted = lambda: not tasks.model.counting  # noqa: E731
    for combo, name in ((tasks.deadline_window, "thời hạn"), (tasks.status, "trạng thái"),
                        (tasks.scope, "phạm vi")):
        for index in list(range(1, combo.count())) + [0]:
            timed(f"tasks, {name}: {combo.itemText(index)}", lambda c=combo, i=index: c.setCurrentIndex(i),
                  loaded("tasks"))
            settle(counted)  # the count (off the GUI thread) is not timed: the rows show first
    timed("tasks, overdue: rows and their count", lambda: tasks.deadline_window.setCurrentIndex(
        tasks.deadline_window.findData("overdue")), lambda: not tasks.model.counting)
    log(f"    {tasks.model.total} overdue tasks")
    for n in range(3):
        timed(f"tasks, overdue: next rows (scroll), #{n + 1}", lambda: tasks.model.fetchMore())
    if "criteria" in keys:
        criteria = window.show_page("criteria")
        settle(loaded("criteria"))
        timed(f"criteria matrix, year {CRITERIA_YEAR}",
              lambda: criteria.year.setCurrentIndex(criteria.year.findData(CRITERIA_YEAR)), loaded("criteria"))
        log(f"    {criteria.model.rowCount()} rows × {criteria.model.columnCount()} columns")
    if "sync" in keys:
        sync = window.show_page("sync")
        settle(loaded("sync"))
        for tab in (sync.history, sync.inbox, sync.send):
            timed(f"sync tab: {sync.tabs.tabText(sync.tabs.indexOf(tab))}",
                  lambda t=tab: sync.tabs.setCurrentWidget(t), loaded("sync"))
    timed("back to the overview", open_page("overview"), loaded("overview"))
    log(f"pages over {TARGET:.1f} s: {len(missed)}" + (f" ({', '.join(missed)})" if missed else ""))
    window.close()
    workspace.close()
    del app, QApplication
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
