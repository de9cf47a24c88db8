"""PDF reports on the demo office: header, numbers and Vietnamese words intact, fonts embedded, layout."""

from __future__ import annotations

from datetime import date, timedelta

import pypdf
import pytest
from reports_helpers import (
    MM, has_pdftoppm, make, page_size, pdf_text, render_gray, squash, text_positions, this_week,
)

from ntm_desktop.reports.document import vn_place_date
from ntm_desktop.services import register, settings, tasklist
from ntm_desktop.services.office import load_profile
from ntm_desktop.services.status import TaskStatus


def _office(ws):
    with ws.db.transaction() as s:
        return settings.office_unit_id(s), load_profile(s)


def test_place_and_date_line_follows_the_decree():
    assert vn_place_date("Lào Cai", date(2026, 1, 5)) == "Lào Cai, ngày 05 tháng 01 năm 2026"
    assert vn_place_date("Hàm Yên", date(2024, 2, 9)) == "Hàm Yên, ngày 09 tháng 02 năm 2024"
    assert vn_place_date("Lào Cai", date(2025, 3, 15)) == "Lào Cai, ngày 15 tháng 3 năm 2025"
    assert vn_place_date("Lào Cai", date(2025, 12, 1)) == "Lào Cai, ngày 01 tháng 12 năm 2025"


def test_weekly_pdf_header_numbers_and_words(demo_workspace, tmp_path):
    office_id, profile = _office(demo_workspace)
    start, end = this_week()
    out = make(demo_workspace, "weekly", "pdf", tmp_path / "tuan.pdf", number="7")
    pages = pdf_text(out)
    first, everything = pages[0], " ".join(pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI TỈNH LÀO CAI" in first
    assert f"Số: 07/{profile.report_symbol}" in first
    assert squash(vn_place_date("Lào Cai", date.today())) in first
    assert "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO" in first
    assert f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}" in first
    # The overdue count agrees with the task list's own SQL count.
    with demo_workspace.db.transaction() as s:
        overdue = tasklist.count(s, tasklist.TaskFilter(office_unit_id=office_id, status=TaskStatus.IN_PROGRESS_OVERDUE))
        rows = tasklist.page(s, tasklist.TaskFilter(office_unit_id=office_id, status=TaskStatus.IN_PROGRESS_OVERDUE), 0, 5)
    assert overdue > 0
    assert f"{overdue} nhiệm vụ quá hạn chưa hoàn thành" in first
    worst = max(rows, key=lambda r: r.days_overdue)
    assert squash(worst.summary)[:40] in everything  # a Vietnamese task summary survives extraction
    assert "Nơi nhận:" in everything and "Lưu: VT" in everything
    assert "KT. CHÁNH VĂN PHÒNG" in everything


def test_pdf_embeds_every_font(demo_workspace, tmp_path):
    out = make(demo_workspace, "weekly", "pdf", tmp_path / "tuan.pdf")
    fonts = {}
    for page in pypdf.PdfReader(out).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts and all("LiberationSerif" in name for name in fonts)
    for name, font in fonts.items():
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"


def test_page_numbers_from_page_two_centred_in_top_margin(demo_workspace, tmp_path):
    start = date.today() - timedelta(days=120)
    out = make(demo_workspace, "weekly", "pdf", tmp_path / "dai.pdf", start=start, end=date.today())
    width, height = page_size(out)
    assert (round(width / MM), round(height / MM)) == (210, 297)
    top_margin = height - 20 * MM
    first = text_positions(out, 0)
    assert not [t for t in first if t[2] > top_margin], "page 1 carries no page number"
    header_y = next(y for text, x, y in first if "CỘNG HÒA" in text)
    assert header_y > height - 40 * MM  # the header block opens the page
    assert len(pypdf.PdfReader(out).pages) >= 2
    for index in range(1, len(pypdf.PdfReader(out).pages)):
        in_margin = [t for t in text_positions(out, index) if t[2] > top_margin]
        assert [t[0] for t in in_margin] == [str(index + 1)]
        text, x, _ = in_margin[0]
        centre = 30 * MM + (width - 45 * MM) / 2
        assert abs(x + 3 * len(text) - centre) < 6


def test_register_pdf_is_landscape_with_cover_and_ten_columns(demo_workspace, tmp_path):
    out = make(demo_workspace, "register", "pdf", tmp_path / "so.pdf",
               start=date.today() - timedelta(days=365), end=date.today())
    width, height = page_size(out, 1)
    assert width > height
    pages = pdf_text(out)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in pages[0] and "Quyển số" in pages[0]
    for title in ("Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản",
                  "Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú"):
        assert title in pages[1]
    order = [pages[1].index(t) for t in ("Ngày đến", "Tác giả", "Ngày chuyển", "Ký nhận", "(10)")]
    assert order == sorted(order)
    with demo_workspace.db.transaction() as s:
        office_id = settings.office_unit_id(s)
        rows = register.page(s, register.RegisterFilter(office_unit_id=office_id), 0, 100)
    body = " ".join(pages[1:])
    for row in rows:
        assert row.issuer_name and squash(row.subject)[:30] in body


def test_followup_pdf_has_seven_columns_and_tasks(demo_workspace, tmp_path):
    out = make(demo_workspace, "followup", "pdf", tmp_path / "theodoi.pdf",
               start=date.today() - timedelta(days=365), end=date.today())
    pages = pdf_text(out)
    assert "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN" in pages[0]
    for title in ("Tiến độ giải quyết", "Thời hạn giải quyết", "(7)"):
        assert title in pages[1]
    assert "(8)" not in pages[1]
    assert "Chủ trì:" in " ".join(pages)


@pytest.mark.skipif(not has_pdftoppm(), reason="pdftoppm is not installed")
def test_rendered_page_one_has_the_header_at_the_top(demo_workspace, tmp_path):
    out = make(demo_workspace, "weekly", "pdf", tmp_path / "tuan.pdf")
    import subprocess

    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out), str(tmp_path / "p")], check=True)
    png = next(tmp_path.glob("p*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, pixels = render_gray(out, 1, tmp_path)

    def ink(row_from: int, row_to: int, col_from: int = 0, col_to: int | None = None) -> int:
        col_to = col_to or width
        return sum(1 for r in range(row_from, row_to) for c in range(col_from, col_to) if pixels[r * width + c] < 128)

    mm = height / 297
    assert ink(0, int(19 * mm)) == 0  # the top margin of page 1 is blank: no page number
    assert ink(int(20 * mm), int(45 * mm), 0, width // 2) > 50  # issuing body, left
    assert ink(int(20 * mm), int(45 * mm), width // 2, width) > 50  # national title, right
    assert ink(0, height, 0, int(28 * mm)) == 0  # left margin of 30 mm kept
