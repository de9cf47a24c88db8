"""Vietnamese text: NFC storage, diacritic-free folding for search, Vietnamese sort keys."""

from __future__ import annotations

import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str | None) -> str | None:
    """Return text in NFC with surrounding whitespace removed (None stays None). A NUL character, which no
    Vietnamese text holds and the office's PostgreSQL server refuses in a text, is dropped."""
    if text is None:
        return None
    return unicodedata.normalize("NFC", text.replace("\x00", "")).strip()


class _FoldTable(dict):
    """str.translate table filled on first use: each character to its lower-case, mark-free form."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐ":
            folded = "d"
        else:
            folded = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).lower()
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str | None) -> str:
    """Lower-case, diacritic-free form used for search ("Đạt chuẩn" -> "dat chuan")."""
    if not text:
        return ""
    return " ".join(text.translate(_FOLD).split())  # runs of whitespace as one space, none at the ends


# Vietnamese alphabet order; letters outside it sort after by code point.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_BASE_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# Tone marks in the conventional order: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a distinct letter (ă, â, ê, ô, ơ, ư) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def _letter(ch: str) -> tuple[str, int]:
    """One lower-case NFC character as (base letter with its letter marks, tone rank)."""
    if ch == "đ":
        return "đ", 0
    parts = unicodedata.normalize("NFD", ch)
    base, tone = parts[0], 0
    for mark in parts[1:]:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _LETTER_MARKS:
            base += mark
    return unicodedata.normalize("NFC", base), tone


def _letter_code(base: str) -> str:
    rank = _BASE_RANK.get(base)
    if rank is not None:
        return chr(0x4E00 + rank)
    if base.isspace():
        return " "
    if base.isdigit():
        return chr(0x3000 + ord(base) - ord("0"))
    return chr(0x5000 + ord(base[0]) % 0x4000)


class _SortTable(dict):
    """str.translate table filled on first use: a character to its letter code, or (tones) its tone digit."""

    def __init__(self, part: int):
        super().__init__()
        self.part = part

    def __missing__(self, code: int) -> str:
        base, tone = _letter(chr(code))
        value = _letter_code(base) if self.part == 0 else str(tone)
        self[code] = value
        return value


_SORT_LETTERS, _SORT_TONES = _SortTable(0), _SortTable(1)


def sort_key(text: str | None) -> str:
    """A string whose plain binary order is Vietnamese alphabetical order.

    Letters are compared first ("Ân" after "An", "Đ" after "D"), tones only
    to break ties, as in Vietnamese dictionaries. Stored in indexed columns so
    SQLite sorts 100,000 rows without calling back into Python.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text.lower())
    return text.translate(_SORT_LETTERS) + "\u0001" + text.translate(_SORT_TONES)
