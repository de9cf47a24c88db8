"""Tổng hợp tiêu chí: the commune × criteria matrix of a year with bands, then one page per commune.

Everything that depends on the period comes from the set in force that year: its criteria (19 for
2021-2025, 10 for 2026-2030), its summary bands, its legal basis, the commune groups when targets
vary by group, and what its data does not hold yet (said in a note, never filled in).
"""

from __future__ import annotations

from typing import Generator

from sqlalchemy.orm import Session

from ntm_desktop.errors import UserError
from ntm_desktop.reports.document import Column, Heading, Paragraph, ReportDocument, Table, TotalRow, vn_number
from ntm_desktop.reports.request import Progress, ReportRequest
from ntm_desktop.models import CriteriaSet
from ntm_desktop.services.criteria import periods
from ntm_desktop.services.criteria.matrix import Matrix, build_matrix
from ntm_desktop.services.criteria.statuses import NOT_ASSESSED_LABEL, STATUS_LABELS
from ntm_desktop.services.office import OfficeProfile

SHORT = {"dat": "Đ", "co_ban_dat": "CB", "chua_dat": "CĐ"}
WIDTH = 252  # A4 landscape between the decree's margins, mm
DETAIL_CAPTION = "Chi tiết từng xã"
SHORT_KEY = 12  # a commune group such as "Nhóm 1" fits a column; a region's name does not


def _shows_key(matrix: Matrix) -> bool:
    """A column for the commune's group when the keys are short (2026-2030: "Nhóm 1"...)."""
    keys = [line.target_key for line in matrix.communes if line.target_key]
    return bool(keys) and max(len(k) for k in keys) <= SHORT_KEY


def _matrix_columns(n: int, key_title: str | None) -> list[Column]:
    fixed = [Column("STT", 9, "int"), Column("Đơn vị", 34)]
    key = [Column(key_title, 16)] if key_title else []
    tail = [Column("Số tiêu chí đạt", 14, "int"), Column("Nhóm theo số TC đạt", 18), *key, Column("Công nhận", 31)]
    left = WIDTH - sum(c.width_mm for c in fixed + tail)
    each = max(7.0, left / max(n, 1))
    return [*fixed, *[Column(str(i), each, "int", excel_width=5) for i in range(1, n + 1)], *tail]


def build_criteria_summary(session: Session, req: ReportRequest, office_id: str,
                           profile: OfficeProfile) -> Generator[Progress, None, ReportDocument]:
    year = req.year or req.end.year
    yield Progress(0, 3, f"Đang đọc kết quả tiêu chí năm {year}…")
    matrix = build_matrix(session, year)
    if not matrix.communes:
        raise UserError(f"Chưa có dữ liệu tiêu chí năm {year}: chưa xã nào được đánh giá. "
                        "Hãy nhập kết quả đánh giá ở trang Tiêu chí trước khi lập báo cáo.")
    n = matrix.total_criteria
    yield Progress(1, 3, "Đang tổng hợp…")
    doc = ReportDocument(
        kind="criteria", title=f"Báo cáo tổng hợp kết quả thực hiện Bộ tiêu chí nông thôn mới năm {year}",
        subtitle=f"({matrix.set_name})" if matrix.set_name else "", profile=profile,
        issue_date=req.issue_date, number=req.number, landscape=True,
    )
    communes = len(matrix.communes)
    recognised = sum(1 for line in matrix.communes if line.recognition)
    basis = f" ({matrix.legal_basis})" if matrix.legal_basis else ""
    doc.blocks.append(Paragraph(
        f"Năm {year} có {communes} đơn vị cấp xã được đánh giá theo {n} tiêu chí của {matrix.set_name}{basis}; "
        f"bình quân đạt {vn_number(matrix.average)} tiêu chí/xã; {recognised} xã đã có quyết định công nhận "
        "đạt chuẩn."
    ))
    criteria_set = session.get(CriteriaSet, matrix.set_id) if matrix.set_id else None
    notes = periods.set_notes(session, criteria_set) if criteria_set is not None else []
    bands = Table("Tổng hợp theo nhóm", [Column("Nhóm theo số tiêu chí đạt", 90), Column("Số xã", 30, "int"),
                                         Column("Tỷ lệ (%)", 30, "number", decimals=1)])
    for label, count in matrix.band_counts:
        bands.rows.append((label, count, round(100 * count / communes, 1)))
    bands.rows.append(TotalRow(("Tổng số", communes, 100.0)))
    doc.blocks += [Heading("I. TỔNG HỢP THEO SỐ TIÊU CHÍ ĐẠT"), bands]
    if notes:
        doc.blocks.append(Paragraph("Lưu ý: " + " ".join(notes), italic=True))

    key_title = matrix.target_label if _shows_key(matrix) else None
    table = Table("Tổng hợp tiêu chí", _matrix_columns(n, key_title), font_size=10)
    for i, line in enumerate(matrix.communes, start=1):
        cells = [SHORT.get(s, "") if s else "" for s in line.statuses]
        decision = f"{line.recognition} ({line.recognition_decision})" if line.recognition else ""
        key = [line.target_key] if key_title else []
        table.rows.append((i, line.name, *cells, line.met, line.band, *key, decision))
    table.rows.append(TotalRow((None, "Số xã đạt", *matrix.met_per_criterion, None, None,
                                *([None] if key_title else []), None)))
    legend = "; ".join(f"{i}. {name}" for i, (_code, name) in enumerate(matrix.criteria, start=1))
    doc.blocks += [
        Heading("II. KẾT QUẢ TỪNG TIÊU CHÍ CỦA CÁC XÃ"), table,
        Paragraph(f"Ghi chú: Đ - Đạt; CB - Cơ bản đạt; CĐ - Chưa đạt; để trống - chưa đánh giá. "
                  f"Các tiêu chí: {legend}.", italic=True),
    ]
    yield Progress(2, 3, "Đang lập trang từng xã…")
    doc.blocks.append(Heading("III. KẾT QUẢ CỦA TỪNG XÃ"))
    for line in matrix.communes:
        detail = Table(DETAIL_CAPTION, [Column("STT", 12, "int"), Column("Tiêu chí", 150), Column("Kết quả", 40)])
        for i, ((_code, name), status) in enumerate(zip(matrix.criteria, line.statuses), start=1):
            detail.rows.append((i, name, STATUS_LABELS.get(status, NOT_ASSESSED_LABEL) if status else NOT_ASSESSED_LABEL))
        under = f" ({line.recognition_set})" if line.recognition_set else ""
        recognition = (f"đã được công nhận {line.recognition} theo Quyết định số {line.recognition_decision}{under}"
                       if line.recognition else "chưa có quyết định công nhận đạt chuẩn")
        planned = f"; năm kế hoạch đạt chuẩn: {line.planned_year}" if line.planned_year else ""
        group = f"; {matrix.target_label.lower()}: {line.target_key}" if key_title and line.target_key else ""
        doc.blocks += [
            Heading(line.name.upper(), new_page=True),
            Paragraph(f"Đạt {line.result} tiêu chí (nhóm {line.band.lower()}){group}; {recognition}{planned}."),
            detail,
        ]
    yield Progress(3, 3, "Đã tổng hợp xong.")
    return doc
