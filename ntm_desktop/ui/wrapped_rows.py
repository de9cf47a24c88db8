"""Rows of a paged table as tall as their wrapped text, measured as they arrive.

QHeaderView's ResizeToContents measures every row again whenever rows are added, so a
list slows down as it is scrolled; here a page of rows is measured when it comes in,
and all loaded rows again only when a column changes width: at once when the view is first
laid out, then once a window being resized stops for a moment. Rows are measured a few dozen
at a time, the first ones at once and the rest in the following turns of the event loop, so
that a page of 200 long rows (or a thousand scrolled in) never holds the window up.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSize, QTimer
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate, QTableView

ROW_PADDING = 8  # pixels above and below a row's wrapped text together
SETTLE_MS = 80  # a window being resized: refit when it pauses this long
CHUNK = 40  # rows measured in one go (more than a screenful)


class PaddedRows(QStyledItemDelegate):
    """Wrapped lines with a little air, so they do not touch the grid. Only the columns that wrap are
    measured (`wrapping`; None: all): a short column is one line high whatever it holds."""

    def __init__(self, parent=None, wrapping: set[int] | None = None):
        super().__init__(parent)
        self._wrapping = wrapping

    def sizeHint(self, option, index):
        if self._wrapping is not None and index.column() not in self._wrapping:
            return QSize(0, option.fontMetrics.height() + ROW_PADDING)
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), hint.height() + ROW_PADDING)


class WrappedRows(QObject):
    """Keeps `view`'s row heights fitted to their text; `view` must have its model set. `wrapping`: the
    columns whose text may take more than one line (default: all)."""

    def __init__(self, view: QTableView, wrapping: set[int] | None = None):
        super().__init__(view)
        self._view = view
        view.setWordWrap(True)
        view.setItemDelegate(PaddedRows(view, wrapping))
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._shown_width = False  # rows fitted once at the width the view is shown with
        self._todo: list[int] = []  # rows still to measure, in order
        self._refit = QTimer(self, singleShot=True)
        self._refit.timeout.connect(self._fit_all)
        self._next = QTimer(self, singleShot=True, interval=0)
        self._next.timeout.connect(self._fit_some)
        model = view.model()
        model.modelReset.connect(self._fit_all)
        model.rowsInserted.connect(self._fit_new)
        model.dataChanged.connect(lambda first, last, *_: self._fit_new(None, first.row(), last.row()))
        view.horizontalHeader().sectionResized.connect(
            lambda *_: self._refit.start(SETTLE_MS if self._shown_width else 0))

    def _fit_all(self) -> None:
        self._todo = list(range(self._view.model().rowCount()))
        self._fit_some()
        self._shown_width = self._shown_width or self._view.isVisible()

    def _fit_new(self, _parent, first: int, last: int) -> None:
        known = set(self._todo)
        self._todo += [row for row in range(first, last + 1) if row not in known]
        self._fit_some()

    def _fit_some(self) -> None:
        rows, self._todo = self._todo[:CHUNK], self._todo[CHUNK:]
        count = self._view.model().rowCount()
        for row in rows:
            if row < count:
                self._view.resizeRowToContents(row)
        if self._todo:
            self._next.start()

    def pending(self) -> int:
        """Rows not measured yet."""
        return len(self._todo)
