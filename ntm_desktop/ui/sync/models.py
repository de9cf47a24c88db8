"""A read-only table of plain rows, for the sync screen's lists (preview, history, board, conflicts)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt


class RowsModel(QAbstractTableModel):
    """`formatters`: column -> how a cell's value is shown, made when the cell is first shown (a province's
    history is ten thousand rows, of which a screen shows thirty)."""

    def __init__(self, headers: list[str], parent=None, formatters: dict[int, Callable[[object], str]] | None = None):
        super().__init__(parent)
        self._headers = headers
        self._rows: list[tuple] = []
        self._keys: list[object] = []
        self._formatters = formatters or {}
        self._shown: dict[tuple[int, int], str] = {}

    def set_rows(self, rows: list[tuple], keys: list[object] | None = None) -> None:
        self.beginResetModel()
        self._rows = [tuple(r) for r in rows]
        self._keys = list(keys) if keys is not None else [None] * len(rows)
        self._shown = {}
        self.endResetModel()

    def key(self, row: int):
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def text(self, row: int, column: int) -> str:
        """The cell as shown."""
        value = self._rows[row][column]
        format_value = self._formatters.get(column)
        if format_value is None:
            return "" if value is None else str(value)
        shown = self._shown.get((row, column))
        if shown is None:
            shown = self._shown[(row, column)] = format_value(value)
        return shown

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None
