"""UnitCombo: pick a unit by typing part of its name, with or without diacritics ("nong nghiep").

The list shows units in operation; a unit that has ended (a district after 30/6/2025,
a department merged away) appears only when it is the value already set, or after
"Hiện cả đơn vị hết hiệu lực" at the end of the list. Two units of the same name
show their parent: "Sở Tài chính — Tỉnh Lào Cai".
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from ntm_desktop.services.units import UnitRow, labels
from ntm_desktop.text import fold, sort_key

SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1  # folded name, short name and parent: what typing matches
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
ENDED_ROLE = Qt.ItemDataRole.UserRole + 3  # in other unit lists: True for a unit that has ended
UNIT, EMPTY, PROPOSED, TOGGLE = "unit", "empty", "proposed", "toggle"


def unit_labels(rows: list[UnitRow]) -> dict[str, str]:
    """Names for a list of units: namesakes get their parent's place ("Sở Tài chính — Tỉnh Lào Cai")."""
    return labels(rows)


class _FoldedFilter(QSortFilterProxyModel):
    """Rows where every typed word starts a word of the folded name, in any order ("nong nghiep",
    "tai chinh lao cai"); rows holding the typed words together come first ("cong an" → "Công an tỉnh")."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._words: list[str] = []
        self._phrase = ""

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self._phrase = " ".join(self._words)
        self.endFilterChange()
        self.sort(-1)
        self.sort(0)

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802 (Qt override)
        index = self.sourceModel().index(row, 0, parent)
        if index.data(KIND_ROLE) not in (UNIT, PROPOSED):
            return False
        words = (index.data(SEARCH_ROLE) or "").split()
        return all(any(w.startswith(typed) for w in words) for typed in self._words)

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:  # noqa: N802 (Qt override)
        def rank(index: QModelIndex) -> tuple[int, int]:
            together = f" {self._phrase}" in f" {index.data(SEARCH_ROLE) or ''}"
            return (0 if together else 1, index.row())

        return rank(left) < rank(right)


class UnitCombo(QComboBox):
    """Pick a unit by typing part of its name (diacritics optional); ended units hidden unless asked."""

    def __init__(self, units: list[UnitRow], allow_empty: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # a long unit name must not widen the form: the list opens wider than the box instead
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        self._items = QStandardItemModel(self)
        self.setModel(self._items)
        self._rows: list[UnitRow] = []
        self._labels: dict[str, str] = {}
        self._allow_empty = allow_empty
        self._expired_shown = False
        self._proposed: tuple[str, str] | None = None
        self._filter = _FoldedFilter(self)
        self._filter.setSourceModel(self._items)
        self._filter.sort(0)
        completer = QCompleter(self._filter, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        completer.popup().installEventFilter(self)
        self.lineEdit().textEdited.connect(self._typed)
        self.view().pressed.connect(self._pressed)
        self.set_units(units, allow_empty)

    # --- filling the list
    def set_units(self, units: list[UnitRow], allow_empty: bool | None = None) -> None:
        if allow_empty is not None:
            self._allow_empty = allow_empty
        self._labels = labels(list(units))
        self._rows = sorted(units, key=lambda r: sort_key(self._labels[r.id]))
        self._rebuild(self.unit_id() if self.count() else None)

    def set_show_expired(self, shown: bool) -> None:
        """Offer the units that have ended too (to record history: a merged commune's old district)."""
        if shown != self._expired_shown:
            self._expired_shown = shown
            self._rebuild(self.unit_id(), keep_text=True)

    def expired_shown(self) -> bool:
        return self._expired_shown

    def set_proposed(self, name: str | None, tooltip: str = "") -> None:
        """Put a name that is not (yet) a unit first in the list and show it (a paste's assignee); None drops it."""
        self._proposed = (name, tooltip) if name else None
        self._rebuild(None)
        if name:
            self.setCurrentIndex(self._first_row_of(PROPOSED))
            self.lineEdit().setCursorPosition(0)

    def _visible(self, row: UnitRow, today: date, keep: str | None) -> bool:
        return self._expired_shown or row.is_active(today) or row.id == keep

    def _rebuild(self, keep: str | None, keep_text: bool = False) -> None:
        text = self.currentText()
        today = date.today()
        self.blockSignals(True)
        self._items.clear()
        if self._allow_empty:
            self._add("", EMPTY, "")
        if self._proposed:
            name, tooltip = self._proposed
            item = self._add(name, PROPOSED, "", fold(name))
            item.setToolTip(tooltip)
            item.setForeground(QColor("#8a4b00"))
        hidden = 0
        for row in self._rows:
            if not self._visible(row, today, keep):
                hidden += 1
                continue
            label = self._labels.get(row.id, row.name)
            if not row.is_active(today):
                label = self.tr("{name} (hết hiệu lực)").format(name=label)
            self._add(label, UNIT, row.id, fold(f"{label} {row.short_name} {row.code}"))
        if hidden or self._expired_shown and any(not r.is_active(today) for r in self._rows):
            toggle = self._add(
                self.tr("Ẩn đơn vị hết hiệu lực") if self._expired_shown
                else self.tr("Hiện cả đơn vị hết hiệu lực ({n})").format(n=hidden), TOGGLE, None)
            toggle.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = QFont(toggle.font())
            font.setItalic(True)
            toggle.setFont(font)
            toggle.setForeground(QColor("#555555"))
        self.view().setMinimumWidth(self._list_width(self._items.item(r).text() for r in range(self._items.rowCount())))
        index = self.findData(keep) if keep else -1
        if index >= 0:
            self.setCurrentIndex(index)
        elif keep_text:
            self.setCurrentIndex(-1)
            self.setEditText(text)
        else:
            firsts = [self._first_row_of(kind) for kind in (EMPTY, PROPOSED, UNIT)]
            self.setCurrentIndex(next((row for row in firsts if row >= 0), -1))
        self.blockSignals(False)

    def _add(self, label: str, kind: str, data, search: str = "") -> QStandardItem:
        item = QStandardItem(label)
        item.setData(data, Qt.ItemDataRole.UserRole)
        item.setData(kind, KIND_ROLE)
        item.setData(search, SEARCH_ROLE)
        item.setEditable(False)
        self._items.appendRow(item)
        return item

    def _first_row_of(self, kind: str) -> int:
        for row in range(self._items.rowCount()):
            if self._items.item(row).data(KIND_ROLE) == kind:
                return row
        return -1

    def _typed(self, text: str) -> None:
        self._filter.set_text(text)
        self.completer().popup().setMinimumWidth(self._list_width(
            self._filter.index(row, 0).data() for row in range(self._filter.rowCount())))

    def _list_width(self, texts) -> int:
        """Wide enough for the names shown (a list may be wider than its box), at most 640 pixels."""
        widest = max((self.fontMetrics().horizontalAdvance(t or "") for t in texts), default=0)
        return min(max(self.width(), widest + 40), 640)

    # --- reading and setting the value
    def unit_id(self) -> str | None:
        """The unit shown: the item picked, or a name typed in full (folded) that only one unit has."""
        index = self.findText(self.currentText())
        if index >= 0:
            item = self._items.item(index)
            return item.data(Qt.ItemDataRole.UserRole) or None if item.data(KIND_ROLE) == UNIT else None
        typed = fold(self.currentText())
        if not typed:
            return None
        matches = {r.id for r in self._rows if typed in (fold(r.name), fold(r.short_name), fold(self._labels.get(r.id)))}
        return matches.pop() if len(matches) == 1 else None

    def set_unit_id(self, unit_id: str | None) -> None:
        if unit_id and self.findData(unit_id) < 0 and any(r.id == unit_id for r in self._rows):
            self._rebuild(unit_id)  # an ended unit already set is shown
        index = self.findData(unit_id or "") if unit_id else self._first_row_of(EMPTY)
        self.setCurrentIndex(max(index, 0))
        if index < 0:
            self.setEditText("")

    # --- the list's own actions
    def _pressed(self, index: QModelIndex) -> None:
        if index.data(KIND_ROLE) == TOGGLE:
            self.set_show_expired(not self._expired_shown)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Enter in the suggestions takes the first one when none is highlighted."""
        popup = self.completer().popup()
        if watched is popup and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not popup.currentIndex().isValid():
            completion = self.completer().completionModel()
            if completion.rowCount() > 0:
                first = self._filter.mapToSource(completion.mapToSource(completion.index(0, 0)))
                popup.hide()
                self.setCurrentIndex(first.row())
                self.activated.emit(first.row())
                return True
        return super().eventFilter(watched, event)
