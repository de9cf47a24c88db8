"""Tasks as a Qt model: paged from SQL by key, counted off the GUI thread; overdue rows stand out; texts are
given whole (the view wraps them)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QFont

from ntm_desktop.db import Database
from ntm_desktop.ui.paged_model import PagedTableModel
from ntm_desktop.services import tasklist
from ntm_desktop.services.status import TaskStatus
from ntm_desktop.services.tasklist import TaskFilter, TaskRow
from ntm_desktop.ui.common import OVERDUE_TEXT, STATUS_COLORS, vn_date

BOLD = QFont()
BOLD.setBold(True)


def _tr(text: str) -> str:
    return QCoreApplication.translate("TaskModel", text)


class TaskModel(PagedTableModel):
    def __init__(self, db: Database, filter_: TaskFilter, parent=None):
        headers = [
            _tr("Văn bản"), _tr("Nội dung nhiệm vụ"), _tr("Chủ trì"), _tr("Phối hợp"),
            _tr("Thời hạn"), _tr("Trạng thái"), _tr("Quá hạn\n(ngày)"), _tr("Hoàn thành"),
            _tr("Văn bản\ntrả lời"),
        ]
        super().__init__(db, filter_, headers, tasklist.count, tasklist.page, parent, key=tasklist.key_of,
                         count_later=True)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole and col in (1, 2, 3):
            return self._display(row, col) or None
        if role == Qt.ItemDataRole.BackgroundRole:
            return STATUS_COLORS.get(row.status)
        if role == Qt.ItemDataRole.ForegroundRole and row.status == TaskStatus.IN_PROGRESS_OVERDUE:
            return OVERDUE_TEXT
        if role == Qt.ItemDataRole.FontRole and row.status == TaskStatus.IN_PROGRESS_OVERDUE:
            return BOLD
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    @staticmethod
    def _display(row: TaskRow, col: int):
        if col == 0:
            number = f" – {row.number_symbol}" if row.number_symbol else ""
            return f"{row.arrival_number}/{row.arrival_year}{number}"
        if col == 1:
            return row.summary
        if col == 2:
            return row.lead_unit
        if col == 3:
            return row.cooperating
        if col == 4:
            return vn_date(row.due_date) if row.due_date else row.deadline_text
        if col == 5:
            return row.status.label
        if col == 6:
            return row.days_overdue or ""
        if col == 7:
            return vn_date(row.completed_on)
        return row.reply_number
