"""Clean pasted directive text into a list of lines the extractors can rely on.

Pasted text comes from PDF extraction (pdftotext layout, form feeds, page
numbers, lines wrapped at the page width), from Word (table cells joined
with " | ") and from markdown conversions (``**bold**``, ``#`` headings).
Cleaning keeps one logical line per paragraph, bullet, heading or table row.
"""

from __future__ import annotations

import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


class _FoldTable(dict):
    """str.translate table for fold_keep, filled one character at a time as characters are met."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if code < 128:
            folded = ch.lower()
        else:
            base = unicodedata.normalize("NFD", ch.translate(_D_MAP))[0]
            folded = base.lower() if len(base.lower()) == 1 else base
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold_keep(text: str) -> str:
    """Diacritic-free lower-case form with exactly one character per input character.

    Unlike ``ntm_desktop.text.fold`` it keeps offsets, so a match found in the
    folded form maps back to the same span of the original (NFC) text.
    """
    return text.translate(_FOLD_TABLE)


# A list marker at the start of a line: "1.", "1.2.", "a)", "II.", "-", "+", "•".
MARKER = re.compile(
    r"^(?:(?P<num>\d{1,2}(?:\.\d{1,2})*)[.)]|(?P<roman>[IVX]{1,5})\.|(?P<letter>[a-zđ])\)|(?P<bullet>[-+•–]))\s+"
)
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?$", re.I)
_TIMESTAMP = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:AM|PM))?,?\s+\d{1,2}/\d{1,2}/\d{2,4}$|^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:AM|PM))?$", re.I)
_RULE = re.compile(r"^[_=~\-.*·]{3,}$")
_PORTAL = {
    "trang chu", "dang nhap", "dang ky", "tim kiem", "lien he", "so do cong", "ban in", "in trang",
    "gui email", "chia se", "quay lai", "len dau trang", "van ban moi", "tin tuc", "gioi thieu",
    "ngay dang", "luot xem", "tai ve", "tai xuong", "in", "dong", "email", "facebook", "twitter",
}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_TERMINAL = (".", ":", ";", "!", "?", "./.")
_CELL_SPLIT = re.compile(r"\s*\|\s*")


def _fix_tokens(line: str) -> str:
    """Remove stray spaces inside numbers, symbols and dates."""
    line = re.sub(r"(\d)\s+/\s*(?=[A-ZĐ])", r"\1/", line)  # "5973 /UBND-KT"
    line = re.sub(r"(?<=[A-ZĐ])\s*-\s+(?=[A-ZĐ]{2})", "-", line)  # "UBND- KT"
    line = re.sub(r"\b(\d{1,4})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\b", r"\1/\2/\3", line)  # "30/ 10/2023"
    line = re.sub(r"\b(\d{1,2})\s+/\s*(\d{4})\b", r"\1/\2", line)  # "tháng 9 /2026"
    line = re.sub(r"(\d+)-\s+(?=[A-ZĐ]{1,5}/)", r"\1-", line)  # "10- NQ/TW" after a line join
    line = re.sub(r"\bSố\s*:\s*", "Số: ", line)
    # An unnumbered copy read by OCR loses the slash of "Số: /UBND-KT".
    line = re.sub(r"^Số: (?=[A-ZĐ]{2,}[A-ZĐa-z]*-[A-ZĐ])", "Số: /", line)
    line = re.sub(r"\s+([,;.:)])(?=\s|$)", r"\1", line)
    return line


# Web portal chrome around a directive copied from a page: update times, view counters, share buttons, menus.
_CHROME = re.compile(
    r"^(?:ngay )?(?:cap nhat|dang|dang tai|dang luc|ngay dang|xuat ban)(?: luc| ngay)?\s*:?\s*[\d(].*$|"
    r"^(?:so )?luot (?:xem|doc|truy cap)\s*:?\s*[\d.,]+$|^[\d.,]+\s+luot (?:xem|doc)$|"
    r"^trang chu\s*(?:[>»/|›-].*)?$|^co chu\s*:?.*$|^nghe (?:doc )?bai(?: viet)?$"
)
_SHARE_WORDS = {
    "chia se", "zalo", "facebook", "twitter", "in", "in bai", "in bai viet", "gui email", "gui bai", "email",
    "ban in", "tai ve", "tai xuong", "luu", "luu bai", "thich", "like", "share", "tweet", "print", "copy link",
    "sao chep lien ket", "gop y", "a", "a-", "a+", "x", "linkedin", "telegram", "messenger",
}
_CHROME_WORDS = re.compile(
    r"(?<![\w+-])(?:" + "|".join(re.escape(p) for p in sorted(_SHARE_WORDS | _PORTAL, key=len, reverse=True))
    + r")(?![\w+-])"
)
_RELATED = {
    "tin lien quan", "cac tin khac", "bai viet lien quan", "tin cung chuyen muc", "van ban lien quan",
    "tin moi hon", "tin cu hon", "binh luan", "y kien ban doc", "gui y kien",
}


def _is_furniture(line: str) -> bool:
    if _PAGE_NUMBER.match(line) or _TIMESTAMP.match(line) or _RULE.match(line):
        return True
    folded = fold_keep(line).strip(" .:|")
    if folded in _PORTAL or _CHROME.match(folded):
        return True
    if len(folded) <= 90:
        # Only button and menu words: "Chia sẻ | Facebook | Zalo | In", "Trang chủ | Giới thiệu | Liên hệ".
        return not re.search(r"\w", _CHROME_WORDS.sub(" ", folded))
    return False


def _strip_portal_tail(lines: list[str]) -> list[str]:
    """Drop what a portal shows after the document: related news, comments."""
    for i, line in enumerate(lines):
        if i > 10 and fold_keep(line).strip(" .:|") in _RELATED:
            return lines[:i]
    return lines


_FOOTNOTE_START = re.compile(r"^\s*(\d{1,2})\s+(?=[A-ZĐÀ-Ỹ])")
# A footnote as cleaning leaves it: a line of its own that starts with its number and a space.
FOOTNOTE = re.compile(r"^\d{1,2} (?=[A-ZĐÀ-Ỹ])")


def _move_footnotes(lines: list[str]) -> list[str]:
    """A footnote printed at a page's foot ("khoáng sản1" ... "1 Các quy định ...") moves out of the sentence it cut.

    The footnote runs from its number to the page number; it is put after the paragraph that goes on at the next
    page, as a line of its own, and its mark is taken off the word it was glued to.
    """
    out = list(lines)
    i = 0
    while i < len(out):
        m = _FOOTNOTE_START.match(out[i])
        if not m or i == 0 or out[i - 1].strip():
            i += 1
            continue
        mark = re.compile(rf"(?<=[^\W\d_]){m.group(1)}(?=[\s.,;:)]|$)")
        cited = next((k for k in range(i - 1, max(-1, i - 40), -1) if mark.search(out[k])), None)
        end = next((k for k in range(i + 1, min(len(out), i + 40)) if _PAGE_NUMBER.match(out[k].strip())), None)
        if cited is None or end is None:
            i += 1
            continue
        note = [line.strip() for line in out[i:end] if line.strip()]
        rest = out[:i] + out[end:]
        rest[cited] = mark.sub("", rest[cited], count=1)
        k = i + 1  # the page goes on: skip the page break, then the paragraph it continues
        while k < len(rest) and not rest[k].strip():
            k += 1
        while k < len(rest) and rest[k].strip() and not MARKER.match(rest[k].strip()):
            k += 1
        out = rest[:k] + ["", " ".join(note), ""] + rest[k:]
        i = k + 2
    return out


def _starts_lower(line: str) -> bool:
    ch = line[:1]
    return ch.isalpha() and ch.islower()


def clean_lines(text: str) -> list[str]:
    """Return the cleaned lines of a pasted directive (no empty lines kept at the ends)."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\u2028", "\n")
    text = text.replace("\t", "    ")
    text = re.sub(r"\*{4,}", "\n", text)  # markdown cells run together: "...QUANG****CỘNG HOÀ"
    text = text.replace("*", "")
    raw: list[tuple[str, int, int]] = []  # (line, indentation, width of its last physical line)
    physical = _move_footnotes(_strip_portal_tail(text.split("\n")))
    wrap = wrap_width(physical)
    from ntm_desktop.parsing.cell_table import rebuild_cell_tables  # (it reads unit names, which use this module)

    physical = rebuild_cell_tables(physical)
    # (line, width of its last physical line): a joined line "ends" where its last piece ended.
    pieces = unwrap(physical, wrap) if wrap else [(line, len(line.rstrip())) for line in physical]
    for line, last_width in pieces:
        line = re.sub(r"^\s*#{1,6}\s+", "", line)
        if "|" in line and line.count("|") < 4:
            # A flattened layout table (header, signature): one line per cell.
            for cell in _CELL_SPLIT.split(line):
                raw.append((cell, 0, len(cell)))
            continue
        indent = len(line) - len(line.lstrip(" "))
        raw.append((line, indent, last_width))

    out: list[str] = []
    indents: list[int] = []
    widths: list[int] = []
    blank_before = False
    for line, indent, width in raw:
        line = _SPACES.sub(" ", line).strip()
        if not line:
            blank_before = True
            continue
        if _is_furniture(line):
            continue
        if out and _should_join(out[-1], widths[-1], indents[-1], line, indent, blank_before):
            out[-1] = _fix_tokens(out[-1] + " " + line)
            widths[-1] = width
        else:
            if blank_before and out:
                out.append("")
                indents.append(0)
                widths.append(0)
            out.append(_fix_tokens(line))
            indents.append(indent)
            widths.append(width)
        blank_before = False
    return out


