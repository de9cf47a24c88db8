"""The register list: folded search (đ included), Vietnamese sort order, filters, paging."""

from datetime import date, timedelta

import pytest

from ntm_desktop.services import register
from ntm_desktop.services.deadlines import DeadlineKind
from ntm_desktop.services.directives import delete_directive
from ntm_desktop.services.register import DirectiveState, RegisterFilter, SortColumn, fts_query
from ntm_desktop.services.tasks import complete_task

from core_factories import make_directive, make_office, make_task, make_unit

SUBJECTS = [
    "Về việc công nhận xã đạt chuẩn nông thôn mới năm 2024",
    "Kế hoạch xây dựng Nông Thôn Mới nâng cao giai đoạn 2021-2025",
    "Đôn đốc giải ngân vốn đầu tư công",
    "Báo cáo kết quả thực hiện Chương trình OCOP",
    "Về việc bảo vệ môi trường nông thôn",
]


@pytest.fixture
def office(db):
    with db.transaction("test") as s:
        office = make_office(s)
        for n, subject in enumerate(SUBJECTS, start=1):
            make_directive(s, office, date(2025, 3, n), n, subject=subject)
    return office


def _subjects(db, office, **kw):
    f = RegisterFilter(office_unit_id=office, **kw)
    with db.transaction() as s:
        rows = register.page(s, f, 0, 100)
        assert register.count(s, f) == len(rows)
    return [r.subject for r in rows]


def test_fts_query_folds_and_prefixes():
    assert fts_query("Nông thôn") == '"nong"* "thon"*'
    assert fts_query("ĐẠT") == '"dat"*'
    assert fts_query("  -- ") is None
    assert fts_query('“Nông thôn mới” 2024') == '"nong thon moi"* "2024"*'
    assert fts_query('"" đạt') == '"dat"*'


@pytest.mark.parametrize("search, expected", [
    ("dat chuan", [SUBJECTS[0]]),
    ("ĐẠT CHUẨN", [SUBJECTS[0]]),
    ("Đạt", [SUBJECTS[0]]),
    ("don doc", [SUBJECTS[2]]),  # đ at the start of a word
    ("nong thon moi", [SUBJECTS[4], SUBJECTS[1], SUBJECTS[0]]),  # every word, any order, newest first
    ('"nông thôn mới"', [SUBJECTS[1], SUBJECTS[0]]),  # in quotes: the words together, in order
    ("“nong thon moi” nang", [SUBJECTS[1]]),
    ("ocop", [SUBJECTS[3]]),
    ("nâng cao", [SUBJECTS[1]]),
    ("khong co van ban nay", []),
])
def test_search_ignores_diacritics_and_case(db, office, search, expected):
    assert _subjects(db, office, search=search) == expected


def test_search_finds_number_issuer_and_full_text(db, office):
    with db.transaction("cv") as s:
        make_directive(s, office, date(2025, 4, 1), subject="Thông báo kết luận", number_symbol="854-TB/TU",
                       issuer="Huyện ủy Hàm Yên", full_text="Đồng chí Bí thư kết luận về đường giao thông")
    assert _subjects(db, office, search="854") == ["Thông báo kết luận"]
    assert _subjects(db, office, search="huyen uy ham yen") == ["Thông báo kết luận"]
    assert _subjects(db, office, search="duong giao thong") == ["Thông báo kết luận"]


def test_search_sees_edits_and_not_deleted(db, office):
    with db.transaction("cv") as s:
        first = register.page(s, RegisterFilter(office_unit_id=office, search="ocop"), 0, 1)[0].id
        delete_directive(s, first)
    assert _subjects(db, office, search="ocop") == []


ISSUERS_IN_ORDER = ["An Bình", "Ân Thi", "Ba Vì", "Bắc Sơn", "Dương Xá", "Đồng Tâm"]


def test_sort_by_issuer_in_vietnamese_order(db):
    with db.transaction("test") as s:
        office = make_office(s)
        for n, issuer in enumerate(["Đồng Tâm", "Bắc Sơn", "Ân Thi", "Dương Xá", "An Bình", "Ba Vì"], start=1):
            make_directive(s, office, date(2025, 1, n), n, issuer=f"{issuer}")
    with db.transaction() as s:
        up = register.page(s, RegisterFilter(office_unit_id=office, sort=SortColumn.ISSUER, descending=False), 0, 10)
        down = register.page(s, RegisterFilter(office_unit_id=office, sort=SortColumn.ISSUER), 0, 10)
    assert [r.issuer_name for r in up] == ISSUERS_IN_ORDER
    assert [r.issuer_name for r in down] == ISSUERS_IN_ORDER[::-1]


def test_default_order_newest_arrival_first_and_paging(db, office):
    with db.transaction("cv") as s:
        make_directive(s, office, date(2026, 1, 2), 1, subject="Năm mới")
        f = RegisterFilter(office_unit_id=office)
        numbers = [(r.arrival_year, r.arrival_number) for r in register.page(s, f, 0, 3)]
        rest = [(r.arrival_year, r.arrival_number) for r in register.page(s, f, 3, 10)]
    assert numbers == [(2026, 1), (2025, 5), (2025, 4)]
    assert rest == [(2025, 3), (2025, 2), (2025, 1)]


def test_filters_year_issuer_type_urgency(db, office):
    with db.transaction("cv") as s:
        make_directive(s, office, date(2026, 2, 1), 1, subject="Khẩn về phòng chống rét",
                       urgency="khan", doc_type="CĐ", issuer="Sở Nông nghiệp và Môi trường")
        assert register.years(s, office) == [2026, 2025]
    assert _subjects(db, office, year=2026) == ["Khẩn về phòng chống rét"]
    assert _subjects(db, office, urgency="khan") == ["Khẩn về phòng chống rét"]
    assert _subjects(db, office, doc_type="CĐ") == ["Khẩn về phòng chống rét"]
    assert _subjects(db, office, issuer="so nong nghiep") == ["Khẩn về phòng chống rét"]
    assert len(_subjects(db, office, year=2025)) == 5


def test_filter_by_state_of_tasks(db):
    today = date.today()
    with db.transaction("test") as s:
        office = make_office(s)
        unit = make_unit(s, "Ủy ban nhân dân xã Yên Bình")
        start = today - timedelta(days=30)
        make_directive(s, office, start, subject="Chưa giao")
        late = make_directive(s, office, start, subject="Có quá hạn")
        make_task(s, late, unit, deadline_kind=DeadlineKind.DATE, deadline_date=today - timedelta(days=1))
        make_task(s, late, unit, deadline_kind=DeadlineKind.DATE, deadline_date=today + timedelta(days=1))
        busy = make_directive(s, office, start, subject="Đang làm")
        make_task(s, busy, unit, deadline_kind=DeadlineKind.DATE, deadline_date=today)
        done = make_directive(s, office, start, subject="Xong")
        task = make_task(s, done, unit, deadline_kind=DeadlineKind.DATE, deadline_date=today - timedelta(days=2))
        complete_task(s, task, today - timedelta(days=3))
    for state, subject in [(DirectiveState.NO_TASKS, "Chưa giao"), (DirectiveState.OVERDUE, "Có quá hạn"),
                           (DirectiveState.IN_PROGRESS, "Đang làm"), (DirectiveState.DONE, "Xong")]:
        assert _subjects(db, office, state=state, today=today) == [subject]
    with db.transaction() as s:
        progress = register.task_progress(s, [late, done], today)
    assert progress == {late: (2, 0, 1), done: (1, 1, 0)}
