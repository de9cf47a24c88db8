"""The Reports page: choose report, period, unit and format; preview, print, save, open the folder.

Reports are built off the GUI thread by the core generators (ntm_desktop.reports),
with a progress dialog that can cancel. The preview and printing use Qt's text
engine on the same content; the saved PDF is the document of record.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QProgressDialog,
    QPushButton, QRadioButton, QTextBrowser, QVBoxLayout, QWidget,
)

from ntm_desktop.errors import UserError
from ntm_desktop.reports.request import ReportCancelled, ReportFormat, ReportKind, ReportRequest
from ntm_desktop.services.dates import month_bounds, week_bounds
from ntm_desktop.ui.common import DateEdit, UnitCombo, show_error
from ntm_desktop.services.shared import UNITS
from ntm_desktop.ui.data_events import data_events

log = logging.getLogger(__name__)

PERIODS = ("this_week", "last_week", "this_month", "last_month", "custom")


def period_bounds(period: str, today: date) -> tuple[date, date] | None:
    if period == "this_week":
        return week_bounds(today)
    if period == "last_week":
        return week_bounds(today - timedelta(days=7))
    if period == "this_month":
        return month_bounds(today)
    if period == "last_month":
        return month_bounds(today.replace(day=1) - timedelta(days=1))
    return None


class ReportJob(QThread):
    """Runs a report generator in a thread; the GUI sees only signals."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, work, parent=None):
        super().__init__(parent)
        self._work = work  # work(is_cancelled) -> generator of Progress returning a result
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def is_cancelled(self) -> bool:
        return self._cancel

    def run(self) -> None:
        try:
            gen = self._work(self.is_cancelled)
            try:
                while True:
                    if self._cancel:
                        gen.close()
                        raise ReportCancelled()
                    step = next(gen)
                    self.progressed.emit(step.done, step.total, step.message)
            except StopIteration as stop:
                self.succeeded.emit(stop.value)
        except ReportCancelled:
            self.cancelled.emit()
        except UserError as error:
            self.failed.emit(str(error))
        except Exception as error:  # noqa: BLE001 - shown to the user, logged in full
            log.exception("report failed")
            self.failed.emit(QCoreApplication.translate(
                "ReportJob", "Không lập được báo cáo do lỗi không mong đợi: {0}").format(error))


