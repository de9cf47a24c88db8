"""Tasks split from a directive (the handling slip: lead unit, cooperating units, deadline)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ntm_desktop.models.base import Base, Revised, Synced
from ntm_desktop.models.units import Unit

task_cooperators = Table(
    "task_cooperators",
    Base.metadata,
    Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True, index=True),
)


class Task(Revised, Synced, Base):
    __tablename__ = "tasks"
    __table_args__ = (
        # Overdue and due-window filters count open tasks by due date without reading the rows.
        Index("ix_tasks_open_due", "completed_on", "due_date", "deleted", "directive_id", "lead_unit_id"),
        # The task list's order (open first, then by due date, no deadline last): a page is read by walking
        # it (services.tasklist writes the same two expressions).
        Index("ix_tasks_list_order", text("(completed_on IS NOT NULL)"), text("coalesce(due_date, '9999-12-31')"),
              "deleted", "directive_id", "lead_unit_id"),
    )

    directive_id: Mapped[str] = mapped_column(ForeignKey("directives.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=1)
    summary: Mapped[str] = mapped_column(Text)
    lead_unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    # Deadline as entered: kind (none/date/period/recurring) and its parts.
    deadline_kind: Mapped[str] = mapped_column(String(12), default="none")
    deadline_text: Mapped[str] = mapped_column(String(200), default="")
    recurrence: Mapped[str | None] = mapped_column(String(12))
    recurrence_day: Mapped[int | None] = mapped_column(Integer)
    recurrence_month: Mapped[int | None] = mapped_column(Integer)
    # Resolved date the status is measured against (for a recurrence: the next
    # occurrence after the last progress report). None: no deadline.
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    started_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date, index=True)
    reply_number: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    summary_folded: Mapped[str] = mapped_column(Text, default="")

    lead_unit: Mapped[Unit] = relationship(foreign_keys=[lead_unit_id])
    cooperating_units: Mapped[list[Unit]] = relationship(secondary=task_cooperators)
    progress: Mapped[list["ProgressUpdate"]] = relationship(
        back_populates="task", order_by="ProgressUpdate.reported_on"
    )


class ProgressUpdate(Synced, Base):
    """A progress report on a task; travels as its own record so any unit may add one."""

    __tablename__ = "progress_updates"

    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"), index=True)
    reported_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    reported_by: Mapped[str] = mapped_column(String(200), default="")

    task: Mapped[Task] = relationship(back_populates="progress")
