"""A ReportDocument as an Excel workbook that prints well: one sheet per table, A4.

Text is always written as text: a value starting with =, +, - or @ is never a
formula. Numbers are numbers and dates are dates (shown dd/mm/yyyy); a fraction
carries a number format, so Excel and LibreOffice show it with the reader's
decimal separator (a comma in Vietnamese).

Spreadsheet programs do not grow a row for wrapped text written by a file, so
every row gets a height from its wrapped text: the lines each cell needs at its
column width, measured with Liberation Serif (the metrics of Times New Roman).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Callable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ntm_desktop.reports.document import (
    HANDWRITTEN_NAME, GroupHeading, Heading, Paragraph, ReportDocument, Table, TotalRow, signer_name_line,
    vn_place_date,
)
from ntm_desktop.reports.pdf_fonts import BOLD as BOLD_FACE
from ntm_desktop.reports.pdf_fonts import BOLD_ITALIC as BOLD_ITALIC_FACE
from ntm_desktop.reports.pdf_fonts import ITALIC as ITALIC_FACE
from ntm_desktop.reports.pdf_fonts import REGULAR as REGULAR_FACE
from ntm_desktop.reports.pdf_fonts import register_fonts
from ntm_desktop.reports.pdf_wrap import wrap_lines
from ntm_desktop.reports.request import ReportCancelled
from ntm_desktop.text import nfc

FONT_NAME = "Times New Roman"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
REGULAR = Font(name=FONT_NAME, size=12)
BOLD = Font(name=FONT_NAME, size=12, bold=True)
ITALIC = Font(name=FONT_NAME, size=12, italic=True)
TITLE = Font(name=FONT_NAME, size=14, bold=True)
MOTTO = Font(name=FONT_NAME, size=13, bold=True, underline="single")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(wrap_text=True, horizontal="center", vertical="center")
CENTRE_TOP = Alignment(wrap_text=True, horizontal="center", vertical="top")
DATE_FORMAT = "DD/MM/YYYY"
VIETNAMESE = "[$-42A]"  # the locale tag of Vietnamese (LCID 0x042A) in a number format
FORMULA_STARTS = ("=", "+", "-", "@")
PORTRAIT_WIDTH_MM = 165  # A4 portrait between the decree's side margins

# Row heights. One unit of column width is the digit width of the workbook's default font (Calibri 11:
# 7 px at 96 dpi, 5.25 pt), which is also about the room a cell gives its text per unit. Spreadsheet
# programs measure with screen metrics and may wrap a little earlier than an exact measure, hence the
# safety factor: a line too many is blank space, a line too few is text cut off on paper. Excel gives
# each line of Times New Roman 12 pt 15.75 pt (1.31 times the size; LibreOffice needs a little less).
CHAR_POINTS = 5.25
WRAP_SAFETY = 0.95
LINE_FACTOR = 1.31
ROW_PADDING_POINTS = 1
DEFAULT_COLUMN_WIDTH = 8.43
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def number_format(decimals: int) -> str:
    """A fraction's format, tagged Vietnamese: LibreOffice then shows a decimal comma on any system;
    Excel shows the separator of the reader's Windows settings (a comma in Vietnamese)."""
    return f"{VIETNAMESE}0.{'0' * decimals}"


def safe_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", nfc(value))


