"""Tasks across directives: filtered by scope, unit, status, due window and directive, paged from SQL."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import and_, func, literal, literal_column, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from ntm_desktop.models import Directive, Task, Unit, task_cooperators
from ntm_desktop.services.due_window import DueWindow  # noqa: F401 - the list's filter, also known here
from ntm_desktop.services.dates import month_bounds, week_bounds
from ntm_desktop.services.status import TaskStatus, derive_status, days_overdue, status_condition
from ntm_desktop.services.task_scope import TaskScope, scope_condition
from ntm_desktop.text import fold


@dataclass(frozen=True)
class TaskFilter:
    office_unit_id: str | None = None  # None: every task in the database
    scope: TaskScope = TaskScope.ALL  # which of the office's tasks (see task_scope)
    unit_id: str | None = None  # lead or cooperating
    lead_only: bool = False
    status: TaskStatus | None = None
    window: DueWindow | None = None
    directive_id: str | None = None
    search: str = ""
    today: date | None = None


@dataclass(frozen=True)
class TaskRow:
    id: str
    directive_id: str
    arrival_number: int
    arrival_year: int
    number_symbol: str
    summary: str
    lead_unit: str
    due_date: date | None
    deadline_text: str
    completed_on: date | None
    started_on: date | None
    reply_number: str
    status: TaskStatus
    days_overdue: int
    cooperating: str = ""
    seq: int = 0


def window_condition(window: DueWindow, today: date):
    open_ = Task.completed_on.is_(None)
    if window == DueWindow.OVERDUE:
        return status_condition(TaskStatus.IN_PROGRESS_OVERDUE, today)
    if window == DueWindow.DONE_THIS_WEEK:
        start, end = week_bounds(today)
        return Task.completed_on.between(start, end)
    if window == DueWindow.THIS_WEEK:
        start, end = week_bounds(today)
    elif window == DueWindow.NEXT_WEEK:
        start, end = week_bounds(today + timedelta(days=7))
    else:
        start, end = month_bounds(today)
    return and_(open_, Task.due_date.between(start, end))


def _where(session: Session, f: TaskFilter):
    today = f.today or date.today()
    conditions = [Task.deleted.is_(False)]
    conditions.append(Directive.deleted.is_(False))
    if f.office_unit_id:
        conditions.append(scope_condition(session, f.office_unit_id, f.scope))
    if f.unit_id:
        lead = Task.lead_unit_id == f.unit_id
        if f.lead_only:
            conditions.append(lead)
        else:
            conditions.append(or_(lead, Task.id.in_(
                select(task_cooperators.c.task_id).where(task_cooperators.c.unit_id == f.unit_id))))
    if f.status:
        conditions.append(status_condition(f.status, today))
    if f.window:
        conditions.append(window_condition(f.window, today))
    if f.directive_id:
        conditions.append(Task.directive_id == f.directive_id)
    if f.search.strip():
        conditions.append(Task.summary_folded.contains(fold(f.search), autoescape=True))
    return and_(*conditions)


def count(session: Session, f: TaskFilter) -> int:
    query = select(func.count()).select_from(Task).join(Directive, Directive.id == Task.directive_id)
    return session.scalar(query.where(_where(session, f)))


# The list's order: open tasks first, soonest due first, tasks without a deadline last; then the newest
# directive, the task's place in it, and its id (so that no two tasks tie). The list is read as two
# segments, open tasks then done ones (a filter may hold only one of them); in each, SQLite walks an
# index in due-date order (ix_tasks_open_due for open tasks with a deadline, ix_tasks_list_order
# otherwise) and stops after a page, instead of sorting every task the filter keeps. A page after a key
# starts its walk at that key's due date (keyset paging: the same cost at row 40,000 as at row 200).
NO_DEADLINE = "9999-12-31"  # after every date, as SQLite stores dates ("YYYY-MM-DD")
DONE = Task.completed_on.is_not(None)
DUE_KEY = func.coalesce(Task.due_date, literal_column(f"'{NO_DEADLINE}'"))
_OPEN_WITH_DEADLINE = {DueWindow.OVERDUE, DueWindow.THIS_WEEK, DueWindow.NEXT_WEEK, DueWindow.THIS_MONTH,
                       TaskStatus.IN_PROGRESS_OVERDUE, TaskStatus.IN_PROGRESS_ON_TIME, TaskStatus.NOT_STARTED}
_OPEN = _OPEN_WITH_DEADLINE | {TaskStatus.ONGOING}
_DONE = {DueWindow.DONE_THIS_WEEK, TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE}


@dataclass(frozen=True)
class PageKey:
    """Where a page of the list ends, in the list's order: the next page starts after it."""

    done: bool
    due_key: str  # the due date as stored, or NO_DEADLINE
    arrival_year: int
    arrival_number: int
    seq: int
    task_id: str


