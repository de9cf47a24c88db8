"""The register's folded search finds the same directives, in the same order, on the SQLite file (FTS5) and on the
office's PostgreSQL server (the word table of migration 0010), and the server keeps its word table as directives
are registered, edited, deleted and moved between offices. Skipped without NTM_TEST_DATABASE_URL."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select, text

from ntm_desktop.db import open_database
from ntm_desktop.models import Directive
from ntm_desktop.services import register, settings
from ntm_desktop.services.directives import delete_directive, input_from, update_directive
from ntm_desktop.services.field_limits import FULL_TEXT
from ntm_desktop.services.register import RegisterFilter

from core_factories import make_directive, make_office, make_unit
from server_db import NO_SERVER, SERVER, create_server_schema, drop_server_database, new_server_database, \
    open_server_pc

pytestmark = pytest.mark.skipif(not SERVER, reason=NO_SERVER)

FILLER = " ".join(["cong van"] * 12_000)  # 24,000 words before a phrase, far past tsvector's positions
DIRECTIVES = [  # (number, subject, more fields)
    (1, "Về việc công nhận xã đạt chuẩn nông thôn mới năm 2024", dict(number_symbol="125/QĐ-UBND", doc_type="QĐ")),
    (2, "Kế hoạch xây dựng Nông Thôn Mới nâng cao giai đoạn 2021-2025", {}),
    (3, "Đôn đốc giải ngân vốn đầu tư công", dict(issuer_name="Sở Tài chính tỉnh Đắk Lắk")),
    (4, "Báo cáo kết quả thực hiện Chương trình OCOP", dict(notes="Đường giao thông liên xã", urgency="khan")),
    (5, "Về việc bảo vệ môi trường nông thôn", {}),
    (6, "Nông-thôn mới: đường_làng ĐĐ/2025", dict(urgency="khan", doc_type="KH")),
    (7, "Hướng dẫn thực hiện chương trình", dict(full_text=f"{FILLER} giảm nghèo bền vững đến năm 2030")),
    (8, "Thông báo thôn mới nông", {}),
    (9, "OCOP đã hủy", {}),  # deleted below
]
SEARCHES = [
    "dat chuan", "ĐẠT CHUẨN", "Đ", "đ", "dd", "don doc", "dak lak", "Đắk", "nong thon moi", '"nông thôn mới"',
    "“nong thon moi” nang", '"thon moi"', '"moi nong"', "ocop", "OCOP 2024", "125/QĐ", "qd-ubnd", "2021", "duong lang",
    '"duong lang"', "giam ngheo", '"giam ngheo ben"', '"ben giam"', "n", "thon moi 2024", '"nong" thon', "cong van",
    "-- ", "khong co van ban nay", '"dat chuan" "nong thon"',
]
# What an officer expects, whichever the database (so that both being wrong the same way fails too).
EXPECTED = {
    "đ": [8, 7, 6, 5, 4, 3, 2, 1],  # "đ" is "d": every issuer is an Ủy ban nhân "dân"
    "dd": [6],
    "don doc": [3],
    "Đắk": [3],
    "nong thon moi": [8, 6, 5, 2, 1],  # any order; "moi" is a prefix of "môi"
    '"nông thôn mới"': [6, 2, 1],  # together, in order, whatever separates them ("Nông-thôn mới")
    "“nong thon moi” nang": [2],
    '"moi nong"': [8],
    "ocop": [4],
    "qd-ubnd": [1],
    '"duong lang"': [6],
    '"giam ngheo ben"': [7],
    '"ben giam"': [],
    "OCOP 2024": [],
}


def _fill(db, office_name: str = "Văn phòng Điều phối nông thôn mới huyện Hàm Yên") -> tuple[str, str]:
    with db.transaction("test") as s:
        office = make_office(s)
        other = make_unit(s, "Văn phòng Điều phối tỉnh khác", level="phong")
        for number, subject, more in DIRECTIVES:
            make_directive(s, office, date(2025, 3, number), number, subject=subject, **more)
        settings.put(s, settings.OFFICE_UNIT, other)  # a directive of another office's register (as sync brings)
        make_directive(s, other, date(2025, 3, 1), 1, subject="Đạt chuẩn OCOP ở đơn vị khác")
        settings.put(s, settings.OFFICE_UNIT, office)
    with db.transaction("test") as s:
        gone = s.scalar(select(Directive.id).where(Directive.subject == "OCOP đã hủy"))
        delete_directive(s, gone)
    return office, other


def _numbers(db, f: RegisterFilter) -> tuple[list[int], int]:
    with db.transaction() as s:
        return [row.arrival_number for row in register.page(s, f, 0, 100)], register.count(s, f)


def _open_both(folder):
    local = open_database(folder / "ntm.sqlite3")
    url = new_server_database("search")
    create_server_schema(url)
    server = open_server_pc(url)
    return local, server, url


def _close_both(local, server, url) -> None:
    local.dispose()
    server.dispose()
    drop_server_database(url)


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The same office on a SQLite file and on the server, read only by the tests that take it."""
    local, server, url = _open_both(tmp_path_factory.mktemp("office"))
    try:
        yield (local, *_fill(local)), (server, *_fill(server))
    finally:
        _close_both(local, server, url)


