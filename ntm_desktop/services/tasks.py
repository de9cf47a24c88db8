"""Tasks: split a directive, assign lead and cooperating units, set a deadline, record progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import ProgressUpdate, Task, Unit
from ntm_desktop.services import access, concurrency, directives
from ntm_desktop.services.deadlines import (
    DeadlineError, DeadlineKind, Recurrence, describe_recurrence, next_occurrence, parse_period,
)
from ntm_desktop.services.field_limits import check_fields
from ntm_desktop.text import nfc


@dataclass(frozen=True)
class TaskInput:
    directive_id: str
    summary: str
    lead_unit_id: str | None
    cooperating_unit_ids: tuple[str, ...] = ()
    deadline_kind: DeadlineKind = DeadlineKind.NONE
    deadline_date: date | None = None
    period_text: str = ""  # "Quý III/2024", "tháng 9/2026", "năm 2025"
    recurrence: Recurrence | None = None
    recurrence_day: int | None = None
    recurrence_month: int | None = None
    deadline_text: str = ""  # as written in the directive, kept for the record
    notes: str = ""


@dataclass(frozen=True)
class Deadline:
    due: date | None
    text: str


def resolve_deadline(data: TaskInput, after: date) -> Deadline:
    """The date a task's status is measured against, and how to show the deadline.

    `after` is the start for a recurrence: its first due date is the first
    occurrence after the directive's date (later: after the last report).
    """
    kind = DeadlineKind(data.deadline_kind)
    try:
        if kind == DeadlineKind.DATE:
            if data.deadline_date is None:
                raise ValidationError("Hãy nhập ngày hạn xử lý.", "deadline")
            return Deadline(data.deadline_date, data.deadline_text or f"Trước ngày {data.deadline_date:%d/%m/%Y}")
        if kind == DeadlineKind.PERIOD:
            period = parse_period(data.period_text)
            return Deadline(period.end, data.deadline_text or f"Trong {period.label}")
        if kind == DeadlineKind.RECURRING:
            if data.recurrence is None or not data.recurrence_day:
                raise ValidationError("Nhiệm vụ định kỳ cần chu kỳ và ngày đến hạn.", "deadline")
            recurrence = Recurrence(data.recurrence)
            due = next_occurrence(recurrence, data.recurrence_day, data.recurrence_month, after)
            return Deadline(due, data.deadline_text or describe_recurrence(
                recurrence, data.recurrence_day, data.recurrence_month))
    except DeadlineError as error:
        raise ValidationError(str(error), "deadline") from None
    return Deadline(None, data.deadline_text or "Thường xuyên")


def _units(session: Session, ids) -> list[Unit]:
    units = []
    for unit_id in ids:
        unit = session.get(Unit, unit_id)
        if unit is None or unit.deleted:
            raise ValidationError("Một đơn vị phối hợp đã chọn không còn trong danh sách.", "cooperating")
        units.append(unit)
    return units


def _require_directive_owned(session: Session, directive) -> None:
    """A task is part of its directive and belongs to the directive's owner: only that office (or one above it)
    splits the directive into tasks, and a directive with no owner takes none (the rules sync applies)."""
    from ntm_desktop.services.units import within_office

    if directive.owner_unit_id is None:
        raise ValidationError("Văn bản này không có đơn vị sở hữu (dữ liệu cũ hoặc bị sửa), nên chưa giao nhiệm vụ "
                              "được. Hãy mở văn bản, lưu lại trong sổ văn bản đến của đơn vị mình rồi giao nhiệm vụ.",
                              "directive")
    if not within_office(session, directive.owner_unit_id):
        owner = session.get(Unit, directive.owner_unit_id)
        raise ValidationError(
            f"Văn bản này thuộc sổ văn bản đến của {owner.name if owner else 'đơn vị khác'}, nên chỉ đơn vị đó giao "
            "và sửa nhiệm vụ của văn bản. Đơn vị mình hãy báo cáo tiến độ trên nhiệm vụ được giao.", "directive")


def _apply(session: Session, task: Task, data: TaskInput, allow_early_deadline: bool = False) -> None:
    directive = directives.load(session, data.directive_id)
    _require_directive_owned(session, directive)
    summary = nfc(data.summary) or ""
    if not summary:
        raise ValidationError("Nội dung nhiệm vụ không được để trống.", "summary")
    notes, deadline_text = nfc(data.notes) or "", nfc(data.deadline_text) or ""
    check_fields(Task, {"summary": summary, "notes": notes, "deadline_text": deadline_text},
                 {"deadline_text": "deadline"})
    if not data.lead_unit_id or session.get(Unit, data.lead_unit_id) is None:
        raise ValidationError("Hãy chọn đơn vị chủ trì.", "lead_unit")
    if data.lead_unit_id in data.cooperating_unit_ids:
        raise ValidationError("Đơn vị chủ trì không đồng thời là đơn vị phối hợp.", "cooperating")
    issued = directive.doc_date or directive.arrival_date
    last_report = max((p.reported_on for p in task.progress if not p.deleted), default=None) if task.id else None
    deadline = resolve_deadline(data, last_report or issued)
    check_fields(Task, {"due_date": deadline.due}, {"due_date": "deadline"})
    if data.deadline_kind == DeadlineKind.DATE and deadline.due < issued and not allow_early_deadline:
        which = "ngày văn bản" if directive.doc_date else "ngày đến"
        raise ValidationError(
            f"Hạn xử lý {deadline.due:%d/%m/%Y} trước {which} {issued:%d/%m/%Y}. Hãy kiểm tra lại hạn.",
            "deadline",
        )
    task.directive_id = directive.id
    task.summary = summary
    task.lead_unit_id = data.lead_unit_id
    task.cooperating_units = _units(session, data.cooperating_unit_ids)
    task.deadline_kind = DeadlineKind(data.deadline_kind).value
    task.deadline_text = deadline.text
    task.due_date = deadline.due
    recurring = data.deadline_kind == DeadlineKind.RECURRING
    task.recurrence = Recurrence(data.recurrence).value if recurring else None
    task.recurrence_day = data.recurrence_day if recurring else None
    task.recurrence_month = data.recurrence_month if recurring else None
    task.notes = notes
    if task.owner_unit_id is None:
        task.owner_unit_id = directive.owner_unit_id


def create_task(session: Session, data: TaskInput, allow_early_deadline: bool = False) -> str:
    """`allow_early_deadline`: a reviewed paste, whose deadlines before the document's date were warned about."""
    access.require(session, access.Permission.ASSIGN)
    task = Task()
    task.seq = (session.scalar(select(func.max(Task.seq)).where(Task.directive_id == data.directive_id)) or 0) + 1
    _apply(session, task, data, allow_early_deadline)
    session.add(task)
    session.flush()
    return task.id


