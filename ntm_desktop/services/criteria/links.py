"""Link to work: a task names the communes (and criteria) it serves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Task, TaskCriterionLink, natural_id
from ntm_desktop.services.criteria.profiles import require_commune
from ntm_desktop.services import access
from ntm_desktop.services.access import Permission


@dataclass(frozen=True)
class LinkedTask:
    task_id: str
    summary: str
    due_date: date | None
    completed_on: date | None


def link_task(session: Session, task_id: str, unit_id: str, criterion_code: str = "", set_code: str = "") -> str:
    """Say that `task_id` serves the commune (and the criterion with `criterion_code` of the set `set_code`,
    if given)."""
    access.require(session, Permission.CRITERIA)
    task = session.get(Task, task_id)
    if task is None or task.deleted:
        raise ValidationError("Không tìm thấy nhiệm vụ (có thể đã bị xóa).")
    unit = require_commune(session, unit_id)
    code = (criterion_code or "").strip()
    key = natural_id("task_criterion_link", task_id, unit_id, code)
    link = session.get(TaskCriterionLink, key)
    if link is None:
        link = TaskCriterionLink(id=key, task_id=task_id, unit_id=unit_id, criterion_code=code,
                                 owner_unit_id=task.owner_unit_id or unit.id)
        session.add(link)
    link.deleted = False
    if set_code or link.set_code is None:
        link.set_code = set_code
    session.flush()
    return key


def unlink_task(session: Session, task_id: str, unit_id: str, criterion_code: str = "") -> None:
    access.require(session, Permission.CRITERIA)
    link = session.get(TaskCriterionLink, natural_id("task_criterion_link", task_id, unit_id,
                                                      (criterion_code or "").strip()))
    if link is not None:
        link.deleted = True


def links_of_task(session: Session, task_id: str) -> list[tuple[str, str]]:
    """(unit_id, criterion_code) pairs the task serves."""
    return list(session.execute(
        select(TaskCriterionLink.unit_id, TaskCriterionLink.criterion_code)
        .where(TaskCriterionLink.task_id == task_id, TaskCriterionLink.deleted.is_(False))
    ).all())


def tasks_for_cell(session: Session, unit_id: str, criterion_code: str, open_only: bool = True,
                   set_code: str | None = None) -> list[LinkedTask]:
    """Tasks linked to this commune and criterion (open ones by default); with `set_code`, only links
    to that set's criterion (or made before periods were told apart)."""
    query = (select(Task).join(TaskCriterionLink, TaskCriterionLink.task_id == Task.id)
             .where(TaskCriterionLink.unit_id == unit_id, TaskCriterionLink.criterion_code == criterion_code,
                    TaskCriterionLink.deleted.is_(False), Task.deleted.is_(False)))
    if set_code is not None:
        query = query.where(TaskCriterionLink.set_code.in_(("", set_code)))
    if open_only:
        query = query.where(Task.completed_on.is_(None))
    return [LinkedTask(t.id, t.summary, t.due_date, t.completed_on)
            for t in session.scalars(query.order_by(Task.due_date))]
