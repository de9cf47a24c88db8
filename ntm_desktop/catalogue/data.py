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

import errno
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
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
    """The catalogue file is missing, damaged or of a newer format; or a code is not in it.

    `detail`: what is wrong, without what to do about it (for a message that names another place, such as a
    package carrying an edition)."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.detail = detail or message


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
    effective: date | None = None  # the day its latest change took effect (see Catalogue.effective)
    text: str = ""  # the file as read, kept for an edition that is stored and passed on (catalogue.updates)


def default_path() -> Path:
    return resource("units", "catalogue.json")


class _Bad(ValueError):
    """A value of the file not of its form; the message is Vietnamese."""


def _date(text) -> date:
    if type(text) is not str:
        raise _Bad("ngày phải là chữ dạng năm-tháng-ngày, ví dụ 2025-07-01")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _Bad(f"ngày “{text[:20]}” không đúng dạng năm-tháng-ngày (ví dụ 2025-07-01)") from None


def _row(value, size: int) -> list:
    """A row of `size` values whose first ones (all but a successor list) are texts."""
    if type(value) is not list or len(value) != size:
        raise _Bad(f"phải là danh sách {size} giá trị")
    if set(map(type, value[:4] if size == 5 else value)) != {str}:
        raise _Bad("có giá trị không phải chữ (mã, tên, loại đơn vị đều là chữ)")
    return value


def _kind(kind: str, allowed) -> str:
    if kind not in allowed:
        raise _Bad(f"loại đơn vị “{kind[:20]}” không có trong danh mục")
    return kind


def _successors(value) -> tuple[str, ...]:
    if type(value) is not list or (value and set(map(type, value)) != {str}):
        raise _Bad("danh sách đơn vị kế thừa phải là danh sách mã")
    return tuple(value)


def _section(raw: dict, key: str, where: str) -> list:
    if key not in raw:
        raise _Bad(f"thiếu mục “{key}”" + (f" ({where})" if where else ""))
    value = raw[key]
    if not isinstance(value, list):
        raise _Bad(f"mục “{key}”" + (f" ({where})" if where else "") + " phải là một danh sách")
    return value


def parse(raw: dict, path: Path) -> CatalogueData:
    """The file's content as entries; CatalogueError (Vietnamese only, naming the place) when it is not a
    catalogue this version can read."""
    # Where the reading is, for a message: the section and the number of the row in it (0: not in a row);
    # named in words only when something is wrong.
    section, i = "", 0
    try:
        if not isinstance(raw, dict):
            raise _Bad("nội dung không phải danh mục đơn vị hành chính")
        if raw.get("format") != SUPPORTED_FORMAT:
            shown = raw.get("format")
            shown = str(shown) if isinstance(shown, (str, int)) and len(str(shown)) <= 20 else "không rõ"
            raise CatalogueError(
                f"Tệp danh mục đơn vị hành chính “{path.name}” có định dạng {shown}, phiên bản này "
                f"của NTM Desktop đọc định dạng {SUPPORTED_FORMAT}. Hãy cập nhật NTM Desktop rồi thử lại.",
                f"danh mục có định dạng {shown}, phiên bản này của NTM Desktop đọc định dạng {SUPPORTED_FORMAT}")
        section = "mục “source”"
        given = raw.get("source", {})
        if not isinstance(given, dict):
            raise _Bad("phải là một đối tượng {…}")
        source = Source(**{k: str(given.get(k, "")) for k in Source.__dataclass_fields__})
        section = "trường “version”"
        if type(raw.get("version")) is not str or not raw["version"]:
            raise _Bad("phiên bản danh mục phải là chữ, ví dụ 2025.1")
        section = "trường “in_force”"
        in_force = _date(raw.get("in_force"))
        units: dict[str, Entry] = {}
        section, rows = "mục “provinces”", _section(raw, "provinces", "")
        for i, row in enumerate(rows, 1):
            code, name = _row(row, 2)
            units[code] = Entry(code, name, "tinh", code)
        section, i, rows = "mục “communes”", 0, _section(raw, "communes", "")
        for i, row in enumerate(rows, 1):
            code, name, kind, province = _row(row, 4)
            units[code] = Entry(code, name, _kind(kind, COMMUNE_KINDS), province)
        former: dict[str, Entry] = {}
        section, i = "", 0
        eras = _section(raw, "former", "") if "former" in raw else []
        for n, era in enumerate(eras, 1):
            era_place = section = f"mục “former”, phần tử thứ {n}"
            if not isinstance(era, dict):
                raise _Bad("phải là một đối tượng {…}")
            section = f"{era_place}, trường “valid_to”"
            until = _date(era.get("valid_to"))
            section, rows = era_place, _section(era, "provinces", era_place)
            section = f"{era_place}, mục “provinces”"
            for i, row in enumerate(rows, 1):
                code, name, successor = _row(row, 3)
                entry = Entry(code, name, "tinh", code, valid_to=until, successors=(successor,))
                former[entry.ref] = entry
            section, i = era_place, 0
            rows = _section(era, "districts", era_place) if "districts" in era else []
            section = f"{era_place}, mục “districts”"
            for i, row in enumerate(rows, 1):
                code, name, kind, province, successors = _row(row, 5)
                entry = Entry(code, name, _kind(kind, LEVEL_OF_KIND), province, valid_to=until,
                              successors=_successors(successors))
                former[entry.ref] = entry
            district_province = {e.code: e.province_code for e in former.values() if e.is_district}
            section, i = era_place, 0
            rows = _section(era, "communes", era_place)
            section = f"{era_place}, mục “communes”"
            mapped = until >= FIRST_MAP  # retired from a map of the catalogue: communes sit under their province
            for i, row in enumerate(rows, 1):
                code, name, kind, above, successors = _row(row, 5)
                _kind(kind, COMMUNE_KINDS)
                if mapped:
                    entry = Entry(code, name, kind, above, "", until, _successors(successors))
                else:
                    if above not in district_province:
                        raise _Bad(f"huyện mã “{above[:20]}” không có trong danh mục")
                    entry = Entry(code, name, kind, district_province[above], above, until, _successors(successors))
                former[entry.ref] = entry
            section, i = "", 0
        data = CatalogueData(version=raw["version"], in_force=in_force,
                             legal_basis=str(raw.get("legal_basis", "")), source=source, path=path,
                             units=units, former=former)
    except CatalogueError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        what = str(error) if isinstance(error, _Bad) else "không đúng cấu trúc"
        place = f"{section}, phần tử thứ {i}" if section and i else section
        detail = f"{place}: {what}" if place else what
        raise CatalogueError(
            f"Tệp danh mục đơn vị hành chính “{path}” bị hỏng hoặc không đúng cấu trúc ({detail}). Hãy cài lại "
            "NTM Desktop, hoặc nhận lại tệp danh mục từ cấp trên.", detail) from None
    for entry in units.values():
        if entry.is_commune:
            data.communes_by_province.setdefault(entry.province_code, []).append(entry)
    with_communes = {e.district_code for e in former.values() if e.is_commune}
    for entry in former.values():
        # communes, and the island districts without communes that became special zones whole
        if entry.is_commune or (entry.is_district and entry.code not in with_communes):
            for code in entry.successors:
                data.absorbed.setdefault(code, []).append(entry)
    later = [e.valid_to for e in former.values() if e.mapped and e.valid_to is not None]
    data.effective = max([in_force] + [d + timedelta(days=1) for d in later])
    return data


def text_problem(error: ValueError) -> str:
    """What is wrong with the text of the file, in Vietnamese, with the place (line and column) named."""
    if isinstance(error, UnicodeDecodeError):
        return f"tệp không phải văn bản UTF-8 (byte thứ {error.start + 1} không đọc được)"
    if isinstance(error, json.JSONDecodeError):
        return f"nội dung JSON bị hỏng ở dòng {error.lineno}, cột {error.colno}"
    return "nội dung JSON bị hỏng (có số hoặc giá trị không hợp lệ)"


def _os_problem(error: OSError) -> str:
    if error.errno in (errno.EACCES, errno.EPERM):
        return "máy này không có quyền đọc tệp"
    if error.errno == errno.EISDIR:
        return "đây là một thư mục, không phải tệp"
    return f"lỗi đọc đĩa, mã lỗi {error.errno}" if error.errno else "lỗi đọc đĩa"


def loads(data: bytes | str, path: Path, keep_text: bool = False) -> CatalogueData:
    """The catalogue in `data` (a file's bytes); `path` names it in messages. `keep_text`: the text is kept
    (an edition to store and pass on)."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        raw = json.loads(text)
    except (ValueError, RecursionError) as error:
        detail = text_problem(error) if isinstance(error, ValueError) else "dữ liệu lồng nhau quá sâu"
        raise CatalogueError(f"Không đọc được tệp danh mục đơn vị hành chính “{path}”: {detail}. Hãy cài lại "
                             "NTM Desktop, hoặc nhận lại tệp danh mục từ cấp trên.", detail) from None
    if not isinstance(raw, dict):
        raise CatalogueError(f"Tệp “{path}” không phải là danh mục đơn vị hành chính.",
                             "nội dung không phải danh mục đơn vị hành chính")
    result = parse(raw, path)
    if keep_text:
        result.text = text
    return result


def read(path: Path | None = None, keep_text: bool = False) -> CatalogueData:
    path = Path(path) if path else default_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogueError(f"Không tìm thấy tệp danh mục đơn vị hành chính “{path}”. Hãy cài lại NTM Desktop."
                             ) from None
    except OSError as error:
        raise CatalogueError(f"Không đọc được tệp danh mục đơn vị hành chính “{path}” ({_os_problem(error)}). "
                             "Hãy cài lại NTM Desktop.", _os_problem(error)) from None
    return loads(data, path, keep_text)
