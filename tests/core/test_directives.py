"""Registering directives: arrival numbering, duplicate warning, bad input, NFC, tombstones."""

import unicodedata
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Directive, Task
from ntm_desktop.services.directives import (
    create_directive, delete_directive, find_duplicates, load, next_arrival_number, update_directive,
)
from ntm_desktop.services import register, settings

from core_factories import directive_input, make_directive, make_office, make_task, make_unit


@pytest.fixture
def office(db):
    with db.transaction("test") as s:
        return make_office(s)


def _count(db, model=Directive):
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_next_arrival_number_runs_per_office_and_year(db, office):
    with db.transaction("cv") as s:
        other = make_unit(s, "Phòng Nông nghiệp và Môi trường", level="phong")
        assert next_arrival_number(s, office, 2025) == 1
        for _ in range(3):
            make_directive(s, office, date(2025, 3, 1))
        make_directive(s, office, date(2025, 12, 31))
        settings.put(s, settings.OFFICE_UNIT, other)  # the other office's register, as its own computer keeps it
        make_directive(s, other, date(2025, 5, 1))
        settings.put(s, settings.OFFICE_UNIT, office)
        assert next_arrival_number(s, office, 2025) == 5
        assert next_arrival_number(s, other, 2025) == 2
        # a new year starts again at 1
        assert next_arrival_number(s, office, 2026) == 1
        make_directive(s, office, date(2026, 1, 2))
        assert next_arrival_number(s, office, 2026) == 2


def test_used_arrival_number_is_refused_naming_the_next_free_one(db, office):
    with db.transaction("cv") as s:
        make_directive(s, office, date(2025, 3, 1), 1, subject="Kế hoạch xây dựng nông thôn mới năm 2025")
        make_directive(s, office, date(2025, 3, 2), 2)
    with pytest.raises(ValidationError) as error:
        with db.transaction("cv") as s:
            create_directive(s, office, directive_input(date(2025, 3, 3), 1, subject="Văn bản khác"))
    message = str(error.value)
    assert error.value.field == "arrival_number"
    assert "Số đến 1/2025 đã được dùng" in message
    assert "Kế hoạch xây dựng nông thôn mới năm 2025" in message
    assert "tiếp theo còn trống là 3" in message
    assert _count(db) == 2
    # the same number in another year is free
    with db.transaction("cv") as s:
        create_directive(s, office, directive_input(date(2026, 1, 5), 1))
    assert _count(db) == 3


def test_tombstoned_numbers_stay_used(db, office):
    with db.transaction("cv") as s:
        make_directive(s, office, date(2025, 3, 1), 1)
        gone = make_directive(s, office, date(2025, 3, 2), 2)
    with db.transaction("cv") as s:
        delete_directive(s, gone)
    with db.transaction("cv") as s:
        assert next_arrival_number(s, office, 2025) == 3
    with pytest.raises(ValidationError, match="Số đến 2/2025 đã được dùng"):
        with db.transaction("cv") as s:
            create_directive(s, office, directive_input(date(2025, 3, 3), 2))


def test_editing_a_directive_keeps_its_own_number(db, office):
    with db.transaction("cv") as s:
        first = make_directive(s, office, date(2025, 3, 1), 1)
        make_directive(s, office, date(2025, 3, 2), 2)
    with db.transaction("cv") as s:
        update_directive(s, first, directive_input(date(2025, 3, 1), 1, subject="Trích yếu đã sửa"))
    with pytest.raises(ValidationError, match="đã được dùng"):
        with db.transaction("cv") as s:
            update_directive(s, first, directive_input(date(2025, 3, 1), 2, subject="Đổi sang số 2"))
    with db.transaction() as s:
        assert load(s, first).subject == "Trích yếu đã sửa"
        assert load(s, first).arrival_number == 1


def test_duplicate_same_number_and_issuer_folded_and_spacing_insensitive(db, office):
    with db.transaction("cv") as s:
        make_directive(s, office, date(2025, 3, 1), 1, number_symbol="4316/UBND-KTN",
                       issuer="Ủy ban nhân dân tỉnh Tuyên Quang")
        hints = find_duplicates(s, office, directive_input(
            date(2025, 3, 9), 2, number_symbol=" 4316 / ubnd-ktn ", issuer="Uỷ ban nhân dân tỉnh TUYÊN QUANG"))
        assert [(h.arrival_number, h.number_symbol) for h in hints] == [(1, "4316/UBND-KTN")]
        # another issuer with the same number is not a duplicate
        assert find_duplicates(s, office, directive_input(
            date(2025, 3, 9), 2, number_symbol="4316/UBND-KTN", issuer="Ủy ban nhân dân tỉnh Lào Cai")) == []
        # another number from the same issuer is not either
        assert find_duplicates(s, office, directive_input(
            date(2025, 3, 9), 2, number_symbol="4317/UBND-KTN", issuer="Ủy ban nhân dân tỉnh Tuyên Quang")) == []


