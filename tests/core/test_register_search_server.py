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
from ntm_desktop.models import Directive, Task
from ntm_desktop.services import register, settings
from ntm_desktop.services.deadlines import DeadlineKind
from ntm_desktop.services.directives import delete_directive, input_from, update_directive
from ntm_desktop.services.tasks import complete_task, delete_task, update_task
from ntm_desktop.services.tasks import input_from as task_input_from
from ntm_desktop.services.field_limits import FULL_TEXT
from ntm_desktop.services.register import RegisterFilter

from core_factories import make_directive, make_office, make_task, make_unit
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
    """A server set up before the word table (revision 0009): the upgrade fills it from the directives and their
    tasks there; going back to 0011 leaves 0010's word table."""
    from alembic import command
    from sqlalchemy import create_engine

    from ntm_desktop.db import _alembic_config

    url = new_server_database("search")

    def upgrade(to: str, down: bool = False) -> None:
        engine = create_engine(url)
        with engine.begin() as conn:
            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(cfg, to)
        engine.dispose()

    try:
        upgrade("0009")
        db = open_server_pc(url)
        office, _other = _fill(db)
        _add_tasks(db, office)
        db.dispose()
        upgrade("head")
        db = open_server_pc(url)
        assert _numbers(db, RegisterFilter(office_unit_id=office, search="dat chuan")) == ([1], 1)
        assert _numbers(db, RegisterFilter(office_unit_id=office, search='"giam ngheo ben"')) == ([7], 1)
        assert _numbers(db, RegisterFilter(office_unit_id=office, search="ocop")) == ([4], 1)  # 9 stays deleted
        for state, numbers in EXPECTED_STATES.items():  # the tasks already there counted by the upgrade
            assert _numbers(db, RegisterFilter(office_unit_id=office, state=state, today=STATE_DAY)) == (
                numbers, len(numbers)), state
        db.dispose()
        upgrade("0011", down=True)  # back to 0010's word table, filled from the directives
        db = open_server_pc(url)
        with db.transaction() as s:
            found = s.execute(text("SELECT d.arrival_number FROM directive_words w JOIN directives d "
                                   "ON d.id = w.directive_id WHERE w.words @@ 'dat:* & chuan:*'::tsquery "
                                   "AND w.office_unit_id = :office"), dict(office=office)).scalars()
            assert list(found) == [1]
        db.dispose()
    finally:
        drop_server_database(url)


# The register's state as the filter's day sees it (a day of its own, so that no deadline crosses it while a test
# runs): directive 1 has an overdue task and a done one, 2 a task due after that day, 3 only done tasks, 4 an open
# task without deadline and a deleted overdue one, 5 only a deleted task; 6, 7 and 8 none.
STATE_DAY = date(2025, 6, 1)
STATES = list(register.DirectiveState)
EXPECTED_STATES = {
    register.DirectiveState.OVERDUE: [1],
    register.DirectiveState.IN_PROGRESS: [4, 2],
    register.DirectiveState.DONE: [3],
    register.DirectiveState.NO_TASKS: [8, 7, 6, 5],
}


def _due(day: date) -> dict:
    return dict(deadline_kind=DeadlineKind.DATE, deadline_date=day)


def _add_tasks(db, office: str) -> dict[str, str]:
    with db.transaction("test") as s:
        number = dict(s.execute(select(Directive.arrival_number, Directive.id)
                                .where(Directive.office_unit_id == office)).all())
        lead = make_unit(s, "Ủy ban nhân dân xã Minh Hương")
        made = {
            "late": make_task(s, number[1], lead, **_due(date(2025, 5, 1))),
            "done_1": make_task(s, number[1], lead, **_due(date(2025, 5, 1))),
            "open": make_task(s, number[2], lead, **_due(date(2025, 7, 1))),
            "done_3": make_task(s, number[3], lead, **_due(date(2025, 5, 1))),
            "ongoing": make_task(s, number[4], lead),
            "gone_4": make_task(s, number[4], lead, **_due(date(2025, 5, 1))),
            "gone_5": make_task(s, number[5], lead),
        }
        complete_task(s, made["done_1"], date(2025, 4, 20))
        complete_task(s, made["done_3"], date(2025, 5, 20))
        delete_task(s, made["gone_4"])
        delete_task(s, made["gone_5"])
    return made


@pytest.fixture
def both_with_tasks(tmp_path):
    local, server, url = _open_both(tmp_path)
    try:
        sides = []
        for db in (local, server):
            office, other = _fill(db)
            sides.append((db, office, _add_tasks(db, office)))
        yield sides
    finally:
        _close_both(local, server, url)


def _state_views(db, office: str, **kw) -> dict:
    return {(state, search): _numbers(db, RegisterFilter(office_unit_id=office, state=state, search=search,
                                                          today=STATE_DAY, **kw))
            for state in STATES for search in ("", "nong thon", "ocop", "chuong trinh", '"nong thon moi"')}


def test_each_state_finds_the_same_directives_on_the_file_and_on_the_server(both_with_tasks):
    (local, office_l, _), (server, office_s, _) = both_with_tasks
    for kw in ({}, dict(year=2025), dict(issuer="tuyen quang"), dict(urgency="khan"),
               dict(sort=register.SortColumn.SUBJECT, descending=False)):
        here, there = _state_views(local, office_l, **kw), _state_views(server, office_s, **kw)
        assert there == here, kw
    here = _state_views(local, office_l)
    for state, numbers in EXPECTED_STATES.items():
        assert here[(state, "")] == (numbers, len(numbers)), state
    assert here[(register.DirectiveState.IN_PROGRESS, "nong thon")] == ([2], 1)


