"""The baseline of the register PDF: the same rows as a bare reportlab table, the same embedded font.

The rows are read with one plain SELECT, printed as the register prints them (dates dd/mm/yyyy,
type and subject, urgency before the notes) and wrapped with reportlab's own `simpleSplit`; then
reportlab lays them out on landscape A4 with the register's margins, Liberation Serif 11 pt, a 0.5 pt
grid and the same paddings and two header rows. Two ways:

- "longtable": one `LongTable` with `repeatRows`, as reportlab's manual shows for long tables;
- "page tables": the rows cut into one plain `Table` per page by their known heights, each with the
  header rows: the fastest use of reportlab's Table, the strict baseline.

Both write the same kind of page streams as the app (compressed, no ASCII85 layer), so the ratio
compares the layout work only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import LongTable, PageBreak, SimpleDocTemplate, Table, TableStyle
from sqlalchemy import text

from ntm_desktop.models.directives import DOC_TYPES
from ntm_desktop.reports.incoming_register import COLUMNS
from ntm_desktop.reports.pdf_fonts import BOLD, REGULAR, register_fonts

SIZE, LEADING = 11, 13.2
PAD_TOP, PAD_BOTTOM, PAD_SIDE = 2, 3, 3
MARGINS = dict(leftMargin=30 * mm, rightMargin=15 * mm, topMargin=20 * mm, bottomMargin=20 * mm)
FRAME_PADDING = 6  # SimpleDocTemplate's frame padding on each side
URGENCY = {"khan": "Khẩn", "thuong_khan": "Thượng khẩn", "hoa_toc": "Hỏa tốc"}
SELECT = text(
    "SELECT arrival_date, arrival_number, issuer_name, number_symbol, doc_date, doc_type, subject, recipients,"
    " transfer_date, notes, urgency FROM directives WHERE deleted = 0 AND arrival_year = :year"
    " ORDER BY arrival_year, arrival_number"
)


def _day(value) -> str:
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return day.strftime("%d/%m/%Y")


def _printed(row) -> list[str]:
    (arrival, number, issuer, symbol, doc_date, doc_type, subject, recipients, transfer, notes, urgency) = row
    name = DOC_TYPES.get(doc_type, "")
    subject = f"{name} {subject}".strip() if name and doc_type != "CV" else subject
    notes = notes or ""
    if urgency in URGENCY:
        notes = f"{URGENCY[urgency]}. {notes}".strip(". ")
    return [_day(arrival), str(number), issuer or "", symbol or "", _day(doc_date), subject or "",
            recipients or "", _day(transfer), "", notes]


def _wrapped(cells: list[str], widths: list[float], font: str) -> list[str]:
    return ["\n".join(simpleSplit(cell, font, SIZE, width - 2 * PAD_SIDE)) for cell, width in zip(cells, widths)]


def _style() -> TableStyle:
    style = [
        ("FONT", (0, 0), (-1, -1), REGULAR, SIZE, LEADING),
        ("FONT", (0, 0), (-1, 1), BOLD, SIZE, LEADING),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (-1, 1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_SIDE),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_SIDE),
    ]
    style += [("ALIGN", (i, 2), (i, -1), "CENTER") for i, c in enumerate(COLUMNS) if c.align != "left"]
    return TableStyle(style)


def _height(row: list[str]) -> float:
    return LEADING * max(cell.count("\n") + 1 for cell in row) + PAD_TOP + PAD_BOTTOM


def bare_register_pdf(engine, year: int, out: Path, way: str = "page tables") -> int:
    """Read the year's register rows and write them as a bare reportlab table; returns the row count."""
    register_fonts()
    widths = [c.width_mm * mm for c in COLUMNS]
    with engine.connect() as conn:
        rows = conn.execute(SELECT, {"year": year}).all()
    header = [_wrapped([c.title for c in COLUMNS], widths, BOLD), [f"({i})" for i in range(1, len(COLUMNS) + 1)]]
    body = [_wrapped(_printed(row), widths, REGULAR) for row in rows]
    style = _style()
    template = SimpleDocTemplate(str(out), pagesize=landscape(A4), initialFontName=REGULAR, **MARGINS)
    if way == "longtable":
        table = LongTable([*header, *body], colWidths=widths, repeatRows=2)
        table.setStyle(style)
        story = [table]
    else:
        header_heights = [_height(r) for r in header]
        room = landscape(A4)[1] - MARGINS["topMargin"] - MARGINS["bottomMargin"] - 2 * FRAME_PADDING
        room -= sum(header_heights)
        heights = [_height(r) for r in body]
        story, start = [], 0
        while start < len(body):
            used, stop = 0.0, start
            while stop < len(body) and used + heights[stop] <= room:
                used += heights[stop]
                stop += 1
            stop = max(stop, start + 1)
            table = Table([*header, *body[start:stop]], colWidths=widths,
                          rowHeights=[*header_heights, *heights[start:stop]])
            table.setStyle(style)
            story += [table, PageBreak()]
            start = stop
        story = story[:-1]
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        template.build(story)
    finally:
        rl_config.useA85 = before
    return len(body)
