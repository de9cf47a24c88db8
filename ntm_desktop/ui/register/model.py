"""The incoming register as a Qt model: rows paged from SQL as the view scrolls."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from ntm_desktop.db import Database
from ntm_desktop.ui.paged_model import PagedTableModel
from ntm_desktop.models import DOC_TYPES, URGENCY_LABELS, Urgency
from ntm_desktop.services import register
from ntm_desktop.services.register import RegisterFilter, RegisterRow, SortColumn
from ntm_desktop.ui.common import vn_date

BOLD = QFont()
BOLD.setBold(True)


def _tr(text: str) -> str:
    return QCoreApplication.translate("RegisterModel", text)


class RegisterModel(PagedTableModel):
    """Columns in the order of the Sổ đăng ký văn bản đến (Nghị định 30/2020)."""

    SORTABLE = {0: SortColumn.ARRIVAL, 1: SortColumn.ARRIVAL, 2: SortColumn.ISSUER,
                3: SortColumn.NUMBER, 4: SortColumn.DOC_DATE, 5: SortColumn.SUBJECT}

    def __init__(self, db: Database, filter_: RegisterFilter, parent=None):
        headers = [
            _tr("Ngày đến"), _tr("Số đến"), _tr("Tác giả"), _tr("Số, ký hiệu"),
            _tr("Ngày tháng văn bản"), _tr("Tên loại và trích yếu nội dung"),
            _tr("Đơn vị hoặc người nhận"), _tr("Ngày chuyển"), _tr("Ký nhận"), _tr("Ghi chú"),
        ]
        super().__init__(db, filter_, headers, register.count, register.page, parent)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        sort = self.SORTABLE.get(column)
        if sort is None:
            return
        self.set_filter(replace(self._filter, sort=sort, descending=order == Qt.SortOrder.DescendingOrder))

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == 5:
            return row.subject
        if role == Qt.ItemDataRole.ForegroundRole and col == 5 and row.urgency:
            return QColor("#b3261e")
        if role == Qt.ItemDataRole.FontRole and row.urgency:
            return BOLD
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 1, 4, 7):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    @staticmethod
    def _display(row: RegisterRow, col: int):
        if col == 0:
            return vn_date(row.arrival_date)
        if col == 1:
            return row.arrival_number
        if col == 2:
            return row.issuer_name
        if col == 3:
            return row.number_symbol
        if col == 4:
            return vn_date(row.doc_date)
        if col == 5:
            kind = DOC_TYPES.get(row.doc_type, "")
            urgency = f"[{URGENCY_LABELS[Urgency(row.urgency)]}] " if row.urgency else ""
            return f"{urgency}{kind}: {row.subject}" if kind else row.subject
        if col == 6:
            return row.recipients
        if col == 7:
            return vn_date(row.transfer_date)
        if col == 8:
            return ""
        return row.notes
