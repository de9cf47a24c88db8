"""The first screen: what is overdue, due this week, done this week, by unit; newest directives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, func, select
from sqlalchemy.orm import Session

from ntm_desktop.models import Directive, Task, Unit
from ntm_desktop.services import register
from ntm_desktop.services.tasklist import DueWindow, window_condition


@dataclass(frozen=True)
class UnitLoad:
    unit_id: str
    unit_name: str
    overdue: int
    due_this_week: int
    done_this_week: int
    open_tasks: int


@dataclass(frozen=True)
class Overview:
    today: date
    overdue: int
    due_this_week: int
    done_this_week: int
    open_tasks: int
    by_unit: list[UnitLoad]
    newest: list[register.RegisterRow]


def overview(session: Session, office_unit_id: str, today: date | None = None, newest: int = 8) -> Overview:
    today = today or date.today()
    flags = [
        func.sum(window_condition(w, today).cast(Integer))
        for w in (DueWindow.OVERDUE, DueWindow.THIS_WEEK, DueWindow.DONE_THIS_WEEK)
    ]
    open_count = func.sum(Task.completed_on.is_(None).cast(Integer))
    query = (
        select(Unit.id, func.coalesce(Unit.short_name, Unit.name), *flags, open_count)
        .select_from(Task)
        .join(Directive, Directive.id == Task.directive_id)
        .join(Unit, Unit.id == Task.lead_unit_id)
        .where(Task.deleted.is_(False), Directive.deleted.is_(False), Directive.office_unit_id == office_unit_id)
        .group_by(Unit.id)
    )
    loads = [UnitLoad(uid, name, o or 0, w or 0, d or 0, n or 0) for uid, name, o, w, d, n in session.execute(query)]
    loads = [u for u in loads if u.overdue or u.due_this_week or u.done_this_week or u.open_tasks]
    loads.sort(key=lambda u: (-u.overdue, -u.due_this_week, -u.open_tasks, u.unit_name))
    latest = register.page(session, register.RegisterFilter(office_unit_id=office_unit_id), 0, newest)
    return Overview(
        today=today,
        overdue=sum(u.overdue for u in loads),
        due_this_week=sum(u.due_this_week for u in loads),
        done_this_week=sum(u.done_this_week for u in loads),
        open_tasks=sum(u.open_tasks for u in loads),
        by_unit=loads,
        newest=latest,
    )
