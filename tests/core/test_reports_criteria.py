"""Tổng hợp tiêu chí: matrix with counts and bands, one page per commune, PDF and Excel."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from reports_helpers import make, pdf_text

from ntm_desktop.errors import UserError
from ntm_desktop.services import units
from ntm_desktop.services.criteria import catalogue, profiles
from ntm_desktop.services.criteria.assessments import CellInput, load_grid, save_grid
from ntm_desktop.services.criteria.matrix import build_matrix
from ntm_desktop.services.criteria.statuses import CHUA_DAT, DAT

MET = {"Xã Âu Lâu": 19, "Xã Bảo Ái": 16, "Xã Đông Cuông": 7}


def _communes(ws) -> None:
    with ws.db.transaction() as s:
        catalogue.install_shipped_sets(s)
        province = units.find_by_code(s, "LC").id
        for n, (name, met) in enumerate(MET.items()):
            unit = units.create_unit(s, code=f"RX{n}", name=name, level_code="xa", parent_id=province)
            grid = load_grid(s, unit, 2024)
            cells = [CellInput("criterion", r.target_id, DAT if i < met else CHUA_DAT) for i, r in enumerate(grid.rows)]
            save_grid(s, unit, 2024, cells, province, date(2024, 11, 1))
            if met == 19:
                profiles.add_recognition(s, unit, "ntm", "35/QĐ-UBND", date(2024, 12, 20))


def _run(ws, fmt, out):
    return make(ws, "criteria", fmt, out, start=date(2024, 1, 1), end=date(2024, 12, 31), year=2024)


def _matrix(ws):
    with ws.db.transaction() as s:
        return build_matrix(s, 2024)


def test_criteria_pdf_matrix_bands_and_commune_pages(demo_workspace, tmp_path):
    _communes(demo_workspace)
    matrix = _matrix(demo_workspace)
    pages = pdf_text(_run(demo_workspace, "pdf", tmp_path / "tc.pdf"))
    text = " ".join(pages)
    assert "BÁO CÁO TỔNG HỢP KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ NÔNG THÔN MỚI NĂM 2024" in pages[0]
    assert f"Năm 2024 có {len(matrix.communes)} đơn vị cấp xã" in text
    average = f"{matrix.average:.2f}"
    assert f"bình quân đạt {average.replace('.', ',')} tiêu chí/xã" in text  # the decimal comma, as on screen
    assert average not in text
    for _label, count in matrix.band_counts:  # the share of communes per band: "8,3", not "8.3"
        share = f"{100 * count / len(matrix.communes):.1f}"
        assert share.replace(".", ",") in text and share not in text
    assert "100,0" in text
    assert "NTM (35/QĐ-UBND ngày 20/12/2024)" in text
    for line in matrix.communes:  # one page per commune, opening with its name
        own = [p for p in pages if f"{line.name.upper()} Đạt {line.result} tiêu chí" in p]
        assert len(own) == 1, line.name
    bao_ai = next(p for p in pages if "XÃ BẢO ÁI Đạt" in p)
    assert "Đạt 16/19 tiêu chí" in bao_ai and "chưa có quyết định công nhận" in bao_ai


def test_criteria_xlsx_counts_are_numbers(demo_workspace, tmp_path):
    _communes(demo_workspace)
    matrix = _matrix(demo_workspace)
    wb = openpyxl.load_workbook(_run(demo_workspace, "xlsx", tmp_path / "tc.xlsx"))
    bands = {r[0]: r[1] for r in wb.worksheets[0].iter_rows(values_only=True) if isinstance(r[1], int)}
    assert bands == {**dict(matrix.band_counts), "Tổng số": len(matrix.communes)}
    sheet = wb["Tổng hợp tiêu chí"]
    lines = {r[1]: r for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)}
    assert set(MET) <= set(lines)
    for name, met in MET.items():
        assert lines[name][2 + 19] == met  # "Số tiêu chí đạt", after the 19 criteria
        assert list(lines[name][2:2 + 19]).count("Đ") == met
    totals = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "Số xã đạt")
    assert list(totals[2:2 + 19]) == list(matrix.met_per_criterion)
    first = wb.worksheets[0]
    header = next(r for r in range(1, 40) if first.cell(r, 3).value == "Tỷ lệ (%)")
    shares = {first.cell(r, 1).value: first.cell(r, 3) for r in range(header + 1, header + 2 + len(matrix.band_counts))}
    for label, count in [*matrix.band_counts, ("Tổng số", len(matrix.communes))]:
        assert shares[label].value == round(100 * count / len(matrix.communes), 1)
        assert shares[label].number_format == "[$-42A]0.0"  # Vietnamese: shown with a decimal comma, "8,3"
    average = f"{matrix.average:.2f}".replace(".", ",")
    assert any(isinstance(c.value, str) and f"bình quân đạt {average} tiêu chí/xã" in c.value
               for row in wb.worksheets[0].iter_rows() for c in row)
    detail = wb["Chi tiết từng xã"]
    assert sum(1 for r in detail.iter_rows(values_only=True) if r[0] == "XÃ ĐÔNG CUÔNG") == 1


def test_criteria_year_without_assessments_is_refused(demo_workspace, tmp_path):
    with pytest.raises(UserError, match="Chưa có dữ liệu tiêu chí năm 2019"):
        make(demo_workspace, "criteria", "pdf", tmp_path / "tc.pdf", start=date(2019, 1, 1),
             end=date(2019, 12, 31), year=2019)
    assert not (tmp_path / "tc.pdf").exists()
