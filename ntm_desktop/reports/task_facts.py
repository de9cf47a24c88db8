"""Tasks with what a report prints about them, read in one query and chunks of progress notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from ntm_desktop.models import Directive, ProgressUpdate, Task, Unit
from ntm_desktop.services.status import TaskStatus, derive_status, days_overdue
from ntm_desktop.services.task_scope import TaskScope, scope_condition
from ntm_desktop.services.tasklist import cooperating_names


@dataclass(frozen=True)
class TaskFact:
    id: str
    directive_id: str
    summary: str
    lead_unit_id: str
    lead_unit: str
    lead_sort: str
    arrival_number: int
    arrival_date: date
    number_symbol: str
    doc_type: str
    doc_date: date | None
    issuer: str
    due_date: date | None
    deadline_text: str
    started_on: date | None
    completed_on: date | None
    reply_number: str
    seq: int

    def status(self, as_of: date) -> TaskStatus:
        done = self.completed_on if self.completed_on and self.completed_on <= as_of else None
        return derive_status(self.due_date, done, self.started_on, as_of)

    def days_overdue(self, as_of: date) -> int:
        done = self.completed_on if self.completed_on and self.completed_on <= as_of else None
        return days_overdue(self.due_date, done, as_of)

    @property
    def directive_label(self) -> str:
        return f"{self.number_symbol or 'Không số'} (số đến {self.arrival_number})"


def load_tasks(session: Session, office_unit_id: str, *conditions,
               scope: TaskScope = TaskScope.ASSIGNED) -> list[TaskFact]:
    """Tasks the office follows under `scope` (see services/task_scope). The default, the tasks of
    the directives registered here, is the follow-up register's; the task reports pass ALL,
    as the task page and the overview count."""
    lead = aliased(Unit)
    query = (
        select(
            Task.id, Task.directive_id, Task.summary, Task.lead_unit_id,
            func.coalesce(lead.short_name, lead.name), lead.name_sort,
            Directive.arrival_number, Directive.arrival_date, Directive.number_symbol, Directive.doc_type,
            Directive.doc_date, Directive.issuer_name, Task.due_date, Task.deadline_text, Task.started_on,
            Task.completed_on, Task.reply_number, Task.seq,
        )
        .join(Directive, Directive.id == Task.directive_id)
        .join(lead, lead.id == Task.lead_unit_id)
        .where(Task.deleted.is_(False), Directive.deleted.is_(False),
               scope_condition(session, office_unit_id, scope), *conditions)
        .order_by(Directive.arrival_year, Directive.arrival_number, Task.seq)
    )
    return [TaskFact(*row) for row in session.execute(query)]


def open_or_done_between(start: date, end: date, as_of: date):
    """Tasks still open at `as_of`, or completed within the period."""
    return or_(Task.completed_on.is_(None), Task.completed_on > as_of, Task.completed_on.between(start, end))


def latest_progress(session: Session, task_ids: list[str], as_of: date) -> dict[str, tuple[date, str]]:
    result: dict[str, tuple[date, str]] = {}
    for i in range(0, len(task_ids), 500):
        chunk = task_ids[i:i + 500]
        rows = session.execute(
            select(ProgressUpdate.task_id, ProgressUpdate.reported_on, ProgressUpdate.text)
            .where(ProgressUpdate.task_id.in_(chunk), ProgressUpdate.deleted.is_(False),
                   ProgressUpdate.reported_on <= as_of)
            .order_by(ProgressUpdate.reported_on)
        )
        for task_id, day, text in rows:
            result[task_id] = (day, text)
    return result


def cooperators(session: Session, task_ids: list[str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for i in range(0, len(task_ids), 500):
        result.update(cooperating_names(session, task_ids[i:i + 500]))
    return result
