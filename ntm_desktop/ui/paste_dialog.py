""""Dán văn bản": paste a directive's text, review the proposed register fields and tasks, accept in one step."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QApplication, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QMessageBox, QPlainTextEdit, QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QTextEdit, QVBoxLayout, QWidget,
)

from ntm_desktop.errors import UserError, ValidationError
from ntm_desktop.models import DOC_TYPES, SECRECY_LABELS, URGENCY_LABELS, Secrecy, Urgency
from ntm_desktop.parsing import Proposal, parse_directive
from ntm_desktop.parsing.deadline_text import find_deadline
from ntm_desktop.services import attachments, directives, paste, units
from ntm_desktop.services.assignment import UnitTree, assign
from ntm_desktop.services.directives import DirectiveInput
from ntm_desktop.services.dates import format_vn_date, parse_vn_date
from ntm_desktop.services.paste import DirectiveDraft, TaskDraft, UnitChoice
from ntm_desktop.ui import roles
from ntm_desktop.ui.common import DateEdit, UnitCombo, show_error
from ntm_desktop.ui.paste_lead import LeadCell
from ntm_desktop.workspace import Workspace

HIGHLIGHT = QColor("#fff3b0")
COL_KEEP, COL_SUMMARY, COL_LEAD, COL_COOP, COL_DEADLINE_TEXT, COL_DUE = range(6)


class _PasteEdit(QPlainTextEdit):
    """The text box; tells the dialog when something was pasted into it."""

    pasted = Signal()

    def insertFromMimeData(self, source) -> None:  # noqa: N802 (Qt override)
        super().insertFromMimeData(source)
        self.pasted.emit()


def doc_date_text(value: str | None) -> str:
    """"2026-06-11" -> "11/06/2026", "2026-06" -> "06/2026", "2025" -> "2025"."""
    if not value:
        return ""
    return "/".join(reversed(value.split("-")))


def doc_date_value(text: str) -> str | None:
    """The reverse of doc_date_text; a bad date gets a Vietnamese message."""
    text = text.strip()
    if not text:
        return None
    parts = text.split("/")
    if len(parts) == 3:
        return parse_vn_date(text, "doc_date", "Ngày văn bản").isoformat()
    if all(p.isdigit() for p in parts) and len(parts[-1]) == 4:
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2 and 1 <= int(parts[0]) <= 12:
            return f"{parts[1]}-{int(parts[0]):02d}"
    raise ValidationError(
        f"Ngày văn bản “{text}” không đúng dạng: ngày/tháng/năm, tháng/năm hoặc năm (ví dụ 05/01/2024).", "doc_date"
    )


class PasteDialog(QDialog):
    """Paste a directive; emits `accepted_directive(directive_id)` once it is registered with its tasks."""

    accepted_directive = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws = workspace
        self._proposal: Proposal | None = None
        self._raw_text = ""
        self._field_sources: dict[QWidget, str] = {}
        self._file_pane = None  # the file the directive came as (ui/file_intake.py), stored as its attachment
        self.setWindowTitle(self.tr("Dán văn bản chỉ đạo"))
        self.resize(1280, 760)
        self._office = workspace.office_unit_id()
        # a clerk registers; the tasks proposed are assigned later by the leader (services.access)
        self._may_assign = roles.may(workspace, roles.Permission.ASSIGN)
        with workspace.db.transaction() as session:
            self._units = units.all_units(session)  # ended units stay out of the lists unless asked for
            self._known = paste.known_units(session)
            self._tree = UnitTree.read(session)
        office = self._tree.units.get(self._office) if self._office else None
        self._office_name = office.name if office else self.tr("cơ quan mình")
        self._build()
        QApplication.instance().focusChanged.connect(self._focus_changed)

    # --- layout
    def _build(self) -> None:
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(self.tr("Dán nội dung văn bản (từ PDF, Word hoặc thư điện tử) vào ô dưới đây rồi bấm “Phân tích”."))
        hint.setWordWrap(True)
        self._hint = hint
        self.text_edit = _PasteEdit()
        self.text_edit.setPlaceholderText(self.tr("Dán văn bản vào đây (Ctrl+V)"))
        self.text_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text_edit.pasted.connect(self.analyse)
        self.analyse_button = QPushButton(self.tr("Phân tích"))
        self.analyse_button.clicked.connect(self.analyse)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.analyse_button)
        row.addWidget(self.status_label, 1)
        left_box.addWidget(hint)
        left_box.addWidget(self.text_edit, 1)
        left_box.addLayout(row)

        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.arrival_date = DateEdit(date.today())
        self.doc_type = QComboBox()
        for code, name in DOC_TYPES.items():
            self.doc_type.addItem(f"{name} ({code})" if code != "CV" else name, code)
        self.urgency = QComboBox()
        for value in Urgency:
            self.urgency.addItem(URGENCY_LABELS[value], value.value)
        self.secrecy = QComboBox()
        for value in Secrecy:
            self.secrecy.addItem(SECRECY_LABELS[value], value.value)
        self.secrecy_note = QLabel(self.tr(
            "Văn bản mật vào sổ đăng ký văn bản mật riêng theo quy định; NTM Desktop không lưu văn bản mật. "
            "Nếu văn bản không mang dấu độ mật, chọn “Thường”."))
        self.secrecy_note.setWordWrap(True)
        self.secrecy_note.setStyleSheet("color:#b3261e")
        self.secrecy_note.setVisible(False)
        self.secrecy.currentIndexChanged.connect(
            lambda _i: self.secrecy_note.setVisible(bool(self.secrecy.currentData())))
        self.number_symbol = QLineEdit()
        self.number_symbol.setPlaceholderText(self.tr("Ví dụ: 4316/UBND-KTN"))
        self.issuer = UnitCombo(self._units, allow_empty=True)
        self.issuer.currentTextChanged.connect(lambda _text: self._update_plans())
        self.doc_date = QLineEdit()
        self.doc_date.setPlaceholderText(self.tr("ngày/tháng/năm, tháng/năm hoặc năm"))
        self.subject = QPlainTextEdit()
        self.subject.setTabChangesFocus(True)
        self.subject.setFixedHeight(64)
        self.signer = QLineEdit()
        self.recipients = QLineEdit()
        form.addRow(self.tr("Ngày đến"), self.arrival_date)
        form.addRow(self.tr("Loại văn bản"), self.doc_type)
        form.addRow(self.tr("Độ khẩn"), self.urgency)
        form.addRow(self.tr("Độ mật"), self.secrecy)
        form.addRow(self.secrecy_note)
        form.addRow(self.tr("Số, ký hiệu"), self.number_symbol)
        form.addRow(self.tr("Cơ quan ban hành"), self.issuer)
        form.addRow(self.tr("Ngày văn bản"), self.doc_date)
        form.addRow(self.tr("Trích yếu"), self.subject)
        form.addRow(self.tr("Người ký"), self.signer)
        form.addRow(self.tr("Nơi nhận"), self.recipients)
        self._field_sources = {
            self.doc_type: "doc_type", self.number_symbol: "number_symbol", self.issuer: "issuer",
            self.issuer.lineEdit(): "issuer", self.doc_date: "date", self.subject: "subject",
            self.signer: "signer", self.recipients: "recipients", self.urgency: "urgency",
            self.secrecy: "secrecy",
        }

        self.task_label = QLabel(self.tr("Nhiệm vụ"))
        self.task_table = QTableWidget(0, 6)
        self.task_table.setHorizontalHeaderLabels([
            self.tr("Giao"), self.tr("Nội dung nhiệm vụ"), self.tr("Đơn vị chủ trì"), self.tr("Đơn vị phối hợp"),
            self.tr("Thời hạn (như văn bản)"), self.tr("Hạn (ngày)"),
        ])
        header = self.task_table.horizontalHeader()
        header.setSectionResizeMode(COL_SUMMARY, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_KEEP, 40), (COL_LEAD, 230), (COL_COOP, 140), (COL_DEADLINE_TEXT, 150), (COL_DUE, 84)):
            self.task_table.setColumnWidth(col, width)
        self.task_table.setWordWrap(True)
        rows = self.task_table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() * 4 + 8)  # four lines of a summary
        self.task_table.currentCellChanged.connect(lambda row, *_: self._highlight_task(row))
        self.task_table.itemChanged.connect(self._task_item_changed)
        right_box.addLayout(form)
        right_box.addWidget(self.task_label)
        right_box.addWidget(self.task_table, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([440, 840])
        self._splitter, self._text_pane = splitter, left
        self.buttons = QDialogButtonBox()
        self.accept_button = self.buttons.addButton(
            self.tr("Vào sổ và giao nhiệm vụ"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        self.accept_button.setEnabled(False)
        self.buttons.accepted.connect(self.register)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(splitter, 1)
        box.addWidget(self.buttons)

    # --- parsing
    def set_file(self, path, extraction) -> None:
        """Review a directive read from its file: the page picture beside the proposal, the file kept to attach."""
        from ntm_desktop.ui.file_intake import FilePane

        self._file_pane = FilePane(path, extraction, self)
        self._file_pane.recognised.connect(self._show_extraction)  # the scanned pages' words, read by OCR
        self._file_pane.place(self._splitter, self._text_pane)
        self.setWindowTitle(self.tr("Vào sổ văn bản từ tệp “{name}”").format(name=self._file_pane.path.name))
        self._hint.setText(self.tr("Chữ đọc được từ tệp (đối chiếu với ảnh trang ở trên). Sửa ở đây nếu cần rồi bấm "
                                   "“Phân tích” để đề xuất lại."))
        self.resize(max(self.width(), 1440), max(self.height(), 820))
        self._show_extraction(extraction)

    def _show_extraction(self, extraction) -> None:
        """The file's text analysed into the proposal (a scan without text: the form stays for typing)."""
        if extraction.text.strip():
            self.set_text(extraction.text)
        else:  # a scan: the officer types the fields from the page picture
            self.accept_button.setEnabled(True)
            self.status_label.setText("")
        if extraction.notices:
            self.status_label.setText(" ".join([self.status_label.text(), *extraction.notices]).strip())

    def source_file(self):
        """The file being registered with the directive, if the directive came as a file."""
        return self._file_pane.path if self._file_pane is not None else None

    def page_view(self):
        return self._file_pane.view if self._file_pane is not None else None

    def set_text(self, text: str) -> None:
        """Put a text in the box and analyse it (what a paste does)."""
        self.text_edit.setPlainText(text)
        self.analyse()

    def analyse(self) -> None:
        text = self.text_edit.toPlainText()
        if not text.strip():
            self.status_label.setText(self.tr("Chưa có văn bản để phân tích."))
            return
        if self._proposal is None or text != self._proposal.cleaned_text:
            self._raw_text = text  # what the officer pasted is kept as the directive's full text
        self._proposal = parse_directive(self._raw_text, known_units=self._known)
        draft = paste.match_draft_units(paste.draft_from_proposal(self._proposal, self._raw_text), self._tree,
                                        self._office, self.arrival_date.value() or date.today())
        self.text_edit.setPlainText(self._proposal.cleaned_text)
        self._fill_fields(draft)
        self._fill_tasks(draft.tasks)
        self.accept_button.setEnabled(True)
        self.status_label.setText(self.tr(
            "Đã đề xuất {n} nhiệm vụ. Hãy kiểm tra, sửa nếu cần rồi bấm “Vào sổ và giao nhiệm vụ”."
        ).format(n=len(draft.tasks)) if draft.tasks else self.tr(
            "Không tìm thấy nhiệm vụ nào trong văn bản; văn bản sẽ được vào sổ không kèm nhiệm vụ."))

    def _fill_fields(self, draft: DirectiveDraft) -> None:
        self.doc_type.setCurrentIndex(max(self.doc_type.findData(draft.doc_type), 0))
        self.urgency.setCurrentIndex(max(self.urgency.findData(draft.urgency), 0))
        self.secrecy.setCurrentIndex(max(self.secrecy.findData(draft.secrecy), 0))
        self.number_symbol.setText(draft.number_symbol)
        if draft.issuer.unit_id:
            self.issuer.set_proposed(None)
            self.issuer.set_unit_id(draft.issuer.unit_id)
        else:
            self.issuer.set_proposed(draft.issuer.name or None,
                                     self.tr("Chưa có trong danh sách đơn vị: ghi đúng tên như văn bản"))
        self.doc_date.setText(doc_date_text(draft.doc_date))
        self.subject.setPlainText(draft.subject)
        self.signer.setText(draft.signer)
        self.recipients.setText(draft.recipients)
        for edit in (self.recipients, self.issuer.lineEdit(), self.number_symbol):
            edit.setCursorPosition(0)

    def _lead_cell(self, row: int, choice: UnitChoice) -> LeadCell:
        cell = LeadCell(self._units)
        if choice.unit_id:
            cell.combo.set_unit_id(choice.unit_id)
            cell.combo.lineEdit().setCursorPosition(0)  # show the start of a long name
        else:
            cell.combo.set_proposed(choice.name, self.tr("Chưa có trong danh sách đơn vị; dòng dưới cho biết "
                                                         "nhiệm vụ sẽ giao cho ai"))
        cell.edited.connect(lambda: self._update_plan(cell))
        return cell

    def lead_combo(self, row: int) -> UnitCombo:
        """The lead unit box of a task row."""
        return self.task_table.cellWidget(row, COL_LEAD).combo

    def _fill_tasks(self, drafts: tuple[TaskDraft, ...]) -> None:
        table = self.task_table
        table.blockSignals(True)
        table.setRowCount(0)
        table.setRowCount(len(drafts))
        for row, task in enumerate(drafts):
            keep = QTableWidgetItem()
            keep.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          if self._may_assign else Qt.ItemFlag.ItemIsSelectable)
            keep.setCheckState(Qt.CheckState.Checked if self._may_assign else Qt.CheckState.Unchecked)
            keep.setData(Qt.ItemDataRole.UserRole, (task.recurrence, task.source_line))
            table.setItem(row, COL_KEEP, keep)
            summary = QTableWidgetItem(task.summary)
            summary.setToolTip(task.summary)
            table.setItem(row, COL_SUMMARY, summary)
            table.setCellWidget(row, COL_LEAD, self._lead_cell(row, task.lead))
            table.setItem(row, COL_COOP, QTableWidgetItem("; ".join(c.name for c in task.cooperating)))
            table.setItem(row, COL_DEADLINE_TEXT, QTableWidgetItem(task.deadline_text))
            table.setItem(row, COL_DUE, QTableWidgetItem(format_vn_date(task.deadline)))
        table.blockSignals(False)
        self._update_plans()

    # --- what each assignee becomes
    def _row_of(self, cell: QWidget) -> int:
        for row in range(self.task_table.rowCount()):
            if self.task_table.cellWidget(row, COL_LEAD) is cell:
                return row
        return -1

    def _lead_choice(self, row: int) -> UnitChoice:
        combo = self.lead_combo(row)
        return UnitChoice(combo.currentText().strip(), combo.unit_id())

    def _cooperating_choices(self, row: int) -> tuple[UnitChoice, ...]:
        item = self.task_table.item(row, COL_COOP)
        return tuple(UnitChoice(n.strip()) for n in (item.text() if item else "").split(";") if n.strip())

    def _plan(self, row: int):
        try:
            doc_date = doc_date_value(self.doc_date.text())
        except ValidationError:
            doc_date = None
        issuer = UnitChoice(self.issuer.currentText().strip(), self.issuer.unit_id())
        on = paste.reference_date(DirectiveDraft("CV", "", issuer, doc_date, "", "", "", ""),
                                  self.arrival_date.value() or date.today())
        scope = self._tree.province_of(issuer.unit_id) or self._tree.province_of(self._office)
        return assign(self._tree, self._lead_choice(row), self._cooperating_choices(row), scope, on)

    def _update_plan(self, cell: LeadCell) -> None:
        row = self._row_of(cell)
        if row >= 0:
            cell.show_plan(self._plan(row), self._office_name, len(self._cooperating_choices(row)))
            self._update_total()

    def _update_plans(self) -> None:
        for row in range(self.task_table.rowCount()):
            cell = self.task_table.cellWidget(row, COL_LEAD)
            if cell is not None:
                cell.show_plan(self._plan(row), self._office_name, len(self._cooperating_choices(row)))
        self._update_total()

    def planned_task_count(self) -> int:
        """Tasks registering would create: one per lead unit of each kept row."""
        return sum(max(1, len(self._plan(row).leads)) for row in range(self.task_table.rowCount())
                   if self.task_table.item(row, COL_KEEP).checkState() == Qt.CheckState.Checked)

    def _update_total(self) -> None:
        rows = self.task_table.rowCount()
        text = self.tr("Nhiệm vụ đề xuất: {n} (bỏ dấu ở cột “Giao” để không giao)").format(n=rows)
        total = self.planned_task_count()
        if total != rows:
            text += self.tr(" — khi vào sổ thành {m} nhiệm vụ (nhóm đơn vị: mỗi đơn vị một nhiệm vụ)").format(m=total)
        if not self._may_assign:
            text = self.tr("Nhiệm vụ đề xuất: {n}. Văn thư chỉ vào sổ văn bản; lãnh đạo giao nhiệm vụ sau, trong "
                           "thẻ “Nhiệm vụ” của văn bản.").format(n=rows)
        self.task_label.setText(text)

    def _task_item_changed(self, item: QTableWidgetItem) -> None:
        """A deadline wording typed anew is read again: its date and recurrence follow it."""
        if item.column() in (COL_COOP, COL_KEEP):
            cell = self.task_table.cellWidget(item.row(), COL_LEAD)
            if cell is not None:
                self._update_plan(cell)
            return
        if item.column() != COL_DEADLINE_TEXT:
            return
        found = find_deadline(item.text(), cell=True)
        keep = self.task_table.item(item.row(), COL_KEEP)
        _recurrence, line = keep.data(Qt.ItemDataRole.UserRole)
        keep.setData(Qt.ItemDataRole.UserRole, (found.recurrence, line))
        due = date.fromisoformat(found.deadline) if found.deadline else None
        self.task_table.item(item.row(), COL_DUE).setText(format_vn_date(due))

    # --- source highlight
    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self._proposal is None or new is None:
            return
        widget = new
        while widget is not None and widget is not self:
            if widget in self._field_sources:
                self.highlight(self._proposal.sources.get(self._field_sources[widget]))
                return
            if widget is self.task_table:
                self._highlight_task(self.task_table.currentRow())
                return
            widget = widget.parentWidget()

    def _highlight_task(self, row: int) -> None:
        if self._proposal is None or row < 0 or self.task_table.item(row, COL_KEEP) is None:
            return
        _recurrence, line = self.task_table.item(row, COL_KEEP).data(Qt.ItemDataRole.UserRole)
        if line is not None:
            self.highlight((line, 0, len(self._proposal.cleaned_text.split("\n")[line])))

    def highlight(self, span: tuple[int, int, int] | None) -> None:
        """Mark the source line (and the characters of the value) in the text; None clears it."""
        if span is None:
            self.text_edit.setExtraSelections([])
            if self._file_pane is not None:
                self._file_pane.follow(None)
            return
        line, start, end = span
        block = self.text_edit.document().findBlockByNumber(line)
        if not block.isValid():
            return
        if self._file_pane is not None:
            self._file_pane.follow(block.text())  # and on the page picture, where the layout tells
        whole = QTextEdit.ExtraSelection()
        whole.format.setBackground(HIGHLIGHT)
        whole.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        whole.cursor = QTextCursor(block)
        part = QTextEdit.ExtraSelection()
        part.format.setBackground(QColor("#f6c945"))
        part.cursor = QTextCursor(block)
        part.cursor.setPosition(block.position() + start)
        part.cursor.setPosition(block.position() + min(end, block.length() - 1), QTextCursor.MoveMode.KeepAnchor)
        self.text_edit.setExtraSelections([whole, part])
        cursor = QTextCursor(block)
        self.text_edit.setTextCursor(cursor)
        self.text_edit.centerCursor()

    def highlighted_line(self) -> int | None:
        selections = self.text_edit.extraSelections()
        return selections[0].cursor.blockNumber() if selections else None

    # --- accepting
    def draft(self) -> DirectiveDraft:
        """The reviewed fields and kept tasks as the paste service takes them."""
        tasks = []
        for row in range(self.task_table.rowCount()):
            keep = self.task_table.item(row, COL_KEEP)
            if keep.checkState() != Qt.CheckState.Checked:
                continue
            recurrence, line = keep.data(Qt.ItemDataRole.UserRole)
            lead, cooperating = self._lead_choice(row), self._cooperating_choices(row)
            due_text = self.task_table.item(row, COL_DUE).text().strip()
            due = parse_vn_date(due_text, "deadline", self.tr("Hạn của nhiệm vụ {n}").format(n=row + 1)) if due_text else None
            tasks.append(TaskDraft(
                summary=self.task_table.item(row, COL_SUMMARY).text(), lead=lead, cooperating=cooperating,
                deadline=due, deadline_text=self.task_table.item(row, COL_DEADLINE_TEXT).text(),
                recurrence=recurrence, source_line=line,
            ))
        return DirectiveDraft(
            doc_type=self.doc_type.currentData(), number_symbol=self.number_symbol.text(),
            issuer=UnitChoice(self.issuer.currentText().strip(), self.issuer.unit_id()),
            doc_date=doc_date_value(self.doc_date.text()), subject=self.subject.toPlainText(),
            signer=self.signer.text(), recipients=self.recipients.text(), full_text=self._raw_text,
            tasks=tuple(tasks), urgency=self.urgency.currentData(), secrecy=self.secrecy.currentData(),
        )

    def register(self) -> None:
        """Register the directive and assign its kept tasks in one transaction; on error nothing is saved."""
        try:
            draft = self.draft()
            directives.check_secrecy(draft.secrecy)  # said before any question: a secret document is not kept
            if not self._confirm_deadlines(draft) or not self._confirm_not_duplicate(draft):
                return
            with self._ws.db.transaction(self._ws.user()) as session:
                directive_id = paste.save_draft(session, draft, self.arrival_date.value() or date.today(),
                                                self._ws.office_unit_id())
                if self._file_pane is not None:  # the file it came as, in the same transaction
                    attachments.attach(session, self._ws.folder.files, directive_id, self._file_pane.path)
        except UserError as error:
            show_error(self, error, self.tr("Chưa vào sổ được"))
            if getattr(error, "field", None) == "secrecy":
                self.secrecy.setFocus()  # and the stamp it was read from is marked in the text
            return
        self.directive_id = directive_id
        self.accepted_directive.emit(directive_id)
        self.accept()

    def _confirm_deadlines(self, draft: DirectiveDraft) -> bool:
        """Deadlines before the document's date, or already past on arrival: said, then the officer decides."""
        warnings = paste.deadline_warnings(draft, self.arrival_date.value() or date.today())
        if not warnings:
            return True
        answer = QMessageBox.question(self, self.tr("Kiểm tra thời hạn"), "\n".join(warnings) + "\n\n" + self.tr(
            "Vẫn vào sổ với các thời hạn này? (Chọn “Không” để sửa ở cột “Hạn (ngày)”.)"))
        return answer == QMessageBox.StandardButton.Yes

    def _confirm_not_duplicate(self, draft: DirectiveDraft) -> bool:
        office = self._ws.office_unit_id()
        if not office:
            return True
        with self._ws.db.transaction() as session:
            hints = directives.find_duplicates(session, office, DirectiveInput(
                arrival_date=None, arrival_number=None, subject=draft.subject, issuer_unit_id=draft.issuer.unit_id,
                issuer_name=draft.issuer.name, number_symbol=draft.number_symbol))
        if not hints:
            return True
        first = hints[0]
        text = self.tr(
            "Văn bản số {number} của {issuer} đã vào sổ với số đến {n}/{y} ngày {day}. Vẫn vào sổ thêm lần nữa?"
        ) if first.same_number else self.tr(
            "Văn bản “{subject}” của {issuer} (bản chưa ghi số hoặc cùng trích yếu) đã vào sổ với số đến {n}/{y} "
            "ngày {day}. Vẫn vào sổ thêm lần nữa?")
        answer = QMessageBox.question(self, self.tr("Có thể trùng văn bản"), text.format(
            number=first.number_symbol, issuer=first.issuer_name, n=first.arrival_number, y=first.arrival_year,
            day=format_vn_date(first.arrival_date), subject=first.subject[:80]))
        return answer == QMessageBox.StandardButton.Yes

    def done(self, result: int) -> None:
        try:
            QApplication.instance().focusChanged.disconnect(self._focus_changed)
        except (RuntimeError, TypeError):
            pass  # already disconnected
        super().done(result)
