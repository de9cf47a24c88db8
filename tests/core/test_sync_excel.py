"""A commune without the app fills the Excel template; it comes back through the same preview and apply."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ntm_desktop.models import ProgressUpdate
from ntm_desktop.sync.excel_template import SHEET, export_template, import_template, preview_template
from ntm_desktop.sync.reader import PackageRefused
from test_sync_world import build_district, state


@pytest.fixture
def district(tmp_path):
    ws = build_district(tmp_path)
    yield ws
    ws.close()


def template(ws, tmp_path, code="XA-A", year=2025):
    with ws.db.transaction() as s:
        return export_template(s, code, year, tmp_path / f"bieu-mau-{code}-{year}.xlsx")


def fill(path, **cells):
    book = load_workbook(path)
    sheet = book[SHEET]
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)
    return path


def test_filled_template_becomes_progress_reports(district, tmp_path):
    path = template(district, tmp_path)
    book = load_workbook(path)
    assert book[SHEET]["C4"].value == "Rà soát tiêu chí số 1"
    assert book["_ntm"].sheet_state == "veryHidden"
    fill(path, E4="15/06/2025", F4="Đã rà soát xong 19 tiêu chí", G4="20/06/2025", H4="45/BC-UBND")
    plan = preview_template(district, path, "XA-A", 2025)
    assert plan.counts()["progress_updates"]["new"] == 1
    result = import_template(district, path, "XA-A", 2025, user="văn thư")
    assert result.status == "applied" and result.message.startswith("Đã áp dụng biểu mẫu Excel của XA-A: 1 mới")
    with district.db.transaction() as s:
        [update] = s.scalars(select(ProgressUpdate)).all()
        assert "Đã rà soát xong 19 tiêu chí" in update.text and "20/06/2025" in update.text and "45/BC-UBND" in update.text
        assert update.reported_on.isoformat() == "2025-06-15"
    before = state(district)
    again = import_template(district, path, "XA-A", 2025)
    assert again.status == "already" and "đã được nhập ngày" in again.message
    assert state(district) == before


@pytest.mark.parametrize("code, year, words", [("XA-B", 2025, "không phải “XA-B”"), ("XA-A", 2024, "không phải năm 2024")])
def test_template_for_another_unit_or_period_is_refused(district, tmp_path, code, year, words):
    path = fill(template(district, tmp_path), F4="Đang làm")
    before = state(district)
    with pytest.raises(PackageRefused, match=words):
        import_template(district, path, code, year)
    assert state(district) == before


def test_formula_where_a_value_belongs_is_refused(district, tmp_path):
    path = fill(template(district, tmp_path), E4="=TODAY()", F4="Đang làm")
    before = state(district)
    with pytest.raises(PackageRefused, match="E4.*công thức"):
        import_template(district, path, "XA-A", 2025)
    assert state(district) == before


def test_edited_task_id_or_bad_date_is_refused(district, tmp_path):
    path = fill(template(district, tmp_path), A4="khong-phai-ma", F4="Đang làm")
    with pytest.raises(PackageRefused, match="không thuộc"):
        import_template(district, path, "XA-A", 2025)
    path = fill(template(district, tmp_path), E4="31/02/2025", F4="Đang làm")
    with pytest.raises(PackageRefused, match="không tồn tại"):
        import_template(district, path, "XA-A", 2025)


def _criteria_world(ws):
    """The district's commune XA-A assessed against a set with indicators (group 2 targets) in 2026."""
    from ntm_desktop.services import units
    from ntm_desktop.services.criteria import catalogue, profiles
    from ntm_desktop.services.criteria.catalogue import CriterionDef, IndicatorDef, SetDefinition

    with ws.db.transaction() as s:
        set_id = catalogue.save_definition(s, SetDefinition(
            code="tq-2026", name="Bộ tiêu chí xã tỉnh Tuyên Quang", period_start=2026, period_end=2030,
            target_keys=["Nhóm 1", "Nhóm 2"], criteria=[
                CriterionDef("17", 17, "Môi trường", indicators=[
                    IndicatorDef("17.1", "Tỷ lệ hộ dùng nước sạch", "%", "number", ">=", {"Nhóm 1": "90", "Nhóm 2": "80"}),
                    IndicatorDef("17.2", "Cảnh quan xanh, sạch", "", "text", "=", {"Nhóm 1": "Đạt", "Nhóm 2": "Đạt"}),
                ]),
                CriterionDef("18", 18, "Hệ thống chính trị"),
            ]))
        profiles.save_profile(s, units.find_by_code(s, "XA-A").id, 2026, set_id, "Nhóm 2")


def _criteria_rows(path):
    from ntm_desktop.sync.excel_template import CRITERIA_SHEET

    sheet = load_workbook(path)[CRITERIA_SHEET]
    return {sheet.cell(r, 3).value: r for r in range(4, sheet.max_row + 1)}


