"""Find the deadline of one instruction: a date, a period due at its end, a recurrence or none.

Only phrases that limit completion count ("trước ngày 30/10/2023", "chậm nhất
ngày 01 tháng 7 năm 2028", "hoàn thành trong Quý III năm 2024", "vào năm 2025",
"hết năm 2025"). Dates of cited documents ("Kế hoạch số 03/KH-UBND ngày
11/01/2024"), meeting dates ("buổi làm việc ... ngày 29/9/2023") and years that
only label a plan ("kế hoạch năm 2024") are not deadlines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ntm_desktop.parsing.cleaning import fold_keep
from ntm_desktop.services.deadlines import DeadlineError, Recurrence, parse_period


@dataclass(frozen=True)
class DeadlineFound:
    deadline: str | None  # ISO date
    text: str | None  # the phrase as written
    recurrence: str | None  # Recurrence value
    start: int = -1  # span of `text` in the searched string
    end: int = -1


_DATE = r"(\d{1,2})\s*(?:/|-|\.|\s+thang\s+)\s*(\d{1,2})\s*(?:/|-|\.|\s+nam\s+)\s*(\d{4})"
_ROMAN = r"(?:iv|iii|ii|i|[1-4])"
_PERIOD = (
    rf"(?:quy\s+{_ROMAN}\s*(?:/|-|\s+nam\s+|\s+)\s*\d{{4}}"
    r"|thang\s+\d{1,2}\s*(?:/|-|\s+nam\s+)\s*\d{4}"
    r"|nam\s+\d{4})"
)
_COMPLETION = r"(?:(?:thoi gian|thoi han)\s+(?:thuc hien\s+)?(?:hoan thanh\s+|xong\s+)?|(?:dam bao|bao dam|phan dau)\s+hoan thanh\s+|(?:hoan thanh|xong|hoan tat|ket thuc)(?:\s+dung thoi han)?\s+)?"

# Explicit dates: "trước ngày 30/10/2023", "chậm nhất (đến|là) ngày 01 tháng 7 năm 2028", "hạn: 15/9/2025".
_DATE_RE = re.compile(
    _COMPLETION
    + r"(?:truoc|cham nhat(?:\s+(?:den|la|vao|truoc))?|han(?:\s+chot)?(?:\s+la)?|den het|xong truoc|trong)\s+(?:ngay\s+)?"
    + _DATE
)
# A period after a completion word: "hoàn thành trong Quý III năm 2024", "xong trong tháng 6/2026".
_PERIOD_DONE_RE = re.compile(
    r"(?:(?:thoi gian|thoi han)\s+(?:thuc hien\s+)?(?:hoan thanh|xong)|(?:dam bao|bao dam|phan dau)\s+hoan thanh|hoan thanh|xong|hoan tat|ket thuc)"
    r"(?:[^.;:]{0,60}?)\s+(?:trong|truoc|vao|den het|het|cuoi)\s+(" + _PERIOD + r")"
)
# A period on its own with a limiting preposition: "vào năm 2025", "hết năm 2025", "trong Quý III/2024".
_PERIOD_RE = re.compile(
    r"(?:(?:de|den)\s+)?(?:vao|het|den het|cuoi|truoc)\s+(" + _PERIOD + r")"
    r"|trong\s+((?:quy\s+" + _ROMAN + r"|thang\s+\d{1,2})\s*(?:/|-|\s+nam\s+|\s+)\s*\d{4})"
)
_RECUR_RE = re.compile(
    r"(?:dinh ky\s+)?(?:hang|hàng)\s+(thang|quy|nam)(?:\s*\(\s*truoc ngay\s+\d{1,2}(?:/\d{1,2})?\s*\))?"
    r"|truoc ngay\s+\d{1,2}\s+(?:hang|cua moi)\s+(thang|quy|nam)"
)
# The same without a year, read in the directive's own year: "trước ngày 15/3", "hoàn thành trong tháng 6",
# "trong quý II" (a date already past the directive's date is next year's).
_NO_YEAR = r"(?!\s*(?:/|-|\.|\s+nam\s+)?\s*\d)"
_DATE_NO_YEAR_RE = re.compile(
    _COMPLETION
    + r"(?:truoc|cham nhat(?:\s+(?:den|la|vao|truoc))?|han(?:\s+chot)?(?:\s+la)?|den het|xong truoc|trong)\s+ngay\s+"
    + r"(\d{1,2})\s*(?:/|-|\s+thang\s+)\s*(\d{1,2})" + _NO_YEAR
)
_PERIOD_NO_YEAR_RE = re.compile(
    r"(?:(?:hoan thanh|xong|hoan tat|ket thuc)(?:[^.;:]{0,60}?)\s+)?(?:trong|truoc|vao|den het|het|cuoi)\s+"
    r"(quy\s+" + _ROMAN + r"|thang\s+\d{1,2})" + _NO_YEAR + r"(?!\s*(?:hang|hàng|cua moi)\b)"
)
_NO_DEADLINE = re.compile(r"^(thuong xuyen|khan truong|kip thoi|ngay sau khi|dinh ky)\b")
_RECUR_VALUE = {"thang": Recurrence.MONTHLY.value, "quy": Recurrence.QUARTERLY.value, "nam": Recurrence.YEARLY.value}


def _iso(day: int, month: int, year: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _period_end(phrase: str) -> str | None:
    try:
        return parse_period(phrase).end.isoformat()
    except (DeadlineError, ValueError):
        return None


def _is_citation(folded: str, start: int) -> bool:
    """True when the date at `start` belongs to a cited document or a meeting."""
    before = folded[max(0, start - 40):start]
    return bool(re.search(r"\d+/[a-z0-9&\-/]+\s+(?:cua [^,;]{0,20})?$", before))


def _without_year(folded: str, document_date: str) -> tuple[str, int, int] | None:
    """A date or a period written without its year, in the year of `document_date` (ISO, "YYYY[-MM[-DD]]")."""
    year = int(document_date[:4])
    m = _DATE_NO_YEAR_RE.search(folded)
    if m and not _is_citation(folded, m.start()):
        day, month = int(m.group(1)), int(m.group(2))
        iso = _iso(day, month, year)
        if iso and iso < document_date[: len(iso)]:
            iso = _iso(day, month, year + 1)
        return (iso, m.start(), m.end()) if iso else None
    m = _PERIOD_NO_YEAR_RE.search(folded)
    if m:
        iso = _period_end(f"{m.group(1)}/{year}")
        if iso and iso[: len(document_date)] < document_date[: len(iso)]:
            iso = _period_end(f"{m.group(1)}/{year + 1}")
        return (iso, m.start(), m.end()) if iso else None
    return None


def find_deadline(text: str, cell: bool = False, document_date: str | None = None) -> DeadlineFound:
    """Find the deadline of an instruction's text.

    `cell` is True for a "Thời gian thực hiện" table cell, where a bare period
    ("Trong năm 2026", "Quý II/2026") is a deadline by itself. `document_date`
    (the directive's own date, ISO, the day or month may be missing) gives its
    year to a deadline written without one ("trước ngày 15/3", "trong tháng 6").
    """
    folded = fold_keep(text)
    best: tuple[int, str, int, int] | None = None  # (priority, iso, start, end)

    for m in _DATE_RE.finditer(folded):
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso and not _is_citation(folded, m.start()):
            best = (3, iso, m.start(), m.end())
            break
    if best is None:
        m = _PERIOD_DONE_RE.search(folded)
        if m:
            iso = _period_end(m.group(1))
            if iso:
                best = (2, iso, m.start(), m.end())
    if best is None:
        for m in _PERIOD_RE.finditer(folded):
            phrase = m.group(1) or m.group(2)
            iso = _period_end(phrase)
            if iso:
                best = (1, iso, m.start(), m.end())
                break
    if best is None and document_date and re.match(r"\d{4}", document_date):
        found = _without_year(folded, document_date)
        if found:
            best = (1, *found)
    if best is None and cell:
        m = re.search(_PERIOD, folded)
        if m:
            iso = _period_end(m.group(0))
            if iso:
                best = (1, iso, 0, len(text))
    recurrence = None
    rm = _RECUR_RE.search(folded)
    if rm and (rm.start() < 3 or "dinh ky" in rm.group(0) or cell or rm.group(2)):
        recurrence = _RECUR_VALUE[rm.group(1) or rm.group(2)]
    if best is not None:
        _, iso, s, e = best
        return DeadlineFound(iso, text[s:e].strip(" ,;."), recurrence, s, e)
    if recurrence:
        return DeadlineFound(None, text[rm.start():rm.end()].strip(" ,;."), recurrence, rm.start(), rm.end())
    lead = folded.lstrip("-+• ")
    offset = len(folded) - len(lead)
    nm = _NO_DEADLINE.match(lead)
    if nm and nm.group(1) in ("thuong xuyen", "khan truong"):
        return DeadlineFound(None, text[offset:offset + nm.end()], None, offset, offset + nm.end())
    if cell:
        words = text.strip()
        return DeadlineFound(None, words or None, None, 0, len(text)) if words else DeadlineFound(None, None, None)
    return DeadlineFound(None, None, None)