def wrap_width(lines: list[str]) -> int | None:
    """The width a text was hard-wrapped at (a mail client, a PDF viewer's copy), or None."""
    lengths = sorted(len(line.rstrip()) for line in lines if len(line.strip()) > 20)
    if len(lengths) < 8:
        return None
    width = lengths[int(len(lengths) * 0.95) - 1]
    if width < 40 or width > 140:
        return None
    near = sum(1 for n in lengths if width - 14 <= n <= width)
    return width if near >= 0.4 * len(lengths) else None


_ROW_START = re.compile(r"^\s*\d{1,3}\s*\|")


def unwrap(lines: list[str], width: int) -> list[tuple[str, int]]:
    """Join the lines of a text hard-wrapped at `width`: a line ended early only if the next word would have fitted.

    Blank lines, list markers, table rows that start with their number and lines ending a paragraph ("./.", ":")
    are kept apart.
    """
    out: list[tuple[str, int]] = []
    for line in lines:
        stripped = line.strip()
        if out and stripped and out[-1][0].strip() and not MARKER.match(stripped) and not _ROW_START.match(line):
            prev, last_width = out[-1][0].rstrip(), out[-1][1]
            ends = prev.endswith("./.") or prev.endswith(":") and not _starts_lower(stripped)
            if not ends and last_width + 1 + len(stripped.split(" ", 1)[0]) > width:
                out[-1] = (prev + " " + stripped, len(line.rstrip()))
                continue
        out.append((line, len(line.rstrip())))
    return out


