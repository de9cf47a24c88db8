"""The criteria page on demo data: the matrix model, the assessment grid, the screenshot."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from ntm_desktop.services.criteria.assessments import load_grid
from ntm_desktop.services.criteria.matrix import build_matrix
from ntm_desktop.services.criteria.statuses import CHUA_DAT, DAT
from ntm_desktop.services.demo_criteria import demo_years
from ntm_desktop.ui.criteria import CriteriaPage
from ntm_desktop.ui.criteria.assessment_dialog import NOTE, STATUS, AssessmentDialog
from ntm_desktop.ui.criteria.matrix_model import MatrixModel, STATUS_ROLE


@pytest.fixture
def criteria_workspace(demo_workspace):
    """The demo already holds the communes' criteria results (build_demo loads them)."""
    return demo_workspace


def _matrix(ws, year=None):
    with ws.db.transaction() as session:
        return build_matrix(session, year or demo_years(date.today())[1])


def test_matrix_model_passes_the_model_tester(qtmodeltester, criteria_workspace):
    model = MatrixModel()
    model.set_matrix(_matrix(criteria_workspace))
    qtmodeltester.check(model)
    model.set_transposed(True)
    qtmodeltester.check(model)


def test_matrix_model_shows_counts_and_statuses(criteria_workspace):
    data = _matrix(criteria_workspace)
    model = MatrixModel()
    model.set_matrix(data)
    n = len(data.criteria)
    assert (model.rowCount(), model.columnCount()) == (len(data.communes) + 1, n + 6)
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    row = names.index("Xã Phong Hải")
    assert model.index(row, n + 1).data() == "12/19"
    assert model.index(row, n + 3).data() == "NTM"
    assert model.index(row, 10).data(STATUS_ROLE) != DAT  # Thu nhập not met
    assert model.index(row, 10).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.headerData(10, Qt.Orientation.Horizontal) == "TC 10"
    last = model.rowCount() - 1
    assert model.index(last, 1).data() == str(data.met_per_criterion[0])
    model.set_transposed(True)
    assert (model.rowCount(), model.columnCount()) == (n + 6, len(data.communes) + 1)
    assert model.index(n + 1, row).data() == "12/19"
    assert model.headerData(row, Qt.Orientation.Horizontal) == "Xã Phong Hải"


def test_assessment_grid_saves_what_is_entered(qtbot, criteria_workspace):
    year = demo_years(date.today())[1]
    line = next(c for c in _matrix(criteria_workspace).communes if c.name == "Xã Gia Phú")
    dialog = AssessmentDialog(criteria_workspace, line.unit_id, year, "13")
    qtbot.addWidget(dialog)
    r = next(i for i, row in enumerate(dialog.grid.rows) if row.code == "13")
    assert dialog.table.currentRow() == r  # opened on the clicked criterion
    assert dialog.status_combo(r).currentData() != DAT
    combo = dialog.status_combo(r)
    combo.setCurrentIndex(combo.findData(DAT))
    dialog.table.item(r, NOTE).setText("Đã có hợp tác xã chè hoạt động hiệu quả")
    first = dialog.status_combo(0)
    first.setCurrentIndex(first.findData(CHUA_DAT))
    assert len(dialog.cells()) == 2
    assert dialog.save()
    with criteria_workspace.db.transaction() as session:
        rows = {row.code: row for row in load_grid(session, line.unit_id, year).rows}
    assert rows["13"].status == DAT and rows["13"].note == "Đã có hợp tác xã chè hoạt động hiệu quả"
    assert rows["1"].status == CHUA_DAT
    assert dialog.cells() == []  # reloaded from the database
    assert next(c for c in _matrix(criteria_workspace).communes if c.name == "Xã Gia Phú").result == "18/19"


def test_page_screenshot(qtbot, criteria_workspace, tmp_path):
    page = CriteriaPage(criteria_workspace)
    qtbot.addWidget(page)
    page.resize(1500, 800)
    page.show()
    assert page.current_year() == date.today().year  # the page opens on this year
    page.year.setCurrentIndex(page.year.findData(demo_years(date.today())[1]))
    assert page.model.rowCount() == 9
    texts = [page.warnings.item(i).text() for i in range(page.warnings.count())]
    assert texts[0].startswith("[Nguy cơ thu hồi] Xã Phong Hải")
    path = tmp_path / "criteria.png"
    assert page.grab().save(str(path))
    assert path.stat().st_size > 10_000
