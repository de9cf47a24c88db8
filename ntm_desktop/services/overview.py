"""The first screen: what is overdue, due this week, done this week, by unit; newest directives."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, func, select
from sqlalchemy.orm import Session

from ntm_desktop.models import Directive, Task, Unit
from ntm_desktop.services import register
from ntm_desktop.services.task_scope import TaskScope, scope_condition
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


def _distinct_names(session: Session, unit_ids: list[str]) -> dict[str, str]:
    """Short names; two units of the same name (a "xã Tân Thành" in two districts) get their parent's name too."""
    parent = Unit.__table__.alias("parent")
    rows = session.execute(
        select(Unit.id, func.coalesce(Unit.short_name, Unit.name), func.coalesce(parent.c.short_name, parent.c.name))
        .outerjoin(parent, parent.c.id == Unit.parent_id).where(Unit.id.in_(unit_ids))
    ).all()
    seen = Counter(name for _, name, _ in rows)
    return {uid: f"{name} ({above})" if seen[name] > 1 and above else name for uid, name, above in rows}


def overview(session: Session, office_unit_id: str, today: date | None = None, newest: int = 8,
             scope: TaskScope = TaskScope.ALL) -> Overview:
    """Counts over the tasks the office follows (by default the task page's "Tất cả")."""
    today = today or date.today()
    # Two narrow queries (open tasks; tasks done this week), each read from ix_tasks_open_due
    # without touching the rows, rather than one pass over every task ever recorded.
    live = (Task.deleted.is_(False), Directive.deleted.is_(False), scope_condition(session, office_unit_id, scope))
    open_query = (
        select(Task.lead_unit_id,
               func.sum(window_condition(DueWindow.OVERDUE, today).cast(Integer)),
               func.sum(window_condition(DueWindow.THIS_WEEK, today).cast(Integer)),
               func.count())
        .select_from(Task).join(Directive, Directive.id == Task.directive_id)
        .where(*live, Task.completed_on.is_(None)).group_by(Task.lead_unit_id)
    )
    done_query = (
        select(Task.lead_unit_id, func.count())
        .select_from(Task).join(Directive, Directive.id == Task.directive_id)
        .where(*live, window_condition(DueWindow.DONE_THIS_WEEK, today)).group_by(Task.lead_unit_id)
    )
    counts: dict[str, list[int]] = {}
    for unit_id, overdue, due_week, open_tasks in session.execute(open_query):
        counts[unit_id] = [overdue or 0, due_week or 0, 0, open_tasks]
    for unit_id, done in session.execute(done_query):
        counts.setdefault(unit_id, [0, 0, 0, 0])[2] = done
    names = _distinct_names(session, list(counts)) if counts else {}
    loads = [UnitLoad(uid, names.get(uid, ""), *values) for uid, values in counts.items()]
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