def write(ws: Worksheet, row: int, col: int, value, font=REGULAR, align=WRAP, border=None):
    """Write one cell: strings as text (never formulas), dates as dates, numbers as numbers."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = safe_text(value)
        cell.value = text
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    else:
        cell.value = value
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT
    cell.font = font
    cell.alignment = align
    if border:
        cell.border = border
    return cell


def _merged(ws: Worksheet, row: int, first: int, last: int, value, font=REGULAR, align=CENTRE) -> None:
    write(ws, row, first, value, font, align)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def sheet_name(caption: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", nfc(caption)).strip()[:31] or "Trang"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


_FACES = {(False, False): REGULAR_FACE, (True, False): BOLD_FACE, (False, True): ITALIC_FACE,
          (True, True): BOLD_ITALIC_FACE}


@lru_cache(maxsize=50_000)
def text_lines(text: str, width_chars: float, size: float, bold: bool = False, italic: bool = False) -> int:
    """How many lines `text` takes when wrapped in a cell `width_chars` wide (Excel's unit)."""
    usable = max(width_chars * CHAR_POINTS * WRAP_SAFETY, 6.0)
    if "\n" not in text and len(text) * size <= usable:  # no letter is wider than its size: one line
        return 1
    register_fonts()
    return max(1, len(wrap_lines(text, usable, _FACES[(bool(bold), bool(italic))], size)))


def _column_width(ws: Worksheet, col: int) -> float:
    dimension = ws.column_dimensions.get(get_column_letter(col))
    return dimension.width if dimension is not None and dimension.customWidth else DEFAULT_COLUMN_WIDTH


def _text_style(cell, cache: dict) -> tuple[float, bool, bool, bool]:
    """(size, bold, italic, wraps) of a cell, read once per style (openpyxl's style proxies are slow)."""
    key = (cell._style.fontId, cell._style.alignmentId)
    if key not in cache:
        font, alignment = cell.font, cell.alignment
        cache[key] = (float(font.sz or 11), bool(font.b), bool(font.i), bool(alignment.wrap_text))
    return cache[key]


def fit_row_heights(ws: Worksheet) -> None:
    """Give every row the height its wrapped text needs (merged cells: over their merged width)."""
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for merged in ws.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = (merged.min_col, merged.max_col)
        covered.update((r, c) for r in range(merged.min_row, merged.max_row + 1)
                       for c in range(merged.min_col, merged.max_col + 1))
    widths = {c: _column_width(ws, c) for c in range(1, ws.max_column + 1)}
    styles: dict = {}
    for row in ws.iter_rows():
        needed = 0.0
        for cell in row:
            if cell.value is None:
                continue
            key = (cell.row, cell.column)
            if key in covered and key not in spans:
                continue
            size, bold, italic, wraps = _text_style(cell, styles)
            lines = 1
            if wraps and isinstance(cell.value, str):
                first, last = spans.get(key, (cell.column, cell.column))
                width = sum(widths.get(c, DEFAULT_COLUMN_WIDTH) for c in range(first, last + 1))
                lines = text_lines(cell.value, width, size, bold, italic)
            needed = max(needed, lines * size * LINE_FACTOR + ROW_PADDING_POINTS)
        if needed:
            ws.row_dimensions[row[0].row].height = round(needed, 2)


def _print_setup(ws: Worksheet, title_rows: tuple[int, int], first_data: int, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left, ws.page_margins.right = 30 / 25.4, 15 / 25.4
    ws.page_margins.top, ws.page_margins.bottom = 20 / 25.4, 20 / 25.4
    ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    ws.freeze_panes = ws.cell(row=first_data, column=1)
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.print_options.horizontalCentered = True


def _header_block(ws: Worksheet, doc: ReportDocument, ncols: int) -> int:
    p = doc.profile
    split = max(1, ncols * 2 // 5)
    if doc.official_header:
        _merged(ws, 1, 1, split, p.parent_name.upper())
        _merged(ws, 2, 1, split, p.office_name.upper(), BOLD)
        _merged(ws, 3, 1, split, p.number_line(doc.number))
        _merged(ws, 1, split + 1, ncols, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", BOLD)
        _merged(ws, 2, split + 1, ncols, "Độc lập - Tự do - Hạnh phúc", MOTTO)
        _merged(ws, 3, split + 1, ncols, vn_place_date(p.place_name, doc.issue_date), ITALIC)
        row = 5
    else:
        _merged(ws, 1, 1, ncols, p.parent_name.upper())
        _merged(ws, 2, 1, ncols, p.office_name.upper(), BOLD)
        row = 4
    _merged(ws, row, 1, ncols, doc.title.upper(), TITLE)
    row += 1
    for line in (doc.subtitle, doc.addressee):
        if line:
            _merged(ws, row, 1, ncols, line, ITALIC)
            row += 1
    return row + 1


def _table(ws: Worksheet, table: Table, row: int) -> tuple[int, tuple[int, int], int]:
    ncols = len(table.columns)
    for col, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = column.excel_width or max(5.0, column.width_mm * 0.55)
        write(ws, row, col, column.title, BOLD, CENTRE, BORDER)
    first_header = row
    if table.numbered_header:
        row += 1
        for col in range(1, ncols + 1):
            write(ws, row, col, f"({col})", BOLD, CENTRE, BORDER)
    title_rows = (first_header, row)
    row += 1
    first_data = row
    aligns = [WRAP if c.kind == "text" else CENTRE_TOP for c in table.columns]
    formats = [number_format(c.decimals) if c.kind == "number" and c.decimals else None for c in table.columns]
    if not table.rows:
        _merged(ws, row, 1, ncols, table.empty_text, ITALIC, WRAP)
        row += 1
    for item in table.rows:
        if isinstance(item, GroupHeading):
            for col in range(1, ncols + 1):
                ws.cell(row=row, column=col).border = BORDER
            _merged(ws, row, 1, ncols, item.text, BOLD, WRAP)
        else:
            cells, font = (item.cells, BOLD) if isinstance(item, TotalRow) else (item, REGULAR)
            for col, value in enumerate(cells, start=1):
                cell = write(ws, row, col, value if value is not None else "", font, aligns[col - 1], BORDER)
                if formats[col - 1] and isinstance(value, float):
                    cell.number_format = formats[col - 1]
        row += 1
    return row, title_rows, first_data


def _signature(ws: Worksheet, doc: ReportDocument, row: int, ncols: int) -> None:
    """'Nơi nhận' over the left half, the signature block over the right half."""
    p = doc.profile
    widths = [_column_width(ws, c) for c in range(1, ncols + 1)]
    split = min(range(1, max(ncols, 2)), key=lambda k: abs(sum(widths[:k]) - sum(widths[k:])))
    left = Alignment(wrap_text=True, vertical="top")
    _merged(ws, row, 1, split, "Nơi nhận:", Font(name=FONT_NAME, size=12, bold=True, italic=True), left)
    for i, line in enumerate(p.recipient_lines(), start=1):
        _merged(ws, row + i, 1, split, line, Font(name=FONT_NAME, size=11), left)
    name = signer_name_line(p)
    lines = [(p.signing_form.upper(), BOLD), (p.signer_title.upper(), BOLD)]
    lines = [line for line in lines if line[0]]
    lines += [("", BOLD)] * 4 + [(name, REGULAR if name == HANDWRITTEN_NAME else BOLD)]
    for i, (line, font) in enumerate(lines):
        if line:
            _merged(ws, row + i, split + 1, ncols, line, font)


def _paragraph(ws: Worksheet, row: int, ncols: int, text: str, font) -> int:
    _merged(ws, row, 1, ncols, text, font, WRAP)
    return row + 1


def render_xlsx(doc: ReportDocument, out: Path, on_sheet: Callable[[int], bool] | None = None) -> None:
    """Write the workbook; `on_sheet(n)` is called after each sheet and returns False to cancel."""
    wb = Workbook()
    used: set[str] = set()
    ws = wb.active
    ncols = len(doc.tables[0].columns) if doc.tables else 8
    ws.title = sheet_name(doc.tables[0].caption if doc.tables else doc.title, used)
    row = _header_block(ws, doc, ncols)
    pending: list[tuple[str, Font]] = []  # headings (and their paragraphs) wait for their table's sheet
    previous_caption = None
    tables_done = 0
    for block in doc.blocks:
        if isinstance(block, Heading):
            pending.append((block.text, BOLD))
        elif isinstance(block, Paragraph):
            font = ITALIC if block.italic else REGULAR
            if pending or not tables_done:
                pending.append((block.text, font))
            else:
                row = _paragraph(ws, row, ncols, block.text, font)
        else:
            ncols = len(block.columns)
            if tables_done and block.caption != previous_caption:
                ws = wb.create_sheet(sheet_name(block.caption, used))
                _merged(ws, 1, 1, ncols, doc.title.upper(), TITLE)
                if doc.subtitle:
                    _merged(ws, 2, 1, ncols, doc.subtitle, ITALIC)
                row = 4
            elif tables_done:
                row += 1
            for text, font in pending:
                row = _paragraph(ws, row, ncols, text, font)
            pending = []
            row, title_rows, first_data = _table(ws, block, row)
            if block.caption != previous_caption:
                wide = doc.landscape or sum(c.width_mm for c in block.columns) > PORTRAIT_WIDTH_MM
                _print_setup(ws, title_rows, first_data, wide)
            previous_caption = block.caption
            tables_done += 1
            if on_sheet and on_sheet(tables_done) is False:
                raise ReportCancelled()
    for text, font in pending:
        row = _paragraph(ws, row, ncols, text, font)
    if doc.signature:
        _signature(ws, doc, row + 1, ncols)
    for sheet in wb.worksheets:
        fit_row_heights(sheet)
    wb.properties.title = nfc(doc.title)
    wb.properties.creator = "NTM Desktop"
    wb.save(out)
