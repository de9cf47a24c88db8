"""Rebuild a directive's paragraphs from the positions of its characters on the page.

What a signed PDF gives is characters at positions. This module turns them back into the lines a person reads:
- lines that wrap at the column's edge are joined into one paragraph; a numbered item or a bullet (1., 1.1, a),
  -, +, •, *) always starts its own line, so does an indented first line, a change of type size or a wider gap;
- the page number and running headers or footers (the same text at the same place on several pages) are dropped;
- a row holding two blocks side by side (the agency beside the national motto, "Nơi nhận" beside the signature,
  "Kính gửi:" beside its list) is read as the left block, then the right block;
- a ruled table keeps one line per row, its cells joined by " | " (a task table becomes one task per row).

Every output line keeps the page and the boxes it came from, so a value can be shown where it stands on the page.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ntm_desktop.intake.pdf_chars import Char, PageChars

Box = tuple[int, float, float, float, float]  # page, x0, top, x1, bottom (points from the page's top-left corner)

MARKER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]|[IVX]{1,5}\.|[a-zđ]\)|[-+•*–]|Điều \d+)\s")
_PAGE_NUMBER = re.compile(r"^(?:[-–]\s*)?(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–])?$", re.I)


@dataclass
class Segment:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


@dataclass
class VisualLine:
    segments: list[Segment]

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1

    @property
    def top(self) -> float:
        return min(s.top for s in self.segments)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segments)

    @property
    def size(self) -> float:
        return max(s.size for s in self.segments)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


@dataclass
class SourceLine:
    """One line of the extracted text: a paragraph, a list item, a table row or a header line."""

    text: str
    page: int | None = None
    boxes: list[Box] = field(default_factory=list)
    kind: str = "text"  # "text" or "row"


@dataclass
class _Para:
    lines: list[VisualLine]
    page: int
    left: float
    right: float

    def text(self) -> str:
        out = ""
        for line in self.lines:
            t = line.text
            if not out:
                out = t
            elif re.search(r"[\w/]-$|/$", out) and t[:1].isalnum():
                out += t  # "10-" + "NQ/TW", "2021-" + "2025": a token broken at the line end
            else:
                out += " " + t
        return out


def segments_of(chars: list[Char]) -> list[Segment]:
    """Runs of characters on one baseline, split where a gap is wider than a column gutter (one pass: pages are
    read character by character, so this loop is the reading's cost)."""
    out: list[Segment] = []
    parts: list[str] = []
    first = last = None  # first and last inked character of the current run
    top = bottom = size = 0.0
    pending_space = False
    for c in chars:
        if c.ch == " ":
            pending_space = first is not None
            continue
        if last is not None:
            big = last.size if last.size > c.size else c.size
            if big < 4.0:
                big = 4.0
            mid = (c.top + c.bottom) * 0.5
            if (mid < last.top - 0.25 * big or mid > last.bottom + 0.25 * big or c.x0 < last.x1 - 0.5 * big
                    or c.x0 - last.x1 > 1.8 * big):
                out.append(Segment("".join(parts), first.x0, top, last.x1, bottom, size or 10.0))
                parts, first, last, pending_space = [], None, None, False
            elif pending_space or c.x0 - last.x1 > 0.22 * big:
                parts.append(" ")
        if first is None:
            first, top, bottom, size = c, c.top, c.bottom, c.size
        else:
            if c.top < top:
                top = c.top
            if c.bottom > bottom:
                bottom = c.bottom
            if c.size > size:
                size = c.size
        parts.append(c.ch)
        last = c
        pending_space = False
    if first is not None:
        out.append(Segment("".join(parts), first.x0, top, last.x1, bottom, size or 10.0))
    return out


def visual_lines(segments: list[Segment]) -> list[VisualLine]:
    """Segments grouped into lines (same band of height), top to bottom, each left to right."""
    lines: list[VisualLine] = []
    for seg in sorted(segments, key=lambda s: ((s.top + s.bottom) / 2, s.x0)):
        mid = (seg.top + seg.bottom) / 2
        if lines:
            last = lines[-1]
            top, bottom = last.top, last.bottom
            overlaps = any(s.x0 < seg.x1 and seg.x0 < s.x1 for s in last.segments)
            if top <= mid <= bottom and not overlaps:
                last.segments.append(seg)
                last.segments.sort(key=lambda s: s.x0)
                continue
        lines.append(VisualLine([seg]))
    return lines


# --- tables

@dataclass
class _Table:
    x0: float
    top: float
    x1: float
    bottom: float
    cols: list[float]
    rows: list[float]

    def holds(self, c: Char) -> bool:
        cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        return self.x0 <= cx <= self.x1 and self.top <= cy <= self.bottom


def _cluster(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def find_tables(page: PageChars) -> list[_Table]:
    """Ruled tables: groups of crossing horizontal and vertical rules with at least two columns."""
    h = page.hrules
    v = page.vrules
    if len(h) < 2 or len(v) < 3:
        return []
    items = [("h", r) for r in h] + [("v", r) for r in v]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (ki, (hy, hx0, hx1)) in enumerate(items[: len(h)]):
        for j in range(len(h), len(items)):
            vx, vt, vb = items[j][1]
            if hx0 - 2 <= vx <= hx1 + 2 and vt - 2 <= hy <= vb + 2:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(find(i), []).append(i)
    tables = []
    for members in groups.values():
        hs = [items[i][1] for i in members if items[i][0] == "h"]
        vs = [items[i][1] for i in members if items[i][0] == "v"]
        cols = _cluster([r[0] for r in vs])
        rows = _cluster([r[0] for r in hs])
        if len(cols) < 3 or len(rows) < 2:
            continue
        tables.append(_Table(cols[0], rows[0], cols[-1], rows[-1], cols, rows))
    return tables


def _table_lines(table: _Table, chars: list[Char], page: int) -> list[tuple[float, SourceLine]]:
    cells: dict[tuple[int, int], list[Char]] = {}
    for c in chars:
        cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        col = min(max(bisect_right(table.cols, cx) - 1, 0), len(table.cols) - 2)
        row = min(max(bisect_right(table.rows, cy) - 1, 0), len(table.rows) - 2)
        cells.setdefault((row, col), []).append(c)
    out = []
    for row in range(len(table.rows) - 1):
        texts = []
        for col in range(len(table.cols) - 1):
            lines = visual_lines(segments_of(cells.get((row, col), [])))
            texts.append(" ".join(_Para(lines, page, 0, 0).text().split()) if lines else "")
        if any(texts):
            box = (page, table.cols[0], table.rows[row], table.cols[-1], table.rows[row + 1])
            out.append((table.rows[row], SourceLine(" | ".join(texts), page, [box], "row")))
    return out


# --- page furniture

def _furniture_key(line: VisualLine) -> str:
    return re.sub(r"\d+", "#", line.text.strip().lower())


def drop_furniture(pages: list[tuple[PageChars, list[VisualLine]]]) -> None:
    """Remove page numbers and running headers/footers (in place)."""
    seen: dict[str, set[int]] = {}
    bands = []
    for page, lines in pages:
        top_band, bottom_band = 0.1 * page.height, 0.9 * page.height
        for line in lines:
            if line.bottom <= top_band or line.top >= bottom_band:
                seen.setdefault(_furniture_key(line), set()).add(page.index)
        bands.append((top_band, bottom_band))
    repeated = {k for k, v in seen.items() if len(v) >= 2 and len(pages) >= 2}
    for (page, lines), (top_band, bottom_band) in zip(pages, bands):
        keep = []
        for line in lines:
            edge = line.bottom <= top_band or line.top >= bottom_band
            if edge and (_PAGE_NUMBER.match(line.text.strip()) or _furniture_key(line) in repeated):
                continue
            keep.append(line)
        lines[:] = keep


# --- columns and paragraphs

def _gaps(line: VisualLine) -> list[tuple[float, float]]:
    """Gaps between a line's segments wide enough to be a gutter between two blocks."""
    out = []
    for a, b in zip(line.segments, line.segments[1:]):
        if b.x0 - a.x1 >= 1.8 * max(a.size, b.size):
            out.append((a.x1, b.x0))
    return out


def _subtract(free: list[tuple[float, float]], line: VisualLine, min_width: float) -> list[tuple[float, float]]:
    """The parts of the free intervals that none of the line's segments cover."""
    out = []
    for g0, g1 in free:
        pieces = [(g0, g1)]
        for s in line.segments:
            nxt = []
            for a, b in pieces:
                if s.x1 <= a or s.x0 >= b:
                    nxt.append((a, b))
                    continue
                if s.x0 > a:
                    nxt.append((a, s.x0))
                if s.x1 < b:
                    nxt.append((s.x1, b))
            pieces = nxt
        out.extend((a, b) for a, b in pieces if b - a >= min_width)
    return out


def _side(lines: list[VisualLine], left: bool, g0: float, g1: float) -> list[VisualLine]:
    out = []
    for line in lines:
        segs = [s for s in line.segments if (s.x1 <= g0 + 1 if left else s.x0 >= g1 - 1)]
        if segs:
            out.append(VisualLine(segs))
    return out


def _first_word_width(line: VisualLine) -> float:
    seg = line.segments[0]
    word = seg.text.split(" ", 1)[0]
    return (seg.x1 - seg.x0) * len(word) / max(len(seg.text), 1)


def _joinable(prev: VisualLine, cur: VisualLine, left: float, right: float, same_page: bool = True) -> bool:
    size = max(prev.size, 4.0)
    text = cur.text
    if MARKER.match(text) or abs(cur.size - prev.size) > 1.0:
        return False
    if same_page and cur.top - prev.bottom > 0.95 * size:
        return False
    if prev.text.rstrip().endswith("./."):
        return False
    centre = (left + right) / 2
    prev_centered = abs((prev.x0 + prev.x1) / 2 - centre) < 0.6 * size and prev.x0 > left + 1.5 * size
    free = (right - left) - (prev.x1 - prev.x0) if prev_centered else right - prev.x1
    if free > _first_word_width(cur) + 0.5 * size:
        return False  # the next word would have fitted: the previous line ended its paragraph
    centered = abs((cur.x0 + cur.x1) / 2 - centre) < 0.6 * size and cur.x0 > left + 1.5 * size
    if not centered and cur.x0 > prev.x0 + 0.7 * size and cur.x0 > left + 0.7 * size:
        return False  # an indented first line
    letters_prev = [c for c in prev.text if c.isalpha()]
    letters_cur = [c for c in text if c.isalpha()]
    if letters_prev and letters_cur:
        up_prev = all(c.isupper() for c in letters_prev)
        up_cur = all(c.isupper() for c in letters_cur)
        if up_prev and not up_cur or up_cur and not up_prev and len(letters_cur) >= 8:
            return False  # a heading in capitals and the text under it
    return True


def _paragraphs(lines: list[VisualLine], page: int, bounds: tuple[float, float] | None = None) -> list[_Para]:
    if not lines:
        return []
    left, right = bounds or (min(line.x0 for line in lines), max(line.x1 for line in lines))
    paras: list[_Para] = []
    for line in lines:
        if paras and _joinable(paras[-1].lines[-1], line, left, right):
            paras[-1].lines.append(line)
        else:
            paras.append(_Para([line], page, left, right))
    return paras


def _page_blocks(page: PageChars, lines: list[VisualLine], body: tuple[float, float]):
    """(top, paragraph) in reading order: flow paragraphs, and blocks side by side read left block first."""
    out: list[tuple[float, _Para]] = []
    flow: list[VisualLine] = []

    def flush_flow() -> None:
        for p in _paragraphs(flow, page.index, body):
            out.append((p.lines[0].top, p))
        flow.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        free = _gaps(line)
        if not free:
            flow.append(line)
            i += 1
            continue
        block = [line]
        j = i + 1
        while j < len(lines):
            nxt = lines[j]
            size = max(nxt.size, block[-1].size)
            if nxt.top - block[-1].bottom > 1.2 * size:
                break
            narrowed = _subtract(free, nxt, 2.0)
            if not narrowed:
                break
            free = narrowed
            block.append(nxt)
            j += 1
        g0, g1 = max(free, key=lambda g: g[1] - g[0])
        flush_flow()
        top = block[0].top
        for side in (True, False):
            for p in _paragraphs(_side(block, side, g0, g1), page.index):
                out.append((top, p))
                top += 0.001
        i = j
    flush_flow()
    return out


def _body_bounds(lines: list[VisualLine], page: PageChars) -> tuple[float, float]:
    """The text column's left and right edges: where most full lines start and end."""
    if not lines:
        return 0.0, page.width
    x0s = sorted(line.x0 for line in lines)
    x1s = sorted(line.x1 for line in lines)
    left = x0s[len(x0s) // 10]
    right = x1s[-1 - len(x1s) // 10] if len(x1s) > 3 else x1s[-1]
    return left, max(right, left + 1)


def layout_pages(pages: list[PageChars]) -> list[SourceLine]:
    """The logical lines of the pages, in reading order."""
    prepared = []
    for page in pages:
        tables = find_tables(page)
        in_table: dict[int, list[Char]] = {k: [] for k in range(len(tables))}
        flow_chars: list[Char] = []
        for c in page.chars:
            for k, t in enumerate(tables):
                if t.holds(c):
                    in_table[k].append(c)
                    break
            else:
                flow_chars.append(c)
        lines = visual_lines(segments_of(flow_chars))
        prepared.append((page, lines, tables, in_table))
    drop_furniture([(p, lines) for p, lines, _t, _c in prepared])

    out: list[SourceLine] = []
    last_para: _Para | None = None
    for page, lines, tables, in_table in prepared:
        body = _body_bounds([ln for ln in lines if not _gaps(ln)], page)
        items: list[tuple[float, object]] = list(_page_blocks(page, lines, body))
        for k, t in enumerate(tables):
            items.extend(_table_lines(t, in_table[k], page.index))
        items.sort(key=lambda item: item[0])
        for n, (_top, item) in enumerate(items):
            if isinstance(item, SourceLine):
                out.append(item)
                last_para = None
                continue
            para: _Para = item
            if n == 0 and last_para is not None and out and out[-1].kind == "text" \
                    and _joinable(last_para.lines[-1], para.lines[0], last_para.left, last_para.right, False) \
                    and para.lines[0].x0 <= para.left + 0.7 * para.lines[0].size:
                # A paragraph that goes on from the previous page.
                last_para.lines.extend(para.lines)
                out[-1].text = last_para.text()
                out[-1].boxes.extend(_boxes(para))
                continue
            out.append(SourceLine(para.text(), page.index, _boxes(para)))
            last_para = para
    return out


def _boxes(para: _Para) -> list[Box]:
    return [(para.page, ln.x0, ln.top, ln.x1, ln.bottom) for ln in para.lines]
