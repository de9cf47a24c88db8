"""Variants the directive parser must tolerate (no Qt)."""

from __future__ import annotations

import unicodedata

from ntm_desktop.parsing import parse_directive, proposal_to_dict
from ntm_desktop.parsing.cleaning import clean_lines
from ntm_desktop.parsing.deadline_text import find_deadline
from ntm_desktop.parsing.units import canonical, match_unit

LETTER = """ỦY BAN NHÂN DÂN
TỈNH TUYÊN QUANG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 5973 /UBND-KT Tuyên Quang, ngày 11 tháng 6 năm 2026
V/v thực hiện Chương trình nông thôn mới

Kính gửi:
- Sở Nông nghiệp và Môi trường;
- UBND các xã, phường.

Thực hiện Thông báo số 854-TB/TU ngày 07/9/2023 của Tỉnh ủy, Chủ tịch UBND tỉnh yêu cầu:
1. Giao Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Sở Tài chính rà soát tiêu chí, báo cáo UBND tỉnh trước ngày 30/10/2026.
2. UBND các xã, phường
- Định kỳ hằng quý báo cáo kết quả thực hiện.
- Thường xuyên kiểm tra, đôn đốc.
Căn cứ ý kiến chỉ đạo trên, các cơ quan, đơn vị triển khai thực hiện./.

Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn An
"""


def test_letter_metadata_and_tasks():
    p = parse_directive(LETTER)
    d = proposal_to_dict(p)
    assert d["number_symbol"] == "5973/UBND-KT"
    assert d["doc_type"] == "Công văn"
    assert d["issuer"] == "Ủy ban nhân dân tỉnh Tuyên Quang"
    assert d["place"] == "Tuyên Quang"
    assert d["date"] == "2026-06-11"
    assert d["subject"] == "Thực hiện Chương trình nông thôn mới"
    assert d["signer"] == "Nguyễn Văn An" and d["signer_title"] == "PHÓ CHỦ TỊCH"
    assert d["recipients"] == ["Sở Nông nghiệp và Môi trường", "UBND các xã, phường"]
    assert d["referenced_documents"] == ["854-TB/TU ngày 07/9/2023"]
    tasks = d["tasks"]
    assert [t["assignee"] for t in tasks] == [
        "Sở Nông nghiệp và Môi trường", "UBND các xã, phường", "UBND các xã, phường"]
    assert tasks[0]["cooperating"] == ["Sở Tài chính"]
    assert tasks[0]["deadline"] == "2026-10-30"
    assert tasks[1]["recurrence"] == "quarterly" and tasks[1]["deadline"] is None
    assert tasks[2]["deadline"] is None and tasks[2]["deadline_text"] == "Thường xuyên"
    # Sources point into the cleaned lines.
    lines = p.cleaned_text.split("\n")
    li, s, e = p.sources["subject"]
    assert lines[li][s:e].startswith("thực hiện Chương trình")
    assert "Giao Sở Nông nghiệp" in lines[p.tasks[0].source[0]]


def test_nfd_input_gives_the_same_result():
    nfd = unicodedata.normalize("NFD", LETTER)
    assert proposal_to_dict(parse_directive(nfd)) == proposal_to_dict(parse_directive(LETTER))


def test_uy_spelling_variant_and_markdown_bold():
    text = LETTER.replace("ỦY BAN NHÂN DÂN", "**UỶ BAN NHÂN DÂN**").replace("2. UBND", "2. **Uỷ ban nhân dân**")
    d = proposal_to_dict(parse_directive(text))
    assert d["issuer"] == "Ủy ban nhân dân tỉnh Tuyên Quang"
    assert canonical(d["tasks"][1]["assignee"]) == canonical("UBND các xã, phường")


def test_stray_spaces_in_number_and_blank_number():
    assert clean_lines("Số:   5973   /UBND-KT")[0] == "Số: 5973/UBND-KT"
    d = proposal_to_dict(parse_directive("Số:            /UBND-KT\nLào Cai, ngày     tháng 10 năm 2023\n"))
    assert d["number_symbol"] == "/UBND-KT"
    assert d["date"] == "2023-10"
    d = proposal_to_dict(parse_directive("Số: /KH-UBND\nLào Cai, ngày  tháng  năm 2026\n"))
    assert d["date"] == "2026" and d["doc_type"] == "Kế hoạch"


def test_party_number_form():
    d = proposal_to_dict(parse_directive("TỈNH ỦY TUYÊN QUANG\nSố 854-TB/TU\nTuyên Quang, ngày 07 tháng 9 năm 2023\n"))
    assert d["number_symbol"] == "854-TB/TU"
    assert d["doc_type"] == "Thông báo"
    assert d["date"] == "2023-09-07"


