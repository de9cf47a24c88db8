"""The task list across directives: filters by unit, status, due window and directive; overview counts."""

from datetime import date, timedelta

import pytest

from ntm_desktop.services import overview, tasklist
from ntm_desktop.services.dates import week_bounds
from ntm_desktop.services.deadlines import DeadlineKind
from ntm_desktop.services.directives import delete_directive
from ntm_desktop.services.status import TaskStatus
from ntm_desktop.services.tasklist import DueWindow, TaskFilter
from ntm_desktop.services.tasks import add_progress, complete_task

from core_factories import make_directive, make_office, make_task, make_unit

TODAY = date.today()
MONDAY, SUNDAY = week_bounds(TODAY)
D = timedelta(days=1)


@pytest.fixture
def office_data(db):
    """Tasks of two units in two directives, each named after what it shows."""
    with db.transaction("test") as s:
        office = make_office(s)
        xa = make_unit(s, "Ủy ban nhân dân xã Yên Bình")
        phong = make_unit(s, "Phòng Nông nghiệp và Môi trường", level="phong")
        start = TODAY - 60 * D
        first = make_directive(s, office, start, doc_date=start, subject="Kế hoạch nông thôn mới")
        second = make_directive(s, office, start, doc_date=start, subject="Công văn đôn đốc")

        def task(directive, lead, summary, due=None, **kw):
            extra = dict(deadline_kind=DeadlineKind.DATE, deadline_date=due) if due else {}
            return make_task(s, directive, lead, summary=summary, **extra, **kw)

        ids = dict(
            overdue=task(first, xa, "Quá hạn", MONDAY - 3 * D, cooperating_unit_ids=(phong,)),
            this_week=task(first, phong, "Tuần này", SUNDAY),
            next_week=task(second, xa, "Tuần sau", SUNDAY + 3 * D),
            later=task(second, phong, "Sau này", TODAY + 70 * D),
            ongoing=task(second, xa, "Thường xuyên"),
            done_late=task(first, phong, "Xong muộn", TODAY - 20 * D),
            done_this_week=task(second, xa, "Xong tuần này", TODAY + 10 * D),
        )
        complete_task(s, ids["done_late"], TODAY - 18 * D)
        complete_task(s, ids["done_this_week"], MONDAY if MONDAY > start else TODAY)
        add_progress(s, ids["this_week"], TODAY - 2 * D, "Đang làm", "A")
    return dict(office=office, xa=xa, phong=phong, first=first, second=second, ids=ids)


def _summaries(db, **kw):
    f = TaskFilter(today=TODAY, **kw)
    with db.transaction() as s:
        rows = tasklist.page(s, f, 0, 100)
        assert tasklist.count(s, f) == len(rows)
    return {r.summary for r in rows}


def test_filter_by_unit_lead_or_cooperating(db, office_data):
    o = office_data
    assert _summaries(db, unit_id=o["xa"]) == {"Quá hạn", "Tuần sau", "Thường xuyên", "Xong tuần này"}
    # the agriculture office cooperates on the overdue task
    assert _summaries(db, unit_id=o["phong"]) == {"Quá hạn", "Tuần này", "Sau này", "Xong muộn"}
    assert _summaries(db, unit_id=o["phong"], lead_only=True) == {"Tuần này", "Sau này", "Xong muộn"}


def test_filter_by_status(db, office_data):
    assert _summaries(db, status=TaskStatus.IN_PROGRESS_OVERDUE) == {"Quá hạn"}
    assert _summaries(db, status=TaskStatus.DONE_LATE) == {"Xong muộn"}
    assert _summaries(db, status=TaskStatus.DONE_ON_TIME) == {"Xong tuần này"}
    assert _summaries(db, status=TaskStatus.ONGOING) == {"Thường xuyên"}
    assert _summaries(db, status=TaskStatus.IN_PROGRESS_ON_TIME) == {"Tuần này"}
    assert _summaries(db, status=TaskStatus.NOT_STARTED) == {"Tuần sau", "Sau này"}


