"""Printed pages: the follow-up register fills its pages, the signature stays with the last lines."""

from __future__ import annotations

from datetime import date, timedelta

import pypdf
import pytest
from core_factories import make_directive, make_office, make_task, make_unit
from reports_helpers import MM, make, pdf_text, text_positions, this_week

from ntm_desktop.reports.document import HANDWRITTEN_NAME, Column, Paragraph, ReportDocument, Table
from ntm_desktop.reports.pdf_layout import render_pdf
from ntm_desktop.services.deadlines import DeadlineKind
from ntm_desktop.services.office import OfficeProfile, load_profile, save_profile

SUMMARIES = [
    "Rà soát, đánh giá thực trạng các tiêu chí nông thôn mới của từng xã, xác định tiêu chí chưa đạt, "
    "đề xuất giải pháp và lộ trình hoàn thành trong năm, báo cáo Ủy ban nhân dân tỉnh trước ngày 30 hằng tháng",
    "Chủ trì, phối hợp với các sở, ngành hướng dẫn các xã hoàn thiện hồ sơ đề nghị xét, công nhận xã đạt "
    "chuẩn nông thôn mới nâng cao, bảo đảm đúng quy trình, thủ tục theo quy định hiện hành",
    "Tham mưu phân bổ vốn ngân sách trung ương và ngân sách địa phương thực hiện Chương trình, ưu tiên các "
    "xã đăng ký đạt chuẩn trong năm; kiểm tra, giám sát việc giải ngân của các chủ đầu tư",
]
YEAR = 2025


def _registered(workspace, directives: int, tasks_each: int) -> None:
    with workspace.db.transaction() as s:
        office = make_office(s)
        leads = [make_unit(s, name, level="so") for name in ("Sở Nông nghiệp và Môi trường", "Sở Tài chính")]
        for d in range(directives):
            directive = make_directive(s, office, date(YEAR, 3, 1 + d), number_symbol=f"{100 + d}/UBND-KT",
                                       doc_date=date(YEAR, 2, 20 + d % 8))
            for t in range(tasks_each):
                make_task(s, directive, leads[t % 2], summary=SUMMARIES[(d + t) % 3],
                          deadline_kind=DeadlineKind.DATE, deadline_date=date(YEAR, 12, 31))


def _followup(workspace, tmp_path):
    return make(workspace, "followup", "pdf", tmp_path / "theodoi.pdf", start=date(YEAR, 1, 1),
                end=date(YEAR, 12, 31))


@pytest.mark.parametrize(("directives", "tasks_each", "most_pages"), [(9, 1, 3), (9, 4, 9)])
def test_followup_register_pages_follow_the_number_of_tasks(workspace, tmp_path, directives, tasks_each,
                                                            most_pages):
    _registered(workspace, directives, tasks_each)
    out = _followup(workspace, tmp_path)
    pages = pdf_text(out)
    assert sum(page.count("Chủ trì:") for page in pages) == directives * tasks_each
    assert len(pages) <= most_pages  # the cover page included


def test_followup_register_fills_each_page_before_the_next(workspace, tmp_path):
    _registered(workspace, 9, 4)
    out = _followup(workspace, tmp_path)
    count = len(pypdf.PdfReader(out).pages)
    assert count >= 4
    bottom_margin = 20 * MM
    for index in range(1, count - 1):  # after the cover, before the last page
        lowest = min(y for _text, _x, y in text_positions(out, index))
        assert lowest < bottom_margin + 15 * MM, f"page {index + 1} ends {(lowest - bottom_margin) / MM:.0f} mm high"


def _listing(rows: int, profile: OfficeProfile) -> ReportDocument:
    table = Table("Danh mục", [Column("STT", 15, "int"), Column("Nội dung", 150)])
    table.rows += [(i, f"Nhiệm vụ số {i}: kiểm tra tiến độ xây dựng nông thôn mới") for i in range(1, rows + 1)]
    return ReportDocument(kind="weekly", title="Báo cáo", subtitle="", profile=profile,
                          issue_date=date(2026, 1, 5), blocks=[Paragraph("Tình hình như sau:"), table])


PROFILE = OfficeProfile(office_name="Văn phòng Điều phối nông thôn mới tỉnh Lào Cai", parent_name="UBND tỉnh Lào Cai",
                        place_name="Lào Cai", signing_form="KT. CHÁNH VĂN PHÒNG",
                        signer_title="PHÓ CHÁNH VĂN PHÒNG", signer_name="Nguyễn Thị Minh Hòa")


def test_the_signature_is_printed_with_the_last_rows_whatever_the_length(tmp_path):
    for rows in range(20, 90, 3):  # the table ends at every height of a page in turn
        out = tmp_path / f"bc{rows}.pdf"
        render_pdf(_listing(rows, PROFILE), out)
        pages = pdf_text(out)
        signed = [i for i, page in enumerate(pages) if "PHÓ CHÁNH VĂN PHÒNG" in page]
        assert len(signed) == 1, rows
        page = pages[signed[0]]
        assert "KT. CHÁNH VĂN PHÒNG" in page and "Nguyễn Thị Minh Hòa" in page, rows
        assert f"Nhiệm vụ số {rows}:" in page, f"{rows} rows: the signature is alone on page {signed[0] + 1}"
        assert signed[0] == len(pages) - 1


def test_without_a_signer_name_a_line_is_left_to_write_it(tmp_path):
    out = tmp_path / "bc.pdf"
    render_pdf(_listing(30, OfficeProfile(**{**PROFILE.__dict__, "signer_name": ""})), out)
    last = pdf_text(out)[-1]
    assert "PHÓ CHÁNH VĂN PHÒNG" in last and HANDWRITTEN_NAME in last
    title_y = next(y for text, _x, y in text_positions(out, len(pdf_text(out)) - 1) if "PHÓ CHÁNH" in text)
    line_y = next(y for text, _x, y in text_positions(out, len(pdf_text(out)) - 1) if HANDWRITTEN_NAME in text)
    assert 20 * MM < title_y - line_y < 40 * MM  # room for the signature between title and name


def test_weekly_report_signed_by_the_named_officer(demo_workspace, tmp_path):
    with demo_workspace.db.transaction() as s:
        save_profile(s, OfficeProfile(**{**load_profile(s).__dict__, "signer_name": "Trần Văn Bình"}))
    for start, end in (this_week(), (date.today() - timedelta(days=365), date.today())):
        pages = pdf_text(make(demo_workspace, "weekly", "pdf", tmp_path / "tuan.pdf", start=start, end=end))
        last = pages[-1]
        assert "Trần Văn Bình" in last and "PHÓ CHÁNH VĂN PHÒNG" in last and "Nơi nhận:" in last
        assert "Trần Văn Bình" not in " ".join(pages[:-1])
        assert "STT" in last  # a part of the table is printed above the signature
