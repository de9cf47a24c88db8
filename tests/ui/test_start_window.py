"""The main window as it starts on a big folder: the first screen at once, other pages built when opened,
the unit tree read once and followed from one notice, nothing saved until the start-up check has passed,
the restore offer when it fails, and the heavy reads off the GUI thread."""

from __future__ import annotations

import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))

from core_factories import make_directive, make_office, make_task, make_unit  # noqa: E402
from ntm_desktop.models import Unit  # noqa: E402
from ntm_desktop.services import units as unit_service  # noqa: E402
from ntm_desktop.ui.main_window import MainWindow  # noqa: E402
from typing_helpers import focus, type_text  # noqa: E402


@pytest.fixture
def office_ws(workspace):
    with workspace.db.transaction("test") as s:
        office = make_office(s)
        make_unit(s, "Ủy ban nhân dân xã Minh Hương", parent_id=office)
        make_unit(s, "Ủy ban nhân dân xã Yên Thuận", parent_id=office)
    return workspace


def click_page(qtbot, window: MainWindow, title: str):
    """Click the page's line in the navigation list, as the officer does."""
    row = next(r for r in range(window.nav.count()) if window.nav.item(r).text() == title)
    rect = window.nav.visualItemRect(window.nav.item(row))
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return window.stack.currentWidget()


def button(widget, text: str) -> QPushButton:
    return next(b for b in widget.findChildren(QPushButton) if b.text() == text)


def count_unit_reads(monkeypatch) -> list:
    reads = []
    original = unit_service.all_units
    monkeypatch.setattr(unit_service, "all_units",
                        lambda session, *a, **k: reads.append(threading.current_thread()) or original(session, *a, **k))
    return reads


def add_unit(qtbot, units_page, code: str, name: str) -> None:
    qtbot.mouseClick(button(units_page, "Thêm đơn vị"), Qt.MouseButton.LeftButton)
    focus(units_page.editor.code)
    type_text(code)
    focus(units_page.editor.name)
    type_text(name)
    qtbot.mouseClick(button(units_page, "Lưu đơn vị"), Qt.MouseButton.LeftButton)


def test_pages_are_built_when_first_opened(qtbot, office_ws):
    window = MainWindow(office_ws)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert [key for key in window.page_keys() if window.is_built(key)] == ["overview"]
    assert window.stack.currentWidget() is window.pages.built()["overview"]
    shown = click_page(qtbot, window, "Nhiệm vụ")
    assert window.is_built("tasks") and shown is window.tasks and shown.isVisible()
    assert not window.is_built("units") and not window.is_built("register")
    click_page(qtbot, window, "Tổng quan")
    assert click_page(qtbot, window, "Nhiệm vụ") is window.tasks  # built once, not again


def test_the_unit_tree_is_read_once_for_every_page(qtbot, office_ws, monkeypatch):
    reads = count_unit_reads(monkeypatch)
    window = MainWindow(office_ws)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    for title in ("Nhiệm vụ", "Đơn vị", "Báo cáo, in sổ", "Trao đổi dữ liệu", "Sổ văn bản đến", "Tiêu chí NTM",
                  "Tổng quan"):
        click_page(qtbot, window, title)
    sync = window.pages["sync"]
    for tab in (sync.send, sync.excel, sync.history, sync.inbox):
        sync.tabs.setCurrentWidget(tab)
    assert len(reads) == 1
    names = {window.tasks.unit.itemText(i) for i in range(window.tasks.unit.count())}
    assert "Ủy ban nhân dân xã Minh Hương" in names


def test_a_unit_saved_reaches_every_page_from_one_notice(qtbot, office_ws, monkeypatch, messages):
    from ntm_desktop.ui.reports_page import ReportsPage
    from ntm_desktop.ui.tasks.page import TaskListPage
    from ntm_desktop.ui.units.page import UnitsPage

    told = []
    for cls in (TaskListPage, UnitsPage, ReportsPage):
        original = cls._shared_changed
        monkeypatch.setattr(cls, "_shared_changed",
                            lambda self, kinds, original=original, cls=cls: (told.append((cls.__name__, kinds)),
                                                                              original(self, kinds)))
    window = MainWindow(office_ws)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    for title in ("Nhiệm vụ", "Báo cáo, in sổ", "Đơn vị"):
        click_page(qtbot, window, title)
    reads = count_unit_reads(monkeypatch)
    add_unit(qtbot, window.units, "XA-MOI", "Ủy ban nhân dân xã Thái Bình")
    qtbot.waitUntil(lambda: len(told) >= 3)
    QApplication.processEvents()
    assert not messages, messages
    assert sorted(name for name, _kinds in told) == ["ReportsPage", "TaskListPage", "UnitsPage"]
    assert all("units" in kinds for _name, kinds in told)
    assert len(reads) == 1  # read again once, for all of them
    for combo in (window.tasks.unit, window.pages["reports"].unit):
        assert "Ủy ban nhân dân xã Thái Bình" in {combo.itemText(i) for i in range(combo.count())}
    tree = window.units.tree
    assert tree.findItems("Ủy ban nhân dân xã Thái Bình", Qt.MatchFlag.MatchRecursive)


