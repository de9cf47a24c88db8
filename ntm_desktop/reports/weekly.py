"""Báo cáo tuần (or any period): done, overdue, due next, new directives, by lead unit."""

from __future__ import annotations

from collections import defaultdict
from typing import Generator

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.models import Directive, Task
from ntm_desktop.reports.document import (
    Column, GroupHeading, Heading, Paragraph, ReportDocument, Table, TotalRow, period_text,
)
from ntm_desktop.reports.request import Progress, ReportRequest
from ntm_desktop.reports.task_facts import TaskFact, cooperators, load_tasks, open_or_done_between
from ntm_desktop.services.office import OfficeProfile
from ntm_desktop.services.status import TaskStatus
from ntm_desktop.services.task_scope import TaskScope

SUMMARY_COLUMNS = [
    Column("STT", 11, "int"), Column("Đơn vị chủ trì", 44),
    Column("Hoàn thành đúng hạn", 18, "int"), Column("Hoàn thành quá hạn", 18, "int"),
    Column("Đang thực hiện trong hạn", 19, "int"), Column("Đang thực hiện quá hạn", 19, "int"),
    Column("Chưa thực hiện", 18, "int"), Column("Tổng số", 18, "int"),
]
SUMMARY_STATUSES = [
    TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE, TaskStatus.IN_PROGRESS_ON_TIME,
    TaskStatus.IN_PROGRESS_OVERDUE, TaskStatus.NOT_STARTED,
]


def _grouped(facts: list[TaskFact]) -> list[tuple[str, list[TaskFact]]]:
    groups: dict[tuple[str, str], list[TaskFact]] = defaultdict(list)
    for f in facts:
        groups[(f.lead_sort, f.lead_unit)].append(f)
    return [(name, items) for (_, name), items in sorted(groups.items())]


def _task_table(caption: str, columns: list[Column], facts: list[TaskFact], row, empty: str) -> Table:
    table = Table(caption, columns, empty_text=empty)
    n = 0
    for unit, items in _grouped(facts):
        table.rows.append(GroupHeading(f"{unit} ({len(items)} nhiệm vụ)"))
        for f in items:
            n += 1
            table.rows.append((n, *row(f)))
    return table


def _summary(facts_in_scope: list[TaskFact], req: ReportRequest) -> Table:
    counts: dict[tuple[str, str], dict[TaskStatus, int]] = defaultdict(lambda: defaultdict(int))
    for f in facts_in_scope:
        status = f.status(req.as_of)
        if status == TaskStatus.ONGOING:
            status = TaskStatus.IN_PROGRESS_ON_TIME  # thường xuyên: counted as in progress, on time
        counts[(f.lead_sort, f.lead_unit)][status] += 1
    table = Table("Tổng hợp theo đơn vị", SUMMARY_COLUMNS)
    totals = [0] * len(SUMMARY_STATUSES)
    for i, ((_, unit), by_status) in enumerate(sorted(counts.items()), start=1):
        values = [by_status[s] for s in SUMMARY_STATUSES]
        totals = [a + b for a, b in zip(totals, values)]
        table.rows.append((i, unit, *values, sum(values)))
    table.rows.append(TotalRow((None, "Tổng cộng", *totals, sum(totals))))
    return table


