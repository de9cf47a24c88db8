"""Questions asked of the catalogue: a unit by its code, the provinces, a province's communes, what a
former unit became and what a unit in force was made of."""

from __future__ import annotations

import threading
from pathlib import Path

from ntm_desktop.catalogue import data as _data
from ntm_desktop.catalogue.data import FORMER_SUFFIX, CatalogueError, Entry, Source
from ntm_desktop.text import sort_key


class UnknownCodeError(CatalogueError):
    """No unit of the catalogue has this code."""


class Catalogue:
    """The official map of administrative units, read from the shipped file (see `catalogue()`)."""

    def __init__(self, data: _data.CatalogueData):
        self._data = data
        self._index = None
        self._lock = threading.Lock()

    # --- what it is --------------------------------------------------------------------------------------
    @property
    def version(self) -> str:
        return self._data.version

    @property
    def in_force(self):
        """The day the map took effect (01/7/2025)."""
        return self._data.in_force

    @property
    def legal_basis(self) -> str:
        return self._data.legal_basis

    @property
    def source(self) -> Source:
        return self._data.source

    @property
    def path(self) -> Path:
        return self._data.path

    @property
    def effective(self):
        """The day the edition's latest change took effect: the map's first day (01/7/2025), or the day after
        the last unit a later decision retired."""
        return self._data.effective or self._data.in_force

    @property
    def text(self) -> str:
        """The file as read, when it was read to be stored (an edition sent by the province), else ""."""
        return self._data.text

    def edition_label(self) -> str:
        """"2026.1 ngày 01/01/2027": the version and the day of the edition's latest change."""
        return f"{self.version} ngày {self.effective:%d/%m/%Y}"

    def label(self) -> str:
        """"Danh mục đơn vị hành chính 2025.1 (hiệu lực từ 01/07/2025)"."""
        return f"Danh mục đơn vị hành chính {self.version} (hiệu lực từ {self.in_force:%d/%m/%Y})"

    # --- units in force ----------------------------------------------------------------------------------
    def provinces(self) -> list[Entry]:
        """The 34 provinces and cities, in Vietnamese alphabetical order of their place names."""
        return sorted((e for e in self._data.units.values() if e.is_province), key=lambda e: sort_key(e.place))

    def communes(self, province_code: str) -> list[Entry]:
        """The xã, phường and đặc khu of a province, in Vietnamese alphabetical order of their names."""
        self.province(province_code)
        return sorted(self._data.communes_by_province.get(province_code.strip(), []), key=lambda e: sort_key(e.name))

    def units_in_force(self) -> list[Entry]:
        return list(self._data.units.values())

    def get(self, code: str) -> Entry | None:
        """A unit in force by its official code ("15", "03043"); a former one by its tree code ("02578-CU")."""
        code = (code or "").strip().upper()
        return self._data.units.get(code) or self._data.former.get(code)

    def unit(self, code: str) -> Entry:
        found = self.get(code)
        if found is None:
            raise UnknownCodeError(
                f"Không có đơn vị hành chính mã “{code}” trong {self.label()}. Hãy kiểm tra lại mã (mã tỉnh 2 chữ "
                "số, mã xã, phường, đặc khu 5 chữ số, ví dụ 15 là tỉnh Lào Cai, 03043 là xã Mường Bo), hoặc tìm "
                "bằng lệnh “ntm-desktop units find TÊN”.")
        return found

    def province(self, code: str) -> Entry:
        entry = self.unit(code)
        if not entry.is_province or not entry.in_force:
            raise UnknownCodeError(f"Mã “{code}” là của {entry.name}, không phải một tỉnh, thành phố hiện nay. "
                                   "Hãy dùng mã tỉnh 2 chữ số, ví dụ 15 là tỉnh Lào Cai.")
        return entry

    def province_of(self, entry: Entry) -> Entry:
        """The province a unit is in (a former unit: its former province)."""
        if entry.is_province:
            return entry
        if entry.in_force:
            return self._data.units[entry.province_code]
        if entry.mapped:  # retired after 01/7/2025: its province is one of the catalogue's maps
            return self._data.units.get(entry.province_code) or self._data.former[entry.province_code]
        return self._data.former[entry.province_code + FORMER_SUFFIX]

    def district_of(self, entry: Entry) -> Entry | None:
        """A former commune's former district."""
        return self._data.former.get(entry.district_code + FORMER_SUFFIX) if entry.district_code else None

    # --- the 2025 conversion ------------------------------------------------------------------------------
    def former_units(self) -> list[Entry]:
        return list(self._data.former.values())

    def successors(self, entry: Entry) -> list[Entry]:
        """The units in force that carry a former unit on, the main one first (a commune divided between
        several new ones has several; a unit in force is its own)."""
        if entry.in_force:
            return [entry]
        found: list[Entry] = []
        seen, todo = {entry.ref}, list(entry.successors)
        while todo:  # a successor a later decision retired in turn hands on to its own (main one first)
            code = todo.pop(0)
            unit = self._data.units.get(code)
            if unit is not None:
                if unit not in found:
                    found.append(unit)
            elif code not in seen and code in self._data.former:
                seen.add(code)
                todo[:0] = self._data.former[code].successors
        return found

    def successor(self, entry: Entry) -> Entry | None:
        """The one unit in force a former unit's records go to: the unit that took it whole, or the main
        one of those that shared it. None for a district (its communes went to several)."""
        if entry.in_force:
            return entry
        if entry.is_district and len(entry.successors) != 1:
            return None
        found = self.successors(entry)
        return found[0] if found else None

    def predecessors(self, entry: Entry) -> list[Entry]:
        """The former communes a unit in force was made of (whole or in part: see Entry.divided), or the
        former provinces a province was made of."""
        if entry.is_province:
            return sorted((e for e in self._data.former.values() if e.is_province and entry.code in e.successors),
                          key=lambda e: sort_key(e.name))
        return sorted(self._data.absorbed.get(entry.code, []), key=lambda e: sort_key(e.name))

    def former_of_province(self, province_code: str) -> list[Entry]:
        """Former provinces, districts and communes now (wholly or partly) in this province."""
        self.province(province_code)
        communes = {e.code for e in self._data.communes_by_province.get(province_code, [])}
        found = []
        for entry in self._data.former.values():
            if entry.is_province:
                keep = province_code in entry.successors
            else:
                keep = any(c in communes for c in entry.successors)
            if keep:
                found.append(entry)
        return found

    # --- search ---------------------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 50, province_code: str | None = None, in_force_only: bool = False,
               kinds: tuple[str, ...] | None = None) -> list[Entry]:
        """Units whose name, province or code contain every word of `text`, without diacritics or case
        (see catalogue.search); the index is built on the first search."""
        return self.index().search(text, limit, province_code, in_force_only, kinds)

    def index(self):
        from ntm_desktop.catalogue.search import SearchIndex

        with self._lock:
            if self._index is None:
                self._index = SearchIndex(self._data)
            return self._index


_SHARED: dict[Path, Catalogue] = {}
_SHARED_LOCK = threading.Lock()


def catalogue(path: Path | None = None) -> Catalogue:
    """The shipped catalogue (or the one at `path`), read once per process."""
    key = Path(path) if path else _data.default_path()
    with _SHARED_LOCK:
        found = _SHARED.get(key)
        if found is None:
            found = _SHARED[key] = Catalogue(_data.read(key))
        return found
