"""The unit tree: levels as data, validation, mergers with successors, tombstones, Vietnamese order."""

from datetime import date

import pytest

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Unit
from ntm_desktop.services import units

from core_factories import make_directive, make_office, make_task


def test_levels_are_data(db):
    with db.transaction() as s:
        codes = [level.code for level in units.levels(s)]
    assert codes[:2] == ["tinh", "so"]
    assert {"huyen", "phong", "xa", "phuong", "dac_khu", "thon", "khac"} <= set(codes)


def test_create_and_list_in_vietnamese_order(db):
    with db.transaction("cv") as s:
        for code, name in [("D", "Xã Đồng Tâm"), ("B", "Xã Bắc Sơn"), ("A2", "Xã Ân Thi"), ("A", "Xã An Bình"),
                           ("DX", "Xã Dương Xá"), ("BV", "Xã Ba Vì")]:
            units.create_unit(s, code=code, name=name, level_code="xa")
        names = [u.name for u in units.all_units(s)]
    assert names == ["Xã An Bình", "Xã Ân Thi", "Xã Ba Vì", "Xã Bắc Sơn", "Xã Dương Xá", "Xã Đồng Tâm"]


@pytest.mark.parametrize("data, words", [
    (dict(code="", name="Xã A", level_code="xa"), "Mã đơn vị không được để trống"),
    (dict(code="X1", name=" ", level_code="xa"), "Tên đơn vị không được để trống"),
    (dict(code="X1", name="Xã A", level_code="quan"), "cấp của đơn vị"),
    (dict(code="X1", name="Xã A", level_code="xa", valid_from=date(2025, 7, 1), valid_to=date(2025, 6, 30)),
     "Ngày hết hiệu lực"),
])
def test_bad_unit_input(db, data, words):
    with pytest.raises(ValidationError, match=words):
        with db.transaction("cv") as s:
            units.create_unit(s, **data)
    with db.transaction() as s:
        assert units.all_units(s) == []


def test_code_is_unique_and_normalised(db):
    with db.transaction("cv") as s:
        units.create_unit(s, code="lc-snn ", name="Sở Nông nghiệp", level_code="so")
        assert units.find_by_code(s, "LC-SNN") is not None
    with pytest.raises(ValidationError, match="đã được dùng"):
        with db.transaction("cv") as s:
            units.create_unit(s, code="LC-SNN", name="Sở khác", level_code="so")


def test_parent_cannot_be_a_descendant(db):
    with db.transaction("cv") as s:
        top = units.create_unit(s, code="T", name="Tỉnh", level_code="tinh")
        mid = units.create_unit(s, code="H", name="Huyện", level_code="huyen", parent_id=top)
        low = units.create_unit(s, code="X", name="Xã", level_code="xa", parent_id=mid)
    with pytest.raises(ValidationError, match="cấp trên"):
        with db.transaction("cv") as s:
            units.update_unit(s, top, code="T", name="Tỉnh", level_code="tinh", parent_id=low)


def test_merger_keeps_history_and_successor_chain(db):
    with db.transaction("cv") as s:
        old_a = units.create_unit(s, code="A", name="Xã Minh Dân", level_code="xa")
        old_b = units.create_unit(s, code="B", name="Xã Minh Khương", level_code="xa")
        new = units.create_unit(s, code="C", name="Xã Minh Quang", level_code="xa", valid_from=date(2025, 7, 1))
        units.merge_units(s, [old_a, old_b], new, date(2025, 7, 1))
        merged = units.get_unit(s, old_a)
        assert merged.valid_to == date(2025, 6, 30) and merged.successor_name == "Xã Minh Quang"
        assert merged.is_active(date(2025, 6, 30)) and not merged.is_active(date(2025, 7, 1))
        assert [u.name for u in units.successor_chain(s, old_b)] == ["Xã Minh Khương", "Xã Minh Quang"]
        assert [u.name for u in units.predecessors(s, new)] == ["Xã Minh Dân", "Xã Minh Khương"]
        assert len(units.all_units(s)) == 3  # merged units stay in history
    with pytest.raises(ValidationError):
        with db.transaction("cv") as s:
            units.merge_units(s, [new], new, date(2025, 7, 1))


def test_unit_in_use_cannot_be_deleted_unused_is_tombstoned(db):
    with db.transaction("cv") as s:
        office = make_office(s)
        used = units.create_unit(s, code="U", name="Xã Yên Bình", level_code="xa")
        spare = units.create_unit(s, code="S", name="Xã Thừa", level_code="xa")
        make_task(s, make_directive(s, office, date(2025, 3, 1)), used)
    with pytest.raises(ValidationError, match="Không xóa được"):
        with db.transaction("cv") as s:
            units.delete_unit(s, used)
    with db.transaction("cv") as s:
        units.delete_unit(s, spare)
    with db.transaction() as s:
        assert s.get(Unit, spare).deleted is True
        assert spare not in {u.id for u in units.all_units(s)}
        assert spare in {u.id for u in units.all_units(s, include_deleted=True)}
        assert units.find_by_name(s, "xa thua") is None
        assert units.find_by_name(s, "XÃ YÊN BÌNH").id == used


def test_unit_cannot_be_its_own_parent_nor_below_itself(db):
    with db.transaction("cv") as s:
        top = units.create_unit(s, code="T", name="Ủy ban nhân dân tỉnh Lào Cai", level_code="tinh")
        mid = units.create_unit(s, code="S", name="Sở Nông nghiệp và Môi trường", level_code="so", parent_id=top)
        low = units.create_unit(s, code="C", name="Chi cục Phát triển nông thôn", level_code="khac", parent_id=mid)
        assert units.descendants(s, top) == {mid, low} and units.descendants(s, low) == set()
    for parent in (mid, low):
        with pytest.raises(ValidationError, match="chính đơn vị này hoặc đơn vị cấp dưới"):
            with db.transaction("cv") as s:
                units.update_unit(s, mid, code="S", name="Sở Nông nghiệp và Môi trường", level_code="so",
                                  parent_id=parent)
    with db.transaction() as s:
        assert units.get_unit(s, mid).parent_id == top


def test_list_labels_tell_namesakes_apart(db):
    with db.transaction("cv") as s:
        lao_cai = units.create_unit(s, code="LC", name="Ủy ban nhân dân tỉnh Lào Cai", level_code="tinh")
        tuyen_quang = units.create_unit(s, code="TQ", name="UBND tỉnh Tuyên Quang", level_code="tinh")
        first = units.create_unit(s, code="LC-STC", name="Sở Tài chính", level_code="so", parent_id=lao_cai)
        second = units.create_unit(s, code="TQ-STC", name="Sở Tài chính", level_code="so", parent_id=tuyen_quang)
        twin = units.create_unit(s, code="TQ-STC2", name="Sở Tài chính", level_code="so", parent_id=tuyen_quang)
        alone = units.create_unit(s, code="LC-SXD", name="Sở Xây dựng", level_code="so", parent_id=lao_cai)
        names = units.labels(units.all_units(s))
    assert names[first] == "Sở Tài chính — Tỉnh Lào Cai"
    assert (names[second], names[twin]) == ("Sở Tài chính — Tỉnh Tuyên Quang (TQ-STC)",
                                            "Sở Tài chính — Tỉnh Tuyên Quang (TQ-STC2)")
    assert names[alone] == "Sở Xây dựng" and names[lao_cai] == "Ủy ban nhân dân tỉnh Lào Cai"
