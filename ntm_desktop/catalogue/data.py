"""The shipped catalogue file read into entries: units in force, former units and which carry them on.

`resources/units/catalogue.json` (built by tools/build_unit_catalogue.py, source and licence in
resources/units/NOTICE.txt) holds the units in force since the reform of 01/7/2025 (34 provinces;
3,321 xã, phường, đặc khu with the statistics office's codes) and the units before it (63 provinces,
696 districts, 10,035 communes), each former unit with the units in force that carry it on: one for a
commune merged whole, several for a commune divided between new ones (the main one first).

A later edition adds an era to "former" for the units a later decision retired from the map, with its
"valid_to" and communes as [code, name, kind, province code, successor codes] (no districts); those keep
the code they had in force (Entry.mapped), and the edition's "version" is higher (catalogue.updates).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ntm_desktop.errors import UserError
from ntm_desktop.resources import resource

FORMER_SUFFIX = "-CU"  # a former unit's code in the unit tree: "15-CU" is the former Tỉnh Yên Bái
FIRST_MAP = date(2025, 7, 1)  # the first map the catalogue carries; units retired before it are "-CU"
SUPPORTED_FORMAT = 1

# Kinds of entry and the unit level (unit_levels.code) a unit of that kind has in the tree.
LEVEL_OF_KIND = {
    "tinh": "tinh",
    "xa": "xa", "phuong": "phuong", "dac_khu": "dac_khu", "thi_tran": "xa",
    "huyen": "huyen", "quan": "huyen", "thi_xa": "huyen", "thanh_pho": "huyen",
}
COMMUNE_KINDS = ("xa", "phuong", "dac_khu", "thi_tran")
KIND_LABELS = {"tinh": "tỉnh, thành phố", "xa": "xã", "phuong": "phường", "dac_khu": "đặc khu",
               "thi_tran": "thị trấn", "huyen": "huyện", "quan": "quận", "thi_xa": "thị xã",
               "thanh_pho": "thành phố thuộc tỉnh"}


class CatalogueError(UserError):
    """The catalogue file is missing, damaged or of a newer format; or a code is not in it."""


@dataclass(frozen=True)
class Entry:
    """One administrative unit of the catalogue.

    code: the statistics office's code ("15", "03043"); province_code: the province it belongs to (a
    province: itself; a former unit: its former province); valid_to: None for a unit in force, else its last
    day; successors: for a former unit, codes of the units in force that carry it on, the main one first."""

    code: str
    name: str  # official name with its type: "Xã Mường Bo", "Tỉnh Lào Cai", "Thị xã Sa Pa"
    kind: str
    province_code: str
    district_code: str = ""
    valid_to: date | None = None
    successors: tuple[str, ...] = ()

    @property
    def mapped(self) -> bool:
        """In force in one of the catalogue's maps (a unit retired by a later decision keeps its code)."""
        return self.valid_to is None or self.valid_to >= FIRST_MAP

    @property
    def in_force(self) -> bool:
        return self.valid_to is None

    @property
    def ref(self) -> str:
        """The unit's code in the unit tree: the official code, with FORMER_SUFFIX for a former unit (the
        statistics office reused old codes for new units). A unit retired by a decision after 01/7/2025 keeps
        the code (and so the identity) it had while in force."""
        return self.code if self.mapped else self.code + FORMER_SUFFIX

    @property
    def level_code(self) -> str:
        return LEVEL_OF_KIND[self.kind]

    @property
    def is_province(self) -> bool:
        return self.kind == "tinh"

    @property
    def is_commune(self) -> bool:
        return self.kind in COMMUNE_KINDS

    @property
    def is_district(self) -> bool:
        return not self.is_province and not self.is_commune

    @property
    def divided(self) -> bool:
        """A former commune shared out between several units in force."""
        return len(self.successors) > 1

    @property
    def place(self) -> str:
        """The name without its type: "Mường Bo" for "Xã Mường Bo"."""
        match = _TYPE_WORD.match(self.name)
        return self.name[match.end():] if match else self.name

    @property
    def type_word(self) -> str:
        """"Xã", "Thành phố", "Đặc khu" ..."""
        place = self.place
        return self.name[: len(self.name) - len(place)].strip() if place != self.name else ""

    @property
    def body_name(self) -> str:
        """The People's Committee that governs it: "Ủy ban nhân dân xã Mường Bo"."""
        word = self.type_word
        return f"Ủy ban nhân dân {word[:1].lower()}{word[1:]} {self.place}" if word else f"Ủy ban nhân dân {self.name}"

    @property
    def body_short_name(self) -> str:
        return "UBND " + self.body_name[len("Ủy ban nhân dân "):]