def test_duplicate_with_d_bar_and_issuer_unit(db, office):
    with db.transaction("cv") as s:
        issuer = make_unit(s, "Ủy ban nhân dân tỉnh Lào Cai", level="tinh")
        first = make_directive(s, office, date(2025, 3, 1), 1, number_symbol="03/KH-ĐĐ", issuer="",
                               issuer_unit_id=issuer)
        data = directive_input(date(2025, 3, 5), 2, number_symbol="03/kh-dd", issuer="", issuer_unit_id=issuer)
        assert [h.id for h in find_duplicates(s, office, data)] == [first]
        # editing the directive itself is not a duplicate of itself
        assert find_duplicates(s, office, data, exclude_id=first) == []


def test_blank_numbers_alone_are_not_duplicates(db, office):
    """A blank number identifies nothing: copies without a number with other subjects are different letters."""
    with db.transaction("cv") as s:
        make_directive(s, office, date(2025, 3, 1), 1, number_symbol="/UBND-KT", subject="V/v rà soát tiêu chí thu nhập")
        make_directive(s, office, date(2025, 3, 2), 2, number_symbol="", subject="V/v báo cáo sơ kết 6 tháng")
        other = "V/v triển khai xây dựng nông thôn mới kiểu mẫu"
        assert find_duplicates(s, office, directive_input(date(2025, 3, 5), 3, other, number_symbol="/UBND-KT")) == []
        assert find_duplicates(s, office, directive_input(date(2025, 3, 5), 3, other, number_symbol="  ")) == []


def test_tombstoned_directive_is_not_a_duplicate(db, office):
    with db.transaction("cv") as s:
        gone = make_directive(s, office, date(2025, 3, 1), 1, number_symbol="12/TB-VPĐP")
        delete_directive(s, gone)
        assert find_duplicates(s, office, directive_input(date(2025, 3, 5), 2, number_symbol="12/TB-VPĐP")) == []


@pytest.mark.parametrize("changes, field, words", [
    (dict(subject="   "), "subject", "Trích yếu nội dung không được để trống"),
    (dict(arrival_date=None), "arrival_date", "ngày đến"),
    (dict(issuer=""), "issuer", "cơ quan ban hành"),
    (dict(doc_date=date(2025, 3, 10)), "doc_date", "Ngày văn bản không thể sau ngày đến"),
    (dict(transfer_date=date(2025, 3, 1)), "transfer_date", "Ngày chuyển không thể trước ngày đến"),
    (dict(doc_type="XYZ"), "doc_type", "Loại văn bản"),
    (dict(secrecy="mat"), "secrecy", "văn bản mật"),
    (dict(arrival_number=0), "arrival_number", "số nguyên dương"),
])
def test_bad_input_is_refused_and_nothing_saved(db, office, changes, field, words):
    changes = dict(changes)
    issuer = changes.pop("issuer", "Ủy ban nhân dân tỉnh Tuyên Quang")
    data = replace(directive_input(date(2025, 3, 5), 1, issuer=issuer), **changes)
    with pytest.raises(ValidationError) as error:
        with db.transaction("cv") as s:
            create_directive(s, office, data)
    assert error.value.field == field
    assert words in str(error.value)
    assert _count(db) == 0


def test_text_is_stored_in_nfc(db, office):
    nfd = unicodedata.normalize("NFD", "Về việc đôn đốc xây dựng nông thôn mới")
    with db.transaction("cv") as s:
        directive_id = make_directive(s, office, date(2025, 3, 1), subject=nfd,
                                      issuer=unicodedata.normalize("NFD", "Sở Tài chính"),
                                      notes=unicodedata.normalize("NFD", "Ghi chú đặc biệt"))
    with db.transaction() as s:
        subject, issuer, notes = s.execute(
            select(Directive.subject, Directive.issuer_name, Directive.notes).where(Directive.id == directive_id)
        ).one()
    assert subject == unicodedata.normalize("NFC", nfd) == "Về việc đôn đốc xây dựng nông thôn mới"
    assert issuer == "Sở Tài chính"
    assert notes == "Ghi chú đặc biệt"


def test_delete_is_a_tombstone_hiding_the_directive_and_its_tasks(db, office):
    with db.transaction("cv") as s:
        unit = make_unit(s, "Ủy ban nhân dân xã Yên Bình")
        kept = make_directive(s, office, date(2025, 3, 1))
        gone = make_directive(s, office, date(2025, 3, 2))
        make_task(s, gone, unit)
        make_task(s, gone, unit)
        make_task(s, kept, unit)
    with db.transaction("cv") as s:
        delete_directive(s, gone)
    with db.transaction() as s:
        row = s.get(Directive, gone)
        assert row is not None and row.deleted is True
        assert [t.deleted for t in s.scalars(select(Task).where(Task.directive_id == gone))] == [True, True]
        with pytest.raises(ValidationError, match="Không tìm thấy văn bản"):
            load(s, gone)
        f = register.RegisterFilter(office_unit_id=office)
        assert [r.id for r in register.page(s, f, 0, 10)] == [kept]
        assert register.count(s, f) == 1
    assert _count(db) == 2 and _count(db, Task) == 3
