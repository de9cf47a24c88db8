"""A table model whose rows come from SQL a page at a time, as the view scrolls.

`count(session, filter)` and `page(session, filter, offset, limit)` are the service's list functions.
Given `key` (a row's place in the list's order, e.g. services.tasklist.key_of), the next page is asked
for as `page(session, filter, after=key(last row), limit=...)`: keyset paging, each page as quick as the
first however far the officer scrolls. Given `count_later`, the total is counted off the GUI thread
(`total_changed` says when it is known; `total` is None until then): the first rows show at once.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from ntm_desktop.db import Database
from ntm_desktop.ui.background import Loader

PAGE_SIZE = 200


class PagedTableModel(QAbstractTableModel):
    total_changed = Signal()

    def __init__(self, db: Database, filter_, headers: list[str], count, page, parent=None, key=None,
                 count_later: bool = False):
        super().__init__(parent)
        self._count = count
        self._page = page
        self._key = key
        self._db = db
        self._filter = filter_
        self._headers = headers
        self._rows: list = []
        self._total: int | None = 0
        self._more = False
        self._counter = Loader(self) if count_later else None
        self.reload()

    @property
    def filter(self):
        return self._filter

    @property
    def total(self) -> int | None:
        """How many rows the filter keeps; None while it is being counted."""
        return self._total

    @property
    def counting(self) -> bool:
        return self._counter is not None and self._counter.busy

    def set_filter(self, filter_) -> None:
        self._filter = filter_
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        with self._db.transaction() as session:
            self._rows = self._page(session, self._filter, 0, PAGE_SIZE)
            if self._counter is None:
                self._total = self._count(session, self._filter)
        self._more = len(self._rows) == PAGE_SIZE
        self.endResetModel()
        if self._counter is not None:
            self._count_later()

    def _count_later(self) -> None:
        if len(self._rows) < PAGE_SIZE:  # every row is here: nothing to count
            self._counter.cancel()
            self._set_total(len(self._rows))
            return
        self._total = None
        self.total_changed.emit()
        db, filter_, count = self._db, self._filter, self._count

        def work() -> int:
            with db.transaction() as session:
                return count(session, filter_)

        self._counter.load(work, self._set_total)

    def _set_total(self, total: int) -> None:
        self._total = total
        self.total_changed.emit()

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
        if parent.isValid():
            return False
        if self._key is not None or self._total is None:
            return self._more
        return len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or not self._rows:
            return
        with self._db.transaction() as session:
            if self._key is not None:
                more = self._page(session, self._filter, after=self._key(self._rows[-1]), limit=PAGE_SIZE)
            else:
                more = self._page(session, self._filter, len(self._rows), PAGE_SIZE)
        self._more = len(more) == PAGE_SIZE
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()