def test_filter_by_due_window(db, office_data):
    assert _summaries(db, window=DueWindow.OVERDUE) == {"Quá hạn"}
    assert _summaries(db, window=DueWindow.THIS_WEEK) == {"Tuần này"}
    assert _summaries(db, window=DueWindow.NEXT_WEEK) == {"Tuần sau"}
    assert _summaries(db, window=DueWindow.DONE_THIS_WEEK) == {"Xong tuần này"}
    # open tasks due within this calendar month (an overdue one due earlier this month included)
    open_dues = {"Quá hạn": MONDAY - 3 * D, "Tuần này": SUNDAY, "Tuần sau": SUNDAY + 3 * D, "Sau này": TODAY + 70 * D}
    this_month = {name for name, due in open_dues.items() if (due.year, due.month) == (TODAY.year, TODAY.month)}
    assert _summaries(db, window=DueWindow.THIS_MONTH) == this_month


def test_filter_by_directive_office_and_search(db, office_data):
    o = office_data
    assert _summaries(db, directive_id=o["first"]) == {"Quá hạn", "Tuần này", "Xong muộn"}
    assert _summaries(db, office_unit_id=o["office"], search="tuan") == {"Tuần này", "Tuần sau", "Xong tuần này"}
    assert _summaries(db, office_unit_id="another-office") == set()


def test_rows_overdue_first_with_status_and_cooperators(db, office_data):
    with db.transaction() as s:
        rows = tasklist.page(s, TaskFilter(today=TODAY), 0, 100)
    assert rows[0].summary == "Quá hạn"
    assert rows[0].status == TaskStatus.IN_PROGRESS_OVERDUE and rows[0].days_overdue == (TODAY - MONDAY).days + 3
    assert rows[0].cooperating == "Phòng Nông nghiệp và Môi trường"
    open_rows = [r for r in rows if r.completed_on is None]
    assert open_rows[-1].summary == "Thường xuyên"  # no deadline after dated ones
    assert [r.completed_on is not None for r in rows] == sorted(r.completed_on is not None for r in rows)


def test_tasks_of_a_deleted_directive_leave_the_list(db, office_data):
    with db.transaction("cv") as s:
        delete_directive(s, office_data["first"])
    assert _summaries(db) == {"Tuần sau", "Sau này", "Thường xuyên", "Xong tuần này"}


def test_overview_counts_agree_with_the_list(db, office_data):
    o = office_data
    with db.transaction() as s:
        view = overview.overview(s, o["office"], TODAY)
        assert view.overdue == 1 and view.due_this_week == 1 and view.done_this_week == 1
        assert view.open_tasks == 5
        for load in view.by_unit:
            for window, value in [(DueWindow.OVERDUE, load.overdue), (DueWindow.THIS_WEEK, load.due_this_week),
                                  (DueWindow.DONE_THIS_WEEK, load.done_this_week)]:
                assert value == tasklist.count(s, TaskFilter(
                    office_unit_id=o["office"], unit_id=load.unit_id, lead_only=True, window=window, today=TODAY))
        assert [r.subject for r in view.newest] == ["Công văn đôn đốc", "Kế hoạch nông thôn mới"]


def test_overview_tells_apart_units_of_the_same_name(db):
    """After the 2025 mergers two districts can each have a "xã Tân Thành": the overview names the parent too."""
    from core_factories import make_directive, make_office, make_task, make_unit

    with db.transaction("cv") as s:
        office = make_office(s)
        yen_son = make_unit(s, "Huyện Yên Sơn", level="huyen")
        ham_yen = make_unit(s, "Huyện Hàm Yên", level="huyen")
        first = make_unit(s, "UBND xã Tân Thành", parent_id=yen_son)
        second = make_unit(s, "UBND xã Tân Thành", parent_id=ham_yen)
        other = make_unit(s, "UBND xã Phù Lưu", parent_id=ham_yen)
        directive = make_directive(s, office, TODAY, 1, subject="Kế hoạch rà soát tiêu chí")
        for lead in (first, second, other):
            make_task(s, directive, lead)
    with db.transaction() as s:
        names = {load.unit_id: load.unit_name for load in overview.overview(s, office, TODAY).by_unit}
    assert names[first] == "UBND xã Tân Thành (Huyện Yên Sơn)"
    assert names[second] == "UBND xã Tân Thành (Huyện Hàm Yên)"
    assert names[other] == "UBND xã Phù Lưu"
