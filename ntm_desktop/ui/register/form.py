"""The register form: one dialog to enter a directive, its attachments and its tasks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton, QSpinBox,
    QTabWidget, QVBoxLayout, QWidget,
)

from ntm_desktop.errors import UserError, ValidationError
from ntm_desktop.models import DOC_TYPES, SECRECY_LABELS, URGENCY_LABELS, Secrecy, Urgency
from ntm_desktop.services import attachments, directives, units
from ntm_desktop.services.concurrency import RecordChangedError
from ntm_desktop.services.directives import DirectiveInput
from ntm_desktop.services.file_types import is_allowed_attachment, refusal_reason, safe_display_name
from ntm_desktop.intake import READABLE
from ntm_desktop.ui import roles
from ntm_desktop.ui.common import DateEdit, UnitCombo, show_error, vn_date
from ntm_desktop.ui.file_intake import dropped_files, open_directive_file
from ntm_desktop.ui.saved_elsewhere import offer_reload
from ntm_desktop.workspace import Workspace


class DirectiveForm(QDialog):
    """Enter or edit one directive. Emits `saved(directive_id)` after each successful save."""

    saved = Signal(str)

    def __init__(self, workspace: Workspace, directive_id: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws = workspace
        self._office = workspace.office_unit_id()
        self.directive_id = directive_id
        self._pending_files: list[Path] = []
        self._revision: int | None = None  # the directive's revision as loaded: a save made since on another PC wins
        self._proposed: int | None = None  # the number proposed; left as it is, the next one is taken when saved
        self.setWindowTitle(self.tr("Vào sổ văn bản đến") if directive_id is None else self.tr("Sửa văn bản đến"))
        self.resize(860, 680)
        with workspace.db.transaction() as session:
            self._units = units.all_units(session)
        self._build()
        if directive_id:
            self._load()
        else:
            self._propose_number()
        self.arrival_date.setFocus()  # the cursor starts in the first field, not on the tab bar
        self.setAcceptDrops(True)
        roles.fit_register_form(workspace, self)

    # --- layout
    def _build(self) -> None:
        self.tabs = QTabWidget()
        info = QWidget()
        form = QFormLayout(info)
        self.arrival_date = DateEdit(date.today(), label=self.tr("Ngày đến"))
        self.arrival_date.date_changed.connect(lambda _d: self._propose_number())
        self.arrival_number = QSpinBox()
        self.arrival_number.setRange(1, 999999)
        self.issuer = UnitCombo(self._units, allow_empty=True)
        self.issuer.setToolTip(self.tr("Chọn cơ quan trong danh sách hoặc gõ tên cơ quan khác"))
        self.number_symbol = QLineEdit()
        self.number_symbol.setPlaceholderText(self.tr("Ví dụ: 4316/UBND-KTN"))
        self.doc_date = DateEdit(None, optional=True, label=self.tr("Ngày văn bản"))
        self.doc_type = QComboBox()
        for code, name in DOC_TYPES.items():
            self.doc_type.addItem(f"{name} ({code})" if code != "CV" else name, code)
        self.subject = QPlainTextEdit()
        self.subject.setTabChangesFocus(True)
        self.subject.setMinimumHeight(64)  # the row that takes the dialog's spare height
        self.signer = QLineEdit()
        self.urgency = QComboBox()
        for value in Urgency:
            self.urgency.addItem(URGENCY_LABELS[value], value.value)
        self.secrecy = QComboBox()
        for value in Secrecy:
            self.secrecy.addItem(SECRECY_LABELS[value], value.value)
        self.recipients = QLineEdit()
        self.recipients.setPlaceholderText(self.tr("Đơn vị hoặc người nhận văn bản để xử lý"))
        self.transfer_date = DateEdit(None, optional=True, label=self.tr("Ngày chuyển"))
        self.notes = QLineEdit()
        self.duplicate_label = QLabel()
        self.duplicate_label.setStyleSheet("color:#b3261e")
        self.duplicate_label.setWordWrap(True)
        self.duplicate_label.setVisible(False)  # an empty word-wrapped label would still take height
        self.number_symbol.editingFinished.connect(self._check_duplicates)
        self.issuer.currentTextChanged.connect(lambda _t: self._show_duplicate(""))

        row = QHBoxLayout()
        row.addWidget(self.arrival_date)
        row.addWidget(QLabel(self.tr("Số đến:")))
        row.addWidget(self.arrival_number)
        row.addStretch()
        form.addRow(self.tr("Ngày đến:"), row)
        form.addRow(self.tr("Tác giả (cơ quan ban hành):"), self.issuer)
        number_row = QHBoxLayout()
        number_row.addWidget(self.number_symbol)
        number_row.addWidget(QLabel(self.tr("Ngày văn bản:")))
        number_row.addWidget(self.doc_date)
        form.addRow(self.tr("Số, ký hiệu:"), number_row)
        form.addRow(self.duplicate_label)
        form.addRow(self.tr("Loại văn bản:"), self.doc_type)
        form.addRow(self.tr("Trích yếu nội dung:"), self.subject)
        form.addRow(self.tr("Người ký:"), self.signer)
        urgency_row = QHBoxLayout()
        urgency_row.addWidget(self.urgency)
        urgency_row.addWidget(QLabel(self.tr("Độ mật:")))
        urgency_row.addWidget(self.secrecy)
        urgency_row.addStretch()
        form.addRow(self.tr("Độ khẩn:"), urgency_row)
        form.addRow(self.tr("Đơn vị hoặc người nhận:"), self.recipients)
        transfer_row = QHBoxLayout()
        transfer_row.addWidget(self.transfer_date)
        transfer_row.addStretch()
        form.addRow(self.tr("Ngày chuyển:"), transfer_row)
        form.addRow(self.tr("Ghi chú:"), self.notes)
        self.tabs.addTab(info, self.tr("Thông tin văn bản"))

        self.full_text = QPlainTextEdit()
        self.full_text.setPlaceholderText(self.tr("Dán toàn văn văn bản (nếu có) để tìm kiếm sau này"))
        self.tabs.addTab(self.full_text, self.tr("Toàn văn"))

        files = QWidget()
        files_layout = QVBoxLayout(files)
        self.files = QListWidget()
        self.files.itemDoubleClicked.connect(self._open_attachment)
        buttons = QHBoxLayout()
        self.attach_button = add = QPushButton(self.tr("Đính kèm tệp…"))
        add.clicked.connect(self._choose_files)
        open_ = QPushButton(self.tr("Mở tệp"))
        open_.clicked.connect(lambda: self._open_attachment(self.files.currentItem()))
        buttons.addWidget(add)
        buttons.addWidget(open_)
        buttons.addStretch()
        files_layout.addWidget(self.files)
        files_layout.addLayout(buttons)
        self.tabs.addTab(files, self.tr("Tệp đính kèm"))

        from ntm_desktop.ui.tasks.directive_tasks import DirectiveTasks

        self.task_panel = DirectiveTasks(self._ws, self.directive_id)
        self.tasks_tab = self.tabs.addTab(self.task_panel, self.tr("Nhiệm vụ"))
        self.tabs.setTabEnabled(self.tasks_tab, self.directive_id is not None)

        box = QDialogButtonBox()
        self.save_button = box.addButton(self.tr("Lưu"), QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(box)
        self.save_button.setDefault(True)  # once inside the dialog, or the dialog picks its own (Enter = Lưu)

    # --- data
    def _propose_number(self) -> None:
        if self.directive_id or not self._office:
            return
        try:
            year = self.arrival_date.value().year
        except UserError:
            return  # the date is still being typed
        with self._ws.db.transaction() as session:
            self._proposed = directives.next_arrival_number(session, self._office, year)
        self.arrival_number.setValue(self._proposed)

    def _load(self) -> None:
        with self._ws.db.transaction() as session:
            d = directives.load(session, self.directive_id)
            data = directives.input_from(d)
            self._revision = d.revision
            files = [(a.id, safe_display_name(a.file_name), a.size) for a in d.attachments if not a.deleted]
        self.arrival_date.blockSignals(True)
        self.arrival_date.set_date(data.arrival_date)
        self.arrival_date.blockSignals(False)
        self.arrival_number.setValue(data.arrival_number)
        if data.issuer_unit_id:
            self.issuer.set_unit_id(data.issuer_unit_id)
        else:
            self.issuer.setEditText(data.issuer_name)
        self.number_symbol.setText(data.number_symbol)
        self.doc_date.set_date(data.doc_date)
        self.doc_type.setCurrentIndex(max(0, self.doc_type.findData(data.doc_type)))
        self.subject.setPlainText(data.subject)
        self.signer.setText(data.signer)
        self.urgency.setCurrentIndex(max(0, self.urgency.findData(data.urgency)))
        self.secrecy.setCurrentIndex(max(0, self.secrecy.findData(data.secrecy)))
        self.recipients.setText(data.recipients)
        self.transfer_date.set_date(data.transfer_date)
        self.notes.setText(data.notes)
        self.full_text.setPlainText(data.full_text)
        self.files.clear()
        for attachment_id, name, size in files:
            item = QListWidgetItem(f"{name} ({size // 1024 + 1} KB)")
            item.setData(256, attachment_id)
            self.files.addItem(item)

    def collect(self) -> DirectiveInput:
        issuer_id = self.issuer.unit_id()
        return DirectiveInput(
            arrival_date=self.arrival_date.value(),
            arrival_number=None if self._takes_next() else self.arrival_number.value(),
            subject=self.subject.toPlainText(),
            issuer_unit_id=issuer_id,
            issuer_name="" if issuer_id else self.issuer.currentText(),
            number_symbol=self.number_symbol.text(),
            doc_date=self.doc_date.value(),
            doc_type=self.doc_type.currentData(),
            signer=self.signer.text(),
            urgency=self.urgency.currentData(),
            secrecy=self.secrecy.currentData(),
            recipients=self.recipients.text(),
            transfer_date=self.transfer_date.value(),
            notes=self.notes.text(),
            full_text=self.full_text.toPlainText(),
        )

    def _takes_next(self) -> bool:
        """A new directive whose proposed number was left as it is: it gets the register's next number when
        saved (another clerk may have taken the one proposed meanwhile)."""
        return (self.directive_id is None and self._proposed is not None
                and self.arrival_number.value() == self._proposed)

    def duplicates(self):
        with self._ws.db.transaction() as session:
            return directives.find_duplicates(session, self._office, self.collect(), self.directive_id)

    def _show_duplicate(self, text: str) -> None:
        self.duplicate_label.setText(text)
        self.duplicate_label.setVisible(bool(text))

    def _check_duplicates(self) -> None:
        try:
            hints = self.duplicates()
        except UserError:
            return  # a field still being typed (a date): saving will say what is wrong
        if hints:
            h = hints[0]
            self._show_duplicate(self.tr(
                "Có thể trùng: văn bản số {number} của {issuer} đã vào sổ với số đến {arrival}/{year} ngày {date}."
            ).format(number=h.number_symbol, issuer=h.issuer_name, arrival=h.arrival_number,
                     year=h.arrival_year, date=vn_date(h.arrival_date)))
        else:
            self._show_duplicate("")

    def confirm_duplicate(self, hints) -> bool:
        h = hints[0]
        answer = QMessageBox.question(
            self, self.tr("Có thể trùng văn bản"),
            self.tr("Văn bản số {number} của {issuer} đã vào sổ với số đến {arrival}/{year}.\n"
                    "Vẫn vào sổ văn bản này?").format(
                number=h.number_symbol, issuer=h.issuer_name, arrival=h.arrival_number, year=h.arrival_year),
        )
        return answer == QMessageBox.StandardButton.Yes

    def save(self) -> bool:
        if not self._office:
            show_error(self, ValidationError(self.tr("Chưa chọn đơn vị sử dụng phần mềm.")))
            return False
        try:
            data = self.collect()
            with self._ws.db.transaction() as session:
                hints = directives.find_duplicates(session, self._office, data, self.directive_id)
        except UserError as error:
            show_error(self, error)
            return False
        if hints and not self.confirm_duplicate(hints):
            return False
        try:
            with self._ws.db.transaction(self._ws.user()) as session:
                if self.directive_id is None:
                    directive_id = directives.create_directive(session, self._office, data)
                else:
                    directive_id = self.directive_id
                    directives.update_directive(session, directive_id, data, revision=self._revision)
                for path in self._pending_files:
                    attachments.attach(session, self._ws.folder.files, directive_id, path)
        except RecordChangedError as error:  # saved on another PC meanwhile: nothing written, the typing kept
            if offer_reload(self, error):
                self._load()
                for path in self._pending_files:  # attachments chosen here are still to be saved
                    self.files.addItem(QListWidgetItem(self.tr("{name} (chưa lưu)").format(name=path.name)))
            return False
        except UserError as error:
            show_error(self, error)
            return False
        proposed, self._proposed = (self._proposed if data.arrival_number is None else None), None
        self.directive_id = directive_id
        self._pending_files.clear()
        self.setWindowTitle(self.tr("Sửa văn bản đến"))
        self.task_panel.set_directive(directive_id)
        self.tabs.setTabEnabled(self.tasks_tab, True)
        self._load()
        if proposed is not None and self.arrival_number.value() != proposed:
            QMessageBox.information(self, self.tr("Số đến đã đổi"), self.tr(
                "Số đến {proposed} vừa được vào sổ ở máy khác, nên văn bản này được vào sổ với số đến {number}/{year}."
            ).format(proposed=proposed, number=self.arrival_number.value(), year=self.arrival_date.value().year))
        self.saved.emit(directive_id)
        return True

    def add_files(self, paths: list[Path]) -> None:
        refused = [Path(p) for p in paths if not is_allowed_attachment(Path(p).name)]
        if refused:  # an executable or a script is never stored, so it can never be opened from here
            show_error(self, ValidationError(refusal_reason(refused[0].name)), self.tr("Không đính kèm được"))
        for path in paths:
            if Path(path) in refused:
                continue
            self._pending_files.append(Path(path))
            item = QListWidgetItem(self.tr("{name} (chưa lưu)").format(name=Path(path).name))
            self.files.addItem(item)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """A file dropped on a new directive is read and reviewed; on a saved one it is attached."""
        paths = dropped_files(event.mimeData())
        event.acceptProposedAction()
        if self.directive_id is None and len(paths) == 1 and paths[0].suffix.lower() in READABLE:
            open_directive_file(self.parentWidget() or self, self._ws, paths[0],
                                lambda directive_id: (self.saved.emit(directive_id), self.reject()))
            return  # a file that cannot be read has said why; nothing is attached or registered
        self.add_files(paths)

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Chọn tệp đính kèm"), "", self.tr("Văn bản, bản quét (*.pdf *.doc *.docx *.jpg *.png *.tif);;Tất cả (*)")
        )
        self.add_files([Path(p) for p in paths])

    def _open_attachment(self, item) -> None:
        if item is None or not item.data(256):
            return
        try:
            with self._ws.db.transaction() as session:
                # A private copy under a generated name; executables and scripts are refused here.
                target = attachments.prepare_for_viewing(
                    session, self._ws.folder.files, item.data(256), self._ws.folder.root / "tmp")
        except UserError as error:
            show_error(self, error, self.tr("Không mở được tệp"))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
