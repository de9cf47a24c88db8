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
    assert result.status == "applied"
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