class ReportsPage(QWidget):
    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.job: ReportJob | None = None
        self.last_saved: Path | None = None
        self.document = None
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in ReportKind:
            self.kind.addItem(kind.label, kind.value)
        self.period = QComboBox()
        self.period.setObjectName("period")
        for key, label in zip(PERIODS, (self.tr("Tuần này"), self.tr("Tuần trước"), self.tr("Tháng này"),
                                        self.tr("Tháng trước"), self.tr("Khoảng tùy chọn"))):
            self.period.addItem(label, key)
        self.start, self.end = DateEdit(), DateEdit()
        self.unit = UnitCombo([], allow_empty=True)
        self.unit.setObjectName("unit")
        self.number = QLineEdit()
        self.number.setPlaceholderText(self.tr("để trống nếu là bản nháp"))
        self.pdf_choice, self.xlsx_choice = QRadioButton("PDF"), QRadioButton("Excel (XLSX)")
        self.pdf_choice.setChecked(True)
        formats = QButtonGroup(self)
        formats.addButton(self.pdf_choice)
        formats.addButton(self.xlsx_choice)

        form = QFormLayout()
        form.addRow(self.tr("Báo cáo"), self.kind)
        form.addRow(self.tr("Kỳ báo cáo"), self.period)
        dates = QHBoxLayout()
        dates.addWidget(QLabel(self.tr("Từ ngày")))
        dates.addWidget(self.start)
        dates.addWidget(QLabel(self.tr("đến ngày")))
        dates.addWidget(self.end)
        dates.addStretch()
        form.addRow("", dates)
        form.addRow(self.tr("Đơn vị"), self.unit)
        form.addRow(self.tr("Số báo cáo"), self.number)
        format_row = QHBoxLayout()
        format_row.addWidget(self.pdf_choice)
        format_row.addWidget(self.xlsx_choice)
        format_row.addStretch()
        form.addRow(self.tr("Định dạng"), format_row)

        self.preview_button = QPushButton(self.tr("Xem trước"))
        self.print_button = QPushButton(self.tr("In…"))
        self.save_button = QPushButton(self.tr("Lưu tệp…"))
        self.folder_button = QPushButton(self.tr("Mở thư mục"))
        self.office_button = QPushButton(self.tr("Thông tin cơ quan…"))
        self.folder_button.setEnabled(False)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.print_button, self.save_button, self.folder_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.office_button)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.preview = QTextBrowser()
        self.preview.setObjectName("preview")
        self.preview.setPlaceholderText(self.tr("Bấm “Xem trước” để xem báo cáo tại đây."))

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.preview, 1)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.preview_button.clicked.connect(self.show_preview)
        self.print_button.clicked.connect(self.print_report)
        self.save_button.clicked.connect(self.save_report)
        self.folder_button.clicked.connect(self.open_folder)
        self.office_button.clicked.connect(self.edit_office)
        self._period_changed()
        self._kind_changed()
        self.refresh()
        data_events(workspace).shared_changed.connect(self._shared_changed, Qt.ConnectionType.QueuedConnection)

    # --- choices -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """The unit list, from the workspace's shared copy (set again only when it changed)."""
        rows = self.workspace.units()
        if rows is getattr(self, "_unit_rows", None):
            return
        self._unit_rows = rows
        current = self.unit.unit_id()
        self.unit.set_units(rows, allow_empty=True)
        self.unit.set_unit_id(current)
        self._unit_codes = {r.id: r.code for r in rows}

    def _shared_changed(self, kinds) -> None:
        if UNITS in kinds:
            self.refresh()

    def _kind_changed(self) -> None:
        self.unit.setEnabled(self.selected_kind() == ReportKind.UNIT)

    def _period_changed(self) -> None:
        bounds = period_bounds(self.period.currentData(), date.today())
        custom = bounds is None
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)
        if bounds:
            self.start.set_date(bounds[0])
            self.end.set_date(bounds[1])

    def selected_kind(self) -> ReportKind:
        return ReportKind(self.kind.currentData())

    def selected_format(self) -> ReportFormat:
        return ReportFormat.PDF if self.pdf_choice.isChecked() else ReportFormat.XLSX

    def request(self) -> ReportRequest:
        """The request from the form; raises a ValidationError with a Vietnamese message."""
        kind = self.selected_kind()
        unit_code = ""
        if kind == ReportKind.UNIT:
            unit_id = self.unit.unit_id()
            unit_code = self._unit_codes.get(unit_id, "") if unit_id else ""
        return ReportRequest(kind=kind, start=self.start.value(), end=self.end.value(), unit_code=unit_code,
                             number=self.number.text().strip())

    def suggested_name(self, fmt: ReportFormat) -> str:
        req = self.request()
        stem = {"weekly": "BaoCao", "register": "SoDangKyVanBanDen", "followup": "SoTheoDoiGiaiQuyet",
                "criteria": "TongHopTieuChi", "unit": "NhiemVuDonVi"}[req.kind.value]
        return f"{stem}_{req.start:%Y%m%d}-{req.end:%Y%m%d}.{fmt.value}"

    # --- running a job -----------------------------------------------------------------------------

    def _run(self, work, on_success, title: str) -> None:
        if self.job is not None:
            return
        progress = QProgressDialog(title, self.tr("Hủy"), 0, 0, self)
        progress.setWindowTitle(self.tr("Đang lập báo cáo"))
        progress.setMinimumDuration(600)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        job = ReportJob(work, self)
        self.job = job

        def on_progress(done: int, total: int, message: str) -> None:
            progress.setMaximum(max(total, 0))
            progress.setValue(min(done, total))
            progress.setLabelText(message)

        def finish() -> None:
            progress.close()
            self.job = None
            self._set_busy(False)

        def on_failed(message: str) -> None:
            finish()
            self.status.setText(message)
            show_error(self, UserError(message), self.tr("Không lập được báo cáo"))

        def on_cancelled() -> None:
            finish()
            self.status.setText(self.tr("Đã hủy lập báo cáo; không có tệp nào được ghi."))

        def on_succeeded(result) -> None:
            finish()
            on_success(result)

        job.progressed.connect(on_progress)
        job.failed.connect(on_failed)
        job.cancelled.connect(on_cancelled)
        job.succeeded.connect(on_succeeded)
        progress.canceled.connect(job.cancel)
        self._set_busy(True)
        job.start()

    def _set_busy(self, busy: bool) -> None:
        for button in (self.preview_button, self.print_button, self.save_button):
            button.setEnabled(not busy)

    def _document_work(self, req: ReportRequest):
        db = self.workspace.db

        def work(_is_cancelled):
            with db.transaction() as session:
                from ntm_desktop.reports.runner import build_document

                return (yield from build_document(session, req))

        return work

    def _with_request(self):
        try:
            return self.request()
        except UserError as error:
            show_error(self, error, self.tr("Chưa lập được báo cáo"))
            return None

    # --- actions -------------------------------------------------------------------------------

    def show_preview(self, then=None) -> None:
        req = self._with_request()
        if req is None:
            return

        def shown(doc) -> None:
            self.document = doc
            from ntm_desktop.ui.report_print import show_report  # reportlab: loaded when a report is made

            show_report(self.preview, doc)
            self.status.setText(self.tr("Bản xem trước: {0}").format(doc.title))
            if then:
                then(doc)

        self._run(self._document_work(req), shown, self.tr("Đang đọc dữ liệu…"))

    def _printer(self, doc):
        from ntm_desktop.ui.report_print import report_printer

        return report_printer(doc)

    def _paint(self, printer, doc) -> None:
        from ntm_desktop.ui.report_print import paint_report

        paint_report(doc, printer)

    def print_report(self) -> None:
        def ready(doc) -> None:
            printer = self._printer(doc)
            from PySide6.QtPrintSupport import QPrintPreviewDialog

            preview = QPrintPreviewDialog(printer, self)
            preview.setWindowTitle(self.tr("Xem trước khi in"))
            preview.paintRequested.connect(lambda p: self._paint(p, doc))
            preview.exec()

        self.show_preview(then=ready)

    def save_report(self, path: str | Path | None = None) -> None:
        fmt = self.selected_format()
        req = self._with_request()
        if req is None:
            return
        if path is None:
            start_dir = self.last_saved.parent if self.last_saved else Path.home()
            filters = self.tr("Tệp PDF (*.pdf)") if fmt == ReportFormat.PDF else self.tr("Tệp Excel (*.xlsx)")
            chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Lưu báo cáo"),
                                                    str(start_dir / self.suggested_name(fmt)), filters)
            if not chosen:
                return
            path = chosen
        out = Path(path)
        if out.suffix.lower() != f".{fmt.value}":
            out = out.with_name(out.name + f".{fmt.value}")
        work_doc = self._document_work(req)

        def work(is_cancelled):
            doc = yield from work_doc(is_cancelled)
            from ntm_desktop.reports.runner import write_document

            write_document(doc, fmt, out, is_cancelled)
            return out

        def saved(result: Path) -> None:
            self.last_saved = result
            self.folder_button.setEnabled(True)
            self.status.setText(self.tr("Đã lưu báo cáo vào {0}").format(str(result)))

        self._run(work, saved, self.tr("Đang lập báo cáo…"))

    def open_folder(self) -> None:
        if self.last_saved:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_saved.parent)))

    def edit_office(self) -> None:
        from ntm_desktop.ui.office_settings import OfficeSettingsDialog

        OfficeSettingsDialog(self.workspace, self).exec()
