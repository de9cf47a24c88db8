"""A task table copied out of a PDF viewer: one line per wrapped piece of each cell, rebuilt into rows.

A viewer copies a table cell by cell, each cell's text wrapped at the column's
width, so an annex row "1 | Tổ chức quán triệt ... | Các Sở, ban, ngành; UBND
các xã, phường | ... | Xong trong Quý II/2026" arrives as some twenty short
lines. The rows are found by their numbers (1, 2, 3 ... in order, at the start
of a line); within a row, each cell starts on a line of its own with a capital
letter (or, where cells side by side share a copied line, before a capitalised
word within it: tried only when no split at line starts fits), the lead unit's
cell is a chain of unit names and nothing else, the time cell starts as a
deadline, a period or a recurrence does. The split that satisfies
these is the row, written back as "N | task | lead | cooperating | time" for the
table reader. Rows no split satisfies are left as they came.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ntm_desktop.parsing.cleaning import fold_keep

_HEADER_START = re.compile(r"^\s*S?TT\b")
_ROW = re.compile(r"^\s*(\d{1,3})\s+(\S.*)$")
_COLUMN_NUMBERS = re.compile(r"^\s*(?:\(\d{1,2}\)\s*)+$")
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*-)?\s*$", re.I)
_COLUMNS = (
    ("task", re.compile(r"ten nhiem vu|noi dung|nhiem vu")),
    ("lead", re.compile(r"chu tri")),
    ("coop", re.compile(r"phoi hop")),
    ("time", re.compile(r"thoi gian|thoi han")),
)
_NO_DATE = ("thuong xuyen", "khan truong", "lien tuc", "hang nam", "hang quy", "hang thang", "dinh ky")
_LABELS = {"task": "Nội dung", "lead": "Đơn vị chủ trì", "coop": "Đơn vị phối hợp", "time": "Thời gian hoàn thành"}
_MAX_HEADER_LINES = 16
_MAX_LEAD = 200  # characters of a lead cell: a few unit names
_MAX_ROW_PIECES = 80  # a row longer than this is not a row: the table has ended


def _columns(header: str) -> list[str] | None:
    """The table's columns in order, when it is a task table (task first, a lead column)."""
    folded = fold_keep(header)
    found = []
    for name, pattern in _COLUMNS:
        m = pattern.search(folded)
        if m:
            found.append((m.start(), name))
    names = [name for _, name in sorted(found)]
    if not names or names[0] != "task" or "lead" not in names:
        return None
    return names


def _header_end(lines: list[str], i: int, row: int = 1) -> tuple[int, list[str]] | None:
    """If a table header starts at line i (followed by row number `row`): the index of that row and the columns."""
    if not _HEADER_START.match(lines[i]) or lines[i].count("|") >= 2:
        return None  # (a table that keeps its cells apart needs no rebuilding)
    for j in range(i + 1, min(len(lines), i + _MAX_HEADER_LINES)):
        m = _ROW.match(lines[j])
        if m and int(m.group(1)) == row:
            columns = _columns(" ".join(lines[i:j]))
            return (j, columns) if columns else None
    return None


@lru_cache(maxsize=4096)
def _is_lead(text: str) -> bool:
    from ntm_desktop.parsing.units import unit_chain

    text = text.strip(" ,;.")
    if len(text) > _MAX_LEAD:
        return False
    chain = unit_chain(text)
    return bool(chain) and chain[0] == 0 and chain[1] >= len(text) - 1


@lru_cache(maxsize=4096)
def _is_units(text: str) -> bool:
    from ntm_desktop.parsing.units import unit_at_start

    span = unit_at_start(text.strip())
    return bool(span) and span[0] == 0


@lru_cache(maxsize=4096)
def _is_time(text: str) -> bool:
    from ntm_desktop.parsing.deadline_text import find_deadline

    if _is_units(text):
        return False
    folded = fold_keep(text).strip(" .")
    if folded.startswith(_NO_DATE):
        return True
    if not _TIME_START.match(folded):
        return False
    found = find_deadline(text, cell=True)
    return bool(found.deadline or found.recurrence)


_CAPITALS = "".join(ch for ch in map(chr, range(0x41, 0x1EFA)) if ch.isalpha() and ch.isupper())
_WORD_CAPITAL = re.compile(r" (?=[" + _CAPITALS + r"])")


def _line_pieces(line: str) -> list[str]:
    """A copied line cut before each capitalised word: where cells side by side share a line, the viewer joins
    their first lines ("Sở Tài chính Sở Nông" is the lead cell's "Sở Tài chính" and the next cell's "Sở Nông")."""
    return [p for p in _WORD_CAPITAL.split(line.strip()) if p]


# How a time cell starts: "Trước ngày …", "Trong năm …", "Quý II/2026", "Tháng 10/2026", "Hằng quý", "Thường xuyên".
_TIME_START = re.compile(
    r"^(?:truoc|trong|xong|hoan thanh|quy|thang|nam|hang|dinh ky|thuong xuyen|ngay|cham nhat|han|tu|den|\d|"
    r"khan truong|lien tuc|sau|cuoi|dau|giai doan|hoan tat|ket thuc)"
)


