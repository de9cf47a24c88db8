"""The paged Qt models, the register page's folded search, the main window and its screenshot."""

from __future__ import annotations

import subprocess
import sys

from ntm_desktop.services.register import RegisterFilter
from ntm_desktop.services.status import TaskStatus
from ntm_desktop.services.tasklist import DueWindow, TaskFilter
from ntm_desktop.ui.register.model import RegisterModel
from ntm_desktop.ui.tasks.model import TaskModel


def test_register_model_passes_model_tester(qtmodeltester, demo_workspace):
    model = RegisterModel(demo_workspace.db, RegisterFilter(office_unit_id=demo_workspace.office_unit_id()))
    assert model.rowCount() == 9
    qtmodeltester.check(model)


def test_task_model_passes_model_tester_and_marks_overdue(qtmodeltester, demo_workspace):
    model = TaskModel(demo_workspace.db, TaskFilter(office_unit_id=demo_workspace.office_unit_id(),
                                                    window=DueWindow.OVERDUE))
    qtmodeltester.check(model)
    assert model.rowCount() >= 1
    assert all(model.row_at(r).status == TaskStatus.IN_PROGRESS_OVERDUE for r in range(model.rowCount()))
    assert model.data(model.index(0, 5)) == "Đang thực hiện quá hạn"
    assert model.data(model.index(0, 5), 9) is not None  # ForegroundRole: overdue rows stand out


def test_register_page_search_ignores_diacritics(qtbot, demo_workspace):
    from ntm_desktop.ui.register.page import RegisterPage

    page = RegisterPage(demo_workspace)
    qtbot.addWidget(page)
    page.search.setText("khoang san")  # "khoáng sản" in two demo directives
    page.apply_filter()
    found = [page.model.row_at(r).id for r in range(page.model.rowCount())]
    with demo_workspace.db.transaction() as s:
        from ntm_desktop.models import Directive
        texts = [(s.get(Directive, i).subject + s.get(Directive, i).full_text).lower() for i in found]
    assert found and all("khoáng sản" in t for t in texts)
    page.search.setText("nong thon moi")
    page.apply_filter()
    assert page.model.total >= 3


def test_main_window_overview_click_filters_tasks(qtbot, demo_workspace):
    from ntm_desktop.ui.main_window import MainWindow

    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    window.overview.cards[DueWindow.OVERDUE].click()
    assert window.stack.currentWidget() is window.tasks
    shown = int(window.overview.cards[DueWindow.OVERDUE].text().split("\n")[0])
    assert shown >= 1
    assert window.tasks.model.total == shown


def test_screenshot_command_writes_png(demo_workspace, tmp_path):
    root = str(demo_workspace.folder.root)
    demo_workspace.close()
    out = tmp_path / "register.png"
    result = subprocess.run(
        [sys.executable, "-m", "ntm_desktop", "screenshot", "--data-dir", root, "--page", "register", "--out", str(out)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