def test_filled_criteria_sheet_becomes_the_communes_assessment(district, tmp_path):
    from ntm_desktop.services import units
    from ntm_desktop.services.criteria.assessments import load_grid
    from ntm_desktop.sync.excel_template import CRITERIA_SHEET

    _criteria_world(district)
    path = template(district, tmp_path, year=2026)
    rows = _criteria_rows(path)
    assert list(rows) == ["17", "17.1", "17.2", "18"]
    book = load_workbook(path)
    assert book[CRITERIA_SHEET].cell(rows["17.1"], 5).value == "≥ 80"
    book[CRITERIA_SHEET].cell(rows["17.1"], 7).value = 85  # a number typed in Excel
    book[CRITERIA_SHEET].cell(rows["17.2"], 8).value = "đạt"
    book[CRITERIA_SHEET].cell(rows["18"], 8).value = "Chưa đạt"
    book[CRITERIA_SHEET].cell(rows["18"], 9).value = "Chưa kiện toàn ban chỉ đạo"
    book.save(path)
    before = state(district)
    plan = preview_template(district, path, "XA-A", 2026)
    assert plan.counts()["indicator_assessments"]["new"] == 2
    assert plan.counts()["criterion_assessments"]["new"] == 2
    assert plan.rejections() == []
    assert state(district) == before, "the preview changed data"
    assert import_template(district, path, "XA-A", 2026, user="văn thư").status == "applied"
    with district.db.transaction() as s:
        grid = {r.code: r for r in load_grid(s, units.find_by_code(s, "XA-A").id, 2026).rows}
    assert grid["17.1"].measured_value == "85" and grid["17.1"].status == "dat"  # 85 ≥ 80: computed, not typed
    assert grid["17"].status == "dat"  # rolled up from both indicators
    assert grid["18"].status == "chua_dat" and grid["18"].note == "Chưa kiện toàn ban chỉ đạo"
    assert import_template(district, path, "XA-A", 2026).status == "already"


@pytest.mark.parametrize("column, value, words", [
    (8, "Tốt", "không phải Đạt"), (7, "=80+5", "công thức"),
])
def test_bad_criteria_cell_is_refused(district, tmp_path, column, value, words):
    from ntm_desktop.sync.excel_template import CRITERIA_SHEET

    _criteria_world(district)
    path = template(district, tmp_path, year=2026)
    row = _criteria_rows(path)["17.1"]
    book = load_workbook(path)
    book[CRITERIA_SHEET].cell(row, column).value = value
    book.save(path)
    before = state(district)
    with pytest.raises(PackageRefused, match=words):
        import_template(district, path, "XA-A", 2026)
    assert state(district) == before


def test_workbook_for_a_criteria_set_no_longer_applied_is_refused(district, tmp_path):
    from ntm_desktop.services import units
    from ntm_desktop.services.criteria import catalogue, profiles
    from ntm_desktop.services.criteria.catalogue import CriterionDef, SetDefinition
    from ntm_desktop.sync.excel_template import CRITERIA_SHEET

    _criteria_world(district)
    path = template(district, tmp_path, year=2026)
    book = load_workbook(path)
    book[CRITERIA_SHEET].cell(_criteria_rows(path)["18"], 8).value = "Đạt"
    book.save(path)
    with district.db.transaction() as s:  # meanwhile the province issued a new set and the commune moved to it
        newer = catalogue.save_definition(s, SetDefinition(
            code="tq-2026-sua-doi", name="Bộ tiêu chí xã sửa đổi", period_start=2026, period_end=2030,
            target_keys=["Nhóm 2"], criteria=[CriterionDef("18", 18, "Hệ thống chính trị")]))
        profiles.save_profile(s, units.find_by_code(s, "XA-A").id, 2026, newer, "Nhóm 2")
    before = state(district)
    with pytest.raises(PackageRefused, match="bộ tiêu chí khác"):
        import_template(district, path, "XA-A", 2026)
    assert state(district) == before


def test_exporting_a_template_changes_nothing(district, tmp_path):
    """XA-B has no profile for 2026 yet: reading its grid for the workbook must not leave one behind."""
    from ntm_desktop.sync.excel_template import CRITERIA_SHEET

    _criteria_world(district)
    before = state(district)
    path = template(district, tmp_path, code="XA-B", year=2026)
    assert CRITERIA_SHEET in load_workbook(path).sheetnames
    assert state(district) == before


def test_the_2026_template_has_the_ten_criteria_of_the_2026_2030_set(district, tmp_path):
    from ntm_desktop.services import units
    from ntm_desktop.services.criteria import profiles
    from ntm_desktop.services.criteria.assessments import load_grid
    from ntm_desktop.sync.excel_template import CRITERIA_SHEET

    with district.db.transaction() as s:
        commune = units.find_by_code(s, "XA-A").id
        profiles.save_profile(s, commune, 2025)
        profiles.save_profile(s, commune, 2026, target_key="Nhóm 3")
    before = template(district, tmp_path, year=2025)
    assert sum(1 for r in load_workbook(before)[CRITERIA_SHEET].iter_rows(min_row=4, values_only=True)
               if r[1] == "Tiêu chí") == 19
    path = template(district, tmp_path, year=2026)
    sheet = load_workbook(path)[CRITERIA_SHEET]
    title, help_text = sheet["A1"].value, sheet["A2"].value
    assert "đánh giá 10 tiêu chí nông thôn mới năm 2026" in title
    assert "giai đoạn 2026 - 2030; vùng/nhóm xã: Nhóm 3" in title
    assert "47 chỉ tiêu" in help_text and "chưa xác nhận" in help_text
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
    assert [(r[1], r[2]) for r in rows] == [("Tiêu chí", str(n)) for n in range(1, 11)]
    assert rows[6][3] == "Khoa học công nghệ và chuyển đổi số"
    book = load_workbook(path)
    book[CRITERIA_SHEET].cell(4 + 6, 8).value = "Đạt"
    book.save(path)
    assert import_template(district, path, "XA-A", 2026, user="văn thư").status == "applied"
    with district.db.transaction() as s:
        grid = {r.code: r for r in load_grid(s, units.find_by_code(s, "XA-A").id, 2026).rows}
    assert grid["7"].status == "dat" and grid["7"].name == "Khoa học công nghệ và chuyển đổi số"
