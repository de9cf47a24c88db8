"""Task status derived from dates at the boundaries, and the SQL form agreeing with the Python one."""

from datetime import date, timedelta
from itertools import product

import pytest
from sqlalchemy import select

from ntm_desktop.models import Task
from ntm_desktop.services.deadlines import DeadlineKind
from ntm_desktop.services.status import (
    STATUS_LABELS, TaskStatus, days_overdue, derive_status, status_condition, status_expression,
)

from core_factories import make_directive, make_office, make_task, make_unit

TODAY = date(2026, 11, 20)
DAY = timedelta(days=1)


@pytest.mark.parametrize("due, completed, started, expected", [
    (TODAY, None, None, TaskStatus.NOT_STARTED),  # due today: still on time
    (TODAY, None, TODAY - DAY, TaskStatus.IN_PROGRESS_ON_TIME),
    (TODAY - DAY, None, None, TaskStatus.IN_PROGRESS_OVERDUE),  # overdue, never started
    (TODAY - DAY, None, TODAY - 5 * DAY, TaskStatus.IN_PROGRESS_OVERDUE),
    (TODAY + DAY, None, None, TaskStatus.NOT_STARTED),
    (TODAY - 3 * DAY, TODAY - 3 * DAY, None, TaskStatus.DONE_ON_TIME),  # completed on the deadline
    (TODAY - 3 * DAY, TODAY - 2 * DAY, None, TaskStatus.DONE_LATE),  # completed a day late
    (TODAY + 9 * DAY, TODAY, TODAY, TaskStatus.DONE_ON_TIME),  # early
    (None, None, None, TaskStatus.ONGOING),  # thường xuyên
    (None, None, TODAY, TaskStatus.ONGOING),
    (None, TODAY, None, TaskStatus.DONE_ON_TIME),
])
def test_derive_status_boundaries(due, completed, started, expected):
    assert derive_status(due, completed, started, TODAY) == expected


def test_labels_are_the_official_categories():
    assert TaskStatus.DONE_ON_TIME.label == "Hoàn thành đúng hạn"
    assert TaskStatus.DONE_LATE.label == "Hoàn thành quá hạn"
    assert TaskStatus.IN_PROGRESS_ON_TIME.label == "Đang thực hiện trong hạn"
    assert TaskStatus.IN_PROGRESS_OVERDUE.label == "Đang thực hiện quá hạn"
    assert TaskStatus.NOT_STARTED.label == "Chưa thực hiện"
    assert set(STATUS_LABELS) == set(TaskStatus)


def test_days_overdue():
    assert days_overdue(TODAY - 4 * DAY, None, TODAY) == 4
    assert days_overdue(TODAY - 4 * DAY, TODAY - 3 * DAY, TODAY) == 1
    assert days_overdue(TODAY, None, TODAY) == 0
    assert days_overdue(None, None, TODAY) == 0


DUES = [None, TODAY - 10 * DAY, TODAY - DAY, TODAY, TODAY + DAY, TODAY + 30 * DAY]
COMPLETED_OFFSETS = [None, -1, 0, 1]  # relative to due (or to today when there is no due date)
STARTED = [None, TODAY - 20 * DAY]


@pytest.fixture
def grid(db):
    """One task for every combination of due date, completion and start; returns {id: (due, done, started)}."""
    cases = {}
    with db.transaction("test") as s:
        office = make_office(s)
        unit = make_unit(s, "Ủy ban nhân dân xã Yên Bình")
        d = make_directive(s, office, TODAY - 60 * DAY, doc_date=TODAY - 62 * DAY)
        for due, offset, started in product(DUES, COMPLETED_OFFSETS, STARTED):
            done = None if offset is None else (due or TODAY) + offset * DAY
            task_id = make_task(s, d, unit, deadline_kind=DeadlineKind.NONE)
            task = s.get(Task, task_id)
            task.due_date, task.completed_on, task.started_on = due, done, started
            cases[task_id] = (due, done, started)
    return cases


def test_sql_status_condition_agrees_with_derive_status(db, grid):
    seen = set()
    with db.transaction() as s:
        for status in TaskStatus:
            in_sql = set(s.scalars(select(Task.id).where(status_condition(status, TODAY))))
            in_python = {tid for tid, (due, done, started) in grid.items()
                         if derive_status(due, done, started, TODAY) == status}
            assert in_sql == in_python, status
            seen.add(status) if in_python else None
    assert seen == set(TaskStatus)  # the grid reaches every status


def test_each_task_matches_exactly_one_sql_condition(db, grid):
    with db.transaction() as s:
        hits = [tid for status in TaskStatus
                for tid in s.scalars(select(Task.id).where(status_condition(status, TODAY)))]
    assert sorted(hits) == sorted(grid)


def test_sql_status_expression_agrees(db, grid):
    with db.transaction() as s:
        rows = s.execute(select(Task.id, status_expression(TODAY))).all()
    for task_id, value in rows:
        assert TaskStatus(value) == derive_status(*grid[task_id], TODAY)
