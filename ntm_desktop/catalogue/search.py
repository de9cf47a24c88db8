"""Finding units of the catalogue as the user types: without diacritics or case, by name or code.

"muong bo" finds Xã Mường Bo, "dak lak" Tỉnh Đắk Lắk, "03043" the unit of that code. Every word typed
must appear in the unit's name, its province's name or its code; the closest matches come first: the
name itself, then names starting with the text, then names whose words start with the words typed,
then the rest; units in force before former ones; then Vietnamese alphabetical order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ntm_desktop.catalogue.data import CatalogueData, Entry
from ntm_desktop.text import fold, sort_key

_WORD = re.compile(r"[\w]+")


@dataclass(frozen=True)
class _Row:
    entry: Entry
    name: str  # folded official name ("xa muong bo")
    place: str  # folded name without its type ("muong bo")
    text: str  # every folded word the row is found by
    order: str  # Vietnamese sort key of the name
    provinces: frozenset[str]  # the provinces in force it lies in (a former unit: those carrying it on)


class SearchIndex:
    """Folded copies of every entry, made once; a search is then a pass over plain strings."""

    def __init__(self, data: CatalogueData):
        province_names = {code: fold(e.name) for code, e in data.units.items() if e.is_province}
        former_names = {e.code: fold(e.name) for e in data.former.values() if e.is_province or e.is_district}
        rows = []
        for entry in [*data.units.values(), *data.former.values()]:
            name, place = fold(entry.name), fold(entry.place)
            around = [province_names.get(entry.province_code, "")] if entry.in_force else [
                former_names.get(entry.district_code, ""), former_names.get(entry.province_code, "")]
            if entry.in_force:
                provinces = frozenset({entry.province_code})
            elif entry.is_province:
                provinces = frozenset(entry.successors)
            else:
                provinces = frozenset(data.units[c].province_code for c in entry.successors if c in data.units)
            rows.append(_Row(entry, name, place, " ".join([name, *around, entry.code]), sort_key(entry.name),
                             provinces))
        self._rows = rows

    def search(self, text: str, limit: int = 50, province_code: str | None = None,
               in_force_only: bool = False, kinds: tuple[str, ...] | None = None) -> list[Entry]:
        """Entries matching `text`, best first (at most `limit`). `province_code`: only units in force of that
        province and former units it carries on; `kinds`: only these kinds ("xa", "phuong" ...)."""
        query = fold(text)
        words = _WORD.findall(query)
        if not words:
            return []
        query = " ".join(words)
        found = []
        for row in self._rows:
            text_ = row.text
            if not all(w in text_ for w in words):
                continue
            entry = row.entry
            if in_force_only and not entry.in_force:
                continue
            if kinds is not None and entry.kind not in kinds:
                continue
            if province_code is not None and province_code not in row.provinces:
                continue
            found.append((_closeness(row, query, words), not entry.in_force, row.order, entry.code, entry))
        found.sort(key=lambda item: item[:4])
        return [item[4] for item in found[:limit]]


def _closeness(row: _Row, query: str, words: list[str]) -> int:
    if query in (row.place, row.name, row.entry.code):
        return 0
    if row.place.startswith(query) or row.name.startswith(query) or row.entry.code.startswith(query):
        return 1
    name_words = row.name.split()
    if all(any(nw.startswith(w) for nw in name_words) for w in words):
        return 2
    if all(w in row.name for w in words):
        return 3
    return 4
