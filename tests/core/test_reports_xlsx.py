"""Excel reports read back with openpyxl: values, types, no formulas, print setup."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import openpyxl
from reports_helpers import make

from ntm_desktop.services import register, settings, tasklist
from ntm_desktop.services.directives import DirectiveInput, create_directive, next_arrival_number
from ntm_desktop.services.status import TaskStatus

YEAR_AGO = date.today() - timedelta(days=365)


def _cells(ws):
    return [c for row in ws.iter_rows() for c in row]


def test_register_xlsx_values_and_types(demo_workspace, tmp_path):
    out = make(demo_workspace, "register", "xlsx", tmp_path / "so.xlsx", start=YEAR_AGO, end=date.today())
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    header_row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Ngày đến")
    assert [ws.cell(header_row, c).value for c in range(1, 11)] == [
        "Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản",
        "Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú"]
    assert ws.cell(header_row + 1, 10).value == "(10)"
    data = [r for r in ws.iter_rows(min_row=header_row + 2, values_only=True) if r[1] is not None]
    with demo_workspace.db.transaction() as s:
        office_id = settings.office_unit_id(s)
        expected = register.page(s, register.RegisterFilter(office_unit_id=office_id, descending=False), 0, 1000)
    assert [r[1] for r in data] == [e.arrival_number for e in expected]
    for row, e in zip(data, expected):
        assert isinstance(row[0], datetime) and row[0].date() == e.arrival_date
        assert isinstance(row[1], int)
        assert row[2] == e.issuer_name
        assert e.subject in row[5]
    assert ws.freeze_panes == f"A{header_row + 2}"
    assert ws.print_title_rows == f"${header_row}:${header_row + 1}"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.cell(header_row + 2, 1).number_format == "DD/MM/YYYY"


def test_text_that_looks_like_a_formula_stays_text(demo_workspace, tmp_path):
    with demo_workspace.db.transaction() as s:
        office_id = settings.office_unit_id(s)
        year = date.today().year
        create_directive(s, office_id, DirectiveInput(
            arrival_date=date.today(), arrival_number=next_arrival_number(s, office_id, year),
            subject="=HYPERLINK(\"http://x\";\"Bấm\") kiểm tra", issuer_name="+Ủy ban", number_symbol="-12/UBND",
            notes="@ghi chú",
        ))
    out = make(demo_workspace, "register", "xlsx", tmp_path / "so.xlsx", start=YEAR_AGO, end=date.today())
    ws = openpyxl.load_workbook(out).worksheets[0]
    cells = _cells(ws)
    assert not [c for c in cells if c.data_type == "f"]
    subject = next(c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert subject.value == "=HYPERLINK(\"http://x\";\"Bấm\") kiểm tra"
    assert subject.data_type == "s"
    assert any(c.value == "+Ủy ban" and c.data_type == "s" for c in cells)
    assert any(c.value == "-12/UBND" for c in cells)


def test_weekly_xlsx_totals_are_numbers_that_add_up(demo_workspace, tmp_path):
    out = make(demo_workspace, "weekly", "xlsx", tmp_path / "tuan.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    assert ws["D1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert ws["D2"].font.u == "single" and ws["D2"].font.b
    header = next(r for r in range(1, 30) if ws.cell(r, 2).value == "Đơn vị chủ trì")
    rows = list(ws.iter_rows(min_row=header + 1, max_col=8, values_only=True))
    total = next(r for r in rows if r[1] == "Tổng cộng")
    units = [r for r in rows[: rows.index(total)]]
    assert units and all(isinstance(v, int) for r in units for v in r[2:])
    for col in range(2, 8):
        assert total[col] == sum(r[col] for r in units)
    with demo_workspace.db.transaction() as s:
        office_id = settings.office_unit_id(s)
        overdue = tasklist.count(s, tasklist.TaskFilter(office_unit_id=office_id,
                                                        status=TaskStatus.IN_PROGRESS_OVERDUE))
    assert total[5] == overdue
    assert [w.title for w in wb.worksheets][:2] == ["Tổng hợp theo đơn vị", "Hoàn thành trong kỳ"]
    overdue_sheet = wb["Quá hạn"]
    numbers = [r[4] for r in overdue_sheet.iter_rows(min_row=1, values_only=True) if isinstance(r[0], int)]
    assert len(numbers) == overdue and all(isinstance(n, int) and n > 0 for n in numbers)
    assert overdue_sheet.freeze_panes is not None


def test_unit_tasks_xlsx_lists_the_units_tasks(demo_workspace, tmp_path):
    with demo_workspace.db.transaction() as s:
        office_id = settings.office_unit_id(s)
        rows = tasklist.page(s, tasklist.TaskFilter(office_unit_id=office_id), 0, 1000)
    from ntm_desktop.models import Unit

    with demo_workspace.db.transaction() as s:
        unit = s.query(Unit).filter(Unit.code == "LC-SNNMT").one()
        expected = tasklist.count(s, tasklist.TaskFilter(office_unit_id=office_id, unit_id=unit.id))
        name = unit.name
    assert rows
    out = make(demo_workspace, "unit", "xlsx", tmp_path / "dv.xlsx", start=YEAR_AGO,
               end=date.today() + timedelta(days=365), unit_code="LC-SNNMT")
    ws = openpyxl.load_workbook(out).worksheets[0]
    values = [r for r in ws.iter_rows(values_only=True)]
    assert any(r[0] == f"Kính gửi: {name}" for r in values)
    numbered = [r for r in values if isinstance(r[0], int)]
    assert len(numbered) == expected > 0


def _register_rows(demo_workspace, tmp_path, subjects: list[str]):
    with demo_workspace.db.transaction() as s:
        office_id = settings.office_unit_id(s)
        for subject in subjects:
            create_directive(s, office_id, DirectiveInput(
                arrival_date=date.today(), arrival_number=next_arrival_number(s, office_id, date.today().year),
                subject=subject, issuer_name="Ủy ban nhân dân tỉnh Lào Cai", number_symbol="12/UBND-KT",
            ))
    out = make(demo_workspace, "register", "xlsx", tmp_path / "so.xlsx", start=YEAR_AGO, end=date.today())
    ws = openpyxl.load_workbook(out).worksheets[0]
    rows = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value in subjects:
                rows[cell.value] = (cell.row, ws.column_dimensions[cell.column_letter].width)
    return ws, rows


def test_rows_are_as_tall_as_their_wrapped_text(demo_workspace, tmp_path):
    sentence = "Triển khai thực hiện các tiêu chí xây dựng nông thôn mới nâng cao trên địa bàn tỉnh; "
    subjects = [sentence[:40].strip(), (sentence * 3).strip(), (sentence * 8).strip()]
    ws, rows = _register_rows(demo_workspace, tmp_path, subjects)
    heights = [ws.row_dimensions[rows[s][0]].height for s in subjects]
    assert all(h is not None for h in heights), "every row carries its height"
    assert heights[0] < heights[1] < heights[2]
    assert heights[0] <= 3 * 12 * 1.3  # a short subject: the two lines of its issuer's name, no more
    for subject, height in zip(subjects[1:], heights[1:]):
        width = rows[subject][1]
        at_least = len(subject) / (width * 1.6)  # a column unit holds well under 1.6 letters of Times 12 pt
        assert height >= at_least * 12, (len(subject), width, height)


def test_long_paragraphs_and_headers_get_their_lines_too(demo_workspace, tmp_path):
    out = make(demo_workspace, "weekly", "xlsx", tmp_path / "tuan.xlsx")
    ws = openpyxl.load_workbook(out).worksheets[0]
    intro = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "Cụ thể như sau" in c.value)
    assert ws.row_dimensions[intro.row].height >= 2 * 12  # a merged paragraph of several lines
    header = next(r for r in range(1, 30) if ws.cell(r, 2).value == "Đơn vị chủ trì")
    assert ws.row_dimensions[header].height >= 3 * 12  # "Đang thực hiện trong hạn" wraps in its column


def test_sheets_print_on_a4_at_the_width_of_the_page(demo_workspace, tmp_path):
    weekly = openpyxl.load_workbook(make(demo_workspace, "weekly", "xlsx", tmp_path / "tuan.xlsx"))
    register_wb = openpyxl.load_workbook(make(demo_workspace, "register", "xlsx", tmp_path / "so.xlsx",
                                              start=YEAR_AGO, end=date.today()))
    assert weekly.worksheets[0].page_setup.orientation == "portrait"  # as the printed report
    assert register_wb.worksheets[0].page_setup.orientation == "landscape"  # the register's ten columns
    for ws in [*weekly.worksheets, *register_wb.worksheets]:
        assert int(ws.page_setup.paperSize) == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)  # as many pages down as needed
        assert ws.print_title_rows  # the column titles repeat on every page
        assert round(ws.page_margins.left * 25.4) == 30 and round(ws.page_margins.right * 25.4) == 15
        assert round(ws.page_margins.top * 25.4) == 20 and round(ws.page_margins.bottom * 25.4) == 20
