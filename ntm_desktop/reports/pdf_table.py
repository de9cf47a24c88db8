"""A long table that pages itself in linear time, repeating its header on every page.

reportlab's Table re-measures all remaining rows at each page break, which is
quadratic for a 10,000-line register. PagedTable measures each row once, cuts
the rows that fit into one page (pdf_table_page.TablePage draws it), and never
leaves a group heading alone at the bottom of a page.

A tall row (a task of ten lines in a register) is split between its lines when
only part of it fits, so a page is filled instead of ending in a blank gap.
A `tail` (the signature block) is kept on the page of the table's last lines:
when it does not fit under them, the last rows move to the next page with it.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

from ntm_desktop.reports.pdf_table_page import (
    DATA, HEADING, PAD_BOTTOM, PAD_SIDE, PAD_TOP, TOTAL, TablePage, plain_rows, table_style,
)

__all__ = ["PagedTable", "DATA", "HEADING", "TOTAL", "PAD_SIDE", "TAIL_GAP"]

MIN_SPLIT_LINES = 2  # a split row leaves at least this many lines on each page
TAIL_GAP = 8  # points between the table and its tail
TAIL_ROWS = 2  # rows that go with the tail when it does not fit under the table


def _cell_height(cell, width: float, leading: float) -> float:
    if hasattr(cell, "wrap"):
        return cell.wrap(width - 2 * PAD_SIDE, 10_000)[1]
    return leading * (cell.count("\n") + 1)


def _line_count(row: list) -> int:
    """Lines of a row of plain strings, or 0 when a cell is a flowable (such a row is not split)."""
    if not all(isinstance(cell, str) for cell in row):
        return 0
    return max(cell.count("\n") + 1 for cell in row)


def _split_row(row: list[str], lines: int) -> tuple[list[str], list[str]]:
    head, rest = [], []
    for cell in row:
        parts = cell.split("\n")
        head.append("\n".join(parts[:lines]))
        rest.append("\n".join(parts[lines:]))
    return head, rest


class PagedTable(Flowable):
    def __init__(self, header: list[list], rows: list[list], kinds: list[str], widths: list[float],
                 aligns: list[str], font_size: float, heights: list[float] | None = None,
                 header_heights: list[float] | None = None, tail: Flowable | None = None):
        super().__init__()
        self.header, self.rows, self.kinds = header, rows, kinds
        self.widths, self.aligns, self.font_size = widths, aligns, font_size
        self.leading = font_size * 1.2
        self._heights = heights
        self._header_heights = header_heights
        self.tail = tail
        self._tail_height = 0.0

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

    def _measure_tail(self, avail_width: float) -> float:
        if self.tail is None:
            return 0.0
        self._tail_height = TAIL_GAP + self.tail.wrap(avail_width, 10_000)[1]
        return self._tail_height

    def wrap(self, avail_width, avail_height):
        self._measure()
        self.width = sum(self.widths)
        self.height = sum(self._header_heights) + sum(self._heights) + self._measure_tail(avail_width)
        return self.width, self.height

    def _rest(self, rows: list[list], kinds: list[str], heights: list[float]) -> PagedTable:
        return PagedTable(self.header, rows, kinds, self.widths, self.aligns, self.font_size, heights,
                          self._header_heights, self.tail)

    def split(self, avail_width, avail_height):
        self._measure()
        room = avail_height - sum(self._header_heights)
        used, n = 0.0, 0
        while n < len(self.rows) and used + self._heights[n] <= room:
            used += self._heights[n]
            n += 1
        if n >= len(self.rows):
            tail_height = self._measure_tail(avail_width)
            if used + tail_height <= room:
                return [self._table(0, n), *self._tail_flowables()]
            n = max(0, n - TAIL_ROWS)  # the signature never stands alone on its page
        elif self.kinds[n] != HEADING:
            parts = self._split_at_line(n, room - used)
            if parts:
                return parts
        while n > 0 and self.kinds[n - 1] == HEADING:  # a heading goes with its first row
            n -= 1
        if n == 0:
            return []
        return [self._table(0, n), self._rest(self.rows[n:], self.kinds[n:], self._heights[n:])]

    def _split_at_line(self, n: int, room: float) -> list | None:
        """Row `n` cut where the page ends: its first lines here, the others at the top of the next page."""
        lines = _line_count(self.rows[n])
        pad = PAD_TOP + PAD_BOTTOM
        fit = min(int((room - pad) // self.leading), lines - MIN_SPLIT_LINES)
        if fit < MIN_SPLIT_LINES:
            return None
        head, rest = _split_row(self.rows[n], fit)
        rest_lines = _line_count(rest)
        here = PagedTable(self.header, [*self.rows[:n], head], self.kinds[:n + 1], self.widths, self.aligns,
                          self.font_size, [*self._heights[:n], fit * self.leading + pad], self._header_heights)
        after = self._rest([rest, *self.rows[n + 1:]], self.kinds[n:],
                           [rest_lines * self.leading + pad, *self._heights[n + 1:]])
        return [here._table(0, n + 1), after]

    def _tail_flowables(self) -> list:
        if self.tail is None:
            return []
        return [Spacer(1, TAIL_GAP), self.tail]

    def draw(self):
        table = self._table(0, len(self.rows))
        table_height = self.height - self._tail_height
        table.wrapOn(self.canv, self.width, table_height)
        table.drawOn(self.canv, 0, self._tail_height)
        if self.tail is not None:
            self.tail.wrapOn(self.canv, self.width, self._tail_height)
            self.tail.drawOn(self.canv, 0, 0)

    def _table(self, start: int, stop: int) -> Flowable:
        """The rows start..stop under the header: drawn line by line when all are text, else as a Table."""
        rows, kinds, heights = self.rows[start:stop], self.kinds[start:stop], self._heights[start:stop]
        if plain_rows(rows):
            return TablePage(self.header, self._header_heights, rows, kinds, heights, self.widths, self.aligns,
                             self.font_size)
        table = RLTable([*self.header, *rows], colWidths=self.widths, rowHeights=[*self._header_heights, *heights],
                        repeatRows=len(self.header), hAlign="LEFT")
        table.setStyle(TableStyle(table_style(len(self.header), self.aligns, kinds, self.font_size)))
        return table
