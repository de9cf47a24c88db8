"""One page of a long table drawn straight onto the canvas: the same marks as a reportlab Table, fewer steps.

A 10,000-line register is a thousand pages of plain text lines and grid lines.
reportlab's Table draws each line of each cell as a text object of its own and
rebuilds the cell styles of every page; here a page's lines go into one text
object per font, each cell's lines one under the other, and the grid is one
path. The repeated header (bold paragraphs, the numbered row) is drawn once
into a form that every page shows, so each page only places it.

Positions follow reportlab's Table for string cells exactly (top-aligned, the
first baseline one font size under the top padding; centred lines around the
padded middle), so the page looks the same as the Table it replaces.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

from ntm_desktop.reports.pdf_fonts import BOLD, REGULAR

PAD_TOP, PAD_BOTTOM, PAD_SIDE = 2, 3, 3
GRID_WIDTH = 0.5
DATA, HEADING, TOTAL = "data", "heading", "total"
_ROUND = 1  # the cap and join reportlab's Table gives its grid lines
_ANCHORS = {"left": 0.0, "center": 0.5, "centre": 0.5, "right": 1.0}


@lru_cache(maxsize=50_000)
def _line_width(line: str, font: str, size: float) -> float:
    return stringWidth(line, font, size)


def table_style(header_rows: int, aligns: list[str], kinds: list[str], font_size: float, grid: bool = True) -> list:
    """The style of a reportlab Table with these header rows and rows (used where a page is not plain text)."""
    leading = font_size * 1.2
    h = header_rows
    style = [
        ("FONT", (0, 0), (-1, -1), REGULAR, font_size, leading),
        *([("GRID", (0, 0), (-1, -1), GRID_WIDTH, colors.black)] if grid else []),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_SIDE),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_SIDE),
    ]
    if h:
        style += [
            ("FONT", (0, 0), (-1, h - 1), BOLD, font_size, leading),
            ("VALIGN", (0, 0), (-1, h - 1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, h - 1), "CENTER"),
        ]
    for col, align in enumerate(aligns):
        if align != "left":
            style.append(("ALIGN", (col, h), (col, -1), align.upper()))
    for i, kind in enumerate(kinds, start=h):
        if kind == HEADING:
            style += [("SPAN", (0, i), (-1, i)), ("FONT", (0, i), (-1, i), BOLD, font_size, leading)]
        elif kind == TOTAL:
            style.append(("FONT", (0, i), (-1, i), BOLD, font_size, leading))
    return style


def plain_rows(rows: list[list]) -> bool:
    """True when every cell is a string: such rows can be drawn line by line."""
    return all(isinstance(cell, str) for row in rows for cell in row)


class TablePage(Flowable):
    """The header and `rows` of one page, each row `heights[i]` points tall; rows are lists of strings."""

    def __init__(self, header: list[list], header_heights: list[float], rows: list[list[str]], kinds: list[str],
                 heights: list[float], widths: list[float], aligns: list[str], font_size: float):
        super().__init__()
        self.header, self.header_heights = header, header_heights
        self.rows, self.kinds, self.heights = rows, kinds, heights
        self.widths, self.aligns, self.font_size = widths, aligns, font_size
        self.leading = font_size * 1.2
        self.width = sum(widths)
        self._lefts = [sum(widths[:i]) for i in range(len(widths))]
        self.height = sum(header_heights) + sum(heights)

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self):
        canv = self.canv
        header_height = sum(self.header_heights)
        canv.saveState()
        canv.translate(0, self.height - header_height)
        canv.doForm(self._header_form())
        canv.restoreState()
        canv.saveState()
        canv.setFillColor(colors.black)
        self._draw_text()
        self._draw_grid()
        canv.restoreState()

    def _header_form(self) -> str:
        """The header's text drawn once per document into a form that later pages reuse (the grid is the page's)."""
        canv = self.canv
        forms = canv.__dict__.setdefault("_ntm_table_headers", {})
        entry = forms.get(id(self.header))
        if entry is not None and entry[0] is self.header:
            return entry[1]
        name = f"NtmTableHeader{len(forms) + 1}"
        forms[id(self.header)] = (self.header, name)  # the header is kept alive, so its id stays its own
        height = sum(self.header_heights)
        table = RLTable(self.header, colWidths=self.widths, rowHeights=self.header_heights, hAlign="LEFT")
        table.setStyle(TableStyle(table_style(len(self.header), self.aligns, [], self.font_size, grid=False)))
        margin = GRID_WIDTH * 2
        canv.beginForm(name, -margin, -margin, self.width + margin, height + margin)
        table.wrapOn(canv, self.width, height)
        table.drawOn(canv, 0, 0)
        canv.endForm()
        return name

    def _draw_text(self) -> None:
        """Each font's cells in one text object, in the positions reportlab's Table gives string cells."""
        size = self.font_size
        regular, bold = [], []  # (x, first baseline, lines, anchor): anchor 0 left, 0.5 centred, 1 right of x
        top = self.height - sum(self.header_heights)
        for row, kind, height in zip(self.rows, self.kinds, self.heights):
            first = top - PAD_TOP - size
            if kind == HEADING:  # one cell across the table, aligned as the first column
                cells = [(row[0], 0.0, self.width, self.aligns[0])]
            else:
                cells = zip(row, self._lefts, self.widths, self.aligns)
            target = regular if kind == DATA else bold
            for cell, left, width, align in cells:
                if cell:
                    anchor = _ANCHORS[align]
                    target.append((left + PAD_SIDE + anchor * (width - 2 * PAD_SIDE), first, cell.split("\n"), anchor))
            top -= height
        for font, cells in ((REGULAR, regular), (BOLD, bold)):
            if cells:
                self._text_object(font, cells)

    def _text_object(self, font: str, cells: list[tuple[float, float, list[str], float]]) -> None:
        """A left-aligned cell is placed once and its lines follow one leading apart; others line by line."""
        size, leading = self.font_size, self.leading
        text = self.canv.beginText()
        text.setFont(font, size, leading)
        for x, y, lines, anchor in cells:
            if not anchor:
                text.setTextOrigin(x, y)
                for line in lines:
                    text.textLine(line)
                continue
            for line in lines:
                if line:
                    text.setTextOrigin(x - anchor * _line_width(line, font, size), y)
                    text.textLine(line)
                y -= leading
        self.canv.drawText(text)

    def _draw_grid(self) -> None:
        """Row lines across the table; column lines from the top, broken by rows that span the table.

        Each line is stroked on its own, as reportlab's Table does, so the corners blend the same.
        """
        canv = self.canv
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(GRID_WIDTH)
        canv.setLineCap(_ROUND)
        canv.setLineJoin(_ROUND)
        right = self.width
        y = self.height
        bounds = [y]
        for height in [*self.header_heights, *self.heights]:
            y -= height
            bounds.append(y)
        lines = [(0, y, right, y) for y in bounds]
        edges = [0.0]
        for width in self.widths:
            edges.append(edges[-1] + width)
        lines += [(0, bounds[0], 0, bounds[-1]), (right, bounds[0], right, bounds[-1])]
        kinds = [*([DATA] * len(self.header_heights)), *self.kinds, HEADING]
        start = None  # the top of the current run of rows that do not span the table
        for i, kind in enumerate(kinds):
            if kind != HEADING and start is None:
                start = bounds[i]
            elif kind == HEADING and start is not None:
                lines += [(x, start, x, bounds[i]) for x in edges[1:-1]]
                start = None
        for x0, y0, x1, y1 in lines:
            canv.line(x0, y0, x1, y1)
