"""Small widgets and helpers shared by the screens."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QMessageBox, QWidget

from ntm_desktop.errors import UserError
from ntm_desktop.services.dates import format_vn_date
from ntm_desktop.services.status import TaskStatus
from ntm_desktop.services.units import UnitRow
from ntm_desktop.ui.date_field import DateEdit, from_qdate, to_qdate  # noqa: F401  (shared here)

STATUS_COLORS = {
    TaskStatus.IN_PROGRESS_OVERDUE: QColor("#fde2e1"),
    TaskStatus.DONE_LATE: QColor("#fff1d6"),
    TaskStatus.DONE_ON_TIME: QColor("#e3f4e1"),
}
OVERDUE_TEXT = QColor("#b3261e")


def vn_date(value: date | None) -> str:
    return format_vn_date(value)


class UnitCombo(QComboBox):
    """Pick a unit by typing part of its name (diacritics optional)."""

    def __init__(self, units: list[UnitRow], allow_empty: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer().setCompletionMode(self.completer().CompletionMode.PopupCompletion)
        self.set_units(units, allow_empty)

    def set_units(self, units: list[UnitRow], allow_empty: bool = False) -> None:
        self.clear()
        if allow_empty:
            self.addItem("", "")
        today = date.today()
        for unit in units:
            label = unit.name if unit.is_active(today) else f"{unit.name} (hết hiệu lực)"
            self.addItem(label, unit.id)

    def unit_id(self) -> str | None:
        index = self.findText(self.currentText())
        if index < 0:
            return None
        return self.itemData(index) or None

    def set_unit_id(self, unit_id: str | None) -> None:
        index = self.findData(unit_id or "")
        self.setCurrentIndex(max(index, 0))
        if index < 0:
            self.setEditText("")


def show_error(parent: QWidget | None, error: Exception, title: str | None = None) -> None:
    """Show a user error's Vietnamese message."""
    QMessageBox.warning(parent, title or QCoreApplication.translate("common", "Không lưu được"), str(error))


def guarded(parent: QWidget, action) -> bool:
    """Run `action`; on a UserError show its message and return False."""
    try:
        action()
    except UserError as error:
        show_error(parent, error)
        return False
    return True