def load(session: Session, task_id: str) -> Task:
    task = session.get(Task, task_id)
    if task is None or task.deleted:
        raise ValidationError("Không tìm thấy nhiệm vụ (có thể đã bị xóa).")
    return task


def _require_owned(session: Session, task: Task, what: str, field_name: str) -> None:
    if not owned_here(session, task):
        owner = session.get(Unit, task.owner_unit_id)
        raise ValidationError(
            f"Nhiệm vụ này do {owner.name if owner else 'cấp trên'} giao nên chỉ đơn vị đó {what}. "
            "Hãy báo cáo tiến độ, ghi rõ ngày hoàn thành và số văn bản trả lời (nếu có), rồi gửi dữ liệu lên.",
            field_name,
        )


def load_at(session: Session, task_id: str, revision: int | None) -> Task:
    """The task a form loaded at `revision` (None: no check): refused, saying what changed, if it was saved
    (or deleted) since (services.concurrency)."""
    task = session.get(Task, task_id)
    if task is not None:
        concurrency.require_revision(session, task, revision)
    return load(session, task_id)


def update_task(session: Session, task_id: str, data: TaskInput, revision: int | None = None) -> None:
    """`revision`: the task's revision when the form loaded it; a save made since refuses this one."""
    access.require(session, access.Permission.ASSIGN)
    task = load_at(session, task_id, revision)
    _require_owned(session, task, "sửa nội dung và thời hạn", "summary")
    with concurrency.saving(session, task, revision):
        _apply(session, task, data)


