"""Tasks across directives: filtered by scope, unit, status, due window and directive, paged from SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select
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


def page(session: Session, f: TaskFilter, offset: int, limit: int) -> list[TaskRow]:
    """Overdue and soonest-due first; tasks with no deadline last."""
    today = f.today or date.today()
    lead = aliased(Unit)
    query = (
        select(
            Task.id, Task.directive_id, Directive.arrival_number, Directive.arrival_year,
            Directive.number_symbol, Task.summary, func.coalesce(lead.short_name, lead.name),
            Task.due_date, Task.deadline_text, Task.completed_on, Task.started_on, Task.reply_number,
        )
        .join(Directive, Directive.id == Task.directive_id)
        .join(lead, lead.id == Task.lead_unit_id)
        .where(_where(session, f))
        .order_by(Task.completed_on.is_not(None), Task.due_date.is_(None), Task.due_date,
                  Directive.arrival_year.desc(), Directive.arrival_number.desc(), Task.seq)
        .offset(offset).limit(limit)
    )
    rows = []
    for r in session.execute(query):
        status = derive_status(r.due_date, r.completed_on, r.started_on, today)
        rows.append(TaskRow(
            id=r.id, directive_id=r.directive_id, arrival_number=r.arrival_number,
            arrival_year=r.arrival_year, number_symbol=r.number_symbol, summary=r.summary,
            lead_unit=r[6], due_date=r.due_date, deadline_text=r.deadline_text,
            completed_on=r.completed_on, started_on=r.started_on, reply_number=r.reply_number,
            status=status, days_overdue=days_overdue(r.due_date, r.completed_on, today),
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
