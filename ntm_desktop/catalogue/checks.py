"""What a newer edition of the catalogue must be before it is applied: of its form, and keeping every unit's
history.

An edition comes from the province (`ntm-desktop units update FILE`, or inside a sync package). It is
refused whole, with the first problem named in Vietnamese, when it is not of the form this version
applies (codes of digits, names and kinds of units, a version of numbers), when it is far larger than any
map of Vietnam, when a unit retired by it hands on to a code it does not hold or round in a loop, or when a
unit in force or a former unit of the edition in use here is simply missing from it (a province or a
commune removed without saying which unit carries it on: its records would lose their successor).
"""

from __future__ import annotations

import re

from ntm_desktop.catalogue.data import COMMUNE_KINDS, CatalogueError, Entry
from ntm_desktop.catalogue.lookup import Catalogue

VERSION = re.compile(r"^\d{1,6}(\.\d{1,6}){0,4}\Z")
CODE = {"tinh": re.compile(r"^\d{2}\Z"), "commune": re.compile(r"^\d{5}\Z"), "district": re.compile(r"^\d{3}\Z")}
MAX_NAME = 120
MAX_PROVINCES = 200  # 34 today, 63 before the reform
MAX_COMMUNES = 30_000  # 3,321 today, 10,035 before
MAX_FORMER = 100_000  # every unit of every earlier map
MAX_SUCCESSORS = 50
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _name(entry: Entry) -> str:
    return f"{entry.name[:MAX_NAME]} (mã {entry.code[:20]})"


def _form(entry: Entry) -> str | None:
    """What is wrong with one entry's own values, or None."""
    family = "tinh" if entry.is_province else "commune" if entry.kind in COMMUNE_KINDS else "district"
    if not CODE[family].match(entry.code):
        kind = {"tinh": "tỉnh 2", "commune": "xã 5", "district": "huyện 3"}[family]
        return f"mã “{entry.code[:20]}” của {entry.name[:MAX_NAME]} không phải mã {kind} chữ số"
    name = entry.name
    if not name.strip() or len(name) > MAX_NAME or _CONTROL.search(name):
        return f"tên của đơn vị mã {entry.code} trống, quá dài hoặc có ký tự điều khiển"
    if len(entry.successors) > MAX_SUCCESSORS:
        return f"{_name(entry)} có quá nhiều đơn vị kế thừa"
    return None


def problem(newer: Catalogue, base: Catalogue) -> str | None:
    """The first reason `newer` may not replace `base` (the edition in use here), or None; found once per
    pair of editions (a package's preview and apply ask again)."""
    memo = newer.__dict__.setdefault("_problems", {})
    key = (id(base), base.version)
    if key not in memo:
        memo[key] = _problem(newer, base)
    return memo[key]


def _problem(newer: Catalogue, base: Catalogue) -> str | None:
    data = newer._data
    if not VERSION.match(newer.version):
        return f"phiên bản “{newer.version[:40]}” không phải dạng số (ví dụ 2026.1)"
    provinces = [e for e in data.units.values() if e.is_province]
    if len(provinces) > MAX_PROVINCES or len(data.units) - len(provinces) > MAX_COMMUNES \
            or len(data.former) > MAX_FORMER:
        return (f"danh mục quá lớn ({len(provinces)} tỉnh, {len(data.units) - len(provinces)} xã, "
                f"{len(data.former)} đơn vị cũ), không phải danh mục đơn vị hành chính của Việt Nam")
    retired = {e.code: e for e in data.former.values() if e.mapped}
    for entry in base.units_in_force():
        if entry.code not in data.units and entry.code not in retired:
            what = "tỉnh, thành phố" if entry.is_province else "đơn vị"
            return (f"bỏ mất {what} {_name(entry)} của danh mục {base.version} mà không ghi đơn vị đó hết hiệu lực "
                    "và đơn vị nào kế thừa")
    for ref, entry in base._data.former.items():
        if ref not in data.former:
            return f"bỏ mất lịch sử của {_name(entry)} (đơn vị đã hết hiệu lực trong danh mục {base.version})"
    for entry in data.units.values():
        wrong = _form(entry)
        if wrong:
            return wrong
        if entry.is_commune:
            province = data.units.get(entry.province_code)
            if province is None or not province.is_province:
                return f"{_name(entry)} thuộc tỉnh mã “{entry.province_code[:20]}” không có trong danh mục"
    for entry in data.former.values():
        wrong = _form(entry)
        if wrong:
            return wrong
        if entry.mapped and entry.code in data.units:
            return (f"mã {entry.code} vừa là của {data.units[entry.code].name} đang có hiệu lực, vừa là của "
                    f"{entry.name} đã hết hiệu lực")
        if entry.mapped and not entry.successors:
            return f"{_name(entry)} hết hiệu lực mà không ghi đơn vị nào kế thừa"
        for code in entry.successors:
            if code not in data.units and code not in retired:
                return (f"{_name(entry)} sáp nhập vào đơn vị mã “{code[:20]}” không có trong danh mục")
        loop = _loop(entry, retired) if entry.mapped else None
        if loop:
            return "các đơn vị kế thừa nhau thành vòng tròn, không đến được đơn vị nào đang có hiệu lực: " + \
                " → ".join(loop)
    return None


def _loop(entry: Entry, retired: dict[str, Entry]) -> list[str] | None:
    """The codes round a loop that the main successors of a retired unit run into, or None."""
    path, code = [entry.code], entry.successors[0] if entry.successors else ""
    while code in retired:
        if code in path:
            return path[path.index(code):] + [code]
        path.append(code)
        following = retired[code].successors
        code = following[0] if following else ""
    return None


def check_edition(newer: Catalogue, base: Catalogue) -> None:
    """CatalogueError (Vietnamese; `detail` without the advice) when `newer` may not replace `base`."""
    found = problem(newer, base)
    if found:
        raise CatalogueError(
            f"Danh mục đơn vị hành chính {newer.version[:40]} không áp dụng được: {found}. Không có gì bị thay "
            "đổi; hãy báo cho cấp trên kiểm tra lại tệp danh mục.", found)