def _split(pieces: list[str], columns: list[str], last: bool, line_starts: set[int] | None = None
           ) -> tuple[list[str], int] | None:
    """The row's cells (joined pieces per column) and how many pieces they use, or None.

    Cells start at pieces that begin a line of the copy (`line_starts`) when such a split exists; else also within
    a line, before a capitalised word.
    """
    if line_starts is not None:
        at_lines = [k for k in sorted(line_starts) if k > 0 and pieces[k][:1].isupper()]
        split = _split_at(pieces, columns, last, at_lines)
        if split is not None:
            return split
    return _split_at(pieces, columns, last, None)


def _split_at(pieces: list[str], columns: list[str], last: bool, allowed: list[int] | None
              ) -> tuple[list[str], int] | None:
    """A split whose cells start at the `allowed` pieces (None: at any capitalised piece)."""
    starts = allowed if allowed is not None else [k for k, p in enumerate(pieces) if k > 0 and p[:1].isupper()]
    n = len(pieces)

    def cell(a: int, b: int) -> str:
        return " ".join(p.strip() for p in pieces[a:b])

    def fill(col: int, at: int) -> tuple[list[str], int] | None:
        """Cells for columns[col:] from piece `at`; the last column ends the row (or, for the last row, may not)."""
        name = columns[col]
        if col == len(columns) - 1:
            ends = range(at + 1, n + 1) if last else (n,)  # the last row: the shortest cell, the rest is text
            for end in ends:
                if _fits(name, cell(at, end)):
                    return [cell(at, end)], end
            return None
        nexts = [k for k in starts if k > at]
        if name == "lead":
            nexts = sorted(nexts, reverse=True)  # the longest chain of units
        for nxt in nexts:
            text = cell(at, nxt)
            if not _fits(name, text):
                continue
            rest = fill(col + 1, nxt)
            if rest:
                return [text] + rest[0], rest[1]
        return None

    for a in starts:
        rest = fill(1, a)
        if rest:
            return [cell(0, a)] + rest[0], rest[1]
    return None


def _fits(name: str, text: str) -> bool:
    if not text:
        return False
    if name == "lead":
        return _is_lead(text)
    if name == "coop":
        return _is_units(text)
    if name == "time":
        return _is_time(text)
    return True


def _rows(lines: list[str], first: int, columns: list[str]) -> tuple[list[str | list[str]], int]:
    """The rows from line `first` on: rebuilt rows as strings, rows no split fits as their lines; the end index."""
    rows: list[str | list[str]] = []
    pieces: list[str] = []
    line_starts: set[int] = set()  # the pieces that begin a line of the copy
    raw: list[str] = []
    raw_of: list[int] = []  # for each piece, the index in `raw` of the line it was cut from
    number = 0

    def close(last: bool) -> None:
        if not pieces:
            return
        split = _split(pieces, columns, last, line_starts)
        if split is None:
            rows.append(list(raw))
            return
        cells, used = split
        rows.append(" | ".join([str(number)] + cells))
        if used < len(pieces):
            rows.append(_rest(used))

    def _rest(used: int) -> list[str]:
        """What follows the row's cells (the text after the table) as the lines it came in: the rest of the line
        the last cell ended in, then the lines after it, blank lines and all."""
        k = raw_of[used]
        if used in line_starts:
            return raw[k:]
        tail = " ".join(p for p, line in zip(pieces[used:], raw_of[used:]) if line == k)
        return [tail] + raw[k + 1:]

    i = first
    while i < len(lines):
        line = lines[i]
        m = _ROW.match(line)
        if m and int(m.group(1)) == number + 1:
            close(False)
            number += 1
            pieces, raw = _line_pieces(m.group(2)), [line]
            raw_of[:] = [0] * len(pieces)
            line_starts.clear()
            line_starts.add(0)
        elif not line.strip() or _PAGE_NUMBER.match(line) or _COLUMN_NUMBERS.match(line):
            raw.append(line)
        elif _HEADER_START.match(line) and (again := _header_end(lines, i, number + 1)):
            i = again[0]  # the header again at the top of the next page
            continue
        elif len(pieces) > _MAX_ROW_PIECES:
            break
        else:
            line_starts.add(len(pieces))
            cut = _line_pieces(line)
            pieces.extend(cut)
            raw_of.extend([len(raw)] * len(cut))
            raw.append(line)
        i += 1
    close(True)
    return rows, i


def rebuild_cell_tables(lines: list[str]) -> list[str]:
    """Lines with each task table copied cell by cell rebuilt as " | " rows (other lines untouched)."""
    if not any(_HEADER_START.match(line) for line in lines):
        return lines
    out: list[str] = []
    i = 0
    while i < len(lines):
        head = _header_end(lines, i)
        if head is None:
            out.append(lines[i])
            i += 1
            continue
        first, columns = head
        rows, end = _rows(lines, first, columns)
        if sum(1 for row in rows if isinstance(row, str)) < 2:
            out.extend(lines[i:first])  # not a table this reader can rebuild: the lines as they came
            i = first
            continue
        out.append(" | ".join(["TT"] + [_LABELS[c] for c in columns]))
        out.append("")
        for row in rows:
            out.extend([row, ""] if isinstance(row, str) else row)
        i = end
    return out
