"""The task editor: lead and cooperating units, deadline in any of its forms, progress, completion."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton, QSpinBox,
    QStackedWidget, QVBoxLayout, QWidget,
)

from ntm_desktop.db_errors import ServerError
from ntm_desktop.errors import UserError
from ntm_desktop.services import directives, settings, tasks, units
from ntm_desktop.services.concurrency import RecordChangedError
from ntm_desktop.services.deadlines import RECURRENCE_LABELS, DeadlineKind, Recurrence
from ntm_desktop.services.status import derive_status
from ntm_desktop.services.tasks import TaskInput
from ntm_desktop.text import fold
from ntm_desktop.ui import roles
from ntm_desktop.ui.common import DateEdit, UnitCombo, show_error, vn_date
from ntm_desktop.ui.saved_elsewhere import offer_reload
from ntm_desktop.ui.unit_combo import ENDED_ROLE, unit_labels
from ntm_desktop.workspace import Workspace


class TaskEditor(QDialog):
    saved = Signal(str)

    KINDS = [
        (DeadlineKind.NONE, "Thường xuyên (không có thời hạn)"),
        (DeadlineKind.DATE, "Trước một ngày cụ thể"),
        (DeadlineKind.PERIOD, "Trong tháng, quý hoặc năm"),
        (DeadlineKind.RECURRING, "Định kỳ"),
    ]

    def __init__(self, workspace: Workspace, directive_id: str, task_id: str | None = None, parent=None):
        super().__init__(parent)
        self._ws = workspace
        self.directive_id = directive_id
        self.task_id = task_id
        self.setWindowTitle(self.tr("Giao nhiệm vụ") if task_id is None else self.tr("Theo dõi nhiệm vụ"))
        self.resize(780, 720)
        self._saved_due: date | None = None  # the deadline as last saved, to warn only when it changes
        self._revision: int | None = None  # the task's revision as loaded: a save made since on another PC wins
        self._units = workspace.units()  # the shared copy: read once, not for every task opened
        with workspace.db.transaction() as session:
            directive = directives.load(session, directive_id)
            self._issued = directive.doc_date or directive.arrival_date
            self._reporter = settings.progress_reporter(session)
            self._rights = roles.task_rights(session, None)  # what the signed-in role may do here (ui.roles)
        self._build()
        if task_id:
            self._load()
        self._update_enabled()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(70)
        self.lead = UnitCombo(self._units, allow_empty=True)
        self.cooperating_filter = QLineEdit()
        self.cooperating_filter.setPlaceholderText(self.tr("Lọc đơn vị phối hợp (gõ không dấu cũng được)"))
        self.cooperating_filter.textChanged.connect(self._filter_cooperating)
        self.cooperating = QListWidget()
        self.cooperating.setFixedHeight(110)
        names = unit_labels(self._units)  # namesakes show their parent
        for unit in self._units:
            item = QListWidgetItem(names[unit.id])
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
            item.setData(ENDED_ROLE, not unit.is_active(date.today()))  # listed only once already chosen
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.cooperating.addItem(item)
            item.setHidden(item.data(ENDED_ROLE))
        form.addRow(self.tr("Nội dung nhiệm vụ:"), self.summary)
        form.addRow(self.tr("Đơn vị chủ trì:"), self.lead)
        coop = QVBoxLayout()
        coop.addWidget(self.cooperating_filter)
        coop.addWidget(self.cooperating)
        form.addRow(self.tr("Đơn vị phối hợp:"), coop)

        self.kind = QComboBox()
        for kind, label in self.KINDS:
            self.kind.addItem(self.tr(label), kind.value)
        self.kind_pages = QStackedWidget()
        self.kind_pages.addWidget(QWidget())
        # No deadline is ever assumed: a new task asks for its date (or another form of deadline).
        self.deadline_date = DateEdit(None, label=self.tr("Hạn xử lý"))
        self.deadline_date.set_date(None)
        date_page = QWidget()
        date_row = QHBoxLayout(date_page)
        date_row.setContentsMargins(0, 0, 0, 0)
        date_row.addWidget(self.deadline_date)
        date_row.addStretch()
        self.kind_pages.addWidget(date_page)
        self.period = QLineEdit()
        self.period.setPlaceholderText(self.tr("Ví dụ: Quý III/2024, tháng 9/2026, năm 2025"))
        self.kind_pages.addWidget(self.period)
        recurring = QWidget()
        rec = QHBoxLayout(recurring)
        rec.setContentsMargins(0, 0, 0, 0)
        self.recurrence = QComboBox()
        for value, label in RECURRENCE_LABELS.items():
            self.recurrence.addItem(self.tr(label), value.value)
        self.recurrence_day = QSpinBox()
        self.recurrence_day.setRange(1, 31)
        self.recurrence_day.setValue(15)
        self.recurrence_month = QSpinBox()
        self.recurrence_month.setRange(1, 12)
        self.recurrence_month.setValue(12)
        rec.addWidget(self.recurrence)
        rec.addWidget(QLabel(self.tr("trước ngày")))
        rec.addWidget(self.recurrence_day)
        self.month_label = QLabel(self.tr("tháng"))
        rec.addWidget(self.month_label)
        rec.addWidget(self.recurrence_month)
        rec.addStretch()
        self.kind_pages.addWidget(recurring)
        self.kind.setCurrentIndex(self.kind.findData(DeadlineKind.DATE.value))
        self.kind.currentIndexChanged.connect(self._update_enabled)
        self.kind.activated.connect(lambda _i: self.deadline_text.clear())  # the old wording no longer fits
        self.recurrence.currentIndexChanged.connect(self._update_enabled)
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(self.kind)
        deadline_row.addWidget(self.kind_pages, 1)
        form.addRow(self.tr("Thời hạn:"), deadline_row)
        self.deadline_text = QLineEdit()
        self.deadline_text.setPlaceholderText(self.tr("Thời hạn như văn bản ghi (không bắt buộc)"))
        form.addRow(self.tr("Thời hạn theo văn bản:"), self.deadline_text)
        self.notes = QLineEdit()
        form.addRow(self.tr("Ghi chú:"), self.notes)
        self.status_label = QLabel()
        form.addRow(self.tr("Trạng thái:"), self.status_label)
        self._owned = True
        self.owner_note = QLabel()
        self.owner_note.setWordWrap(True)
        self.owner_note.setVisible(False)
        form.addRow(self.owner_note)
        layout.addLayout(form)

        self.progress_box = QGroupBox(self.tr("Tiến độ và kết quả"))
        progress = QVBoxLayout(self.progress_box)
        self.progress_list = QListWidget()
        progress.addWidget(self.progress_list)
        add_row = QHBoxLayout()
        self.progress_date = DateEdit(date.today(), label=self.tr("Ngày báo cáo tiến độ"))
        self.progress_text = QLineEdit()
        self.progress_text.setPlaceholderText(self.tr("Nội dung tiến độ"))
        self.progress_who = QLineEdit(self._reporter)
        self.progress_who.setPlaceholderText(self.tr("Người báo cáo"))
        self.progress_who.setMaximumWidth(160)
        self.add_progress_button = QPushButton(self.tr("Thêm tiến độ"))
        self.add_progress_button.clicked.connect(self.add_progress)
        for w in (self.progress_date, self.progress_text, self.progress_who, self.add_progress_button):
            add_row.addWidget(w)
        add_row.setStretch(1, 1)
        progress.addLayout(add_row)
        done_row = QHBoxLayout()
        self.completed_check = QCheckBox(self.tr("Đã hoàn thành ngày"))
        self.completed_on = DateEdit(date.today(), label=self.tr("Ngày hoàn thành"))
        self.reply_number = QLineEdit()
        self.reply_number.setPlaceholderText(self.tr("Số, ký hiệu văn bản trả lời"))
        self.completed_check.toggled.connect(self._update_enabled)
        done_row.addWidget(self.completed_check)
        done_row.addWidget(self.completed_on)
        done_row.addWidget(self.reply_number, 1)
        progress.addLayout(done_row)
        layout.addWidget(self.progress_box)

        box = QDialogButtonBox()
        self.save_button = box.addButton(self.tr("Lưu"), QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self._save_and_close)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.save_button.setDefault(True)  # Enter saves and closes, never adds a progress report by surprise
        self.add_progress_button.setAutoDefault(False)

    def _update_enabled(self) -> None:
        kind_index = self.kind.currentIndex()
        self.kind_pages.setCurrentIndex(kind_index)
        yearly = self.recurrence.currentData() == Recurrence.YEARLY.value
        self.recurrence_month.setVisible(yearly)
        self.month_label.setVisible(yearly)
        self.progress_box.setEnabled(self.task_id is not None)
        assign, complete = self._owned and self._rights.assign, self._owned and self._rights.complete
        for widget in (self.summary, self.lead, self.cooperating, self.cooperating_filter, self.kind,
                       self.kind_pages, self.deadline_text, self.notes):
            widget.setEnabled(assign)
        self.completed_check.setEnabled(complete)
        self.completed_on.setEnabled(complete and self.completed_check.isChecked())
        self.reply_number.setEnabled(complete and self.completed_check.isChecked())
        for widget in (self.progress_date, self.progress_text, self.progress_who, self.add_progress_button):
            widget.setEnabled(self._rights.progress)
        self.save_button.setVisible(self._rights.assign or complete)

    def _filter_cooperating(self, text: str) -> None:
        needle = fold(text)
        for i in range(self.cooperating.count()):
            item = self.cooperating.item(i)
            ended = item.data(ENDED_ROLE) and item.checkState() != Qt.CheckState.Checked
            item.setHidden(ended or (bool(needle) and not all(w in fold(item.text()) for w in needle.split())))

    def set_cooperating(self, unit_ids) -> None:
        wanted = set(unit_ids)
        for i in range(self.cooperating.count()):
            item = self.cooperating.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self._filter_cooperating(self.cooperating_filter.text())

    def cooperating_ids(self) -> tuple[str, ...]:
        return tuple(
            self.cooperating.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.cooperating.count())
            if self.cooperating.item(i).checkState() == Qt.CheckState.Checked
        )

    def _load(self) -> None:
        with self._ws.db.transaction() as session:
            task = tasks.load(session, self.task_id)
            data = tasks.input_from(task)
            progress = [(p.reported_on, p.text, p.reported_by) for p in task.progress if not p.deleted]
            completed, reply = task.completed_on, task.reply_number
            status = derive_status(task.due_date, task.completed_on, task.started_on, date.today())
            due = task.due_date
            self._saved_due = due
            self._revision = task.revision
            self._owned = tasks.owned_here(session, task)
            self._rights = roles.task_rights(session, task.lead_unit_id)
            owner = units.get_unit(session, task.owner_unit_id) if task.owner_unit_id else None
        self.owner_note.setText(self.tr(
            "Nhiệm vụ do {owner} giao: đơn vị mình báo cáo tiến độ (ghi cả ngày hoàn thành và số văn bản trả lời "
            "khi xong); nội dung, thời hạn và việc ghi nhận hoàn thành do đơn vị giao quyết định."
        ).format(owner=owner.name if owner else self.tr("cấp trên")))
        self.owner_note.setVisible(not self._owned)
        self.summary.setPlainText(data.summary)
        self.lead.set_unit_id(data.lead_unit_id)
        self.set_cooperating(data.cooperating_unit_ids)
        self.kind.setCurrentIndex(self.kind.findData(data.deadline_kind.value))
        if data.deadline_date:
            self.deadline_date.set_date(data.deadline_date)
        self.period.setText(data.period_text.removeprefix("Trong ").strip())
        if data.recurrence:
            self.recurrence.setCurrentIndex(self.recurrence.findData(data.recurrence.value))
            self.recurrence_day.setValue(data.recurrence_day or 15)
            self.recurrence_month.setValue(data.recurrence_month or 12)
        self.deadline_text.setText(data.deadline_text)
        self.notes.setText(data.notes)
        due_text = self.tr(" — hạn {date}").format(date=vn_date(due)) if due else ""
        self.status_label.setText(f"<b>{status.label}</b>{due_text}")
        self.progress_list.clear()
        for day, text, who in progress:
            self.progress_list.addItem(f"{vn_date(day)} — {text} ({who})" if who else f"{vn_date(day)} — {text}")
        self.completed_check.setChecked(completed is not None)
        if completed:
            self.completed_on.set_date(completed)
        self.reply_number.setText(reply)

    def collect(self) -> TaskInput:
        kind = DeadlineKind(self.kind.currentData())
        return TaskInput(
            directive_id=self.directive_id,
            summary=self.summary.toPlainText(),
            lead_unit_id=self.lead.unit_id(),
            cooperating_unit_ids=self.cooperating_ids(),
            deadline_kind=kind,
            deadline_date=(self.deadline_date.value()  # the service asks for an empty one in its turn
                           if kind == DeadlineKind.DATE and not self.deadline_date.is_blank() else None),
            period_text=self.period.text() if kind == DeadlineKind.PERIOD else "",
            recurrence=Recurrence(self.recurrence.currentData()) if kind == DeadlineKind.RECURRING else None,
            recurrence_day=self.recurrence_day.value() if kind == DeadlineKind.RECURRING else None,
            recurrence_month=self.recurrence_month.value() if kind == DeadlineKind.RECURRING else None,
            deadline_text=self.deadline_text.text(),
            notes=self.notes.text(),
        )

    def confirm_past_deadline(self, data: TaskInput) -> bool:
        """Ask before saving a deadline already past; an unchanged deadline is not asked about again."""
        if data.deadline_kind not in (DeadlineKind.DATE, DeadlineKind.PERIOD):
            return True
        try:
            due = tasks.resolve_deadline(data, date.today()).due
        except UserError:
            return True  # saving says what is wrong with it
        today = date.today()
        if due is None or due >= today or due == self._saved_due or due < self._issued:
            return True
        answer = QMessageBox.question(
            self, self.tr("Hạn xử lý đã qua"),
            self.tr("Hạn xử lý {due} đã qua (hôm nay là {today}), nên nhiệm vụ sẽ bị tính là quá hạn ngay khi lưu.\n"
                    "Vẫn lưu với hạn này? Chọn “Không” để sửa lại hạn.").format(due=vn_date(due), today=vn_date(today)),
        )
        if answer == QMessageBox.StandardButton.Yes:
            return True
        (self.deadline_date if data.deadline_kind == DeadlineKind.DATE else self.period).setFocus()
        return False

    def save(self) -> bool:
        try:
            data = self.collect()
            completed = self.completed_on.value() if self.completed_check.isChecked() else None
        except UserError as error:
            show_error(self, error)
            return False
        if not self.confirm_past_deadline(data):
            return False
        before = self.task_id
        try:
            with self._ws.db.transaction(self._ws.user()) as session:
                if self.task_id is None:
                    self.task_id = tasks.create_task(session, data)
                elif self._owned:  # another office's task: only progress reports, added on their own
                    if self._rights.assign:
                        tasks.update_task(session, self.task_id, data, revision=self._revision)
                    if self._rights.complete:
                        tasks.complete_task(session, self.task_id, completed, self.reply_number.text(),
                                            revision=self._revision)
        except RecordChangedError as error:  # saved on another PC meanwhile: nothing written, the typing kept
            if offer_reload(self, error):
                self._load()
                self._update_enabled()
            return False
        except UserError as error:
            if before is None:
                self.task_id = None  # the new task was rolled back with the rest
            elif not isinstance(error, ServerError) and not self._exists():
                self.task_id = None  # deleted on another PC meanwhile: saving again makes it anew
            # (a server out of reach says nothing of the task: it is kept, and saved once the server is back)
            show_error(self, error)
            return False
        self._load()
        self._update_enabled()
        self.saved.emit(self.task_id)
        return True

    def _exists(self) -> bool:
        try:
            with self._ws.db.transaction() as session:
                tasks.load(session, self.task_id)
            return True
        except UserError:
            return False

    def _save_and_close(self) -> None:
        if self.save():
            self.accept()

    def add_progress(self) -> bool:
        try:
            with self._ws.db.transaction(self._ws.user()) as session:
                tasks.add_progress(session, self.task_id, self.progress_date.value(),
                                   self.progress_text.text(), self.progress_who.text())
                settings.remember_progress_reporter(session, self.progress_who.text())
        except UserError as error:
            show_error(self, error)
            return False
        self.progress_text.clear()
        self._load()
        self.saved.emit(self.task_id)
        return True