def key_of(row: TaskRow) -> PageKey:
    return PageKey(row.completed_on is not None, row.due_date.isoformat() if row.due_date else NO_DEADLINE,
                   row.arrival_year, row.arrival_number, row.seq, row.id)


def _segments(f: TaskFilter) -> list[bool]:
    """The segments (done or not) the filter can hold, in the list's order."""
    kept = {f.window, f.status} - {None}
    if kept & _DONE:
        return [True]
    if kept & _OPEN:
        return [False]
    return [False, True]


def _columns(lead):
    return (
        Task.id, Task.directive_id, Directive.arrival_number, Directive.arrival_year, Directive.number_symbol,
        Task.summary, func.coalesce(lead.short_name, lead.name), Task.due_date, Task.deadline_text,
        Task.completed_on, Task.started_on, Task.reply_number, Task.seq,
    )


_TAIL = (Directive.arrival_year.desc(), Directive.arrival_number.desc(), Task.seq, Task.id)
_TAIL_KEY = tuple_(-Directive.arrival_year, -Directive.arrival_number, Task.seq, Task.id)  # _TAIL, ascending


def _tail_of(key: PageKey):
    """A page key's place in `_TAIL_KEY`."""
    return tuple_(literal(-key.arrival_year), literal(-key.arrival_number), literal(key.seq), literal(key.task_id))


def _segment(session: Session, f: TaskFilter, done: bool, after: PageKey | None, limit: int) -> list:
    """Up to `limit` rows of one segment in the list's order, after `after` if given."""
    lead = aliased(Unit)
    if _by_arrival(session, f, done):
        return _segment_by_arrival(session, f, after, limit, lead)
    with_deadline = not done and bool({f.window, f.status} & _OPEN_WITH_DEADLINE)
    due = Task.due_date if with_deadline else DUE_KEY  # the column the chosen index is ordered by
    conditions = [_where(session, f)]
    if not with_deadline:
        conditions.append(DONE == literal(bool(done)))  # the first column of ix_tasks_list_order
    if after is not None:
        # SQLite's index holds the text "YYYY-MM-DD" (NO_DEADLINE among them); PostgreSQL compares a date
        by_text = not with_deadline and session.get_bind().dialect.name == "sqlite"
        start = literal(after.due_key) if by_text else date.fromisoformat(after.due_key)
        conditions += [due >= start, ~and_(due == start, _TAIL_KEY <= _tail_of(after))]
    query = (
        select(*_columns(lead))
        # `|| ''`: the directive is found from the task, never its tasks from the directive; else SQLite may
        # start from the office's directives (every one, for a province's register) and sort all their tasks
        # for one page instead of walking the tasks in the list's order.
        .join(Directive, Directive.id == Task.directive_id.concat(""))
        .join(lead, lead.id == Task.lead_unit_id)
        .where(*conditions)
        .order_by(due, *_TAIL)
        .limit(limit)
    )
    return list(session.execute(query))


