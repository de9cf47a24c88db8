"""Demo data: the real directives of the demo office, with overdue, due-this-week and done tasks."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Directive, Task, Unit
from ntm_desktop.services import overview, settings, tasklist, units
from ntm_desktop.services.demo import build_demo
from ntm_desktop.services.status import TaskStatus
from ntm_desktop.services.tasklist import DueWindow, TaskFilter


@pytest.fixture
def demo(workspace):
    today = date.today()
    with workspace.db.transaction("demo") as s:
        office = build_demo(s, today)
    return workspace.db, office, today


def test_demo_office_directives_and_tasks(demo):
    db, office, today = demo
    with db.transaction() as s:
        assert settings.office_unit_id(s) == office
        assert s.get(Unit, office).name == "Văn phòng Điều phối nông thôn mới tỉnh Lào Cai"
        assert s.scalar(select(func.count()).select_from(Directive)) >= 9
        assert s.scalar(select(func.count()).select_from(Task)) >= 60
        numbers = sorted(s.scalars(select(Directive.arrival_number)))
        assert numbers == list(range(1, len(numbers) + 1))
        assert s.scalar(select(func.max(Directive.arrival_date))) < today


def test_demo_twice_is_refused(demo):
    db, _, today = demo
    with pytest.raises(ValidationError, match="thư mục trống"):
        with db.transaction("demo") as s:
            build_demo(s, today)
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Directive)) <= 20


def test_demo_shows_a_live_office_today(demo):
    db, office, today = demo

    def count(**kw):
        with db.transaction() as s:
            return tasklist.count(s, TaskFilter(office_unit_id=office, today=today, **kw))

    assert count(window=DueWindow.OVERDUE) > 0
    assert count(window=DueWindow.THIS_WEEK) + count(window=DueWindow.NEXT_WEEK) > 0
    assert count(status=TaskStatus.DONE_ON_TIME) > 0
    assert count(status=TaskStatus.DONE_LATE) > 0
    assert count(status=TaskStatus.ONGOING) + count(status=TaskStatus.NOT_STARTED) > 0


@pytest.mark.parametrize("days_back", range(7))
def test_demo_has_tasks_still_due_this_week_on_every_weekday(workspace, days_back):
    """build_demo takes `today`: on any weekday some open task falls due later this week."""
    today = date.today() - timedelta(days=days_back)
    with workspace.db.transaction("demo") as s:
        office = build_demo(s, today)
    with workspace.db.transaction() as s:
        rows = tasklist.page(s, TaskFilter(office_unit_id=office, today=today, window=DueWindow.THIS_WEEK), 0, 100)
    assert any(r.due_date >= today and r.status != TaskStatus.IN_PROGRESS_OVERDUE for r in rows)


def test_overview_agrees_with_task_list_on_demo(demo):
    db, office, today = demo
    with db.transaction() as s:
        view = overview.overview(s, office, today)
        for window, total in [(DueWindow.OVERDUE, view.overdue), (DueWindow.THIS_WEEK, view.due_this_week),
                              (DueWindow.DONE_THIS_WEEK, view.done_this_week)]:
            assert total == tasklist.count(s, TaskFilter(office_unit_id=office, window=window, today=today))
        open_tasks = sum(tasklist.count(s, TaskFilter(office_unit_id=office, status=st, today=today))
                         for st in TaskStatus if not st.is_done)
        assert view.open_tasks == open_tasks
        assert view.overdue == tasklist.count(
            s, TaskFilter(office_unit_id=office, status=TaskStatus.IN_PROGRESS_OVERDUE, today=today))
        assert len(view.newest) == min(8, s.scalar(select(func.count()).select_from(Directive)))


def test_demo_tree_is_the_one_after_the_2025_reform(demo):
    """No district in operation in 2026: each ended on 30/6/2025 with a successor; communes sit under the province."""
    db, _office, today = demo
    on = max(today, date(2026, 1, 1))
    with db.transaction() as s:
        rows = units.all_units(s)
        leads = {s.get(Unit, t.lead_unit_id) for t in s.scalars(select(Task))}
        ledby_commune = {u.code for u in leads if u.level_code in ("xa", "phuong")}
    by_id = {r.id: r for r in rows}
    districts = [r for r in rows if r.level_code == "huyen"]
    assert districts and not any(r.is_active(on) for r in districts)
    assert all(r.valid_to == date(2025, 6, 30) and by_id[r.successor_id].is_active(on) for r in districts)
    communes = [r for r in rows if r.level_code in ("xa", "phuong") and r.is_active(on)]
    assert len(communes) >= 10 and all(by_id[r.parent_id].level_code == "tinh" for r in communes)
    for row in rows:  # units made of phrases ("Sở Tài chính, Sở Kế hoạch và Đầu tư", "Các sở, ban, ngành ...")
        assert not row.name.lower().startswith("các ") and " các " not in row.name and ", " not in row.name, row.name
    assert all(u.is_active(today) for u in leads)  # the tasks of 2026 go to units that exist in 2026
    assert {"LC-XHOPTHANH", "LC-PVANPHU", "LC-YENBINH"} <= ledby_commune  # "UBND các xã, phường": each its own