@pytest.fixture
def both_to_change(tmp_path):
    local, server, url = _open_both(tmp_path)
    try:
        yield (local, *_fill(local)), (server, *_fill(server))
    finally:
        _close_both(local, server, url)


@pytest.mark.parametrize("search", SEARCHES)
def test_a_search_finds_the_same_directives_on_the_file_and_on_the_server(both, search):
    (local, office_l, _), (server, office_s, _) = both
    here = _numbers(local, RegisterFilter(office_unit_id=office_l, search=search))
    there = _numbers(server, RegisterFilter(office_unit_id=office_s, search=search))
    assert there == here
    assert here[1] == len(here[0])
    if search in EXPECTED:
        assert here[0] == EXPECTED[search]


@pytest.mark.parametrize("search", ["nong thon", "ocop", "dat chuan", "đ"])
def test_the_count_is_the_same_with_other_filters_and_sorted_otherwise(both, search):
    (local, office_l, _), (server, office_s, _) = both
    for kw in (dict(year=2025), dict(urgency=""), dict(urgency="khan"), dict(doc_type="CV"), dict(doc_type="KH"),
               dict(year=2025, urgency="khan", doc_type="KH"), dict(issuer="tuyen quang"),
               dict(state=register.DirectiveState.NO_TASKS), dict(sort=register.SortColumn.SUBJECT, descending=False),
               dict(sort=register.SortColumn.ISSUER)):
        here = _numbers(local, RegisterFilter(office_unit_id=office_l, search=search, **kw))
        there = _numbers(server, RegisterFilter(office_unit_id=office_s, search=search, **kw))
        assert there == here, kw
        assert here[1] == len(here[0])
    assert _numbers(server, RegisterFilter(office_unit_id=office_s, search=search, year=2024)) == ([], 0)


def test_the_long_text_is_read_for_its_phrases_where_the_server_lost_positions(both):
    """Directive 7's text has 24,000 words: tsvector keeps no position past 16,383, so its phrases are looked for
    in the folded text (the searches above find it by "giam ngheo ben", not by "ben giam"); the others by their
    words' positions."""
    _local, (server, _office, _other) = both
    with server.transaction() as s:
        exact = dict(s.execute(text("SELECT d.arrival_number, w.exact FROM directive_words w "
                                    "JOIN directives d ON d.id = w.directive_id")).all())
    assert exact[7] is False and exact[8] is True and exact[6] is True and 9 not in exact  # 9: deleted


def test_the_other_office_and_the_deleted_directive_are_not_found(both):
    (local, office_l, other_l), (server, office_s, other_s) = both
    for db, office, other in ((local, office_l, other_l), (server, office_s, other_s)):
        assert _numbers(db, RegisterFilter(office_unit_id=office, search="huy")) == ([], 0)
        assert _numbers(db, RegisterFilter(office_unit_id=other, search="ocop")) == ([1], 1)
        assert _numbers(db, RegisterFilter(office_unit_id=office, search="khac")) == ([], 0)