def input_from(task: Task) -> TaskInput:
    period = task.deadline_text if task.deadline_kind == DeadlineKind.PERIOD.value else ""
    return TaskInput(
        directive_id=task.directive_id, summary=task.summary, lead_unit_id=task.lead_unit_id,
        cooperating_unit_ids=tuple(u.id for u in task.cooperating_units),
        deadline_kind=DeadlineKind(task.deadline_kind),
        deadline_date=task.due_date if task.deadline_kind == DeadlineKind.DATE.value else None,
        period_text=period, recurrence=Recurrence(task.recurrence) if task.recurrence else None,
        recurrence_day=task.recurrence_day, recurrence_month=task.recurrence_month,
        deadline_text=task.deadline_text, notes=task.notes,
    )


def owned_here(session: Session, task: Task) -> bool:
    """This office may change the task: it or a unit below it owns it (the owner's rule in sync)."""
    from ntm_desktop.services.units import within_office

    return task.owner_unit_id is None or within_office(session, task.owner_unit_id)


def add_progress(session: Session, task_id: str, reported_on: date, text: str, reported_by: str) -> str:
    """Record a progress report; a recurring task then waits for its next occurrence.

    The report belongs to the office that writes it, so a commune's report on the
    district's task travels up and is accepted there (the task itself stays the district's).
    """
    from ntm_desktop.services import settings

    task = load(session, task_id)
    access.require(session, access.Permission.PROGRESS, unit_id=task.lead_unit_id)
    text = nfc(text) or ""
    if not text:
        raise ValidationError("Nội dung tiến độ không được để trống.", "progress")
    if reported_on is None:
        raise ValidationError("Hãy nhập ngày báo cáo tiến độ.", "progress_date")
    reported_by = nfc(reported_by) or ""
    check_fields(ProgressUpdate, {"reported_on": reported_on, "text": text, "reported_by": reported_by},
                 {"reported_on": "progress_date", "text": "progress", "reported_by": "progress_who"})
    owner = settings.office_unit_id(session) or task.owner_unit_id
    if owner is None:
        raise ValidationError("Chưa chọn cơ quan đang dùng phần mềm, nên báo cáo tiến độ chưa thuộc về đơn vị nào. "
                              "Hãy hoàn tất bước khởi động lần đầu.", "progress")
    update = ProgressUpdate(
        task_id=task.id, reported_on=reported_on, text=text, reported_by=reported_by, owner_unit_id=owner,
    )
    session.add(update)
    if task.started_on is None or reported_on < task.started_on:
        task.started_on = reported_on  # derived here, never sent (revisions.LOCAL_FIELDS)
    advance_recurrence(session, task, reported_on)
    session.flush()
    return update.id


def advance_recurrence(session: Session, task: Task, also_reported: date | None = None) -> None:
    """A recurring task owned here waits for the occurrence after its latest progress report
    (`also_reported`: a report not flushed yet). Reports that arrive by sync move it too."""
    if not (task.recurrence and task.recurrence_day and owned_here(session, task)):
        return
    reports = [p.reported_on for p in task.progress if not p.deleted] + ([also_reported] if also_reported else [])
    if reports:
        due = next_occurrence(Recurrence(task.recurrence), task.recurrence_day, task.recurrence_month, max(reports))
        if due != task.due_date:
            task.due_date = due


def complete_task(session: Session, task_id: str, completed_on: date | None, reply_number: str = "",
                  revision: int | None = None) -> None:
    """Mark done (or reopen with None); the reply document's number and symbol is kept. `revision`: as in
    update_task."""
    task = load_at(session, task_id, revision)
    access.require(session, access.Permission.COMPLETE, unit_id=task.lead_unit_id)
    _require_owned(session, task, "ghi nhận hoàn thành", "completed_on")
    reply_number = nfc(reply_number) or ""
    check_fields(Task, {"completed_on": completed_on, "reply_number": reply_number})
    with concurrency.saving(session, task, revision):
        if completed_on is not None:
            issued = task_directive_date(session, task)
            if completed_on < issued:
                raise ValidationError(
                    f"Ngày hoàn thành {completed_on:%d/%m/%Y} trước ngày văn bản {issued:%d/%m/%Y}.", "completed_on"
                )
            if task.started_on is None:
                task.started_on = completed_on
        task.completed_on = completed_on
        task.reply_number = reply_number


def task_directive_date(session: Session, task: Task) -> date:
    directive = directives.load(session, task.directive_id)
    return directive.doc_date or directive.arrival_date


def delete_task(session: Session, task_id: str) -> None:
    access.require(session, access.Permission.ASSIGN)
    load(session, task_id).deleted = True
