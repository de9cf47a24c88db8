"""Tasks as a Qt model: paged from SQL; overdue rows stand out."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont

from ntm_desktop.db import Database
from ntm_desktop.services import tasklist
from ntm_desktop.services.status import TaskStatus
from ntm_desktop.services.tasklist import TaskFilter, TaskRow
from ntm_desktop.ui.common import OVERDUE_TEXT, STATUS_COLORS, vn_date

PAGE_SIZE = 200
BOLD = QFont()
BOLD.setBold(True)


class TaskModel(QAbstractTableModel):
    def __init__(self, db: Database, filter_: TaskFilter, parent=None):
        super().__init__(parent)
        self._db = db
        self._filter = filter_
        self._rows: list[TaskRow] = []
        self._total = 0
        self._headers = [
            self.tr("Văn bản"), self.tr("Nội dung nhiệm vụ"), self.tr("Chủ trì"), self.tr("Phối hợp"),
            self.tr("Thời hạn"), self.tr("Trạng thái"), self.tr("Quá hạn (ngày)"), self.tr("Hoàn thành"),
            self.tr("Văn bản trả lời"),
        ]
        self.reload()

    @property
    def filter(self) -> TaskFilter:
        return self._filter

    @property
    def total(self) -> int:
        return self._total

    def set_filter(self, filter_: TaskFilter) -> None:
        self._filter = filter_
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        with self._db.transaction() as session:
            self._total = tasklist.count(session, self._filter)
            self._rows = tasklist.page(session, self._filter, 0, PAGE_SIZE)
        self.endResetModel()

    def row_at(self, row: int) -> TaskRow:
        return self._rows[row]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid():
            return
        with self._db.transaction() as session:
            more = tasklist.page(session, self._filter, len(self._rows), PAGE_SIZE)
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return row.summary
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
            return row.summary if len(row.summary) <= 160 else row.summary[:157] + "…"
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
