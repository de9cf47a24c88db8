"""Tổng hợp tiêu chí for 2026: the 2026-2030 set's 10 criteria, its bands, the commune groups, PDF and Excel."""

from __future__ import annotations

from datetime import date

import openpyxl
from reports_helpers import make, pdf_text

from ntm_desktop.services import units
from ntm_desktop.services.criteria import catalogue, profiles
from ntm_desktop.services.criteria.assessments import CellInput, load_grid, save_grid
from ntm_desktop.services.criteria.statuses import CHUA_DAT, DAT

# name, group, criteria met
COMMUNES = [("Xã Âu Lâu", "Nhóm 1", 10), ("Xã Bảo Ái", "Nhóm 2", 8), ("Xã Đông Cuông", "Nhóm 3", 4)]


def _communes_2026(ws) -> None:
    with ws.db.transaction() as s:
        catalogue.install_shipped_sets(s)
        province = units.find_by_code(s, "LC").id
        for n, (name, group, met) in enumerate(COMMUNES):
            unit = units.create_unit(s, code=f"RY{n}", name=name, level_code="xa", parent_id=province)
            profiles.save_profile(s, unit, 2026, target_key=group)
            grid = load_grid(s, unit, 2026)
            save_grid(s, unit, 2026, [CellInput("criterion", r.target_id, DAT if i < met else CHUA_DAT)
                                      for i, r in enumerate(grid.rows)], province, date(2026, 11, 1))
            if met == 10:
                profiles.add_recognition(s, unit, "ntm", "88/QĐ-UBND", date(2025, 12, 20))


def _run(ws, fmt, out):
    return make(ws, "criteria", fmt, out, start=date(2026, 1, 1), end=date(2026, 12, 31), year=2026)


def test_the_2026_report_has_ten_criteria_the_new_bands_and_the_groups(workspace, tmp_path):
    from ntm_desktop.services.demo import build_demo

    with workspace.db.transaction("demo") as s:
        build_demo(s, today=date(2025, 10, 1))  # the office and its province; no 2026 data of its own
    _communes_2026(workspace)
    path = _run(workspace, "pdf", tmp_path / "tc-2026.pdf")
    pages = pdf_text(path)
    text = " ".join(pages)
    assert "Năm 2026 có 3 đơn vị cấp xã được đánh giá theo 10 tiêu chí của Bộ tiêu chí quốc gia về xã nông thôn " \
           "mới giai đoạn 2026 - 2030 (Quyết định số 51/2025/QĐ-TTg" in text
    for label in ("10 tiêu chí 1 33,3", "7-9 tiêu chí 1 33,3", "3-4 tiêu chí 1 33,3", "Dưới 3 tiêu chí 0 0,0"):
        assert label in text
    assert "19 tiêu chí" not in text and "15-18" not in text
    assert "Lưu ý: Bộ tiêu chí có 47 chỉ tiêu" in text and "chưa xác nhận" in text
    assert "Các tiêu chí: 1. Quy hoạch; 2. Hạ tầng kinh tế - xã hội;" in text
    assert "10. Tiếp cận pháp luật và an ninh, quốc phòng." in text
    bao_ai = next(p for p in pages if "XÃ BẢO ÁI Đạt" in p)
    assert "Đạt 8/10 tiêu chí (nhóm 7-9 tiêu chí); nhóm xã: Nhóm 2; chưa có quyết định công nhận" in bao_ai
    au_lau = next(p for p in pages if "XÃ ÂU LÂU Đạt" in p)
    assert "88/QĐ-UBND ngày 20/12/2025 (Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021 - 2025)" in au_lau

    book = openpyxl.load_workbook(_run(workspace, "xlsx", tmp_path / "tc-2026.xlsx"))
    sheet = book["Tổng hợp tiêu chí"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "STT")
    assert list(header) == ["STT", "Đơn vị", *[str(n) for n in range(1, 11)], "Số tiêu chí đạt",
                            "Nhóm theo số TC đạt", "Nhóm xã", "Công nhận"]
    lines = {r[1]: r for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)}
    assert lines["Xã Đông Cuông"][2 + 10:2 + 13] == (4, "3-4 tiêu chí", "Nhóm 3")
