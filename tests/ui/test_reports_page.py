"""The Reports page and the office settings dialog, offscreen."""

from __future__ import annotations

from datetime import date, timedelta

import openpyxl
import pypdf
from PySide6.QtWidgets import QDialog

from ntm_desktop.reports.request import ReportFormat, ReportKind
from ntm_desktop.services.dates import week_bounds
from ntm_desktop.services.office import load_profile
from ntm_desktop.ui.office_settings import OfficeSettingsDialog
from ntm_desktop.ui.reports_page import ReportsPage, period_bounds


def _choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def _wait_idle(qtbot, page) -> None:
    qtbot.waitUntil(lambda: page.job is None, timeout=60_000)


def test_period_choices():
    today = date(2026, 1, 7)
    assert period_bounds("this_week", today) == (date(2026, 1, 5), date(2026, 1, 11))
    assert period_bounds("last_week", today) == (date(2025, 12, 29), date(2026, 1, 4))
    assert period_bounds("last_month", today) == (date(2025, 12, 1), date(2025, 12, 31))
    assert period_bounds("custom", today) is None


def test_preview_and_save_weekly_pdf(qtbot, demo_workspace, tmp_path):
    page = ReportsPage(demo_workspace)
    qtbot.addWidget(page)
    page.resize(1000, 760)
    page.show()
    assert (page.start.value(), page.end.value()) == week_bounds(date.today())
    assert not page.start.isEnabled()
    page.show_preview()
    _wait_idle(qtbot, page)
    text = page.preview.toPlainText()
    assert "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    page.grab().save(str(tmp_path / "reports_page.png"))
    out = tmp_path / "tuan.pdf"
    page.number.setText("15")
    page.save_report(out)
    _wait_idle(qtbot, page)
    assert out.exists() and page.folder_button.isEnabled()
    assert "Số: 15/BC-VPĐP" in pypdf.PdfReader(out).pages[0].extract_text()
    assert str(out) in page.status.text()


def test_register_as_excel_for_a_custom_range(qtbot, demo_workspace, tmp_path):
    page = ReportsPage(demo_workspace)
    qtbot.addWidget(page)
    _choose(page.kind, ReportKind.REGISTER.value)
    _choose(page.period, "custom")
    assert page.start.isEnabled()
    page.start.set_date(date.today() - timedelta(days=365))
    page.end.set_date(date.today())
    page.xlsx_choice.setChecked(True)
    assert page.selected_format() == ReportFormat.XLSX
    out = tmp_path / "so"
    page.save_report(out)
    _wait_idle(qtbot, page)
    saved = tmp_path / "so.xlsx"
    ws = openpyxl.load_workbook(saved).worksheets[0]
    assert any(row[0] == "Ngày đến" for row in ws.iter_rows(values_only=True))


def test_bad_range_and_missing_unit_are_refused(qtbot, demo_workspace, tmp_path, messages):
    page = ReportsPage(demo_workspace)
    qtbot.addWidget(page)
    _choose(page.period, "custom")
    page.start.set_date(date(2026, 3, 12))
    page.end.set_date(date(2026, 3, 11))
    page.save_report(tmp_path / "x.pdf")
    assert page.job is None
    assert "sau ngày kết thúc" in messages[-1]
    _choose(page.kind, ReportKind.UNIT.value)
    assert page.unit.isEnabled()
    page.start.set_date(date(2026, 1, 1))
    page.unit.set_unit_id(None)
    page.save_report(tmp_path / "x.pdf")
    assert "Hãy chọn đơn vị" in messages[-1]
    assert not list(tmp_path.glob("*.pdf"))


def test_criteria_without_data_shows_a_message(qtbot, demo_workspace, tmp_path, messages):
    page = ReportsPage(demo_workspace)
    qtbot.addWidget(page)
    _choose(page.kind, ReportKind.CRITERIA.value)
    page.save_report(tmp_path / "tc.pdf")
    _wait_idle(qtbot, page)
    if (tmp_path / "tc.pdf").exists():  # the criteria summary exists and produced a file
        return
    assert "tiêu chí" in messages[-1]


