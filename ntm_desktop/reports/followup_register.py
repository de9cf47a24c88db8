"""Sổ theo dõi giải quyết văn bản đến: the decree's 7 columns, one line per task."""

from __future__ import annotations

from collections import defaultdict
from typing import Generator

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.models import Directive
from ntm_desktop.models.directives import DOC_TYPES
from ntm_desktop.reports.document import Column, Cover, ReportDocument, Table, period_text
from ntm_desktop.reports.incoming_register import cover_lines, directive_conditions
from ntm_desktop.reports.request import Progress, ReportRequest
from ntm_desktop.reports.task_facts import TaskFact, cooperators, latest_progress, load_tasks
from ntm_desktop.services.office import OfficeProfile
from ntm_desktop.services.status import TaskStatus

# The task's wording (in "Ghi chú") is the longest text of a line: it gets the widest column, so a
# task takes a few lines rather than a dozen.
COLUMNS = [
    Column("Số đến", 11, "int"),
    Column("Tên loại, số, ký hiệu, ngày tháng và cơ quan ban hành", 36),
    Column("Đơn vị hoặc người nhận", 32),
    Column("Thời hạn giải quyết", 21, "date"),
    Column("Tiến độ giải quyết", 46),
    Column("Số, ký hiệu văn bản trả lời", 20),
    Column("Ghi chú", 86),
]


def describe_directive(doc_type: str, number_symbol: str, doc_date, issuer: str) -> str:
    name = DOC_TYPES.get(doc_type, "Văn bản")
    parts = [f"{name} số {number_symbol}" if number_symbol else name]
    if doc_date:
        parts.append(f"ngày {doc_date:%d/%m/%Y}")
    if issuer:
        parts.append(f"của {issuer}")
    return " ".join(parts)


def progress_text(fact: TaskFact, as_of, latest: tuple | None) -> str:
    status = fact.status(as_of)
    lines = [status.label]
    if status == TaskStatus.IN_PROGRESS_OVERDUE:
        lines[0] += f" ({fact.days_overdue(as_of)} ngày)"
    if fact.completed_on and fact.completed_on <= as_of:
        lines.append(f"Hoàn thành ngày {fact.completed_on:%d/%m/%Y}")
    elif latest:
        lines.append(f"{latest[0]:%d/%m/%Y}: {latest[1]}")
    return "\n".join(lines)


def build_followup(session: Session, req: ReportRequest, office_id: str,
                   profile: OfficeProfile) -> Generator[Progress, None, ReportDocument]:
    conditions = directive_conditions(req, office_id)
    directives = session.execute(
        select(Directive.id, Directive.arrival_number, Directive.arrival_date, Directive.doc_type,
               Directive.number_symbol, Directive.doc_date, Directive.issuer_name)
        .where(*conditions).order_by(Directive.arrival_year, Directive.arrival_number)
    ).all()
    yield Progress(0, 3, f"Đang đọc nhiệm vụ của {len(directives)} văn bản…")
    facts = load_tasks(session, office_id, *conditions[2:])
    by_directive: dict[str, list[TaskFact]] = defaultdict(list)
    for f in facts:
        by_directive[f.directive_id].append(f)
    ids = [f.id for f in facts]
    as_of = req.as_of
    latest = latest_progress(session, ids, as_of)
    coop = cooperators(session, ids)
    yield Progress(1, 3, "Đang lập sổ…")
    table = Table("Sổ theo dõi giải quyết", COLUMNS, numbered_header=True,
                  empty_text="Không có văn bản đến trong khoảng đã chọn.")
    for d in directives:
        label = describe_directive(d.doc_type, d.number_symbol, d.doc_date, d.issuer_name)
        tasks = by_directive.get(d.id, [])
        if not tasks:
            table.rows.append((d.arrival_number, label, "", None, "Chưa giao nhiệm vụ", "", ""))
            continue
        for i, f in enumerate(tasks):
            units = f"Chủ trì: {f.lead_unit}" + (f"\nPhối hợp: {coop[f.id]}" if coop.get(f.id) else "")
            deadline = f.due_date or f.deadline_text or "Không thời hạn"
            table.rows.append((
                d.arrival_number if i == 0 else None, label if i == 0 else "", units, deadline,
                progress_text(f, as_of, latest.get(f.id)), f.reply_number, f"Nhiệm vụ: {f.summary}",
            ))
    yield Progress(3, 3, "Đã lập xong sổ.")
    first = last = None
    if directives:
        first, last = directives[0], directives[-1]
    return ReportDocument(
        kind="followup", title="Sổ theo dõi giải quyết văn bản đến", subtitle=period_text(req.start, req.end),
        profile=profile, issue_date=req.issue_date, landscape=True, official_header=False, signature=False,
        cover=Cover("Sổ theo dõi giải quyết văn bản đến", cover_lines(req, first, last)), blocks=[table],
    )
