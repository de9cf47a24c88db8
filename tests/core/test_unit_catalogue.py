"""The shipped catalogue of administrative units: its counts, the 2025 conversion, lookups and search."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date

import pytest

from ntm_desktop.catalogue import CatalogueError, UnknownCodeError, catalogue
from ntm_desktop.catalogue.data import read
from ntm_desktop.resources import resource


@pytest.fixture(scope="module")
def cat():
    return catalogue()


def test_the_map_since_the_reform_has_34_provinces_and_3321_communes(cat):
    assert cat.version == "2025.1" and cat.in_force == date(2025, 7, 1)
    assert cat.source.name == "vietnamadminunits" and cat.source.licence == "MIT"
    assert len(cat.provinces()) == 34
    in_force = [e for e in cat.units_in_force() if e.is_commune]
    assert len(in_force) == 3321
    assert Counter(e.kind for e in in_force) == {"xa": 2621, "phuong": 687, "dac_khu": 13}
    assert sum(len(cat.communes(p.code)) for p in cat.provinces()) == 3321
    assert len({e.code for e in in_force}) == 3321 and all(len(e.code) == 5 for e in in_force)


def test_the_units_before_the_reform_are_there_with_their_successors(cat):
    former = cat.former_units()
    assert Counter("province" if e.is_province else "district" if e.is_district else "commune" for e in former) == {
        "province": 63, "district": 696, "commune": 10035}
    assert all(e.valid_to == date(2025, 6, 30) for e in former)
    assert all(cat.successors(e) for e in former)  # every former unit is carried on by units in force


def test_the_licence_and_source_ship_beside_the_data():
    notice = resource("units", "NOTICE.txt").read_text(encoding="utf-8")
    assert "MIT License" in notice and "Tran Ngoc Minh Hieu" in notice and "vietnamadminunits 1.0.4" in notice
    raw = json.loads(resource("units", "catalogue.json").read_text(encoding="utf-8"))
    assert raw["source"]["url"] == "https://github.com/tranngocminhhieu/vietnamadminunits"


def names(entries):
    return sorted(e.name for e in entries)


def test_known_conversions(cat):
    # Tỉnh Yên Bái joined Tỉnh Lào Cai, whose code is now Yên Bái's (15); Hà Giang joined Tuyên Quang
    assert cat.unit("15").name == "Tỉnh Lào Cai"
    assert cat.get("15-CU").name == "Tỉnh Yên Bái" and cat.successor(cat.get("15-CU")).code == "15"
    assert cat.successor(cat.get("10-CU")).code == "15"  # the former Tỉnh Lào Cai
    assert names(cat.predecessors(cat.unit("15"))) == ["Tỉnh Lào Cai", "Tỉnh Yên Bái"]
    assert names(cat.predecessors(cat.unit("79"))) == ["Thành phố Hồ Chí Minh", "Tỉnh Bà Rịa - Vũng Tàu",
                                                       "Tỉnh Bình Dương"]
    # Xã Mường Bo: the former Mường Bo and Liên Minh of Thị xã Sa Pa
    muong_bo = cat.unit("03043")
    assert (muong_bo.name, muong_bo.kind, cat.province_of(muong_bo).name) == ("Xã Mường Bo", "xa", "Tỉnh Lào Cai")
    assert names(cat.predecessors(muong_bo)) == ["Xã Liên Minh", "Xã Mường Bo"]
    assert {cat.district_of(e).name for e in cat.predecessors(muong_bo)} == {"Thị xã Sa Pa"}
    # Phường Sa Pa: six wards of the former town
    assert names(cat.predecessors(cat.unit("03006"))) == sorted(
        ["Phường Sa Pa", "Phường Sa Pả", "Phường Ô Quý Hồ", "Phường Phan Si Păng", "Phường Hàm Rồng", "Phường Cầu Mây"])
    # Phường Yên Bái (Lào Cai): five wards of the former Thành phố Yên Bái
    assert names(cat.predecessors(cat.unit("04252"))) == sorted(
        ["Phường Yên Ninh", "Phường Minh Tân", "Phường Nguyễn Thái Học", "Phường Đồng Tâm", "Phường Hồng Hà"])
    # island districts became special zones whole
    con_dao = cat.unit("26732")
    assert (con_dao.name, con_dao.kind, cat.province_of(con_dao).name) == (
        "Đặc khu Côn Đảo", "dac_khu", "Thành phố Hồ Chí Minh")
    assert [e.name for e in cat.predecessors(con_dao)] == ["Huyện Côn Đảo"]
    assert cat.successor(cat.get("755-CU")).code == "26732"
    assert len(cat.predecessors(cat.unit("31078"))) == 8  # Đặc khu Phú Quốc: the 8 communes of Thành phố Phú Quốc


def test_a_divided_commune_names_every_successor_and_its_main_one(cat):
    cua_dong = [e for e in cat.search("cua dong", limit=10) if not e.in_force and e.province_code == "01"][0]
    assert cua_dong.divided
    now = [e.name for e in cat.successors(cua_dong)]
    assert now[0] == "Phường Hoàn Kiếm" and "Phường Ba Đình" in now  # the main one first
    assert cat.successor(cua_dong).name == "Phường Hoàn Kiếm"
    assert cua_dong in cat.predecessors(cat.unit("00004"))  # Phường Ba Đình got a part of it


def test_a_district_has_no_single_successor_but_names_its_communes(cat):
    sa_pa = cat.get("088-CU")
    assert sa_pa.name == "Thị xã Sa Pa" and cat.successor(sa_pa) is None
    assert "Xã Mường Bo" in [e.name for e in cat.successors(sa_pa)]


def test_search_ignores_diacritics_and_case(cat):
    for text in ("muong bo", "Mường Bo", "MUONG BO", "xa muong bo", "muong bo lao cai", "03043"):
        assert cat.search(text, limit=3)[0].code == "03043", text
    assert cat.search("dak lak", in_force_only=True)[0].name == "Tỉnh Đắk Lắk"
    assert cat.search("đồng tâm", in_force_only=True, limit=50)
    first = cat.search("dong tam", in_force_only=True, limit=50)
    assert [e.name for e in first[:2]] == ["Xã Đồng Tâm", "Xã Đồng Tâm"]  # in Tuyên Quang and in Đồng Nai
    assert {cat.province_of(e).name for e in first[:2]} == {"Tỉnh Tuyên Quang", "Tỉnh Đồng Nai"}
    found = cat.search("muong bo", limit=5)
    assert found[0].in_force and found[1].ref == "03043-CU"  # the former commune of that name after it
    assert cat.search("", limit=5) == [] and cat.search("zzzz qqq") == []


def test_search_within_a_province_keeps_its_former_units(cat):
    found = cat.search("yen bai", province_code="15", limit=20)
    refs = {e.ref for e in found}
    assert {"04252", "15-CU", "132-CU"} <= refs  # Phường Yên Bái, former Tỉnh Yên Bái and its city
    assert all(e.province_code == "15" for e in found if e.in_force)
    assert "09706" not in refs  # Xã Yên Bài of Hà Nội


@pytest.mark.parametrize("text", ["a", "m", "muong", "xa yen", "phuong", "0304"])
def test_a_filtered_search_keeps_the_order_of_the_whole_search(cat, text):
    """Within a province, of some kinds, in force only: the rows the whole search would give, in its order."""
    every = cat.search(text, limit=20000)
    for province_code, kinds, in_force_only in [("15", ("xa", "phuong", "dac_khu", "thi_tran"), False),
                                                 (None, ("tinh",), False), ("01", None, True), (None, None, True)]:
        def kept(e):
            if in_force_only and not e.in_force:
                return False
            if kinds is not None and e.kind not in kinds:
                return False
            if province_code is None:
                return True
            if e.in_force:
                return e.province_code == province_code
            return province_code in {s.code if s.is_province else s.province_code for s in cat.successors(e)}

        expected = [e for e in every if kept(e)]
        for limit in (5, 50):
            found = cat.search(text, limit, province_code=province_code, in_force_only=in_force_only, kinds=kinds)
            assert [e.ref for e in found] == [e.ref for e in expected[:limit]], (text, province_code, kinds)
            assert len(found) == min(limit, len(expected))
            if province_code == "15":
                assert found  # every text has matches among Lào Cai's communes: the comparison compares


def test_unknown_codes_and_wrong_kinds_are_refused_in_vietnamese(cat):
    with pytest.raises(UnknownCodeError, match="Không có đơn vị hành chính mã “99999”"):
        cat.unit("99999")
    with pytest.raises(UnknownCodeError, match="không phải một tỉnh"):
        cat.province("03043")
    with pytest.raises(UnknownCodeError, match="không phải một tỉnh"):
        cat.communes("03043")


def test_a_damaged_or_newer_file_is_refused_with_a_message(tmp_path):
    bad = tmp_path / "catalogue.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogueError, match="Không đọc được tệp danh mục"):
        read(bad)
    bad.write_text(json.dumps({"format": 9}), encoding="utf-8")
    with pytest.raises(CatalogueError, match="định dạng 9"):
        read(bad)
    bad.write_text(json.dumps({"format": 1, "version": "x"}), encoding="utf-8")
    with pytest.raises(CatalogueError, match="bị hỏng"):
        read(bad)


# Words of the JSON library's and Python's own messages that must never reach the user.
ENGLISH = re.compile(r"Expecting|delimiter|line \d|column \d|char \d|codec|decode|position|invalid|unpack|"
                     r"isoformat|KeyError|string|object|value", re.IGNORECASE)


def _said(path, content: bytes) -> str:
    path.write_bytes(content)
    with pytest.raises(CatalogueError) as error:
        read(path)
    return str(error.value).replace(str(path), "")


def test_a_damaged_file_is_told_in_vietnamese_only_with_its_place(tmp_path):
    path = tmp_path / "catalogue.json"
    shipped = json.loads(resource("units", "catalogue.json").read_text(encoding="utf-8"))

    def spoiled(edit) -> bytes:
        raw = json.loads(json.dumps(shipped))
        edit(raw)
        return json.dumps(raw, ensure_ascii=False).encode("utf-8")

    said = {
        "json": _said(path, b'{\n  "format": 1,\n  "version" "2025.1"\n}'),
        "utf8": _said(path, b'{"format": 1, "version": "2025.\xff"}'),
        "missing": _said(path, spoiled(lambda r: r.pop("communes"))),
        "short row": _said(path, spoiled(lambda r: r["communes"].__setitem__(4, ["03100", "Xã Lạ"]))),
        "date": _said(path, spoiled(lambda r: r["former"][0].__setitem__("valid_to", "30/6/2025"))),
        "district": _said(path, spoiled(lambda r: r["former"][0]["communes"][2].__setitem__(3, "999"))),
        "number": _said(path, spoiled(lambda r: r["provinces"][0].__setitem__(0, 1))),
    }
    assert "nội dung JSON bị hỏng ở dòng 3, cột 13" in said["json"]
    assert "không phải văn bản UTF-8 (byte thứ 32 không đọc được" in said["utf8"]
    assert "thiếu mục “communes”" in said["missing"]
    assert "mục “communes”, phần tử thứ 5: phải là danh sách 4 giá trị" in said["short row"]
    assert "mục “former”, phần tử thứ 1, trường “valid_to”: ngày “30/6/2025” không đúng dạng" in said["date"]
    assert "mục “former”, phần tử thứ 1, mục “communes”, phần tử thứ 3: huyện mã “999” không có" in said["district"]
    assert "mục “provinces”, phần tử thứ 1: có giá trị không phải chữ" in said["number"]
    for case, message in said.items():
        assert not ENGLISH.search(message), (case, message)
        assert "Hãy cài lại NTM Desktop" in message, (case, message)


def test_names_of_the_peoples_committees(cat):
    assert cat.unit("03043").body_name == "Ủy ban nhân dân xã Mường Bo"
    assert cat.unit("03043").body_short_name == "UBND xã Mường Bo"
    assert cat.unit("01").body_name == "Ủy ban nhân dân thành phố Hà Nội"
    assert cat.unit("26732").body_name == "Ủy ban nhân dân đặc khu Côn Đảo"
    assert cat.get("088-CU").body_name == "Ủy ban nhân dân thị xã Sa Pa"
