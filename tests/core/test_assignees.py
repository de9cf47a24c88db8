"""Assignee phrases: a list becomes several unit names, a group a kind of unit or wording, never one unit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ntm_desktop.parsing.assignees import Group, is_single_unit, split_assignees
from ntm_desktop.parsing.cleaning import fold_keep

FIXTURES = Path(__file__).parents[1] / "fixtures" / "directives"
UNIT_WORDS = ("so ", "ban ", "uy ban nhan dan ", "ubnd ", "phong ", "van phong ", "trung tam ", "chi cuc ",
              "cong an ", "bo chi huy ", "thanh tra ", "thue ", "cong ty ", "mat tran ", "hoi ", "tinh doan")


def _phrases() -> list[str]:
    """Every assignee and cooperating phrase a person wrote down for the real directives."""
    out = []
    for path in sorted(FIXTURES.glob("*.json")):
        for task in json.loads(path.read_text(encoding="utf-8"))["tasks"]:
            out += [task["assignee"], *task.get("cooperating", [])]
    return list(dict.fromkeys(out))


@pytest.mark.parametrize("phrase, names", [
    ("Sở Tài chính, Sở Kế hoạch và Đầu tư", ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]),
    ("Sở Nông nghiệp và Phát triển nông thôn, Văn phòng Điều phối nông thôn mới tỉnh",
     ["Sở Nông nghiệp và Phát triển nông thôn", "Văn phòng Điều phối nông thôn mới tỉnh"]),
    ("Sở Công Thương; Sở Xây dựng", ["Sở Công Thương", "Sở Xây dựng"]),
    ("UBND huyện Sơn Động và Lục Ngạn", ["UBND huyện Sơn Động", "UBND huyện Lục Ngạn"]),
    ("UBND xã Cốc San và xã Hợp Thành", ["UBND xã Cốc San", "UBND xã Hợp Thành"]),
    ("Chi cục Phát triển nông thôn, Trung tâm Khuyến nông", ["Chi cục Phát triển nông thôn", "Trung tâm Khuyến nông"]),
    # names that hold a comma or "và" stay whole
    ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
    ("Sở Lao động - Thương binh và Xã hội", ["Sở Lao động - Thương binh và Xã hội"]),
    ("Ban Dân tộc và Tôn giáo", ["Ban Dân tộc và Tôn giáo"]),
    ("Ban Quản lý dự án đầu tư xây dựng số 1", ["Ban Quản lý dự án đầu tư xây dựng số 1"]),
])
def test_lists_become_unit_names(phrase, names):
    assert split_assignees(phrase) == names
    assert is_single_unit(phrase) == (len(names) == 1)


@pytest.mark.parametrize("phrase, levels", [
    ("Các sở, ban, ngành", ("so",)),
    ("các Sở, ngành của tỉnh", ("so",)),
    ("Thủ trưởng các sở, ban, ngành, đoàn thể tỉnh", ("so",)),
    ("UBND các xã", ("xa",)),
    ("Ủy ban nhân dân các xã, phường", ("xa", "phuong")),
    ("Ủy ban nhân dân cấp xã", ("xa", "phuong", "dac_khu")),
    ("Ủy ban nhân dân huyện, thành phố", ("huyen",)),
    ("UBND các huyện, thị xã, thành phố", ("huyen",)),
    ("Các phòng, ban chuyên môn", ("phong",)),
])
def test_groups_name_a_kind_of_unit(phrase, levels):
    assert split_assignees(phrase) == [Group(phrase, levels)]
    assert not is_single_unit(phrase)


@pytest.mark.parametrize("phrase", [
    "Các sở, ban, ngành có lãnh đạo là thành viên Ban Chỉ đạo các chương trình mục tiêu quốc gia",
    "Các thành viên Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh",
    "Ủy ban nhân dân các xã, phường có cụm công nghiệp",
    "các cơ quan, đơn vị có liên quan",
    "các sở, ngành, địa phương có liên quan",
    "Các cơ quan thông tin truyền thông",
    "địa phương",
    "cơ quan liên quan",
])
def test_narrowed_groups_stay_wording(phrase):
    """A subset no list of units can stand for: no levels, so nothing but wording."""
    assert split_assignees(phrase) == [Group(phrase)]


def test_mixed_phrases_keep_their_order():
    assert split_assignees("Công an tỉnh, các sở, ban, ngành, đoàn thể tỉnh và Ủy ban nhân dân các xã, phường") == [
        "Công an tỉnh", Group("các sở, ban, ngành, đoàn thể tỉnh", ("so",)),
        Group("Ủy ban nhân dân các xã, phường", ("xa", "phuong"))]
    assert split_assignees("các sở, ngành liên quan và UBND các phường: Yên Bái, Văn Phú") == [
        Group("các sở, ngành liên quan"), "UBND phường Yên Bái", "UBND phường Văn Phú"]
    assert split_assignees("Mặt trận Tổ quốc và các tổ chức chính trị - xã hội") == [
        "Mặt trận Tổ quốc", Group("các tổ chức chính trị - xã hội")]
    assert split_assignees("Các Sở, ban, ngành và các cơ quan, đơn vị, địa phương liên quan") == [
        Group("Các Sở, ban, ngành", ("so",)), Group("các cơ quan, đơn vị, địa phương liên quan")]


@pytest.mark.parametrize("phrase", _phrases())
def test_no_phrase_of_the_real_directives_becomes_a_unit_named_by_a_group(phrase):
    """Each name split from a real assignee starts with a unit word and holds no group ("các ...")."""
    for part in split_assignees(phrase):
        if isinstance(part, Group):
            continue
        folded = fold_keep(part)
        assert folded.startswith(UNIT_WORDS), part
        assert " cac " not in f" {folded} " and "lien quan" not in folded, part
        assert not (", " in part and not folded.startswith("so van hoa")), part
