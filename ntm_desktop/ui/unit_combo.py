"""UnitCombo: pick a unit by typing part of its name, with or without diacritics ("nong nghiep").

The list shows units in operation; a unit that has ended (a district after 30/6/2025,
a department merged away) appears only when it is the value already set, or after
"Hiện cả đơn vị hết hiệu lực" at the end of the list. Two units of the same name
show their parent: "Sở Tài chính — Tỉnh Lào Cai".
"""

from __future__ import annotations

from datetime import date

import heapq
from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont
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
        if self._words:  # sorted only while words are typed: a list of thousands resets without sorting
            self.sort(0)

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802 (Qt override)
        entry = self.sourceModel().entry(row)
        if entry.kind not in (UNIT, PROPOSED):
            return False
        if not self._words:
            return True
        words = entry.search.split()
        return all(any(w.startswith(typed) for w in words) for typed in self._words)

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:  # noqa: N802 (Qt override)
        model = self.sourceModel()

        def rank(index: QModelIndex) -> tuple[int, int]:
            together = f" {self._phrase}" in f" {model.entry(index.row()).search}"
            return (0 if together else 1, index.row())

        return rank(left) < rank(right)


@dataclass(frozen=True)
class _Entry:
    label: str
    kind: str
    unit_id: str | None
    search: str = ""
    tooltip: str = ""


_PROPOSED_COLOR = QColor("#8a4b00")
_TOGGLE_COLOR = QColor("#555555")


