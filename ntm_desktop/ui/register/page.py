"""The incoming register page: filters, diacritic-free search, Vietnamese sort, paged rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)

from ntm_desktop.models import DOC_TYPES, URGENCY_LABELS, Urgency
from ntm_desktop.services import directives, register
from ntm_desktop.services.register import DirectiveState, RegisterFilter
from ntm_desktop.ui.common import guarded
from ntm_desktop.ui.file_intake import choose_directive_file, dropped_files, one_dropped_file, open_directive_file
from ntm_desktop.ui.register.form import DirectiveForm
from ntm_desktop.ui.register.model import RegisterModel
from ntm_desktop.workspace import Workspace


class RegisterPage(QWidget):
    """Sổ đăng ký văn bản đến. `show_tasks(directive_id, label)` asks for the directive's tasks."""

    show_tasks = Signal(str, str)
    changed = Signal()

    def __init__(self, workspace: Workspace, parent=None):
        super().__init__(parent)
        self._ws = workspace
        self._office = workspace.office_unit_id() or ""
        self.year = QComboBox()
        self.issuer = QLineEdit()
        self.issuer.setPlaceholderText(self.tr("Tác giả"))
        self.issuer.setMaximumWidth(200)
        self.doc_type = QComboBox()
        self.doc_type.addItem(self.tr("Mọi loại"), None)
        for code, name in DOC_TYPES.items():
            self.doc_type.addItem(name, code)
        self.urgency = QComboBox()
        self.urgency.addItem(self.tr("Mọi độ khẩn"), None)
        for value in Urgency:
            self.urgency.addItem(URGENCY_LABELS[value], value.value)
        self.state = QComboBox()
        self.state.addItem(self.tr("Mọi tình trạng"), None)
        for state in DirectiveState:
            self.state.addItem(state.label, state.value)
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            self.tr("Tìm số, ký hiệu, trích yếu, toàn văn… (gõ không dấu cũng được; cụm từ để trong \"…\")"))
        self.search.setClearButtonEnabled(True)

        self.new_button = new = QPushButton(self.tr("Vào sổ văn bản mới"))
        new.setShortcut("Ctrl+N")
        new.clicked.connect(lambda: self.open_form(None))
        self.paste_button = QPushButton(self.tr("Dán văn bản…"))
        self.paste_button.clicked.connect(self.paste_directive)
        self.file_button = QPushButton(self.tr("Mở tệp văn bản…"))
        self.file_button.setToolTip(self.tr("Chọn hoặc kéo thả vào đây tệp PDF, Word, văn bản hay ảnh quét: phần mềm "
                                            "đọc và đề xuất thông tin vào sổ, nhiệm vụ; tệp được lưu làm tệp đính kèm"))
        self.file_button.clicked.connect(lambda: choose_directive_file(self, self._ws, self._registered))
        self.setAcceptDrops(True)
        edit = QPushButton(self.tr("Mở"))
        edit.clicked.connect(self._open_selected)
        tasks_button = QPushButton(self.tr("Xem nhiệm vụ"))
        tasks_button.clicked.connect(self._tasks_of_selected)
        self.delete_button = delete = QPushButton(self.tr("Xóa"))
        delete.clicked.connect(self._delete_selected)
        self.count_label = QLabel()

        filters = QHBoxLayout()
        for label, widget in ((self.tr("Năm:"), self.year), ("", self.issuer), ("", self.doc_type),
                              ("", self.urgency), ("", self.state)):
            if label:
                filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        actions = QHBoxLayout()
        for b in (new, self.file_button, self.paste_button, edit, tasks_button, delete):
            actions.addWidget(b)
        actions.addStretch()
        actions.addWidget(self.count_label)

        self.model = RegisterModel(workspace.db, RegisterFilter(office_unit_id=self._office, year=None))
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        header.setStretchLastSection(False)
        # Titles as the decree words them ("Ngày tháng văn bản") wrap onto two lines instead of being cut.
        header.setDefaultAlignment(Qt.AlignmentFlag(Qt.AlignmentFlag.AlignCenter.value | Qt.TextFlag.TextWordWrap.value))
        header.setMinimumHeight(header.fontMetrics().lineSpacing() * 2 + 10)
        # The subject (column 5) takes what is left: the fixed columns stay narrow enough to leave it room.
        for col, width in ((0, 80), (1, 55), (2, 170), (3, 110), (4, 85), (6, 120), (7, 80), (8, 55), (9, 80)):
            self.view.setColumnWidth(col, width)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda index: self.open_form(self.model.row_at(index.row()).id))

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.view)

        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.issuer.textChanged.connect(lambda _t: self._timer.start())
        for combo in (self.year, self.doc_type, self.urgency, self.state):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self._fill_years()
        self.apply_filter()

    def _fill_years(self) -> None:
        current = self.year.currentData()
        with self._ws.db.transaction() as session:
            years = register.years(session, self._office)
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem(self.tr("Tất cả"), None)
        for y in sorted(set(years) | {date.today().year}, reverse=True):
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(max(0, self.year.findData(current)))
        self.year.blockSignals(False)

    def current_filter(self) -> RegisterFilter:
        return replace(
            self.model.filter, office_unit_id=self._office, year=self.year.currentData(), issuer=self.issuer.text(),
            doc_type=self.doc_type.currentData(), urgency=self.urgency.currentData(),
            state=DirectiveState(self.state.currentData()) if self.state.currentData() else None,
            search=self.search.text(), today=date.today(),
        )

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())
        self.count_label.setText(self.tr("{n} văn bản").format(n=self.model.total))

    def refresh(self) -> None:
        self._office = self._ws.office_unit_id() or ""  # a package may have given this office its identity
        self._fill_years()
        self.apply_filter()

    def _selected(self):
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def open_form(self, directive_id: str | None) -> DirectiveForm:
        form = DirectiveForm(self._ws, directive_id, self)
        form.saved.connect(lambda _id: (self.refresh(), self.changed.emit()))
        form.open()
        return form

    def paste_directive(self) -> None:
        try:
            from ntm_desktop.ui.paste_dialog import PasteDialog
        except ImportError:
            QMessageBox.information(self, self.tr("Dán văn bản"), self.tr("Chức năng này chưa có trong phiên bản này."))
            return
        dialog = PasteDialog(self._ws, self)
        dialog.accepted_directive.connect(lambda _id: (self.refresh(), self.changed.emit()))
        dialog.open()

    def _registered(self, _directive_id: str) -> None:
        self.refresh()
        self.changed.emit()

    def open_file(self, path):
        """Register a directive from its file (what dropping it on the page does); returns the review dialog."""
        return open_directive_file(self, self._ws, path, self._registered)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt override)
        path = one_dropped_file(self, dropped_files(event.mimeData()))
        if path is not None:
            event.acceptProposedAction()
            self.open_file(path)

    def _open_selected(self) -> None:
        row = self._selected()
        if row:
            self.open_form(row.id)

    def _tasks_of_selected(self) -> None:
        row = self._selected()
        if row:
            self.show_tasks.emit(row.id, f"{row.arrival_number}/{row.arrival_year} {row.number_symbol}".strip())

    def _delete_selected(self) -> None:
        row = self._selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Xóa văn bản"),
            self.tr("Xóa văn bản số đến {n}/{y} và các nhiệm vụ của nó? Số đến này sẽ không được dùng lại.").format(
                n=row.arrival_number, y=row.arrival_year),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def delete():
            with self._ws.db.transaction(self._ws.user()) as session:
                directives.delete_directive(session, row.id)

        if guarded(self, delete):
            self.refresh()
            self.changed.emit()
