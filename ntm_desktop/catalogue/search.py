"""Finding units of the catalogue as the user types: without diacritics or case, by name or code.

"muong bo" finds Xã Mường Bo, "dak lak" Tỉnh Đắk Lắk, "03043" the unit of that code. Every word typed
must appear in the unit's name, its province's name or its code; the closest matches come first: the
name itself, then names starting with the text, then names whose words start with the words typed,
then the rest; units in force before former ones; then Vietnamese alphabetical order.
"""

from __future__ import annotations

import re

from ntm_desktop.catalogue.data import CatalogueData, Entry
from ntm_desktop.text import fold, sort_key

_WORD = re.compile(r"[\w]+")


class SearchIndex:
    """Folded copies of every entry, made once and kept in result order (in force first, then Vietnamese
    order of names); a search is then one pass over plain strings, each match dropped into the bucket of
    its closeness, so no sort is needed however many units match. One word typed (the first keys, which match
    the most units) is first looked up among the names equal to it and scanned among those starting with its
    first letter only, which fill the list at once unless the word is rare."""

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
            order = (not entry.in_force, _KIND_ORDER.get(entry.kind, 1), sort_key(entry.name), entry.code)
            rows.append((order, " ".join([name, *around, entry.code]), name, " " + name, place, entry.code,
                         provinces, entry))
        rows.sort(key=lambda row: row[0])
        self._rows = [row[1:] for row in rows]
        self._subsets: dict[tuple, tuple[list[tuple], dict[str, list[tuple]], dict[str, list[Entry]]]] = {}

    def _subset(self, province_code: str | None, in_force_only: bool,
                kinds: tuple[str, ...] | None) -> tuple[list[tuple], dict[str, list[tuple]], dict[str, list[Entry]]]:
        """The rows a filter keeps, in result order; the same rows by the first letter of their place, name or
        code; and the entries by their whole place, name and code. Made once per filter: a search within a
        province then reads its few hundred rows, not the whole country's, and a word typed reads only the
        rows starting with it until the list is full."""
        key = (province_code, in_force_only, kinds)
        found = self._subsets.get(key)
        if found is None:
            rows = [row for row in self._rows
                    if (province_code is None or province_code in row[5])
                    and not (in_force_only and row[6].valid_to is not None)
                    and (kinds is None or row[6].kind in kinds)]
            by_initial: dict[str, list[tuple]] = {}
            exact: dict[str, list[Entry]] = {}
            for row in rows:
                for initial in {row[1][:1], row[3][:1], row[4][:1]}:
                    by_initial.setdefault(initial, []).append(row)
                for whole in {row[1], row[3], row[4]}:
                    exact.setdefault(whole, []).append(row[6])
            if len(self._subsets) > 256:  # a bound, whatever callers pass
                self._subsets.clear()
            found = self._subsets[key] = (rows, by_initial, exact)
        return found

    def search(self, text: str, limit: int = 50, province_code: str | None = None,
               in_force_only: bool = False, kinds: tuple[str, ...] | None = None) -> list[Entry]:
        """Entries matching `text`, best first (at most `limit`). `province_code`: only units in force of that
        province and former units it carries on; `kinds`: only these kinds ("xa", "phuong" ...)."""
        words = _WORD.findall(fold(text))
        if not words or limit < 1:
            return []
        query = " ".join(words)
        rows, by_initial, exact_index = self._subset(province_code, in_force_only,
                                                     tuple(kinds) if kinds is not None else None)
        if len(words) == 1:
            # One word (the first keys typed, the ones matching the most units): the two closest kinds of match
            # (the name itself, a name starting with the word) are looked up, not scanned for, and when they
            # fill the list nothing else can make it.
            exact = exact_index.get(query, [])
            starting: list[Entry] = []
            wanted = limit - len(exact)
            if wanted > 0:
                for _text, name, _spaced, place, code, _provinces, entry in by_initial.get(query[0], ()):
                    if query == place or query == name or query == code:
                        continue  # among `exact`
                    if place.startswith(query) or name.startswith(query) or code.startswith(query):
                        starting.append(entry)
                        if len(starting) == wanted:
                            break
            if len(exact) + len(starting) >= limit:
                return (exact + starting)[:limit]
        starts = [" " + w for w in words]
        buckets: list[list[Entry]] = [[], [], [], [], []]
        # The containment test starts with the word that rules out the most rows: not a kind ("xa" is in every
        # commune's name), the longest otherwise.
        checked = sorted(words, key=lambda w: (w in _KIND_WORDS, -len(w)))
        first, others = checked[0], checked[1:]
        for text_, name, spaced, place, code, _provinces, entry in rows:
            if first not in text_ or (others and not all(w in text_ for w in others)):
                continue
            if query == place or query == name or query == code:
                buckets[0].append(entry)
            elif place.startswith(query) or name.startswith(query) or code.startswith(query):
                buckets[1].append(entry)
            elif len(buckets[0]) + len(buckets[1]) >= limit:
                continue  # enough closer matches already: the rest cannot make the list
            elif all(s in spaced for s in starts):
                buckets[2].append(entry)
            elif all(w in name for w in words):
                buckets[3].append(entry)
            else:
                buckets[4].append(entry)
        found: list[Entry] = []
        for bucket in buckets:
            found.extend(bucket[:limit - len(found)])
            if len(found) >= limit:
                break
        return found


_KIND_ORDER = {"tinh": 0}  # a province before the communes of the same name
_KIND_WORDS = {"xa", "phuong", "dac", "khu", "thi", "tran", "tinh", "thanh", "pho", "huyen", "quan"}
