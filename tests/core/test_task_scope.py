"""Which tasks an office sees: those its units lead or cooperate on, whoever registered the directive,
and those it assigned; the task list, the overview and the task reports count the same set."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from ntm_desktop.reports.request import ReportKind, ReportRequest
from ntm_desktop.reports.unit_tasks import build_unit_tasks
from ntm_desktop.reports.weekly import build_weekly
from ntm_desktop.services import overview, tasklist, units
from ntm_desktop.services.dates import week_bounds
from ntm_desktop.services.deadlines import DeadlineKind
from ntm_desktop.services.office import load_profile
from ntm_desktop.services.status import TaskStatus
from ntm_desktop.services.task_scope import MAX_LISTED_UNITS, TaskScope, office_units
from ntm_desktop.services.tasklist import DueWindow, TaskFilter

from core_factories import make_directive, make_task, make_unit

TODAY = date.today()
MONDAY, SUNDAY = week_bounds(TODAY)
D = timedelta(days=1)


@pytest.fixture
def tree(db):
    """A province with two communes and a department; a village under commune A; another province."""
    with db.transaction("test") as s:
        ids = dict(province=make_unit(s, "Ủy ban nhân dân tỉnh Lào Cai", level="tinh"),
                   other_province=make_unit(s, "Ủy ban nhân dân tỉnh Tuyên Quang", level="tinh"))
        ids["commune_a"] = make_unit(s, "Ủy ban nhân dân xã Yên Bình", parent_id=ids["province"])
        ids["commune_b"] = make_unit(s, "Ủy ban nhân dân xã Văn Phú", parent_id=ids["province"])
        ids["department"] = make_unit(s, "Sở Nông nghiệp và Môi trường", level="so", parent_id=ids["province"])
        ids["village"] = make_unit(s, "Thôn Khe Cạn", level="thon", parent_id=ids["commune_a"])
        ids["other_commune"] = make_unit(s, "Ủy ban nhân dân xã Hùng Đức", parent_id=ids["other_province"])
        ids["company"] = make_unit(s, "Công ty Điện lực Lào Cai", level="khac")
    return ids


def _task(s, directive, lead, summary, due=None, **kw):
    extra = dict(deadline_kind=DeadlineKind.DATE, deadline_date=due) if due else {}
    return make_task(s, directive, lead, summary=summary, **extra, **kw)


@pytest.fixture
def province_tasks(db, tree):
    """The province registers a plan and gives commune A one task to lead and one to cooperate on,
    and commune B one; the other province gives a task to its own commune."""
    t = tree
    start = TODAY - 40 * D
    with db.transaction("test") as s:
        plan = make_directive(s, t["province"], start, doc_date=start, subject="Kế hoạch nông thôn mới")
        _task(s, plan, t["commune_a"], "Xã A chủ trì", MONDAY - 2 * D)
        _task(s, plan, t["department"], "Xã A phối hợp", SUNDAY, cooperating_unit_ids=(t["commune_a"],))
        _task(s, plan, t["commune_b"], "Xã B chủ trì", MONDAY - 5 * D)
        elsewhere = make_directive(s, t["other_province"], start, doc_date=start, subject="Kế hoạch của tỉnh khác")
        _task(s, elsewhere, t["other_commune"], "Xã tỉnh khác", MONDAY - 5 * D)
    return plan


def _summaries(db, office, **kw):
    f = TaskFilter(office_unit_id=office, today=TODAY, **kw)
    with db.transaction() as s:
        rows = tasklist.page(s, f, 0, 100)
        assert tasklist.count(s, f) == len(rows)
    return {r.summary for r in rows}


def test_commune_sees_the_tasks_the_province_gave_it_and_no_others(db, tree, province_tasks):
    commune = tree["commune_a"]
    assert _summaries(db, commune) == {"Xã A chủ trì", "Xã A phối hợp"}
    assert _summaries(db, commune, window=DueWindow.OVERDUE) == {"Xã A chủ trì"}
    with db.transaction() as s:
        view = overview.overview(s, commune, TODAY)
    assert (view.overdue, view.due_this_week, view.open_tasks) == (1, 1, 2)
    assert {u.unit_id for u in view.by_unit} == {commune, tree["department"]}


def test_province_sees_what_it_assigned_and_the_tasks_of_its_units(db, tree, province_tasks):
    t = tree
    with db.transaction("test") as s:
        # the commune's own directive: one task for its village, one for a company outside the tree
        own = make_directive(s, t["commune_a"], TODAY - 10 * D, subject="Kế hoạch của xã")
        _task(s, own, t["village"], "Thôn làm", TODAY + 20 * D)
        _task(s, own, t["company"], "Công ty làm", TODAY + 20 * D)
    assigned = {"Xã A chủ trì", "Xã A phối hợp", "Xã B chủ trì"}
    assert _summaries(db, t["province"], scope=TaskScope.ASSIGNED) == assigned
    assert _summaries(db, t["province"], scope=TaskScope.OWN_UNITS) == assigned | {"Thôn làm"}
    assert _summaries(db, t["province"]) == assigned | {"Thôn làm"}
    # the commune: its units (itself and its village) and what it assigned
    assert _summaries(db, t["commune_a"], scope=TaskScope.OWN_UNITS) == {"Xã A chủ trì", "Xã A phối hợp", "Thôn làm"}
    assert _summaries(db, t["commune_a"], scope=TaskScope.ASSIGNED) == {"Thôn làm", "Công ty làm"}
    assert _summaries(db, t["commune_a"], scope=TaskScope.ALL) == {
        "Xã A chủ trì", "Xã A phối hợp", "Thôn làm", "Công ty làm"}
    # the commune next door sees only its own task; the other province only its own
    assert _summaries(db, t["commune_b"]) == {"Xã B chủ trì"}
    assert _summaries(db, t["other_province"]) == {"Xã tỉnh khác"}
    # filters within the scope
    assert _summaries(db, t["province"], unit_id=t["commune_a"]) == {"Xã A chủ trì", "Xã A phối hợp"}
    assert _summaries(db, t["province"], status=TaskStatus.IN_PROGRESS_OVERDUE) == {"Xã A chủ trì", "Xã B chủ trì"}


def test_overview_counts_each_scope_as_the_list_does(db, tree, province_tasks):
    t = tree
    with db.transaction("test") as s:
        own = make_directive(s, t["commune_a"], TODAY - 10 * D, subject="Kế hoạch của xã")
        _task(s, own, t["company"], "Công ty làm", MONDAY - 1 * D)
    for office in (t["province"], t["commune_a"], t["commune_b"]):
        for scope in TaskScope:
            with db.transaction() as s:
                view = overview.overview(s, office, TODAY, scope=scope)
                count = lambda **kw: tasklist.count(s, TaskFilter(office_unit_id=office, scope=scope, today=TODAY, **kw))
                assert view.overdue == count(window=DueWindow.OVERDUE), (office, scope)
                assert view.due_this_week == count(window=DueWindow.THIS_WEEK), (office, scope)
                assert view.open_tasks == count() - count(status=TaskStatus.DONE_ON_TIME) - count(
                    status=TaskStatus.DONE_LATE), (office, scope)
    with db.transaction() as s:
        assert overview.overview(s, t["commune_a"], TODAY).overdue == 2  # its own lead task and the company's


def test_the_tree_below_an_office_is_walked_whole_and_stops_on_a_cycle(db, tree):
    t = tree
    with db.transaction() as s:
        assert office_units(s, t["province"]) == {
            t["province"], t["commune_a"], t["commune_b"], t["department"], t["village"]}
        assert office_units(s, t["commune_a"]) == {t["commune_a"], t["village"]}
    with db.engine.begin() as conn:  # a cycle arrived from a broken package: the walk still ends
        conn.execute(text("UPDATE units SET parent_id = :parent WHERE id = :id"),
                     {"parent": t["village"], "id": t["province"]})
    with db.transaction() as s:
        assert t["province"] in office_units(s, t["village"])


def test_a_merged_commune_s_tasks_go_to_the_commune_that_replaced_it(db, tree, province_tasks, monkeypatch):
    from ntm_desktop.services import task_scope

    t = tree
    with db.transaction("test") as s:
        # merged into commune A on 01/7/2025; it had belonged to the other province
        old = make_unit(s, "Ủy ban nhân dân xã Phú Thịnh", parent_id=t["other_province"],
                        valid_to=date(2025, 6, 30), successor_id=t["commune_a"])
        before = make_directive(s, t["province"], date(2025, 3, 3), subject="Kế hoạch năm 2025")
        _task(s, before, old, "Việc của xã cũ", date(2025, 6, 1))
        assert old in office_units(s, t["commune_a"]) and old in office_units(s, t["province"])
        assert old not in office_units(s, t["other_province"])
    assert "Việc của xã cũ" in _summaries(db, t["commune_a"], scope=TaskScope.OWN_UNITS)
    assert "Việc của xã cũ" not in _summaries(db, t["commune_b"])
    assert "Việc của xã cũ" not in _summaries(db, t["other_province"])
    for limit in (MAX_LISTED_UNITS, 0):  # the same set when the tree is walked in SQL
        monkeypatch.setattr(task_scope, "MAX_LISTED_UNITS", limit)
        assert _summaries(db, t["commune_a"], scope=TaskScope.OWN_UNITS) == {
            "Xã A chủ trì", "Xã A phối hợp", "Việc của xã cũ"}
        assert _summaries(db, t["other_province"], scope=TaskScope.OWN_UNITS) == {"Xã tỉnh khác"}


def test_a_tree_larger_than_a_parameter_list_gives_the_same_tasks(db, tree, province_tasks, monkeypatch):
    from ntm_desktop.services import task_scope

    expected = _summaries(db, tree["province"], scope=TaskScope.OWN_UNITS)
    monkeypatch.setattr(task_scope, "MAX_LISTED_UNITS", 2)
    assert MAX_LISTED_UNITS > 2
    assert _summaries(db, tree["province"], scope=TaskScope.OWN_UNITS) == expected
    assert _summaries(db, tree["commune_a"]) == {"Xã A chủ trì", "Xã A phối hợp"}


def test_task_reports_count_the_tasks_given_to_the_commune(db, tree, province_tasks):
    commune = tree["commune_a"]
    req = ReportRequest(kind=ReportKind.WEEKLY, start=MONDAY, end=SUNDAY, today=TODAY)
    with db.transaction() as s:
        unit_code = units.get_unit(s, commune).code
        profile = load_profile(s)
        weekly = _run(build_weekly(s, req, commune, profile))
        unit_req = ReportRequest(kind=ReportKind.UNIT, start=TODAY - 60 * D, end=TODAY, today=TODAY,
                                 unit_code=unit_code)
        unit_doc = _run(build_unit_tasks(s, unit_req, commune, profile))
    assert "1 nhiệm vụ quá hạn chưa hoàn thành" in weekly.blocks[0].text
    summary = [b for b in weekly.blocks if getattr(b, "caption", "") == "Tổng hợp theo đơn vị"][0]
    assert summary.rows[-1].cells[-1] == 2  # total: the task it leads and the one it cooperates on
    assert "tổng số 2 nhiệm vụ" in unit_doc.blocks[0].text


def _run(generator):
    try:
        while True:
            next(generator)
    except StopIteration as done:
        return done.value


def test_commune_set_up_from_the_district_package_sees_the_task_given_to_it(tmp_path):
    from ntm_desktop.services import settings
    from test_sync_world import build_district, join_commune

    district = build_district(tmp_path)  # one plan, a task for each of its communes XA-A and XA-B
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "out")
    for ws, expected in ((commune, ["Rà soát tiêu chí số 1"]),
                         (district, ["Rà soát tiêu chí số 1", "Rà soát tiêu chí số 2"])):
        with ws.db.transaction() as s:
            office = settings.office_unit_id(s)
            for scope in (TaskScope.ALL, TaskScope.OWN_UNITS):
                rows = tasklist.page(s, TaskFilter(office_unit_id=office, scope=scope), 0, 100)
                assert sorted(r.summary for r in rows) == expected, (ws, scope)
            assert overview.overview(s, office).open_tasks == len(expected)
    commune.close()
    district.close()