class _Entries(QAbstractListModel):
    """The combo's lines as plain tuples: a country's thousands of units are set in one reset."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._entries: list[_Entry] = []
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_entries(self, entries: list[_Entry]) -> None:
        self.beginResetModel()
        self._entries = entries
        self.endResetModel()

    def entry(self, row: int) -> _Entry:
        return self._entries[row]

    def entries(self) -> list[_Entry]:
        return self._entries

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return entry.label
        if role == Qt.ItemDataRole.UserRole:
            return entry.unit_id
        if role == KIND_ROLE:
            return entry.kind
        if role == SEARCH_ROLE:
            return entry.search
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.tooltip or None
        if role == Qt.ItemDataRole.ForegroundRole:
            return _PROPOSED_COLOR if entry.kind == PROPOSED else _TOGGLE_COLOR if entry.kind == TOGGLE else None
        if role == Qt.ItemDataRole.FontRole and entry.kind == TOGGLE:
            return self._italic
        return None

    def flags(self, index: QModelIndex):
        if index.isValid() and self._entries[index.row()].kind == TOGGLE:
            return Qt.ItemFlag.ItemIsEnabled
        return super().flags(index)


_PREPARED: list[tuple[list, dict[str, str], list[UnitRow], dict[str, str]]] = []  # the last few lists seen


def _prepared(units: list[UnitRow]) -> tuple[dict[str, str], list[UnitRow], dict[str, str]]:
    """Labels (namesakes told apart), Vietnamese order and folded search text of a list of units."""
    for seen, names, ordered, search in _PREPARED:
        if seen is units:
            return names, ordered, search
    names = labels(list(units))
    ordered = sorted(units, key=lambda r: sort_key(names[r.id]))
    search = {r.id: fold(f"{names[r.id]} {r.short_name} {r.code}") for r in units}
    _PREPARED.insert(0, (units, names, ordered, search))
    del _PREPARED[4:]
    return names, ordered, search


class UnitCombo(QComboBox):
    """Pick a unit by typing part of its name (diacritics optional); ended units hidden unless asked."""

    def __init__(self, units: list[UnitRow], allow_empty: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # a long unit name must not widen the form: the list opens wider than the box instead
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        self._items = _Entries(self)
        self.setModel(self._items)
        self._rows: list[UnitRow] = []
        self._labels: dict[str, str] = {}
        self._search: dict[str, str] = {}
        self._exclude: frozenset[str] = frozenset()
        self._allow_empty = allow_empty
        self._expired_shown = False
        self._proposed: tuple[str, str] | None = None
        self._filter = _FoldedFilter(self)
        self._filter.setSourceModel(self._items)
        completer = QCompleter(self._filter, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        completer.popup().installEventFilter(self)
        self.lineEdit().textEdited.connect(self._typed)
        self.view().pressed.connect(self._pressed)
        self.set_units(units, allow_empty)

    # --- filling the list
    def set_units(self, units: list[UnitRow], allow_empty: bool | None = None,
                  exclude: frozenset[str] | set[str] = frozenset()) -> None:
        """The units to offer, less `exclude` (a unit cannot be its own parent). Labels and order are worked
        out once per list: every box given the workspace's shared list reuses them."""
        if allow_empty is not None:
            self._allow_empty = allow_empty
        self._labels, self._rows, self._search = _prepared(units)
        self._exclude = frozenset(exclude)
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
        entries: list[_Entry] = []
        if self._allow_empty:
            entries.append(_Entry("", EMPTY, ""))
        if self._proposed:
            name, tooltip = self._proposed
            entries.append(_Entry(name, PROPOSED, "", fold(name), tooltip))
        hidden = 0
        for row in self._rows:
            if row.id in self._exclude:
                continue
            if not self._visible(row, today, keep):
                hidden += 1
                continue
            label = self._labels.get(row.id, row.name)
            if row.is_active(today):
                search = self._search[row.id]
            else:
                label = self.tr("{name} (hết hiệu lực)").format(name=label)
                search = fold(f"{label} {row.short_name} {row.code}")
            entries.append(_Entry(label, UNIT, row.id, search))
        if hidden or self._expired_shown and any(not r.is_active(today) for r in self._rows
                                                 if r.id not in self._exclude):
            entries.append(_Entry(
                self.tr("Ẩn đơn vị hết hiệu lực") if self._expired_shown
                else self.tr("Hiện cả đơn vị hết hiệu lực ({n})").format(n=hidden), TOGGLE, None))
        self._items.set_entries(entries)
        self.view().setMinimumWidth(self._list_width(e.label for e in entries))
        index = self._row_of(keep) if keep else -1
        if index >= 0:
            self.setCurrentIndex(index)
        elif keep_text:
            self.setCurrentIndex(-1)
            self.setEditText(text)
        else:
            firsts = [self._first_row_of(kind) for kind in (EMPTY, PROPOSED, UNIT)]
            self.setCurrentIndex(next((row for row in firsts if row >= 0), -1))
        self.blockSignals(False)

    def _row_of(self, unit_id: str) -> int:
        for row, entry in enumerate(self._items.entries()):
            if entry.unit_id == unit_id and entry.kind == UNIT:
                return row
        return -1

    def _first_row_of(self, kind: str) -> int:
        for row, entry in enumerate(self._items.entries()):
            if entry.kind == kind:
                return row
        return -1

    def _typed(self, text: str) -> None:
        self._filter.set_text(text)
        self.completer().popup().setMinimumWidth(self._list_width(
            self._filter.index(row, 0).data() for row in range(self._filter.rowCount())))

    def _list_width(self, texts) -> int:
        """Wide enough for the names shown (a list may be wider than its box), at most 640 pixels."""
        longest = heapq.nlargest(40, (t or "" for t in texts), key=len)  # measured: the longest by letters
        widest = max((self.fontMetrics().horizontalAdvance(t) for t in longest), default=0)
        return min(max(self.width(), widest + 40), 640)

    # --- reading and setting the value
    def unit_id(self) -> str | None:
        """The unit shown: the item picked, or a name typed in full (folded) that only one unit has."""
        current = self.currentText()
        index = next((row for row, e in enumerate(self._items.entries()) if e.label == current), -1)
        if index >= 0:
            entry = self._items.entry(index)
            return entry.unit_id or None if entry.kind == UNIT else None
        typed = fold(self.currentText())
        if not typed:
            return None
        matches = {r.id for r in self._rows if typed in (fold(r.name), fold(r.short_name), fold(self._labels.get(r.id)))}
        return matches.pop() if len(matches) == 1 else None

    def set_unit_id(self, unit_id: str | None) -> None:
        if unit_id and self._row_of(unit_id) < 0 and any(r.id == unit_id for r in self._rows):
            self._rebuild(unit_id)  # an ended unit already set is shown
        index = self._row_of(unit_id) if unit_id else self._first_row_of(EMPTY)
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
