"""A ReportDocument printed as a PDF in the layout of Nghị định 30/2020, Phụ lục I.

A4 (landscape for wide registers), margins top/bottom 20 mm, left 30 mm, right
15 mm; Liberation Serif embedded; the two-column header; title; body 13 pt and
tables 11 pt; page numbers centred in the top margin from page 2; signature on
the right and "Nơi nhận" on the left.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak, HRFlowable, KeepTogether, PageBreak, SimpleDocTemplate, Spacer,
)
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

from ntm_desktop.reports.document import (
    HANDWRITTEN_NAME, Column, Cover, GroupHeading, Heading, Paragraph, ReportDocument, Table, TotalRow,
    signer_name_line, vn_number, vn_place_date,
)
from ntm_desktop.reports.pdf_fonts import BOLD, FAMILY, REGULAR, register_fonts
from ntm_desktop.reports.pdf_table import DATA, HEADING, PAD_SIDE, TAIL_GAP, TOTAL, PagedTable
from ntm_desktop.reports.pdf_wrap import wrap_text
from ntm_desktop.reports.request import ReportCancelled
from ntm_desktop.text import nfc

MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20 * mm, 20 * mm, 30 * mm, 15 * mm
BODY_SIZE, TABLE_SIZE = 13, 11


def _style(name: str, size: float = BODY_SIZE, align=TA_LEFT, **kw) -> ParagraphStyle:
    kw.setdefault("leading", size * 1.2)
    return ParagraphStyle(name, fontName=REGULAR, fontSize=size, alignment=align, **kw)


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "centre": _style("centre", 13, TA_CENTER),
        "centre12": _style("centre12", 12, TA_CENTER),
        "title": _style("title", 14, TA_CENTER, spaceBefore=14, spaceAfter=2),
        "subtitle": _style("subtitle", 13, TA_CENTER, spaceAfter=10),
        "body": _style("body", BODY_SIZE, TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=6),
        "heading": _style("heading", BODY_SIZE, TA_LEFT, spaceBefore=8, spaceAfter=4),
        "cell": _style("cell", TABLE_SIZE),
        "cell_centre": _style("cell_centre", TABLE_SIZE, TA_CENTER),
        "recipients_title": _style("recipients_title", 12),
        "recipients": _style("recipients", 11, leading=13),
        "cover": _style("cover", 16, TA_CENTER, leading=22),
        "cover_title": _style("cover_title", 26, TA_CENTER, leading=34),
    }


def _p(text: str, style: ParagraphStyle, markup: str = "") -> RLParagraph:
    body = escape(nfc(text))
    if markup:
        body = f"<{markup}>{body}</{markup}>" if markup in ("b", "i", "u") else markup.replace("{}", body)
    return RLParagraph(body, style)


def format_cell(value, column: Column | None = None) -> str:
    """A cell as printed: dates dd/mm/yyyy, fractions with the Vietnamese decimal comma."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return vn_number(value, column.decimals if column is not None and column.kind == "number" else 2)
    return nfc(str(value))


def _header(doc: ReportDocument, width: float, st) -> RLTable:
    p = doc.profile
    left_w = width * (0.42 if not doc.landscape else 0.40)
    left = [
        _p(p.parent_name.upper(), st["centre"]),
        _p(p.office_name.upper(), st["centre"], "b"),
        HRFlowable(width=min(left_w * 0.4, 40 * mm), thickness=0.6, color="black", hAlign="CENTER",
                   spaceBefore=1, spaceAfter=4),
        _p(p.number_line(doc.number), st["centre"]),
    ]
    right = [
        _p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", st["centre12"], "b"),
        _p("Độc lập - Tự do - Hạnh phúc", st["centre"], "<b><u>{}</u></b>"),
        Spacer(1, 6),
        _p(vn_place_date(p.place_name, doc.issue_date), st["centre"], "i"),
    ]
    table = RLTable([[left, right]], colWidths=[left_w, width - left_w])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("FONT", (0, 0), (-1, -1), REGULAR, BODY_SIZE),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _signature(doc: ReportDocument, width: float, st) -> RLTable:
    p = doc.profile
    recipients = [_p("Nơi nhận:", st["recipients_title"], "<b><i>{}</i></b>")]
    recipients += [_p(line, st["recipients"]) for line in p.recipient_lines()]
    sign = []
    if p.signing_form:
        sign.append(_p(p.signing_form.upper(), st["centre"], "b"))
    if p.signer_title:
        sign.append(_p(p.signer_title.upper(), st["centre"], "b"))
    sign.append(Spacer(1, 24 * mm))
    name = signer_name_line(p)
    sign.append(_p(name, st["centre"], "b" if name != HANDWRITTEN_NAME else ""))
    table = RLTable([[recipients, sign]], colWidths=[width * 0.5, width * 0.5])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), REGULAR, BODY_SIZE),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _cover(cover: Cover, doc: ReportDocument, st) -> list:
    p = doc.profile
    story = [
        _p(p.parent_name.upper(), st["cover"]),
        _p(p.office_name.upper(), st["cover"], "b"),
        HRFlowable(width=40 * mm, thickness=0.8, color="black", hAlign="CENTER", spaceBefore=2),
        Spacer(1, 35 * mm),
        _p(cover.title.upper(), st["cover_title"], "b"),
        Spacer(1, 12 * mm),
    ]
    story += [_p(line, st["cover"]) for line in cover.lines]
    story.append(PageBreak())
    return story


