"""The secrecy stamp of a directive's header ("MẬT", "TỐI MẬT", "TUYỆT MẬT", "Độ mật: Mật") proposed as the
register's Độ mật, with its source for the review's highlight; the words "bí mật" and "mật độ" of a sentence or a
title are not a stamp."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_parsing_scores import FIELDS, FIXTURES

from ntm_desktop.parsing import parse_directive, proposal_to_dict

STYLES = Path(__file__).resolve().parent.parent / "fixtures" / "directive_styles"
HEAD = "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 215/UBND-NLN\n"
REST = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Lào Cai, ngày 12 tháng 3 năm 2026\n"
    "V/v rà soát hồ sơ xã đạt chuẩn nông thôn mới\n"
    "Kính gửi: Sở Nông nghiệp và Môi trường.\n"
    "Ủy ban nhân dân tỉnh giao Sở Nông nghiệp và Môi trường chủ trì rà soát hồ sơ các xã đề nghị xét công nhận, "
    "báo cáo trước ngày 30/4/2026.\n"
    "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn Hùng\n"
)


@pytest.mark.parametrize(("stamp", "value", "written"), [
    ("MẬT\n", "mat", "MẬT"),
    ("TỐI MẬT\n", "toi_mat", "TỐI MẬT"),
    ("TUYỆT MẬT\n", "tuyet_mat", "TUYỆT MẬT"),
    ("[MẬT]\n", "mat", "MẬT"),  # stamped in a box, as a copy gives it
    ("| TỐI MẬT |\n", "toi_mat", "TỐI MẬT"),
    ("**TUYỆT MẬT**\n", "tuyet_mat", "TUYỆT MẬT"),  # bold in a markdown copy
    ("Độ mật: Mật\n", "mat", "Mật"),  # a document system's copy
    ("ĐỘ MẬT: TỐI MẬT\n", "toi_mat", "TỐI MẬT"),
])
def test_each_secrecy_stamp_is_proposed_with_its_source(stamp, value, written):
    proposal = parse_directive(HEAD + stamp + REST)
    assert proposal.secrecy == value
    line, start, end = proposal.sources["secrecy"]
    assert proposal.cleaned_text.split("\n")[line][start:end] == written
    # the stamp is no part of the other fields
    assert proposal.number_symbol == "215/UBND-NLN" and proposal.date == "2026-03-12"
    assert proposal.subject == "Rà soát hồ sơ xã đạt chuẩn nông thôn mới"
    assert proposal_to_dict(proposal)["secrecy"] == value


def test_a_stamp_after_the_number_or_run_into_the_next_header_line_is_read():
    assert parse_directive(HEAD.replace("NLN\n", "NLN MẬT\n") + REST).secrecy == "mat"
    ran = parse_directive(HEAD + "TỐI MẬT " + REST)  # a viewer's copy: "TỐI MẬT CỘNG HÒA …"
    assert ran.secrecy == "toi_mat"
    dated = parse_directive(HEAD + "MẬT Lào Cai, ngày 12 tháng 3 năm 2026\n" + REST.replace(
        "Lào Cai, ngày 12 tháng 3 năm 2026\n", ""))
    assert dated.secrecy == "mat" and dated.date == "2026-03-12"


def test_urgency_and_secrecy_stamped_together_are_both_proposed():
    proposal = parse_directive(HEAD + "HỎA TỐC\nMẬT\n" + REST)
    assert (proposal.urgency, proposal.secrecy) == ("hoa_toc", "mat")
    same_line = parse_directive(HEAD + "KHẨN MẬT\n" + REST)
    assert (same_line.urgency, same_line.secrecy) == ("khan", "mat")


def test_a_directive_without_a_stamp_has_none():
    proposal = parse_directive(HEAD + REST)
    assert proposal.secrecy == "" and "secrecy" not in proposal.sources
    assert proposal_to_dict(proposal)["secrecy"] == ""


@pytest.mark.parametrize("text", [
    # "bí mật" and "mật độ" in the body's sentences
    HEAD + REST.replace("báo cáo trước", "giữ bí mật thông tin cá nhân của người dân, báo cáo trước"),
    HEAD + REST.replace("Kính gửi: Sở Nông nghiệp và Môi trường.\n", "Kính gửi: Sở Nông nghiệp và Môi trường.\n"
                        "Mật độ dân cư các thôn vùng cao còn thấp.\nMẬT ĐỘ XÂY DỰNG\nBẢO VỆ BÍ MẬT NHÀ NƯỚC\n"),
    # the subject and a title about state secrets, one wrapped so that "MẬT" opens a line
    HEAD + REST.replace("rà soát hồ sơ xã đạt chuẩn nông thôn mới", "bảo vệ bí mật nhà nước"),
    "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 12/QĐ-UBND\nQUYẾT ĐỊNH\nBan hành Quy chế bảo vệ bí mật nhà nước\n"
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\nQUY CHẾ BẢO VỆ BÍ\nMẬT\n",
    "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 13/BC-UBND\nBÁO CÁO CÔNG TÁC BẢO VỆ BÍ\nMẬT NHÀ NƯỚC NĂM 2026\n",
    "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 14/UBND-VP\nHƯỚNG DẪN THỰC HIỆN QUY CHẾ BẢO VỆ BÍ\nMẬT\n" + REST,
    "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 15/UBND-VP V/v CÔNG TÁC BẢO VỆ BÍ MẬT\n" + REST,
    "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 16/UBND-VP\nSỔ TÀI LIỆU MẬT\n" + REST,
    # a portal's fields: "Độ mật: Thường"
    "Độ khẩn: Thường\nĐộ mật: Thường\n" + HEAD + REST,
    "Mật độ: 120 người/km2\n" + HEAD + REST,
])
def test_secret_words_that_are_no_stamp_are_not_taken_for_one(text):
    assert parse_directive(text).secrecy == ""


@pytest.mark.parametrize("folder", [FIXTURES, STYLES], ids=["real", "styles"])
def test_a_stamp_under_the_number_leaves_every_other_field_of_the_fixtures_as_it_was(folder):
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        at = next((i for i, line in enumerate(lines) if line.lstrip().startswith("Số")), 1)  # else under the agency
        stamped = "\n".join(lines[:at + 1] + ["TỐI MẬT"] + lines[at + 1:])
        plain, secret = proposal_to_dict(parse_directive(text)), proposal_to_dict(parse_directive(stamped))
        assert plain["secrecy"] == "" and secret["secrecy"] == "toi_mat", path.name
        assert {f: secret[f] for f in FIELDS} == {f: plain[f] for f in FIELDS}, path.name
        assert secret["tasks"] == plain["tasks"], path.name
        gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert len(secret["tasks"]) == len(gold["tasks"]), path.name