def test_text_without_tasks_gives_none():
    d = proposal_to_dict(parse_directive("Ngày 07/6/2024, Ban Chỉ đạo họp về nông thôn mới. Dự họp có lãnh đạo các Sở."))
    assert d["tasks"] == [] and d["targets"] == []
    assert proposal_to_dict(parse_directive(""))["tasks"] == []


def test_deadline_forms():
    assert find_deadline("báo cáo trước ngày 30/10/2023").deadline == "2023-10-30"
    assert find_deadline("hoàn thành chậm nhất ngày 01 tháng 7 năm 2028").deadline == "2028-07-01"
    assert find_deadline("thời gian hoàn thành trong Quý III năm 2024").deadline == "2024-09-30"
    assert find_deadline("xong trong tháng 9/2026").deadline == "2026-09-30"
    assert find_deadline("hoàn thành trình UBND tỉnh trong tháng 9 năm 2026").deadline == "2026-09-30"
    assert find_deadline("đảm bảo hoàn thành trong năm 2025").deadline == "2025-12-31"
    assert find_deadline("xây dựng huyện đạt chuẩn vào năm 2025").deadline == "2025-12-31"
    quarterly = find_deadline("Định kỳ hằng quý tổng hợp, báo cáo")
    assert quarterly.recurrence == "quarterly" and quarterly.deadline is None
    assert find_deadline("Hàng năm tổng hợp, đánh giá").recurrence == "yearly"
    assert find_deadline("báo cáo trước ngày 15 hằng tháng").recurrence == "monthly"
    none = find_deadline("Thường xuyên kiểm tra, đôn đốc")
    assert none.deadline is None and none.recurrence is None and none.text == "Thường xuyên"
    assert find_deadline("Xong trong Quý II/2026", cell=True).deadline == "2026-06-30"


def test_traps_are_not_deadlines():
    assert find_deadline("theo Kế hoạch số 03/KH-UBND ngày 11/01/2024 của UBND tỉnh").deadline is None
    assert find_deadline("tại buổi làm việc với Chủ tịch Quốc hội ngày 29/9/2023").deadline is None
    assert find_deadline("hoàn thành kế hoạch năm 2024").deadline is None
    assert find_deadline("bố trí ngân sách hằng năm").recurrence is None


UNITS = [
    ("u1", "Ủy ban nhân dân tỉnh Tuyên Quang"),
    ("u2", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("u3", "Văn phòng Điều phối nông thôn mới tỉnh"),
    ("u4", "Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh"),
    ("u5", "Ủy ban nhân dân huyện Hàm Yên"),
    ("u6", "Sở Tài chính"),
]


def test_unit_matching_tolerates_abbreviations_and_variants():
    assert match_unit("Sở NN&PTNT", UNITS) == "u2"
    assert match_unit("Sở Nông nghiệp và PTNT", UNITS) == "u2"
    assert match_unit("VPĐP NTM tỉnh", UNITS) == "u3"
    assert match_unit("Văn phòng Điều phối NTM", UNITS) == "u3"
    assert match_unit("BCĐ các Chương trình MTQG tỉnh", UNITS) == "u4"
    assert match_unit("UBND huyện Hàm Yên", UNITS) == "u5"
    assert match_unit("Uỷ ban nhân dân huyện Hàm Yên", UNITS) == "u5"
    assert match_unit("Giao Sở Tài chính", UNITS) == "u6"
    assert match_unit("Sở Xây dựng", UNITS) is None
    assert match_unit("UBND huyện Sơn Dương", UNITS) is None


def test_known_units_flow_into_the_proposal():
    p = parse_directive(LETTER, known_units=[("x1", "Sở Nông nghiệp và Môi trường"), ("x2", "Sở Tài chính")])
    assert p.tasks[0].assignee_unit_id == "x1"
    assert p.tasks[0].cooperating_unit_ids == ("x2",)
    assert p.tasks[1].assignee_unit_id is None


def test_page_furniture_is_dropped():
    lines = clean_lines("Trang chủ\n12:30 15/06/2024\nNội dung chính\n2\nTrang 3/5\n")
    assert lines == ["Nội dung chính"]


def test_fifty_thousand_characters_parse_quickly():
    import sys
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from bench.bench_parse import build_text

    text = build_text()
    parse_directive(text)
    start = time.perf_counter()
    parse_directive(text)
    assert (time.perf_counter() - start) < 0.5  # 200 ms target, slack for slow CI machines
