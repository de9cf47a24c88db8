"""Tổng hợp tiêu chí: the commune × criteria matrix of a year with bands, then one page per commune."""

from __future__ import annotations

from typing import Generator

from sqlalchemy.orm import Session

from ntm_desktop.errors import UserError
from ntm_desktop.reports.document import Column, Heading, Paragraph, ReportDocument, Table, TotalRow, vn_number
from ntm_desktop.reports.request import Progress, ReportRequest
from ntm_desktop.services.criteria.matrix import build_matrix
from ntm_desktop.services.criteria.statuses import NOT_ASSESSED_LABEL, STATUS_LABELS
from ntm_desktop.services.office import OfficeProfile

SHORT = {"dat": "Đ", "co_ban_dat": "CB", "chua_dat": "CĐ"}
WIDTH = 252  # A4 landscape between the decree's margins, mm
DETAIL_CAPTION = "Chi tiết từng xã"


def _matrix_columns(n: int) -> list[Column]:
    fixed = [Column("STT", 9, "int"), Column("Đơn vị", 34)]
    tail = [Column("Số tiêu chí đạt", 14, "int"), Column("Nhóm", 18), Column("Công nhận", 31)]
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
    doc.blocks.append(Paragraph(
        f"Năm {year} có {communes} đơn vị cấp xã được đánh giá theo {n} tiêu chí; bình quân đạt "
        f"{vn_number(matrix.average)} tiêu chí/xã; {recognised} xã đã có quyết định công nhận đạt chuẩn."
    ))
    bands = Table("Tổng hợp theo nhóm", [Column("Nhóm theo số tiêu chí đạt", 90), Column("Số xã", 30, "int"),
                                         Column("Tỷ lệ (%)", 30, "number", decimals=1)])
    for label, count in matrix.band_counts:
        bands.rows.append((label, count, round(100 * count / communes, 1)))
    bands.rows.append(TotalRow(("Tổng số", communes, 100.0)))
    doc.blocks += [Heading("I. TỔNG HỢP THEO SỐ TIÊU CHÍ ĐẠT"), bands]

    table = Table("Tổng hợp tiêu chí", _matrix_columns(n), font_size=10)
    for i, line in enumerate(matrix.communes, start=1):
        cells = [SHORT.get(s, "") if s else "" for s in line.statuses]
        decision = f"{line.recognition} ({line.recognition_decision})" if line.recognition else ""
        table.rows.append((i, line.name, *cells, line.met, line.band, decision))
    table.rows.append(TotalRow((None, "Số xã đạt", *matrix.met_per_criterion, None, None, None)))
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
        recognition = (f"đã được công nhận {line.recognition} theo Quyết định số {line.recognition_decision}"
                       if line.recognition else "chưa có quyết định công nhận đạt chuẩn")
        planned = f"; năm kế hoạch đạt chuẩn: {line.planned_year}" if line.planned_year else ""
        doc.blocks += [
            Heading(line.name.upper(), new_page=True),
            Paragraph(f"Đạt {line.result} tiêu chí (nhóm {line.band.lower()}); {recognition}{planned}."),
            detail,
        ]
    yield Progress(3, 3, "Đã tổng hợp xong.")
    return doc