def _segment_by_arrival(session: Session, f: TaskFilter, after: PageKey | None, limit: int, lead) -> list:
    """`_segment` of the open tasks without a deadline, all with the same due key: the list's order is then the
    directives' arrival. The directives are walked newest first (ix_directives_arrival), each one's tasks found
    from it, until a page is full. The unary `+` keeps SQLite from starting at the open tasks without a
    deadline instead (its statistics make that look cheap, and it then sorts them all)."""
    conditions = [_where(session, replace(f, status=None)),  # the status itself, below, with no index to use
                  literal_column("+tasks.completed_on").is_(None), literal_column("+tasks.due_date").is_(None)]
    if after is not None:
        conditions.append(_TAIL_KEY > _tail_of(after))
    query = (
        select(*_columns(lead))
        .join(Directive, Directive.id == Task.directive_id)
        .join(lead, lead.id == Task.lead_unit_id)
        .where(*conditions)
        .order_by(*_TAIL)
        .limit(limit)
    )
    return list(session.execute(query))


def _by_arrival(session: Session, f: TaskFilter, done: bool) -> bool:
    """The open tasks without a deadline (all with the same due key) of all the office's tasks, on the SQLite
    file: walked from the directives in the list's order. Sorting them took 0.2 to 0.4 s at national scale
    (45,000 of them); a narrower filter keeps few enough of them that sorting them is cheaper than walking
    every directive."""
    return (not done and f.status == TaskStatus.ONGOING and f.window is None and f.scope == TaskScope.ALL
            and not (f.unit_id or f.directive_id or f.search.strip())
            and session.get_bind().dialect.name == "sqlite")


def page(session: Session, f: TaskFilter, offset: int = 0, limit: int = 200,
         after: PageKey | None = None) -> list[TaskRow]:
    """A page of the list in its order (overdue and soonest due first; tasks with no deadline last).

    `after`: the page following that key (key_of the last row shown); `offset` counts rows from the
    start instead (each page then costs more the further it is).
    """
    if offset and after is None:
        lead = aliased(Unit)
        query = (
            select(*_columns(lead))
            .join(Directive, Directive.id == Task.directive_id)
            .join(lead, lead.id == Task.lead_unit_id)
            .where(_where(session, f))
            .order_by(DONE, DUE_KEY, *_TAIL)
            .offset(offset).limit(limit)
        )
        found = list(session.execute(query))
    else:
        found = []
        for done in _segments(f):
            if after is not None and done < after.done:
                continue  # that segment lies before the key
            found += _segment(session, f, done, after if after is not None and after.done == done else None,
                              limit - len(found))
            if len(found) >= limit:
                break
    return _rows(session, f, found)


def _rows(session: Session, f: TaskFilter, found: list) -> list[TaskRow]:
    today = f.today or date.today()
    rows = []
    for r in found:
        status = derive_status(r.due_date, r.completed_on, r.started_on, today)
        rows.append(TaskRow(
            id=r.id, directive_id=r.directive_id, arrival_number=r.arrival_number,
            arrival_year=r.arrival_year, number_symbol=r.number_symbol, summary=r.summary,
            lead_unit=r[6], due_date=r.due_date, deadline_text=r.deadline_text,
            completed_on=r.completed_on, started_on=r.started_on, reply_number=r.reply_number,
            status=status, days_overdue=days_overdue(r.due_date, r.completed_on, today), seq=r.seq,
        ))
    names = cooperating_names(session, [r.id for r in rows])
    return [TaskRow(**{**r.__dict__, "cooperating": names.get(r.id, "")}) for r in rows]


def cooperating_names(session: Session, task_ids: list[str]) -> dict[str, str]:
    if not task_ids:
        return {}
    result: dict[str, list[str]] = {}
    query = (
        select(task_cooperators.c.task_id, func.coalesce(Unit.short_name, Unit.name))
        .join(Unit, Unit.id == task_cooperators.c.unit_id)
        .where(task_cooperators.c.task_id.in_(task_ids))
        .order_by(Unit.name_sort)
    )
    for task_id, name in session.execute(query):
        result.setdefault(task_id, []).append(name)
    return {k: ", ".join(v) for k, v in result.items()}
