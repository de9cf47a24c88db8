"""Rows of a paged table as tall as their wrapped text, measured as they arrive.

QHeaderView's ResizeToContents measures every row again whenever rows are added, so a
list slows down as it is scrolled; here a page of rows is measured when it comes in,
and all loaded rows again only when a column changes width: at once when the view is first
laid out, then once a window being resized stops for a moment.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSize, QTimer
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate, QTableView

ROW_PADDING = 8  # pixels above and below a row's wrapped text together
SETTLE_MS = 80  # a window being resized: refit when it pauses this long


class PaddedRows(QStyledItemDelegate):
    """Wrapped lines with a little air, so they do not touch the grid."""

    def sizeHint(self, option, index):
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), hint.height() + ROW_PADDING)


class WrappedRows(QObject):
    """Keeps `view`'s row heights fitted to their text; `view` must have its model set."""

    def __init__(self, view: QTableView):
        super().__init__(view)
        self._view = view
        view.setWordWrap(True)
        view.setItemDelegate(PaddedRows(view))
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._shown_width = False  # rows fitted once at the width the view is shown with
        self._refit = QTimer(self, singleShot=True)
        self._refit.timeout.connect(self._fit_all)
        model = view.model()
        model.modelReset.connect(view.resizeRowsToContents)
        model.rowsInserted.connect(self._fit_new)
        model.dataChanged.connect(lambda first, last, *_: self._fit_new(None, first.row(), last.row()))
        view.horizontalHeader().sectionResized.connect(
            lambda *_: self._refit.start(SETTLE_MS if self._shown_width else 0))
        view.resizeRowsToContents()

    def _fit_all(self) -> None:
        self._view.resizeRowsToContents()
        self._shown_width = self._shown_width or self._view.isVisible()

    def _fit_new(self, _parent, first: int, last: int) -> None:
        for row in range(first, last + 1):
            self._view.resizeRowToContents(row)