def test_office_settings_dialog_saves_and_refuses_bad_input(qtbot, demo_workspace, tmp_path, messages):
    dialog = OfficeSettingsDialog(demo_workspace)
    qtbot.addWidget(dialog)
    assert dialog.fields["office_name"].text() == "Văn phòng Điều phối nông thôn mới tỉnh Lào Cai"
    dialog.show()
    dialog.grab().save(str(tmp_path / "office_settings.png"))
    dialog.fields["office_name"].setText("")
    dialog.save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "tên cơ quan" in messages[-1]
    dialog.fields["office_name"].setText("Văn phòng Điều phối nông thôn mới tỉnh Lào Cai")
    dialog.fields["signer_name"].setText("Trần Thị Hoa")
    dialog.recipients.setPlainText("Ban Chỉ đạo tỉnh (để b/c)\n\nCác xã, phường")
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    with demo_workspace.db.transaction() as s:
        profile = load_profile(s)
    assert profile.signer_name == "Trần Thị Hoa"
    assert profile.recipients == ("Ban Chỉ đạo tỉnh (để b/c)", "Các xã, phường")


def test_a_running_job_can_be_cancelled(qtbot):
    from itertools import count

    from ntm_desktop.reports.request import Progress
    from ntm_desktop.ui.reports_page import ReportJob

    def endless(_is_cancelled):
        for i in count():
            yield Progress(i, 0, "…")

    job = ReportJob(endless)
    steps = []
    job.progressed.connect(lambda done, total, message: steps.append(done))
    with qtbot.waitSignal(job.cancelled, timeout=10_000):
        job.start()
        qtbot.waitUntil(lambda: len(steps) > 3, timeout=10_000)
        job.cancel()
    job.wait()
    assert steps


def _painted(page, qtbot, kind: ReportKind, out):
    from PySide6.QtPrintSupport import QPrinter

    _choose(page.kind, kind.value)
    _choose(page.period, "custom")
    page.start.set_date(date.today() - timedelta(days=365))
    page.end.set_date(date.today())
    page.show_preview()
    _wait_idle(qtbot, page)
    doc = page.document
    printer = page._printer(doc)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    page._paint(printer, doc)
    return doc, pypdf.PdfReader(out)


def _fonts(reader) -> set[str]:
    names = set()
    for pdf_page in reader.pages:
        for font in pdf_page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_print_preview_paints_the_report(qtbot, demo_workspace, tmp_path):
    page = ReportsPage(demo_workspace)
    qtbot.addWidget(page)
    doc, reader = _painted(page, qtbot, ReportKind.FOLLOWUP, tmp_path / "in.pdf")
    assert doc.landscape
    assert page._printer(doc).pageLayout().orientation().name == "Landscape"
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN" in text


def test_printing_uses_the_bundled_font_whatever_the_system_has(qtbot, demo_workspace, tmp_path):
    from PySide6.QtGui import QFont, QFontInfo

    from ntm_desktop.ui.fonts import register_report_fonts

    family = register_report_fonts()
    assert family == "Liberation Serif"
    assert QFontInfo(QFont(family, 13)).family() == family  # Qt has the face itself, not a substitute
    page = ReportsPage(demo_workspace)
    qtbot.addWidget(page)
    _doc, reader = _painted(page, qtbot, ReportKind.WEEKLY, tmp_path / "tuan.pdf")
    fonts = _fonts(reader)
    assert fonts and all("LiberationSerif" in name for name in fonts), fonts  # no fallback font mixed in
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert "Tổng số" in pages[0] and "Đơn vị chủ trì" in pages[0]  # headings not broken inside a word
    mm = 72 / 25.4
    assert "31/12/202 6" not in " ".join(pages) and "31/12/2026" in " ".join(pages)  # dates on one line
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    centre = 30 * mm + (width - 45 * mm) / 2

    def page_number(pdf_page) -> list[str]:  # digits centred in the top margin
        return [t.strip() for t, x, y in _runs(pdf_page)
                if t.strip().isdigit() and y > height - 20 * mm and abs(x + 3 * len(t.strip()) - centre) < 8]

    numbers = [page_number(p) for p in reader.pages]
    assert numbers[0] == [] and numbers[1:] == [[str(n)] for n in range(2, len(pages) + 1)]
    left = min(x for _text, x, _y in _runs(reader.pages[0]))
    assert abs(left - 30 * mm) < 3  # the decree's 30 mm on the left, nothing added by Qt


def _runs(pdf_page):
    runs = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():  # the run's origin through the text matrix, then the page's
            x, y = tm[4], tm[5]
            runs.append((text, cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5]))

    pdf_page.extract_text(visitor_text=visit)
    return runs