def build_weekly(session: Session, req: ReportRequest, office_id: str,
                 profile: OfficeProfile) -> Generator[Progress, None, ReportDocument]:
    yield Progress(0, 5, "Đang đọc nhiệm vụ…")
    as_of, (next_start, next_end) = req.as_of, req.next_period
    scope = load_tasks(session, office_id, Directive.arrival_date <= as_of,
                       open_or_done_between(req.start, req.end, as_of), scope=TaskScope.ALL)
    done = [f for f in scope if f.completed_on and req.start <= f.completed_on <= req.end]
    overdue = [f for f in scope if f.status(as_of) == TaskStatus.IN_PROGRESS_OVERDUE]
    overdue.sort(key=lambda f: -f.days_overdue(as_of))
    upcoming = load_tasks(session, office_id, Task.completed_on.is_(None),
                          Task.due_date.between(next_start, next_end), scope=TaskScope.ALL)
    upcoming.sort(key=lambda f: f.due_date)
    yield Progress(1, 5, "Đang đọc văn bản đến…")
    directives = session.execute(
        select(Directive.arrival_number, Directive.arrival_date, Directive.issuer_name, Directive.number_symbol,
               Directive.subject, Directive.id)
        .where(Directive.office_unit_id == office_id, Directive.deleted.is_(False),
               Directive.arrival_date.between(req.start, req.end))
        .order_by(Directive.arrival_year, Directive.arrival_number)
    ).all()
    task_counts = defaultdict(int)
    for f in scope:
        task_counts[f.directive_id] += 1
    coop = cooperators(session, [f.id for f in overdue])
    yield Progress(2, 5, "Đang tổng hợp…")

    on_time = sum(1 for f in done if f.status(as_of) == TaskStatus.DONE_ON_TIME)
    doc = ReportDocument(
        kind="weekly", title="Báo cáo tình hình thực hiện nhiệm vụ được giao",
        subtitle=f"({period_text(req.start, req.end)})", profile=profile, issue_date=req.issue_date,
        number=req.number,
    )
    doc.blocks.append(Paragraph(
        f"{period_text(req.start, req.end)}, {profile.office_name or 'đơn vị'} tiếp nhận {len(directives)} văn bản "
        f"chỉ đạo; {len(done)} nhiệm vụ hoàn thành ({on_time} đúng hạn, {len(done) - on_time} quá hạn); "
        f"{len(overdue)} nhiệm vụ quá hạn chưa hoàn thành; {len(upcoming)} nhiệm vụ đến hạn trong kỳ tới "
        f"(từ ngày {next_start:%d/%m/%Y} đến ngày {next_end:%d/%m/%Y}). Cụ thể như sau:"
    ))
    doc.blocks += [Heading("I. TỔNG HỢP THEO ĐƠN VỊ CHỦ TRÌ"), _summary(scope, req)]
    doc.blocks += [Heading("II. NHIỆM VỤ HOÀN THÀNH TRONG KỲ"), _task_table(
        "Hoàn thành trong kỳ",
        [Column("STT", 11, "int"), Column("Nội dung nhiệm vụ", 60), Column("Văn bản giao", 30),
         Column("Thời hạn", 20, "date"), Column("Ngày hoàn thành", 20, "date"), Column("Kết quả", 24)],
        done, lambda f: (f.summary, f.directive_label, f.due_date, f.completed_on,
                         "Đúng hạn" if f.status(as_of) == TaskStatus.DONE_ON_TIME
                         else f"Quá hạn {f.days_overdue(as_of)} ngày"),
        "Không có nhiệm vụ hoàn thành trong kỳ.",
    )]
    yield Progress(3, 5, "Đang tổng hợp…")
    doc.blocks += [Heading("III. NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH"), _task_table(
        "Quá hạn",
        [Column("STT", 11, "int"), Column("Nội dung nhiệm vụ", 60), Column("Văn bản giao", 30),
         Column("Thời hạn", 20, "date"), Column("Số ngày quá hạn", 18, "int"), Column("Đơn vị phối hợp", 26)],
        overdue, lambda f: (f.summary, f.directive_label, f.due_date, f.days_overdue(as_of), coop.get(f.id, "")),
        "Không có nhiệm vụ quá hạn.",
    )]
    doc.blocks += [Heading("IV. NHIỆM VỤ ĐẾN HẠN TRONG KỲ TỚI"), _task_table(
        "Đến hạn kỳ tới",
        [Column("STT", 11, "int"), Column("Nội dung nhiệm vụ", 68), Column("Văn bản giao", 32),
         Column("Thời hạn", 20, "date"), Column("Tình trạng", 34)],
        upcoming, lambda f: (f.summary, f.directive_label, f.due_date, f.status(as_of).label),
        "Không có nhiệm vụ đến hạn trong kỳ tới.",
    )]
    new_table = Table("Văn bản mới nhận", [
        Column("STT", 11, "int"), Column("Số đến", 13, "int"), Column("Ngày đến", 20, "date"),
        Column("Cơ quan ban hành", 31), Column("Số, ký hiệu", 27), Column("Trích yếu", 47),
        Column("Số nhiệm vụ", 16, "int"),
    ], empty_text="Không có văn bản mới trong kỳ.")
    for i, (number, arrived, issuer, symbol, subject, did) in enumerate(directives, start=1):
        new_table.rows.append((i, number, arrived, issuer, symbol, subject, task_counts.get(did, 0)))
    doc.blocks += [Heading("V. VĂN BẢN CHỈ ĐẠO MỚI TIẾP NHẬN"), new_table]
    yield Progress(5, 5, "Đã tổng hợp xong.")
    return doc