def _is_caps_block(line: str) -> bool:
    """Two or more words in capitals ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "KẾ HOẠCH"...), not an abbreviation."""
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 6 and " " in line.strip() and all(ch.isupper() for ch in letters)


# A short note in brackets on a line of its own, ending its item: "(b/c);", "(để báo cáo)", "(để thực hiện)."
_ASIDE = re.compile(r"^\([^()]{1,30}\)[;.,]?$")


def _should_join(prev: str, prev_width: int, prev_indent: int, line: str, indent: int, blank: bool) -> bool:
    if not prev or "|" in prev or "|" in line:
        return False
    if MARKER.match(line):
        return False
    if re.search(r"\d[-/]$", prev) and re.match(r"[A-ZĐ]{1,6}[/-]", line):
        return True  # a number and symbol broken at the line end: "Chỉ thị số 11-" + "CT/TU ngày …"
    if _starts_lower(line):
        # A sentence that goes on after a line break (even across a blank line).
        return not prev.endswith(("./.", ":"))
    if blank:
        return False
    if _is_caps_block(line) and not _is_caps_block(prev):
        return False  # a header block under a sentence (the motto under a "V/v" subject, a title under the body)
    if prev.endswith(_TERMINAL):
        return False
    if _ASIDE.match(line):
        return True  # a recipient's note wrapped in a narrow column: "- Thường trực Tỉnh ủy" + "(b/c);"
    if line[:1].isdigit():
        return True  # "… chậm nhất đến ngày" + "01 tháng 7 năm 2028": a number goes on the sentence
    if prev.endswith(",") and not prev.isupper():
        return True  # a list or a sentence goes on after a comma: "- Các Sở: Công Thương, Tài chính," + "Xây dựng;"
    if indent > prev_indent + 3 and prev_indent >= 0 and indent >= 6:
        return False  # a new indented paragraph in a PDF layout
    # A line wrapped at the page width in a PDF: the previous line is long.
    return prev_width >= 60 and len(prev) >= 55