class _CellTexts:
    """A table's cells wrapped to their columns: plain strings with line breaks (fast to lay out and draw).

    A value met again in the same column (a date, an issuer, a recipient) is wrapped once.
    """

    def __init__(self, columns: list[Column], size: float):
        self.columns, self.size = columns, size
        self.widths = [c.width_mm * mm - 2 * PAD_SIDE for c in columns]
        self._done: dict = {}

    def row(self, values, font: str) -> list[str]:
        done, texts = self._done, []
        for i, value in zip(range(len(self.columns)), values):
            key = (i, font, type(value), value)  # the type too: 1 and 1.0 print differently
            try:
                text = done.get(key)
            except TypeError:  # a value that cannot be a key is wrapped each time
                key, text = None, None
            if text is None:
                text = wrap_text(format_cell(value, self.columns[i]), self.widths[i], font, self.size)
                if key is not None:
                    done[key] = text
            texts.append(text)
        return texts


def _table(table: Table, st) -> list:
    size = table.font_size
    widths = [c.width_mm * mm for c in table.columns]
    head_style = ParagraphStyle("head", parent=st["cell_centre"], fontSize=size, leading=size * 1.2)
    header = [[_p(c.title, head_style, "b") for c in table.columns]]
    if table.numbered_header:
        header.append([f"({i})" for i in range(1, len(table.columns) + 1)])
    rows, kinds = [], []
    cells = _CellTexts(table.columns, size)
    for row in table.rows:
        if isinstance(row, GroupHeading):
            rows.append([wrap_text(nfc(row.text), sum(widths) - 2 * PAD_SIDE, BOLD, size)]
                        + [""] * (len(widths) - 1))
            kinds.append(HEADING)
        elif isinstance(row, TotalRow):
            rows.append(cells.row(row.cells, BOLD))
            kinds.append(TOTAL)
        else:
            rows.append(cells.row(row, REGULAR))
            kinds.append(DATA)
    if not rows:
        rows, kinds = [[_p(table.empty_text, st["cell"], "i")] + [""] * (len(widths) - 1)], [HEADING]
    aligns = [c.align for c in table.columns]
    return [PagedTable(header, rows, kinds, widths, aligns, size)]


def story_for(doc: ReportDocument, width: float) -> list:
    st = _styles()
    story: list = []
    if doc.cover:
        story += _cover(doc.cover, doc, st)
    if doc.official_header:
        story.append(_header(doc, width, st))
    if doc.title:
        story.append(_p(doc.title.upper(), st["title"], "b"))
    if doc.subtitle:
        story.append(_p(doc.subtitle, st["subtitle"], "i" if doc.official_header else "b"))
    if doc.addressee:
        story.append(_p(doc.addressee, st["subtitle"]))
    for block in doc.blocks:
        if isinstance(block, Heading):
            # Room for the heading and a few rows, or a new page: a heading never ends a page.
            story += [PageBreak() if block.new_page else CondPageBreak(35 * mm), _p(block.text, st["heading"], "b")]
        elif isinstance(block, Paragraph):
            style = st["subtitle"] if block.centred else st["body"]
            story.append(_p(block.text, style, "i" if block.italic else ""))
        else:
            story += _table(block, st)
    if doc.signature:
        _add_signature(story, _signature(doc, width, st))
    return story


def _add_signature(story: list, signature: RLTable) -> None:
    """The signature goes on the page of the last lines before it, never alone on a page of its own."""
    last = story[-1] if story else None
    if isinstance(last, PagedTable):
        last.tail = signature
    elif isinstance(last, RLParagraph):
        story[-1] = KeepTogether([last, Spacer(1, TAIL_GAP), signature])
    else:
        story.append(KeepTogether([Spacer(1, TAIL_GAP), signature]))


def render_pdf(doc: ReportDocument, out: Path, on_page: Callable[[int], bool] | None = None) -> int:
    """Write the PDF; `on_page(n)` is called after each page and returns False to cancel."""
    register_fonts()
    pagesize = landscape(A4) if doc.landscape else A4
    pages = [0]

    def number_pages(canvas, template) -> None:
        pages[0] = canvas.getPageNumber()
        if pages[0] > 1:  # the decree: no number on the first page
            canvas.saveState()
            canvas.setFont(REGULAR, BODY_SIZE)
            canvas.drawCentredString(
                MARGIN_LEFT + (pagesize[0] - MARGIN_LEFT - MARGIN_RIGHT) / 2,
                pagesize[1] - MARGIN_TOP / 2 - BODY_SIZE / 3, str(pages[0]),
            )
            canvas.restoreState()
        if on_page and on_page(pages[0]) is False:
            raise ReportCancelled()

    template = SimpleDocTemplate(
        str(out), pagesize=pagesize, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=nfc(doc.title), author=nfc(doc.profile.office_name),
        subject=nfc(doc.subtitle), creator="NTM Desktop", lang="vi-VN",
        initialFontName=REGULAR, initialFontSize=BODY_SIZE,  # no unembedded Helvetica
    )
    width = pagesize[0] - MARGIN_LEFT - MARGIN_RIGHT
    with binary_streams():
        template.build(story_for(doc, width), onFirstPage=number_pages, onLaterPages=number_pages)
    return pages[0]


@contextmanager
def binary_streams():
    """Page streams compressed but not also written as ASCII text: a fifth smaller, and no time spent encoding."""
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before


__all__ = ["render_pdf", "ReportCancelled", "FAMILY"]