def test_the_server_finds_an_edited_directive_by_its_new_words_only(both_to_change):
    for db, office, _other in both_to_change:
        with db.transaction("test") as s:
            directive_id = s.scalar(select(Directive.id).where(Directive.arrival_number == 3,
                                                               Directive.office_unit_id == office))
            data = input_from(s.get(Directive, directive_id))
            update_directive(s, directive_id, replace(data, subject="Kiên cố hóa kênh mương nội đồng"))
        assert _numbers(db, RegisterFilter(office_unit_id=office, search="kien co hoa"))[0] == [3]
        assert _numbers(db, RegisterFilter(office_unit_id=office, search="giai ngan")) == ([], 0)
        assert _numbers(db, RegisterFilter(office_unit_id=office, search="dak lak"))[0] == [3]  # the issuer stays
        with db.transaction("test") as s:
            update_directive(s, directive_id, replace(input_from(s.get(Directive, directive_id)), urgency="hoa_toc"))
        assert _numbers(db, RegisterFilter(office_unit_id=office, search="kien co", urgency="hoa_toc")) == ([3], 1)
        assert _numbers(db, RegisterFilter(office_unit_id=office, search="kien co", urgency="")) == ([], 0)


def test_a_directive_moved_to_another_office_is_searched_there(both_to_change):
    _local, (server, office, other) = both_to_change
    with server.transaction("test") as s:
        s.execute(text("UPDATE directives SET office_unit_id = :other WHERE arrival_number = 4 "
                       "AND office_unit_id = :office"), dict(other=other, office=office))
    assert _numbers(server, RegisterFilter(office_unit_id=office, search="ocop")) == ([], 0)
    assert sorted(_numbers(server, RegisterFilter(office_unit_id=other, search="ocop"))[0]) == [1, 4]


def test_the_server_saves_a_whole_text_of_distinct_numbers_and_finds_it(tmp_path):
    """A full text at the length limit made only of distinct numbers (more words than a tsvector holds): the save
    is not refused, and the directive is found by its subject and by the first of its numbers."""
    url = new_server_database("search")
    create_server_schema(url)
    db = open_server_pc(url)
    try:
        numbers = []
        length, n = 0, 100_000
        while length + len(str(n)) + 1 < FULL_TEXT:
            numbers.append(str(n))
            length += len(str(n)) + 1
            n += 1
        with db.transaction("test") as s:
            office = make_office(s)
            started = time.perf_counter()
            make_directive(s, office, date(2025, 3, 1), 1, subject="Bảng số liệu", full_text=" ".join(numbers))
            elapsed = time.perf_counter() - started
        assert len(numbers) > 140_000
        assert elapsed < 10
        for search in ("bang so lieu", "100000", "10001"):
            assert _numbers(db, RegisterFilter(office_unit_id=office, search=search)) == ([1], 1), search
    finally:
        db.dispose()
        drop_server_database(url)


def test_an_office_already_on_the_server_finds_its_directives_once_upgraded():
    """A server set up before the word table (revision 0009): the upgrade fills it from the directives there."""
    from alembic import command
    from sqlalchemy import create_engine

    from ntm_desktop.db import _alembic_config

    url = new_server_database("search")

    def upgrade(to: str) -> None:
        engine = create_engine(url)
        with engine.begin() as conn:
            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, to)
        engine.dispose()

    try:
        upgrade("0009")
        db = open_server_pc(url)
        office, _other = _fill(db)
        db.dispose()
        upgrade("head")
        db = open_server_pc(url)
        assert _numbers(db, RegisterFilter(office_unit_id=office, search="dat chuan")) == ([1], 1)
        assert _numbers(db, RegisterFilter(office_unit_id=office, search='"giam ngheo ben"')) == ([7], 1)
        assert _numbers(db, RegisterFilter(office_unit_id=office, search="ocop")) == ([4], 1)  # 9 stays deleted
        db.dispose()
    finally:
        drop_server_database(url)
