"""The task list read page by page from where the last page ended gives the very rows, in the very order,
of reading it by position: with ties on the due date, on the directive's number (two offices number their
registers alike) and on the task's place in its directive; open tasks first, no deadline last."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core_factories import make_directive, make_task, make_unit
from ntm_desktop.models import Task
from ntm_desktop.services import tasklist, tasks
from ntm_desktop.services.deadlines import DeadlineKind
from ntm_desktop.services.status import TaskStatus
from ntm_desktop.services.task_scope import TaskScope
from ntm_desktop.services.tasklist import NO_DEADLINE, DueWindow, TaskFilter, key_of

TODAY = date(2025, 10, 15)  # the day the lists are read for
DUE = [date(2025, 10, 1), date(2025, 10, 15), date(2025, 10, 20), None]  # overdue, today, this week, none


@pytest.fixture
def offices(workspace):
    """Two offices, each with directives numbered 1-4 of 2025 (the same numbers), each directive with three
    tasks whose deadlines repeat across directives; some done on time, some late."""
    with workspace.db.transaction("test") as s:
        a = make_unit(s, "Văn phòng Điều phối nông thôn mới huyện Hàm Yên", level="phong")
        b = make_unit(s, "Văn phòng Điều phối nông thôn mới huyện Yên Sơn", level="phong")
        communes = [make_unit(s, f"Ủy ban nhân dân xã Thái Bình {n}") for n in range(3)]
        made = 0
        for office in (a, b):
            for number in range(1, 5):
                directive = make_directive(s, office, date(2025, 9, number), number,
                                           subject=f"Kế hoạch số {number}")
                for seq in range(3):
                    due = DUE[(number + seq) % len(DUE)]
                    deadline = dict(deadline_kind=DeadlineKind.DATE, deadline_date=due) if due else {}
                    task_id = make_task(s, directive, communes[(made + seq) % 3], summary=f"Rà soát phần {seq}",
                                        **deadline)
                    if made % 5 == 0:
                        tasks.complete_task(s, task_id, date(2025, 10, 2 + made % 3 * 10))
                    made += 1
    return workspace, a, communes


FILTERS = [
    dict(),
    *[dict(window=w) for w in DueWindow],
    *[dict(status=st) for st in TaskStatus],
    dict(search="phần 1"),
    dict(unit_id="COMMUNE"),
    dict(office_unit_id="OFFICE", scope=TaskScope.ASSIGNED),
    dict(office_unit_id="OFFICE"),
    dict(office_unit_id="OFFICE", status=TaskStatus.ONGOING),  # walked from the directives (below)
]


def _filter(kw: dict, office: str, commune: str) -> TaskFilter:
    kw = {k: (office if v == "OFFICE" else commune if v == "COMMUNE" else v) for k, v in kw.items()}
    return TaskFilter(today=TODAY, **kw)


def _by_key(session, f: TaskFilter, size: int) -> list[str]:
    rows = tasklist.page(session, f, 0, size)
    found = []
    while rows:
        found += [r.id for r in rows]
        rows = tasklist.page(session, f, after=key_of(rows[-1]), limit=size)
    return found


def _by_offset(session, f: TaskFilter, size: int) -> list[str]:
    found, offset = [], 0
    while True:
        rows = tasklist.page(session, f, offset, size)
        found += [r.id for r in rows]
        if len(rows) < size:
            return found
        offset += size


@pytest.mark.parametrize("kw", FILTERS, ids=lambda kw: ",".join(f"{k}={getattr(v, 'value', v)}" for k, v in kw.items())
                         or "every task")
@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 200])
def test_pages_by_key_are_the_pages_by_position(offices, kw, size):
    ws, office, communes = offices
    f = _filter(kw, office, communes[1])
    with ws.db.transaction() as s:
        expected = _by_offset(s, f, size)
        assert _by_key(s, f, size) == expected
        assert len(expected) == len(set(expected)) == tasklist.count(s, f)


def test_the_order_is_open_first_soonest_due_newest_directive_then_place(offices):
    ws, _office, _communes = offices
    f = TaskFilter(today=TODAY)
    with ws.db.transaction() as s:
        rows = tasklist.page(s, f, 0, 500)
        seq = {t.id: t.seq for t in s.scalars(select(Task))}
    assert len(rows) == 24
    wanted = sorted(rows, key=lambda r: (r.completed_on is not None, r.due_date or date.max, -r.arrival_year,
                                         -r.arrival_number, seq[r.id], r.id))
    assert [r.id for r in rows] == [r.id for r in wanted]
    assert rows[0].status == TaskStatus.IN_PROGRESS_OVERDUE and rows[-1].completed_on is not None
    open_rows = [r for r in rows if r.completed_on is None]
    assert open_rows[-1].due_date is None  # no deadline: last of the open tasks
    assert key_of(open_rows[-1]).due_key == NO_DEADLINE


@pytest.mark.sqlite_only  # SQLite's query plan
def test_a_page_walks_the_index_instead_of_sorting_every_task(offices):
    """What keeps a page quick on 300,000 tasks: SQLite reads the tasks in the list's order and stops."""
    ws, _office, _communes = offices
    statements = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM tasks" in statement and "ORDER BY" in statement:
            statements.append((statement, parameters))

    from sqlalchemy import event

    event.listen(ws.db.engine, "before_cursor_execute", keep)
    try:
        with ws.db.transaction() as s:
            for f in (TaskFilter(today=TODAY), TaskFilter(today=TODAY, window=DueWindow.OVERDUE),
                      TaskFilter(today=TODAY, status=TaskStatus.DONE_LATE)):
                first = tasklist.page(s, f, 0, 2)
                tasklist.page(s, f, after=key_of(first[-1]), limit=2)
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", keep)
    raw = ws.db.engine.raw_connection()
    try:
        for statement, parameters in statements:
            plan = " | ".join(row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters))
            assert "ix_tasks_list_order" in plan or "ix_tasks_open_due" in plan, plan
            assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan  # at most the ties of one due day are sorted
    finally:
        raw.close()
    assert len(statements) >= 6


@pytest.mark.sqlite_only  # SQLite's query plan
def test_the_tasks_without_a_deadline_are_walked_from_the_newest_directive(offices):
    """All of them share one due key: a page of them is found walking the directives newest first, not by
    sorting every one (45,000 at national scale)."""
    ws, office, _communes = offices
    statements = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM tasks" in statement and "ORDER BY" in statement:
            statements.append((statement, parameters))

    from sqlalchemy import event

    f = TaskFilter(today=TODAY, office_unit_id=office, status=TaskStatus.ONGOING)
    ws.db.refresh_statistics()  # as each start of the window does
    event.listen(ws.db.engine, "before_cursor_execute", keep)
    try:
        with ws.db.transaction() as s:
            first = tasklist.page(s, f, 0, 2)
            tasklist.page(s, f, after=key_of(first[-1]), limit=2)
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", keep)
    assert [r.due_date for r in first] == [None, None]
    raw = ws.db.engine.raw_connection()
    try:
        for statement, parameters in statements:
            plan = " | ".join(row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters))
            assert plan.startswith("SCAN directives USING INDEX ix_directives_arrival"), plan
            assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan  # only the tasks of one directive sorted
    finally:
        raw.close()
    assert len(statements) == 2