class HeldCheck:
    """The start-up check, held until the test lets it finish (as on a big file it takes a while)."""

    def __init__(self, error=None):
        self.release = threading.Event()
        self.threads: list[threading.Thread] = []
        self.error = error

    def __call__(self, _folder):
        self.threads.append(threading.current_thread())
        assert self.release.wait(30)
        if self.error is not None:
            raise self.error


@pytest.fixture
def opening(qtbot, office_ws, monkeypatch):
    """The window painted first, the data folder opened after it as the app's start does."""
    from ntm_desktop.safety import startup
    from ntm_desktop.safety.startup import lock_data_folder
    from ntm_desktop.ui.opening import Opening

    folder = office_ws.folder
    office_ws.close()  # the start opens the folder itself
    check = HeldCheck()
    monkeypatch.setattr(startup, "check_database", check)
    report = lock_data_folder(folder)
    window = MainWindow(office_name="Văn phòng Điều phối")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    start = Opening(window, folder, report)
    start.check = check
    start.begin()
    yield start
    check.release.set()
    start.wait()
    if start.workspace is not None:
        start.workspace.close()
    report.lock.release()


def test_nothing_is_saved_until_the_start_check_has_passed(qtbot, opening, messages):
    window = opening.window
    qtbot.waitUntil(lambda: window.workspace is not None)
    ws = window.workspace
    assert opening.check.threads and opening.check.threads[0] is not threading.main_thread()
    units_page = click_page(qtbot, window, "Đơn vị")
    add_unit(qtbot, units_page, "XA-MOI", "Ủy ban nhân dân xã Thái Bình")
    assert messages and "đang kiểm tra dữ liệu, thử lại sau giây lát" in messages[-1]
    with ws.db.transaction() as s:
        assert s.scalar(select(Unit).where(Unit.code == "XA-MOI")) is None
    opening.check.release.set()
    qtbot.waitUntil(lambda: not ws.db.watch.writes_held)
    messages.clear()
    qtbot.mouseClick(button(units_page, "Lưu đơn vị"), Qt.MouseButton.LeftButton)
    assert not messages, messages
    with ws.db.transaction() as s:
        assert s.scalar(select(Unit.name).where(Unit.code == "XA-MOI")) == "Ủy ban nhân dân xã Thái Bình"


def test_each_start_brings_the_query_planners_statistics_up_to_date(qtbot, opening):
    """Last of the start's work, after the check and the day's backup: the lists' plans fit the office's data."""
    import sqlite3

    qtbot.waitUntil(lambda: opening.window.workspace is not None)
    path = opening.window.workspace.db.path
    opening.check.release.set()
    opening.wait()
    con = sqlite3.connect(path)
    try:
        tables = {row[0] for row in con.execute("SELECT tbl FROM sqlite_stat1")}
    finally:
        con.close()
    assert "units" in tables  # (a table with no rows yet has none)


def test_a_failed_start_check_offers_the_newest_good_backup(qtbot, opening, messages, monkeypatch):
    from ntm_desktop.safety.errors import CorruptDatabaseError
    from ntm_desktop.ui.opening import RESTORE_EXIT

    exits = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: exits.append(code)))
    newest = opening.folder.backups / "ntm-2026-12-01_080000-hang-ngay.ntmbak"
    opening.check.error = CorruptDatabaseError(
        "Kiểm tra nhanh cho thấy cơ sở dữ liệu bị hỏng (có thể do mất điện hoặc ổ đĩa lỗi). Hãy khôi phục bản sao "
        f"lưu tốt gần nhất ({newest.name}).", ["*** in database main *** Page 7: btreeInitPage() returns error"],
        newest)
    qtbot.waitUntil(lambda: opening.window.workspace is not None)
    opening.check.release.set()
    qtbot.waitUntil(lambda: bool(exits))
    assert messages and f"Khôi phục bản sao lưu {newest.name} ngay bây giờ?" in messages[-1]
    assert "cơ sở dữ liệu bị hỏng" in messages[-1]
    assert exits == [RESTORE_EXIT] and opening.restore_from == newest
    assert opening.window.workspace.db.watch.writes_held  # still nothing may be saved on the damaged file


