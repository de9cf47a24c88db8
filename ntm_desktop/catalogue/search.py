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
    its closeness, so no sort is needed however many units match."""

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

    def search(self, text: str, limit: int = 50, province_code: str | None = None,
               in_force_only: bool = False, kinds: tuple[str, ...] | None = None) -> list[Entry]:
        """Entries matching `text`, best first (at most `limit`). `province_code`: only units in force of that
        province and former units it carries on; `kinds`: only these kinds ("xa", "phuong" ...)."""
        words = _WORD.findall(fold(text))
        if not words or limit < 1:
            return []
        query = " ".join(words)
        starts = [" " + w for w in words]
        buckets: list[list[Entry]] = [[], [], [], [], []]
        first, others = words[0], words[1:]
        for text_, name, spaced, place, code, provinces, entry in self._rows:
            if first not in text_ or (others and not all(w in text_ for w in others)):
                continue
            if in_force_only and entry.valid_to is not None:
                break  # the former units come last
            if (kinds is not None and entry.kind not in kinds) or (
                    province_code is not None and province_code not in provinces):
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
