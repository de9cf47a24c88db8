"""Small widgets and helpers shared by the screens."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox, QWidget

from ntm_desktop.errors import UserError
from ntm_desktop.services.dates import format_vn_date
from ntm_desktop.services.status import TaskStatus
from ntm_desktop.ui.date_field import DateEdit, from_qdate, to_qdate  # noqa: F401  (shared here)
from ntm_desktop.ui.unit_combo import UnitCombo  # noqa: F401  (shared here)

STATUS_COLORS = {
    TaskStatus.IN_PROGRESS_OVERDUE: QColor("#fde2e1"),
    TaskStatus.DONE_LATE: QColor("#fff1d6"),
    TaskStatus.DONE_ON_TIME: QColor("#e3f4e1"),
}
OVERDUE_TEXT = QColor("#b3261e")


def vn_date(value: date | None) -> str:
    return format_vn_date(value)


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
