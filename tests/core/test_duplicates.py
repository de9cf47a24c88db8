"""Likely duplicates: the same issuer however it is written, and copies without a number found by subject."""

from __future__ import annotations

import itertools
import json
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from ntm_desktop.services.directives import SUBJECT_SIMILARITY, find_duplicates, similar_subjects, subject_key

from core_factories import directive_input, make_directive, make_office, make_unit

FIXTURES = Path(__file__).parents[1] / "fixtures" / "directives"
SUBJECTS = [json.loads(p.read_text(encoding="utf-8"))["subject"] for p in sorted(FIXTURES.glob("*.json"))]
SUBJECT = "Tăng cường công tác quản lý, thanh tra, kiểm tra hoạt động khoáng sản trên địa bàn tỉnh Lào Cai"


@pytest.fixture
def office(db):
    with db.transaction("test") as s:
        return make_office(s)


@pytest.mark.parametrize("first, second", [
    ("UBND tỉnh Lào Cai", "Ủy ban nhân dân tỉnh Lào Cai"),
    ("Uỷ ban nhân dân tỉnh Lào Cai", "ỦY BAN NHÂN DÂN TỈNH LÀO CAI"),
    ("HĐND tỉnh Lào Cai", "Hội đồng nhân dân tỉnh Lào Cai"),
    ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("VPĐP NTM tỉnh Lào Cai", "Văn phòng Điều phối nông thôn mới tỉnh Lào Cai"),
    ("BCĐ các Chương trình MTQG tỉnh", "Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh"),
])
def test_same_number_from_the_issuer_written_two_ways(db, office, first, second):
    with db.transaction("cv") as s:
        make_directive(s, office, date(2026, 6, 12), 1, number_symbol="5973/UBND-KT", issuer=first, subject=SUBJECT)
        hints = find_duplicates(s, office, directive_input(
            date(2026, 6, 15), 2, SUBJECT, number_symbol="5973/UBND-KT", issuer=second))
    assert [(h.arrival_number, h.same_number) for h in hints] == [(1, True)]


def test_unnumbered_copy_with_the_same_subject_is_found(db, office):
    """The defect as seen: "UBND tỉnh Lào Cai" / "Ủy ban nhân dân tỉnh Lào Cai", "Số: /UBND-KT", same subject."""
    with db.transaction("cv") as s:
        make_directive(s, office, date(2026, 6, 12), 1, number_symbol="/UBND-KT", issuer="UBND tỉnh Lào Cai",
                       subject=f"V/v {SUBJECT[:1].lower()}{SUBJECT[1:]}")
        hints = find_duplicates(s, office, directive_input(
            date(2026, 6, 15), 2, SUBJECT + ".", number_symbol="Số: /UBND-KT".removeprefix("Số: "),
            issuer="Ủy ban nhân dân tỉnh Lào Cai"))
        assert [(h.arrival_number, h.same_number) for h in hints] == [(1, False)]
        # the issued letter, numbered later, is flagged against the unnumbered copy too
        numbered = find_duplicates(s, office, directive_input(
            date(2026, 6, 20), 3, SUBJECT, number_symbol="5973/UBND-KT", issuer="Ủy ban nhân dân tỉnh Lào Cai"))
        assert [h.arrival_number for h in numbered] == [1]


def test_unnumbered_copies_that_are_not_the_same_letter(db, office):
    with db.transaction("cv") as s:
        issuer = make_unit(s, "Ủy ban nhân dân tỉnh Lào Cai", level="tinh")
        make_directive(s, office, date(2026, 6, 12), 1, number_symbol="/UBND-KT", issuer="", issuer_unit_id=issuer,
                       subject="Triển khai thực hiện Chương trình MTQG xây dựng nông thôn mới năm 2025")
        make_directive(s, office, date(2026, 6, 13), 2, number_symbol="/UBND-KT", issuer="UBND tỉnh Yên Bái",
                       subject=SUBJECT)
        make_directive(s, office, date(2026, 6, 14), 3, number_symbol="/KH-UBND", issuer="UBND tỉnh Lào Cai",
                       subject=SUBJECT)

        def hints(subject, number="/UBND-KT"):
            return [h.arrival_number for h in find_duplicates(s, office, directive_input(
                date(2026, 6, 15), 9, subject, number_symbol=number, issuer="", issuer_unit_id=issuer))]

        # another year is another letter; another issuer or another symbol ("/KH-UBND") too
        assert hints("Triển khai thực hiện Chương trình MTQG xây dựng nông thôn mới năm 2026") == []
        assert hints("Triển khai thực hiện Chương trình mục tiêu quốc gia xây dựng NTM năm 2025") == [1]
        assert hints(SUBJECT) == []
        assert hints(SUBJECT, "/KH-UBND") == [3]
        # two numbered letters with different numbers are never duplicates, whatever their subjects
        make_directive(s, office, date(2026, 6, 14), 4, number_symbol="100/UBND-KT", issuer="", issuer_unit_id=issuer,
                       subject="Báo cáo tiến độ")
        assert hints("Báo cáo tiến độ", "101/UBND-KT") == []


def _variants(subject: str):
    words = subject.split()
    yield "V/v " + subject[:1].lower() + subject[1:]
    yield subject.upper()
    yield subject + "."
    yield " ".join(words[:2] + words[3:]) if len(words) > 6 else subject  # a word dropped
    yield subject.replace("nông thôn mới", "NTM").replace("mục tiêu quốc gia", "MTQG")
    yield subject.replace("ư", "u", 1)
    yield " ".join(words[: len(words) // 2] + ["về"] + words[len(words) // 2:])


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, subject_key(a), subject_key(b), autojunk=False).ratio()


def test_threshold_separates_copies_from_other_letters():
    """Measured on the real fixtures: rewritten copies score >= 0.96, different letters <= 0.68."""
    copies = [_ratio(s, v) for s in SUBJECTS for v in _variants(s)]
    others = [_ratio(a, b) for a, b in itertools.combinations(SUBJECTS, 2)]
    assert min(copies) > SUBJECT_SIMILARITY > max(others)
    assert min(copies) - SUBJECT_SIMILARITY > 0.05 and SUBJECT_SIMILARITY - max(others) > 0.1
    assert all(similar_subjects(s, v) for s in SUBJECTS for v in _variants(s))
    assert not any(similar_subjects(a, b) for a, b in itertools.combinations(SUBJECTS, 2))
