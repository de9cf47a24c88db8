"""Sổ đăng ký văn bản đến: the decree's 10 columns, landscape, with the register's cover page."""

from __future__ import annotations

from typing import Generator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ntm_desktop.models import Directive
from ntm_desktop.models.directives import DOC_TYPES
from ntm_desktop.reports.document import Column, Cover, ReportDocument, Table, period_text
from ntm_desktop.reports.request import Progress, ReportRequest
from ntm_desktop.services.office import OfficeProfile

COLUMNS = [
    Column("Ngày đến", 21, "date"), Column("Số đến", 13, "int"), Column("Tác giả", 35),
    Column("Số, ký hiệu văn bản", 28, "text"), Column("Ngày tháng văn bản", 21, "date"),
    Column("Tên loại và trích yếu nội dung", 62), Column("Đơn vị hoặc người nhận", 28),
    Column("Ngày chuyển", 21, "date"), Column("Ký nhận", 13), Column("Ghi chú", 10),
]
CHUNK = 1000


def directive_conditions(req: ReportRequest, office_id: str) -> list:
    """An arrival-number range within a year, or else the date range."""
    conditions = [Directive.office_unit_id == office_id, Directive.deleted.is_(False)]
    if req.from_number is not None or req.to_number is not None:
        conditions.append(Directive.arrival_year == (req.year or req.start.year))
        if req.from_number is not None:
            conditions.append(Directive.arrival_number >= req.from_number)
        if req.to_number is not None:
            conditions.append(Directive.arrival_number <= req.to_number)
    else:
        conditions.append(Directive.arrival_date.between(req.start, req.end))
        if req.year:
            conditions.append(Directive.arrival_year == req.year)
    return conditions


def type_and_subject(doc_type: str, subject: str) -> str:
    name = DOC_TYPES.get(doc_type, "")
    return f"{name} {subject}".strip() if name and doc_type != "CV" else subject


def cover_lines(req: ReportRequest, first, last) -> tuple[str, ...]:
    if req.year:
        year = str(req.year)
    elif first and last and first.arrival_date.year != last.arrival_date.year:
        year = f"{first.arrival_date.year} - {last.arrival_date.year}"
    else:
        year = str(first.arrival_date.year if first else req.start.year)
    lines = [f"Năm: {year}"]
    if req.from_number is None and req.to_number is None:
        lines.append(period_text(req.start, req.end))
    if first:
        lines.append(f"Từ số: {first.arrival_number}  đến số: {last.arrival_number}")
    lines.append("Quyển số: ……")
    return tuple(lines)


def build_incoming_register(session: Session, req: ReportRequest, office_id: str,
                            profile: OfficeProfile) -> Generator[Progress, None, ReportDocument]:
    conditions = directive_conditions(req, office_id)
    total = session.scalar(select(func.count()).select_from(Directive).where(*conditions)) or 0
    yield Progress(0, total, f"Đang đọc {total} văn bản…")
    table = Table("Sổ đăng ký văn bản đến", COLUMNS, numbered_header=True,
                  empty_text="Không có văn bản đến trong khoảng đã chọn.")
    query = (
        select(Directive.arrival_date, Directive.arrival_number, Directive.issuer_name, Directive.number_symbol,
               Directive.doc_date, Directive.doc_type, Directive.subject, Directive.recipients,
               Directive.transfer_date, Directive.notes, Directive.urgency)
        .where(*conditions).order_by(Directive.arrival_year, Directive.arrival_number)
    )
    rows = []
    for row in session.execute(query).yield_per(CHUNK):
        notes = row.notes
        if row.urgency:
            urgency = {"khan": "Khẩn", "thuong_khan": "Thượng khẩn", "hoa_toc": "Hỏa tốc"}.get(row.urgency, "")
            notes = f"{urgency}. {notes}".strip(". ") if urgency else notes
        rows.append(row)
        table.rows.append((
            row.arrival_date, row.arrival_number, row.issuer_name, row.number_symbol, row.doc_date,
            type_and_subject(row.doc_type, row.subject), row.recipients, row.transfer_date, "", notes,
        ))
        if len(rows) % CHUNK == 0:
            yield Progress(len(rows), total, f"Đã đọc {len(rows)}/{total} văn bản…")
    first, last = (rows[0], rows[-1]) if rows else (None, None)
    doc = ReportDocument(
        kind="register", title="Sổ đăng ký văn bản đến", subtitle=period_text(req.start, req.end),
        profile=profile, issue_date=req.issue_date, landscape=True, official_header=False, signature=False,
        cover=Cover("Sổ đăng ký văn bản đến", cover_lines(req, first, last)), blocks=[table],
    )
    if req.from_number is not None or req.to_number is not None:
        doc.subtitle = f"Năm {req.year or req.start.year}, " + (
            f"từ số {req.from_number or 1} đến số {req.to_number or (last.arrival_number if last else '')}")
    yield Progress(total, total, "Đã đọc xong sổ.")
    return doc
