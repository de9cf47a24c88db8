"""Tasks of one unit, to send to it: what it leads or cooperates on, open or done in the period."""

from __future__ import annotations

from dataclasses import replace
from typing import Generator

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Directive, Task, Unit, task_cooperators
from ntm_desktop.reports.document import Column, GroupHeading, Paragraph, ReportDocument, Table, period_text
from ntm_desktop.reports.request import Progress, ReportRequest
from ntm_desktop.reports.task_facts import latest_progress, load_tasks, open_or_done_between
from ntm_desktop.services.office import OfficeProfile
from ntm_desktop.services.status import TaskStatus
from ntm_desktop.services.task_scope import TaskScope
from ntm_desktop.text import nfc

COLUMNS = [
    Column("STT", 11, "int"), Column("Nội dung nhiệm vụ", 56), Column("Văn bản giao", 30),
    Column("Vai trò", 20), Column("Thời hạn", 20, "date"), Column("Tình hình thực hiện", 28),
]
ORDER = [
    TaskStatus.IN_PROGRESS_OVERDUE, TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS_ON_TIME,
    TaskStatus.ONGOING, TaskStatus.DONE_LATE, TaskStatus.DONE_ON_TIME,
]


def find_unit(session: Session, code: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == nfc(code).strip(), Unit.deleted.is_(False)))
    if unit is None:
        raise ValidationError(f"Không tìm thấy đơn vị có mã “{code}”. Hãy kiểm tra mã trong danh mục đơn vị.", "unit")
    return unit


def build_unit_tasks(session: Session, req: ReportRequest, office_id: str,
                     profile: OfficeProfile) -> Generator[Progress, None, ReportDocument]:
    unit = find_unit(session, req.unit_code)
    yield Progress(0, 2, f"Đang đọc nhiệm vụ của {unit.name}…")
    as_of = req.as_of
    cooperating = select(task_cooperators.c.task_id).where(task_cooperators.c.unit_id == unit.id)
    facts = load_tasks(
        session, office_id, Directive.arrival_date <= req.end,
        or_(Task.lead_unit_id == unit.id, Task.id.in_(cooperating)),
        open_or_done_between(req.start, req.end, as_of), scope=TaskScope.ALL,
    )
    ids = [f.id for f in facts]
    latest = latest_progress(session, ids, as_of)
    yield Progress(1, 2, "Đang lập danh mục…")
    table = Table("Nhiệm vụ của đơn vị", COLUMNS, empty_text="Đơn vị không có nhiệm vụ trong khoảng đã chọn.")
    n = 0
    for status in ORDER:
        group = [f for f in facts if f.status(as_of) == status]
        if not group:
            continue
        group.sort(key=lambda f: (f.due_date is None, f.due_date or as_of, f.arrival_number))
        table.rows.append(GroupHeading(f"{status.label} ({len(group)})"))
        for f in group:
            n += 1
            state = status.label
            if status == TaskStatus.IN_PROGRESS_OVERDUE:
                state = f"Quá hạn {f.days_overdue(as_of)} ngày"
            if f.id in latest and not status.is_done:
                day, text = latest[f.id]
                state += f"\n{day:%d/%m/%Y}: {text}"
            role = "Chủ trì" if f.lead_unit_id == unit.id else f"Phối hợp ({f.lead_unit} chủ trì)"
            deadline = f.due_date or f.deadline_text or "Không thời hạn"
            table.rows.append((n, f.summary, f.directive_label, role, deadline, state))
    overdue = sum(1 for f in facts if f.status(as_of) == TaskStatus.IN_PROGRESS_OVERDUE)
    doc = ReportDocument(
        kind="unit", title="Danh mục nhiệm vụ được giao", subtitle=f"({period_text(req.start, req.end)})",
        profile=profile, issue_date=req.issue_date, number=req.number, addressee=f"Kính gửi: {unit.name}",
    )
    doc.blocks.append(Paragraph(
        f"{profile.office_name or 'Cơ quan'} thông báo danh mục nhiệm vụ {unit.name} được giao chủ trì hoặc "
        f"phối hợp thực hiện: tổng số {len(facts)} nhiệm vụ, trong đó {overdue} nhiệm vụ đã quá hạn. "
        "Đề nghị đơn vị khẩn trương triển khai và báo cáo kết quả theo thời hạn quy định."
    ))
    doc.blocks.append(table)
    doc.profile = replace(profile, recipients=("Như trên", *profile.recipients))
    yield Progress(2, 2, "Đã lập xong danh mục.")
    return doc