_TYPE_WORD = re.compile(r"^(?:Thành phố|Tỉnh|Xã|Phường|Đặc khu|Thị trấn|Thị xã|Huyện|Quận) ")


@dataclass(frozen=True)
class Source:
    name: str
    version: str
    released: str
    url: str
    licence: str
    notice: str


@dataclass
class CatalogueData:
    """Everything the file says, indexed by code. Built once per process (see `load`)."""

    version: str
    in_force: date
    legal_basis: str
    source: Source
    path: Path
    units: dict[str, Entry]  # in force, by code: provinces and communes
    former: dict[str, Entry]  # former units by ref ("15-CU", "080-CU", "02578-CU")
    communes_by_province: dict[str, list[Entry]] = field(default_factory=dict)
    absorbed: dict[str, list[Entry]] = field(default_factory=dict)  # unit in force -> former units it carries on


def default_path() -> Path:
    return resource("units", "catalogue.json")


def _date(text: str) -> date:
    return date.fromisoformat(text)


def parse(raw: dict, path: Path) -> CatalogueData:
    """The file's content as entries; CatalogueError when it is not a catalogue this version can read."""
    try:
        if raw.get("format") != SUPPORTED_FORMAT:
            raise CatalogueError(
                f"Tệp danh mục đơn vị hành chính “{path.name}” có định dạng {raw.get('format')!r}, phiên bản này "
                f"của NTM Desktop đọc định dạng {SUPPORTED_FORMAT}. Hãy cập nhật NTM Desktop rồi thử lại.")
        source = Source(**{k: str(raw["source"].get(k, "")) for k in Source.__dataclass_fields__})
        units: dict[str, Entry] = {}
        for code, name in raw["provinces"]:
            units[code] = Entry(code, name, "tinh", code)
        for code, name, kind, province in raw["communes"]:
            units[code] = Entry(code, name, kind, province)
        former: dict[str, Entry] = {}
        for era in raw.get("former", []):
            until = _date(era["valid_to"])
            for code, name, successor in era["provinces"]:
                entry = Entry(code, name, "tinh", code, valid_to=until, successors=(successor,))
                former[entry.ref] = entry
            for code, name, kind, province, successors in era.get("districts", []):
                entry = Entry(code, name, kind, province, valid_to=until, successors=tuple(successors))
                former[entry.ref] = entry
            district_province = {e.code: e.province_code for e in former.values() if e.is_district}
            for code, name, kind, above, successors in era["communes"]:
                if until >= FIRST_MAP:  # retired from a map of the catalogue: communes sit under their province
                    entry = Entry(code, name, kind, above, "", until, tuple(successors))
                else:
                    entry = Entry(code, name, kind, district_province[above], above, until, tuple(successors))
                former[entry.ref] = entry
        data = CatalogueData(version=str(raw["version"]), in_force=_date(raw["in_force"]),
                             legal_basis=str(raw.get("legal_basis", "")), source=source, path=path,
                             units=units, former=former)
    except CatalogueError:
        raise
    except (KeyError, TypeError, ValueError) as error:
        raise CatalogueError(
            f"Tệp danh mục đơn vị hành chính “{path}” bị hỏng hoặc không đúng cấu trúc ({error}). Hãy cài lại "
            "NTM Desktop, hoặc nhận lại tệp danh mục từ cấp trên.") from error
    for entry in units.values():
        if entry.is_commune:
            data.communes_by_province.setdefault(entry.province_code, []).append(entry)
    with_communes = {e.district_code for e in former.values() if e.is_commune}
    for entry in former.values():
        # communes, and the island districts without communes that became special zones whole
        if entry.is_commune or (entry.is_district and entry.code not in with_communes):
            for code in entry.successors:
                data.absorbed.setdefault(code, []).append(entry)
    return data


def read(path: Path | None = None) -> CatalogueData:
    path = Path(path) if path else default_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogueError(f"Không tìm thấy tệp danh mục đơn vị hành chính “{path}”. Hãy cài lại NTM Desktop."
                             ) from None
    except (OSError, ValueError) as error:
        raise CatalogueError(f"Không đọc được tệp danh mục đơn vị hành chính “{path}” ({error}). Hãy cài lại "
                             "NTM Desktop.") from error
    if not isinstance(raw, dict):
        raise CatalogueError(f"Tệp “{path}” không phải là danh mục đơn vị hành chính.")
    return parse(raw, path)
