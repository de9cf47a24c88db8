"""Vietnamese text: NFC storage, diacritic-free folding for search, Vietnamese sort keys."""

from __future__ import annotations

import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"\s+")


def nfc(text: str | None) -> str | None:
    """Return text in NFC with surrounding whitespace removed (None stays None)."""
    if text is None:
        return None
    return unicodedata.normalize("NFC", text).strip()


def fold(text: str | None) -> str:
    """Lower-case, diacritic-free form used for search ("Đạt chuẩn" -> "dat chuan")."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


# Vietnamese alphabet order; letters outside it sort after by code point.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_BASE_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# Tone marks in the conventional order: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a distinct letter (ă, â, ê, ô, ơ, ư) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def _letters(text: str):
    """Yield (base letter with its letter marks, tone rank) for each character."""
    for ch in unicodedata.normalize("NFC", text.lower()):
        if ch == "đ":
            yield "đ", 0
            continue
        parts = unicodedata.normalize("NFD", ch)
        base, tone = parts[0], 0
        for mark in parts[1:]:
            if mark in _TONES:
                tone = _TONES[mark]
            elif mark in _LETTER_MARKS:
                base += mark
        yield unicodedata.normalize("NFC", base), tone


def sort_key(text: str | None) -> str:
    """A string whose plain binary order is Vietnamese alphabetical order.

    Letters are compared first ("Ân" after "An", "Đ" after "D"), tones only
    to break ties, as in Vietnamese dictionaries. Stored in indexed columns so
    SQLite sorts 100,000 rows without calling back into Python.
    """
    if not text:
        return ""
    letters: list[str] = []
    tones: list[str] = []
    for base, tone in _letters(text):
        rank = _BASE_RANK.get(base)
        if rank is not None:
            letters.append(chr(0x4E00 + rank))
        elif base.isspace():
            letters.append(" ")
        elif base.isdigit():
            letters.append(chr(0x3000 + ord(base) - ord("0")))
        else:
            letters.append(chr(0x5000 + ord(base[0]) % 0x4000))
        tones.append(str(tone))
    return "".join(letters) + "\u0001" + "".join(tones)
