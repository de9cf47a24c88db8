"""Task status in the categories state agencies count, derived from dates, never typed.

The same rule is written twice: in Python for one task, and as SQL conditions
so that lists of 300,000 tasks filter and count in the database. A test keeps
the two in agreement.
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import and_, case, or_
from sqlalchemy.sql.elements import ColumnElement

from ntm_desktop.models import Task


class TaskStatus(str, enum.Enum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    IN_PROGRESS_ON_TIME = "in_progress_on_time"
    IN_PROGRESS_OVERDUE = "in_progress_overdue"
    NOT_STARTED = "not_started"
    ONGOING = "ongoing"  # thường xuyên: no deadline, not finished

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_done(self) -> bool:
        return self in (TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE)

    @property
    def is_late(self) -> bool:
        return self in (TaskStatus.DONE_LATE, TaskStatus.IN_PROGRESS_OVERDUE)


STATUS_LABELS = {
    TaskStatus.DONE_ON_TIME: "Hoàn thành đúng hạn",
    TaskStatus.DONE_LATE: "Hoàn thành quá hạn",
    TaskStatus.IN_PROGRESS_ON_TIME: "Đang thực hiện trong hạn",
    TaskStatus.IN_PROGRESS_OVERDUE: "Đang thực hiện quá hạn",
    TaskStatus.NOT_STARTED: "Chưa thực hiện",
    TaskStatus.ONGOING: "Thường xuyên",
}


def derive_status(
    due: date | None, completed: date | None, started: date | None, today: date
) -> TaskStatus:
    """A task due today is still on time; one completed on its deadline is on time."""
    if completed is not None:
        if due is None or completed <= due:
            return TaskStatus.DONE_ON_TIME
        return TaskStatus.DONE_LATE
    if due is not None and today > due:
        return TaskStatus.IN_PROGRESS_OVERDUE
    if due is None:
        return TaskStatus.ONGOING
    if started is not None:
        return TaskStatus.IN_PROGRESS_ON_TIME
    return TaskStatus.NOT_STARTED


def days_overdue(due: date | None, completed: date | None, today: date) -> int:
    """Days past the deadline: until completion, or until today if still open."""
    if due is None:
        return 0
    end = completed or today
    return max(0, (end - due).days)


def status_condition(status: TaskStatus, today: date, task=Task) -> ColumnElement[bool]:
    """SQL condition selecting the tasks whose derived status is `status` on `today`."""
    done, due, started = task.completed_on, task.due_date, task.started_on
    if status == TaskStatus.DONE_ON_TIME:
        return and_(done.is_not(None), or_(due.is_(None), done <= due))
    if status == TaskStatus.DONE_LATE:
        return and_(done.is_not(None), due.is_not(None), done > due)
    if status == TaskStatus.IN_PROGRESS_OVERDUE:
        return and_(done.is_(None), due.is_not(None), due < today)
    if status == TaskStatus.ONGOING:
        return and_(done.is_(None), due.is_(None))
    if status == TaskStatus.IN_PROGRESS_ON_TIME:
        return and_(done.is_(None), due >= today, started.is_not(None))
    return and_(done.is_(None), due >= today, started.is_(None))


def status_expression(today: date, task=Task) -> ColumnElement[str]:
    """SQL CASE giving each task's status value (for grouping and counting)."""
    return case(
        *[(status_condition(s, today, task), s.value) for s in TaskStatus],
        else_=TaskStatus.NOT_STARTED.value,
    )
