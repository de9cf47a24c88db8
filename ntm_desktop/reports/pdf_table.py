"""A long table that pages itself in linear time, repeating its header on every page.

reportlab's Table re-measures all remaining rows at each page break, which is
quadratic for a 10,000-line register. PagedTable measures each row once, cuts
the rows that fit into a plain Table per page, and never leaves a group
heading alone at the bottom of a page.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

from ntm_desktop.reports.pdf_fonts import BOLD, REGULAR

PAD_TOP, PAD_BOTTOM, PAD_SIDE = 2, 3, 3
DATA, HEADING, TOTAL = "data", "heading", "total"


def _cell_height(cell, width: float, leading: float) -> float:
    if hasattr(cell, "wrap"):
        return cell.wrap(width - 2 * PAD_SIDE, 10_000)[1]
    return leading * (cell.count("\n") + 1)


class PagedTable(Flowable):
    def __init__(self, header: list[list], rows: list[list], kinds: list[str], widths: list[float],
                 aligns: list[str], font_size: float, heights: list[float] | None = None,
                 header_heights: list[float] | None = None):
        super().__init__()
        self.header, self.rows, self.kinds = header, rows, kinds
        self.widths, self.aligns, self.font_size = widths, aligns, font_size
        self.leading = font_size * 1.2
        self._heights = heights
        self._header_heights = header_heights

    def _measure(self) -> None:
        if self._heights is not None:
            return
        pad = PAD_TOP + PAD_BOTTOM
        self._header_heights = [
            max(_cell_height(c, w, self.leading) for c, w in zip(row, self.widths)) + pad for row in self.header
        ]
        heights = []
        for row, kind in zip(self.rows, self.kinds):
            if kind == HEADING:
                heights.append(_cell_height(row[0], sum(self.widths), self.leading) + pad)
            else:
                heights.append(max(_cell_height(c, w, self.leading) for c, w in zip(row, self.widths)) + pad)
        self._heights = heights

    def wrap(self, avail_width, avail_height):
        self._measure()
        self.width = sum(self.widths)
        self.height = sum(self._header_heights) + sum(self._heights)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        self._measure()
        room = avail_height - sum(self._header_heights)
        used, n = 0.0, 0
        while n < len(self.rows) and used + self._heights[n] <= room:
            used += self._heights[n]
            n += 1
        while n > 0 and self.kinds[n - 1] == HEADING:  # a heading goes with its first row
            n -= 1
        if n == 0:
            return []
        if n >= len(self.rows):
            return [self._table(0, len(self.rows))]
        rest = PagedTable(self.header, self.rows[n:], self.kinds[n:], self.widths, self.aligns, self.font_size,
                          self._heights[n:], self._header_heights)
        return [self._table(0, n), rest]

    def draw(self):
        table = self._table(0, len(self.rows))
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)

    def _table(self, start: int, stop: int) -> RLTable:
        h = len(self.header)
        data = [*self.header, *self.rows[start:stop]]
        table = RLTable(data, colWidths=self.widths, rowHeights=[*self._header_heights, *self._heights[start:stop]],
                        repeatRows=h, hAlign="LEFT")
        style = [
            ("FONT", (0, 0), (-1, -1), REGULAR, self.font_size, self.leading),
            ("FONT", (0, 0), (-1, h - 1), BOLD, self.font_size, self.leading),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("VALIGN", (0, 0), (-1, h - 1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, h - 1), "CENTER"),
            ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP),
            ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD_SIDE),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD_SIDE),
        ]
        for col, align in enumerate(self.aligns):
            if align != "left":
                style.append(("ALIGN", (col, h), (col, -1), align.upper()))
        for i, kind in enumerate(self.kinds[start:stop], start=h):
            if kind == HEADING:
                style += [("SPAN", (0, i), (-1, i)), ("FONT", (0, i), (-1, i), BOLD, self.font_size, self.leading)]
            elif kind == TOTAL:
                style.append(("FONT", (0, i), (-1, i), BOLD, self.font_size, self.leading))
        table.setStyle(TableStyle(style))
        return table
