"""The pages of a long table look exactly as reportlab's Table draws them, and carry the header on each page."""

from __future__ import annotations

import pypdf
import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, SimpleDocTemplate
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

from ntm_desktop.reports.pdf_fonts import REGULAR, register_fonts
from ntm_desktop.reports.pdf_layout import binary_streams
from ntm_desktop.reports.pdf_table import DATA, HEADING, TOTAL, PagedTable
from ntm_desktop.reports.pdf_table_page import PAD_BOTTOM, PAD_TOP, table_style

from reports_helpers import has_pdftoppm, render_gray, squash

SIZE = 11
WIDTHS = [22 * mm, 14 * mm, 60 * mm, 24 * mm]
ALIGNS = ["center", "center", "left", "center"]
TITLES = ["Ngày đến", "Số đến", "Tên loại và trích yếu nội dung", "Ghi chú"]


def _header() -> list[list]:
    register_fonts()
    style = ParagraphStyle("head", fontName=REGULAR, fontSize=SIZE, leading=SIZE * 1.2, alignment=1)
    return [[RLParagraph(f"<b>{t}</b>", style) for t in TITLES], [f"({i})" for i in range(1, len(TITLES) + 1)]]


def _rows() -> tuple[list[list[str]], list[str]]:
    """Data rows of one to three lines, a heading across the table and a bold total, in Vietnamese."""
    rows, kinds = [], []
    for n in range(1, 13):
        if n == 5:
            rows.append(["Chủ trì: Ủy ban nhân dân xã Bản Lầu", "", "", ""])
            kinds.append(HEADING)
        lines = ["Kế hoạch triển khai Chương trình", "mục tiêu quốc gia xây dựng", "nông thôn mới"]
        subject = "\n".join(lines[:n % 3 + 1])
        rows.append([f"{n:02d}/03/2026", str(n), subject, "Hỏa\ntốc" if n % 4 == 0 else ""])
        kinds.append(DATA)
    rows.append(["Tổng cộng", "12", "", ""])
    kinds.append(TOTAL)
    return rows, kinds


def _heights(rows: list[list]) -> list[float]:
    return [SIZE * 1.2 * max(str(c).count("\n") + 1 for c in row) + PAD_TOP + PAD_BOTTOM for row in rows]


def _build(path, story) -> None:
    register_fonts()
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), initialFontName=REGULAR)
    with binary_streams():
        doc.build(story)


@pytest.mark.skipif(not has_pdftoppm(), reason="pdftoppm is not installed")
def test_a_table_page_looks_exactly_as_reportlabs_table_draws_it(tmp_path):
    header, (rows, kinds) = _header(), _rows()
    paged = PagedTable(header, rows, kinds, WIDTHS, ALIGNS, SIZE)
    _build(tmp_path / "fast.pdf", [paged])

    paged.wrap(0, 0)  # measures the header as the fast page does
    reference = RLTable([*header, *rows], colWidths=WIDTHS, hAlign="LEFT",
                        rowHeights=[*paged._header_heights, *_heights(rows)])
    reference.setStyle(TableStyle(table_style(len(header), ALIGNS, kinds, SIZE)))
    _build(tmp_path / "reference.pdf", [reference])

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    fast = render_gray(tmp_path / "fast.pdf", 1, tmp_path / "a", dpi=100)
    ref = render_gray(tmp_path / "reference.pdf", 1, tmp_path / "b", dpi=100)
    assert fast[:2] == ref[:2]
    differing = sum(1 for p, q in zip(fast[2], ref[2]) if p != q)
    assert differing == 0, f"{differing} pixels differ from reportlab's Table"
    assert sum(1 for p in fast[2] if p < 128) > 2000  # the page is not blank


def test_every_page_of_a_long_table_carries_the_header_and_its_rows_in_order(tmp_path):
    rows = [[f"{n % 28 + 1:02d}/03/2026", str(n), f"Văn bản số {n} về nông thôn mới", ""] for n in range(1, 301)]
    table = PagedTable(_header(), rows, [DATA] * len(rows), WIDTHS, ALIGNS, SIZE)
    _build(tmp_path / "long.pdf", [PageBreak(), table])
    pages = [squash(p.extract_text()) for p in pypdf.PdfReader(tmp_path / "long.pdf").pages][1:]
    assert len(pages) > 5
    for text in pages:
        assert all(title in text for title in TITLES) and "(4)" in text
    body = " ".join(pages)
    positions = [body.index(f"Văn bản số {n} về") for n in range(1, 301)]
    assert positions == sorted(positions)