def test_heavy_reads_run_off_the_gui_thread(qtbot, office_ws, monkeypatch):
    from ntm_desktop.services import overview, tasklist
    from ntm_desktop.services.criteria import matrix
    from ntm_desktop.sync import inbox
    from ntm_desktop.ui import background, paged_model

    monkeypatch.setattr(background, "INLINE", False)
    threads: dict[str, list] = {}

    def spy(module, name):
        original = getattr(module, name)

        def wrapper(*a, **k):
            threads.setdefault(name, []).append(threading.current_thread())
            return original(*a, **k)

        monkeypatch.setattr(module, name, wrapper)

    for module, name in ((overview, "overview"), (tasklist, "count"), (matrix, "build_matrix"), (inbox, "board")):
        spy(module, name)
    monkeypatch.setattr(paged_model, "PAGE_SIZE", 2)  # more tasks than one page: they are counted
    with office_ws.db.transaction("test") as s:
        directive = make_directive(s, office_ws.office_unit_id(), date(2025, 3, 1), 1)
        for n in range(3):
            make_task(s, directive, office_ws.office_unit_id(), summary=f"Rà soát tiêu chí số {n + 1}")
    window = MainWindow(office_ws)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "overview" in threads and not window.overview.loading)
    tasks = click_page(qtbot, window, "Nhiệm vụ")
    qtbot.waitUntil(lambda: tasks.model.total is not None)
    criteria = click_page(qtbot, window, "Tiêu chí NTM")
    qtbot.waitUntil(lambda: "build_matrix" in threads and not criteria.loading)
    sync = click_page(qtbot, window, "Trao đổi dữ liệu")
    sync.tabs.setCurrentWidget(sync.inbox)
    qtbot.waitUntil(lambda: "board" in threads and not sync.loading)
    assert set(threads) == {"overview", "count", "build_matrix", "board"}
    assert all(t is not threading.main_thread() for seen in threads.values() for t in seen), threads


RESTORE_DRIVER = """
import sys
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox
from ntm_desktop.safety import startup
from ntm_desktop.safety.errors import CorruptDatabaseError
from ntm_desktop.ui.app import make_application, run

backup = sys.argv[2]
checks = []
original = startup.check_database


def check(folder):  # the first check finds the file damaged; the one after the restore passes
    checks.append(folder)
    if len(checks) == 1:
        from pathlib import Path
        raise CorruptDatabaseError("Kiểm tra nhanh cho thấy cơ sở dữ liệu bị hỏng (có thể do mất điện hoặc ổ đĩa "
                                   "lỗi).", ["Page 7: btreeInitPage() returns error code 11"], Path(backup))
    return original(folder)


startup.check_database = check
app = make_application()
seen = []


def look():
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for box in [w for w in visible if isinstance(w, QMessageBox)]:
        if id(box) not in seen:
            seen.append(id(box))
            print("BOX:", box.text().replace(chr(10), " "), flush=True)
            QTest.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    for window in [w for w in visible if isinstance(w, QMainWindow)]:
        ws = getattr(window, "workspace", None)
        if seen and ws is not None and not ws.db.watch.writes_held:
            print("WINDOW:", "|".join(sorted(u.name for u in ws.units())), flush=True)
            window.close()
            return
    QTimer.singleShot(100, look)


QTimer.singleShot(100, look)
print("EXIT:", run(data_dir=sys.argv[1]), flush=True)
"""


def test_restoring_from_the_offer_opens_the_window_on_the_backup(tmp_path):
    import subprocess

    from ntm_desktop.backup import BackupKind, create_backup
    from ntm_desktop.workspace import open_workspace

    ws = open_workspace(tmp_path / "data")
    with ws.db.transaction("test") as s:
        office = make_office(s)
        make_unit(s, "Ủy ban nhân dân xã Trước Sao Lưu", parent_id=office)
    backup = create_backup(ws.folder, BackupKind.MANUAL).info.path
    with ws.db.transaction("test") as s:
        make_unit(s, "Ủy ban nhân dân xã Sau Sao Lưu", parent_id=office)
    ws.close()
    done = subprocess.run([sys.executable, "-c", RESTORE_DRIVER, str(tmp_path / "data"), str(backup)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    lines = done.stdout.splitlines()
    boxes = [line for line in lines if line.startswith("BOX:")]
    assert boxes and f"Khôi phục bản sao lưu {backup.name} ngay bây giờ?" in boxes[0], (done.stdout, done.stderr)
    [window] = [line for line in lines if line.startswith("WINDOW:")]
    assert "Ủy ban nhân dân xã Trước Sao Lưu" in window and "Sau Sao Lưu" not in window
    assert "EXIT: 0" in lines and "Traceback" not in done.stderr, done.stderr