def test_the_server_follows_the_state_as_tasks_are_completed_deleted_moved_and_added(both_with_tasks):
    """The word table's counts of each directive's tasks follow every change of a task (kept by triggers)."""
    for db, office, made in both_with_tasks:
        with db.transaction("test") as s:
            complete_task(s, made["late"], date(2025, 5, 25))  # 1: everything done
            complete_task(s, made["done_3"], None)  # 3 reopened, overdue again
            delete_task(s, made["ongoing"])  # 4: only deleted tasks left
            task = s.get(Task, made["open"])
            update_task(s, made["open"], replace(task_input_from(task), **_due(date(2025, 5, 15))))  # 2 overdue
            six = s.scalar(select(Directive.id).where(Directive.office_unit_id == office,
                                                      Directive.arrival_number == 6))
            make_task(s, six, task.lead_unit_id, **_due(date(2025, 8, 1)))  # 6 in progress
        views = {state: _numbers(db, RegisterFilter(office_unit_id=office, state=state, today=STATE_DAY))[0]
                 for state in STATES}
        assert views == {register.DirectiveState.OVERDUE: [3, 2], register.DirectiveState.IN_PROGRESS: [6],
                         register.DirectiveState.DONE: [1], register.DirectiveState.NO_TASKS: [8, 7, 5, 4]}, db
        # the directive edited keeps its tasks' state (its row in the word table is written anew)
        with db.transaction("test") as s:
            one = s.scalar(select(Directive.id).where(Directive.office_unit_id == office,
                                                      Directive.arrival_number == 1))
            update_directive(s, one, replace(input_from(s.get(Directive, one)), subject="Kiên cố hóa kênh mương"))
        assert _numbers(db, RegisterFilter(office_unit_id=office, state=register.DirectiveState.DONE,
                                           search="kien co", today=STATE_DAY)) == ([1], 1)
    _local, (server, office, made) = both_with_tasks
    with server.transaction("test") as s:  # a task moved to another directive, as a package may bring
        s.execute(text("UPDATE tasks SET directive_id = (SELECT id FROM directives WHERE arrival_number = 7 "
                       "AND office_unit_id = :office) WHERE id = :task"), dict(office=office, task=made["late"]))
    done = _numbers(server, RegisterFilter(office_unit_id=office, state=register.DirectiveState.DONE, today=STATE_DAY))
    assert done == ([7, 1], 2)  # 1 keeps its other task, done


def _pages(db, f: RegisterFilter, size: int) -> list[int]:
    numbers, offset = [], 0
    with db.transaction() as s:
        while rows := register.page(s, f, offset, size):
            numbers += [row.arrival_number for row in rows]
            offset += size
    return numbers


@pytest.mark.parametrize("kw", [dict(search="nong thon"), dict(search="đ"), dict(search='"nong thon moi"'),
                                dict(state=register.DirectiveState.NO_TASKS),
                                dict(search="n", state=register.DirectiveState.NO_TASKS, issuer="tuyen quang"),
                                dict(search="n", sort=register.SortColumn.ISSUER, descending=False),
                                dict(search="n", sort=register.SortColumn.NUMBER),
                                dict(search="n", year=2025, sort=register.SortColumn.SUBJECT)])
def test_the_rows_come_page_by_page_in_the_same_order_on_the_file_and_on_the_server(both, kw):
    """Pages of two rows: on the server a page that fills from the first directives walked is read there, the
    others from the word table's index; either way the rows are those of the file, in its order."""
    (local, office_l, _), (server, office_s, _) = both
    here = _pages(local, RegisterFilter(office_unit_id=office_l, **kw), 2)
    assert _pages(server, RegisterFilter(office_unit_id=office_s, **kw), 2) == here
    assert here == _numbers(local, RegisterFilter(office_unit_id=office_l, **kw))[0]
    assert len(here) > 2


ODD_TEXTS = {  # full texts the server's word table once refused or read otherwise than the file's FTS5
    "a run of 2,047 letters": "Phụ lục mã " + "a" * 2047 + " kèm theo",
    "a run past tsvector's longest word": "Mã tra cứu " + "b" * 5000 + " hết",
    "a run the parser reads as a number and a word": "Ký hiệu lô 1e5x và 3e10 năm 2025",
    "only punctuation and spaces": "… — !!! ??? " + " " * 500 + "///",
}


def test_the_server_saves_and_finds_odd_texts_as_the_file_does(tmp_path):
    local, server, url = _open_both(tmp_path)
    try:
        offices = []
        for db in (local, server):
            with db.transaction("test") as s:
                office = make_office(s)
                for number, full_text in enumerate(ODD_TEXTS.values(), start=1):
                    make_directive(s, office, date(2025, 3, number), number, subject=f"Văn bản số {number}",
                                   full_text=full_text)
            offices.append(office)
        for search in ("1e5x", "1e5", "3e10", '"lo 1e5x"', "x", "a" * 2047, "a" * 2000, "b" * 5000, '"cuu bbb"',
                       "ket thuc", "van ban so", "phu luc"):
            here = _numbers(local, RegisterFilter(office_unit_id=offices[0], search=search))
            assert _numbers(server, RegisterFilter(office_unit_id=offices[1], search=search)) == here, search[:20]
        assert _numbers(local, RegisterFilter(office_unit_id=offices[0], search="1e5x")) == ([3], 1)
        assert _numbers(local, RegisterFilter(office_unit_id=offices[0], search="a" * 2047)) == ([1], 1)
        assert _numbers(local, RegisterFilter(office_unit_id=offices[0], search="b" * 5000)) == ([2], 1)
    finally:
        _close_both(local, server, url)
