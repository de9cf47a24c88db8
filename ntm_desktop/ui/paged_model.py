"""A table model whose rows come from SQL a page at a time, as the view scrolls."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from ntm_desktop.db import Database

PAGE_SIZE = 200


class PagedTableModel(QAbstractTableModel):
    """`count(session, filter)` and `page(session, filter, offset, limit)` are the service's list functions."""

    def __init__(self, db: Database, filter_, headers: list[str], count, page, parent=None):
        super().__init__(parent)
        self._count = count
        self._page = page
        self._db = db
        self._filter = filter_
        self._headers = headers
        self._rows: list = []
        self._total = 0
        self.reload()

    @property
    def filter(self):
        return self._filter

    @property
    def total(self) -> int:
        return self._total

    def set_filter(self, filter_) -> None:
        self._filter = filter_
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        with self._db.transaction() as session:
            self._total = self._count(session, self._filter)
            self._rows = self._page(session, self._filter, 0, PAGE_SIZE)
        self.endResetModel()

    def row_at(self, row: int):
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
            more = self._page(session, self._filter, len(self._rows), PAGE_SIZE)
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()
