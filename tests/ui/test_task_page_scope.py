"""The task page at a commune: the filter "Của đơn vị mình / Do mình giao / Tất cả" chosen with the keyboard,
the task's whole wording shown, and a click on the overview showing the set the overview counted."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))

from ntm_desktop.services import settings  # noqa: E402
from ntm_desktop.services.deadlines import DeadlineKind  # noqa: E402
from ntm_desktop.services.task_scope import TaskScope  # noqa: E402
from ntm_desktop.services.tasklist import DueWindow  # noqa: E402
from ntm_desktop.ui.tasks.page import TaskListPage  # noqa: E402

from core_factories import make_directive, make_task, make_unit  # noqa: E402
from typing_helpers import focus, press  # noqa: E402

TODAY = date.today()
D = timedelta(days=1)
LONG = ("Rà soát, tổng hợp, cân đối, lồng ghép nguồn lực để bố trí vốn còn thiếu theo kế hoạch cho các xã đã đạt "
        "chuẩn năm 2022 và các xã theo kế hoạch đạt chuẩn trong năm 2023, bảo đảm chặt chẽ, đúng quy định")


@pytest.fixture
def commune_ws(workspace):
    """This office is a commune: the province gave it a task to lead and one to cooperate on (and one to
    the commune next door); the commune registered a directive of its own with a task for a company."""
    with workspace.db.transaction("test") as s:
        province = make_unit(s, "Ủy ban nhân dân tỉnh Lào Cai", level="tinh")
        commune = make_unit(s, "Ủy ban nhân dân xã Yên Bình", parent_id=province)
        other = make_unit(s, "Ủy ban nhân dân xã Văn Phú", parent_id=province)
        department = make_unit(s, "Sở Tài chính", level="so", parent_id=province)
        company = make_unit(s, "Công ty Điện lực Lào Cai", level="khac")
        due = dict(deadline_kind=DeadlineKind.DATE, deadline_date=TODAY - 3 * D)
        plan = make_directive(s, province, TODAY - 30 * D, subject="Kế hoạch của tỉnh")  # as a package brings it
        make_task(s, plan, commune, summary=LONG, **due)
        make_task(s, plan, department, summary="Xã phối hợp", cooperating_unit_ids=(commune,))
        make_task(s, plan, other, summary="Việc của xã bên cạnh", **due)
        settings.put(s, settings.OFFICE_UNIT, commune)
        own = make_directive(s, commune, TODAY - 10 * D, subject="Kế hoạch của xã")
        make_task(s, own, company, summary="Việc xã giao cho công ty")
    return workspace


def _shown(page: TaskListPage) -> set[str]:
    return {page.model.row_at(r).summary for r in range(page.model.rowCount())}


def test_scope_filter_chosen_with_keys_changes_the_rows(qtbot, commune_ws):
    page = TaskListPage(commune_ws)
    qtbot.addWidget(page)
    page.resize(1280, 700)
    page.show()
    everything = {LONG, "Xã phối hợp", "Việc xã giao cho công ty"}
    assert page.scope.currentText() == "Tất cả"
    assert _shown(page) == everything
    assert page.count_label.text() == "3 nhiệm vụ"
    focus(page.scope)
    press(Qt.Key.Key_Down)
    assert page.scope.currentText() == "Của đơn vị mình"
    assert _shown(page) == {LONG, "Xã phối hợp"}
    assert page.count_label.text() == "2 nhiệm vụ"
    press(Qt.Key.Key_Down)
    assert page.scope.currentText() == "Do mình giao"
    assert _shown(page) == {"Việc xã giao cho công ty"}
    press(Qt.Key.Key_Home)
    assert page.scope.currentText() == "Tất cả"
    assert _shown(page) == everything


def test_task_wording_is_shown_whole_and_wraps(qtbot, commune_ws):
    page = TaskListPage(commune_ws)
    qtbot.addWidget(page)
    page.resize(1280, 700)
    page.show()
    qtbot.waitExposed(page)
    row = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).summary == LONG)
    index = page.model.index(row, 1)
    assert page.model.data(index) == LONG
    assert page.model.data(index, Qt.ItemDataRole.ToolTipRole) == LONG
    line = page.view.fontMetrics().height()
    assert page.view.columnWidth(1) >= 300
    wide = page.view.rowHeight(row)
    assert wide >= 2 * line  # wrapped over several lines, not cut to one
    page.resize(950, 700)  # a narrower window: the text wraps on more lines once the resize settles
    qtbot.waitUntil(lambda: page.view.rowHeight(row) > wide, timeout=2000)


def test_overview_click_shows_every_task_it_counted(qtbot, commune_ws):
    from ntm_desktop.ui.main_window import MainWindow

    window = MainWindow(commune_ws)
    qtbot.addWidget(window)
    overdue = window.overview.cards[DueWindow.OVERDUE]
    assert overdue.text().split("\n")[0] == "1"  # the task the province gave the commune to lead
    window.tasks.scope.setCurrentIndex(window.tasks.scope.findData(TaskScope.ASSIGNED.value))
    overdue.click()
    assert window.stack.currentWidget() is window.tasks
    assert window.tasks.scope.currentText() == "Tất cả"
    assert _shown(window.tasks) == {LONG}
