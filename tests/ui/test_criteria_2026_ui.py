"""The criteria page in December 2026: it opens on 2026, names the 2026-2030 set, shows 10 criteria and
its bands; the communes of 2025 are moved into 2026 with the guided dialog, driven by keys."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

import ntm_desktop.ui.criteria.page as page_module
from ntm_desktop.services import units
from ntm_desktop.services.criteria import catalogue, profiles
from ntm_desktop.services.criteria.assessments import CellInput, load_grid, save_grid
from ntm_desktop.services.criteria.periods import UNCONFIRMED
from ntm_desktop.services.criteria.statuses import CHUA_DAT, DAT
from ntm_desktop.ui.criteria import CriteriaPage
from ntm_desktop.ui.criteria.assessment_dialog import NAME, AssessmentDialog
from ntm_desktop.ui.criteria.transition_dialog import TransitionDialog

from modal import while_modal
from typing_helpers import focus, press

COMMUNES = {"Xã Cốc San": 19, "Xã Tả Phìn": 6}


class December2026(date):
    @classmethod
    def today(cls):
        return date(2026, 12, 2)


@pytest.fixture
def communes_2025(workspace, monkeypatch):
    monkeypatch.setattr(page_module, "date", December2026)
    with workspace.db.transaction("t") as s:
        catalogue.install_shipped_sets(s)
        province = units.create_unit(s, code="T-LC", name="Ủy ban nhân dân tỉnh Lào Cai", level_code="tinh")
        for n, (name, met) in enumerate(COMMUNES.items()):
            commune = units.create_unit(s, code=f"T-X{n}", name=name, level_code="xa", parent_id=province)
            profiles.save_profile(s, commune, 2025, target_key="Trung du và miền núi phía Bắc", planned_year=2027)
            grid = load_grid(s, commune, 2025)
            save_grid(s, commune, 2025, [CellInput("criterion", r.target_id, DAT if i < met else CHUA_DAT)
                                         for i, r in enumerate(grid.rows)], province, date(2025, 11, 20))
    return workspace


def _headers(page) -> list[str]:
    model = page.model
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def _choose_group(dialog, steps: int) -> None:
    focus(dialog.group)
    for _ in range(steps):
        press(Qt.Key.Key_Down)


def test_the_page_opens_on_2026_names_the_set_and_moves_the_communes(qtbot, communes_2025, messages, tmp_path):
    page = CriteriaPage(communes_2025)
    qtbot.addWidget(page)
    page.resize(1500, 800)
    page.show()
    assert page.current_year() == 2026
    assert page.grab().save(str(tmp_path / "criteria-2026-empty.png"))
    heading = page.heading.text()
    assert "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026 - 2030" in heading
    assert "Quyết định số 51/2025/QĐ-TTg" in heading and "10 tiêu chí" in heading
    assert [h for h in _headers(page) if h.startswith("TC ")] == [f"TC {n}" for n in range(1, 11)]
    assert page.summary.text().startswith("0 xã. 10 tiêu chí: 0 xã; 7-9 tiêu chí: 0 xã; 5-6 tiêu chí: 0 xã")
    assert page.move_button.isVisible() and page.move_button.text() == "Chuyển 2 xã sang bộ tiêu chí mới…"
    notes = [page.warnings.item(i).text() for i in range(page.warnings.count())]
    assert any("47 chỉ tiêu" in n and UNCONFIRMED in n for n in notes)
    assert any(n.startswith("[Lưu ý] Quy định thu hồi") for n in notes)

    def move_both(dialog: TransitionDialog) -> None:
        assert dialog.commune.currentText() == "Xã Cốc San"
        assert "2021 - 2025" in dialog.sets_line.text() and "2026 - 2030" in dialog.sets_line.text()
        assert dialog.table.rowCount() == 10 and dialog.table.item(6, 1).text().startswith("8. Thông tin và")
        assert dialog.table.item(0, 2).text() == "chưa xác nhận"
        focus(dialog.group)
        press(Qt.Key.Key_Return)  # no group yet: refused, nothing moved
        assert dialog.commune.count() == 2
        _choose_group(dialog, 1)
        assert dialog.group.currentText() == "Nhóm 1"
        assert dialog.grab().save(str(tmp_path / "transition.png"))
        press(Qt.Key.Key_Return)
        assert dialog.outcome.text().startswith("Đã chuyển Xã Cốc San sang năm 2026 (Nhóm 1)")
        assert dialog.commune.currentText() == "Xã Tả Phìn"
        _choose_group(dialog, 3)
        press(Qt.Key.Key_Return)
        assert dialog.commune.count() == 0 and not dialog.move_button.isEnabled()
        press(Qt.Key.Key_Escape)

    while_modal(page.move_button.click, move_both)
    assert len(messages) == 1 and messages[0].startswith("Hãy chọn nhóm xã của Xã Cốc San")
    with communes_2025.db.transaction() as s:
        groups = {u.name: profiles.get_profile(s, u.id, 2026).target_key
                  for u in units.all_units(s) if u.name in COMMUNES}
    assert groups == {"Xã Cốc San": "Nhóm 1", "Xã Tả Phìn": "Nhóm 3"}

    assert page.model.rowCount() == 3 and not page.move_button.isVisible()
    headers = _headers(page)
    assert headers[-1] == "Nhóm xã" and len(headers) == 1 + 10 + 5
    assert page.model.index(0, len(headers) - 1).data() == "Nhóm 1"
    assert page.model.index(0, 11).data() == "0/10"
    assert page.grab().save(str(tmp_path / "criteria-2026.png"))

    page.year.setCurrentIndex(page.year.findData(2025))
    assert "giai đoạn 2021 - 2025" in page.heading.text()
    assert [h for h in _headers(page) if h.startswith("TC ")] == [f"TC {n}" for n in range(1, 20)]
    assert page.summary.text().startswith("2 xã. 19 tiêu chí: 1 xã; 15-18 tiêu chí: 0 xã")
    assert page.grab().save(str(tmp_path / "criteria-2025.png"))


def test_the_2026_assessment_says_what_the_set_does_not_hold_yet(qtbot, communes_2025):
    with communes_2025.db.transaction() as s:
        commune = next(u.id for u in units.all_units(s) if u.name == "Xã Tả Phìn")
    dialog = AssessmentDialog(communes_2025, commune, 2026)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 10
    assert dialog.table.item(6, NAME).text() == "Khoa học công nghệ và chuyển đổi số"
    assert "47 chỉ tiêu" in dialog.title.text() and UNCONFIRMED in dialog.title.text()
    assert dialog.status_combo(6).isEnabled()  # no indicators yet: the criterion's status is chosen directly


def test_an_unconfirmed_indicator_is_confirmed_in_the_sets_dialog(qtbot, communes_2025, messages, tmp_path):
    from ntm_desktop.models import Indicator
    from ntm_desktop.ui.criteria.sets_dialog import CriteriaSetsDialog

    from criteria_files import province_file_2026

    dialog = CriteriaSetsDialog(communes_2025)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.import_file(province_file_2026(tmp_path))
    assert "10 tiêu chí, 2 chỉ tiêu (quyết định: 47)" in dialog.sets.currentItem().text()
    assert "1 chỉ tiêu có nội dung hoặc mức chỉ tiêu chưa xác nhận" in dialog.info.text()
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 1).text() == "6.2")
    cell = dialog.table.item(row, dialog.confirmed_column)
    assert cell.checkState() == Qt.CheckState.Unchecked and cell.text() == "chưa"
    focus(dialog.table)
    dialog.table.setCurrentCell(row, dialog.confirmed_column)
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.table.item(row, dialog.confirmed_column).text() == "có")  # shown again
    assert "chỉ tiêu có nội dung hoặc mức chỉ tiêu chưa xác nhận" not in dialog.info.text()
    with communes_2025.db.transaction() as s:
        assert s.get(Indicator, dialog.indicator_ids[row]).confirmed is True
    assert dialog.table.item(row, dialog.confirmed_column).text() == "có"
    press(Qt.Key.Key_Escape)
