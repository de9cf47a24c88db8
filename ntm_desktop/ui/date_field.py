"""A date field typed as dd/mm/yyyy (23/11/2026, 23112026, 23-11-2026, 23/11/26), with a calendar popup.

The text is read by our own parser (services.dates.parse_typed_date): a date that does not exist is
refused with a message and left as typed, never moved to another day as a spin-box date editor does.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QPoint, QRegularExpression, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPen, QPixmap, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QCalendarWidget, QFrame, QHBoxLayout, QLineEdit, QPushButton, QSizePolicy, QToolButton, QToolTip,
    QVBoxLayout, QWidget,
)

from ntm_desktop.errors import ValidationError
from ntm_desktop.services.dates import format_vn_date, parse_typed_date

INVALID_STYLE = "QLineEdit { border: 1px solid #b3261e; background: #fdecea; }"


def _tr(text: str) -> str:
    return QCoreApplication.translate("DateEdit", text)


def to_qdate(value: date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else QDate()


def from_qdate(value: QDate) -> date | None:
    return date(value.year(), value.month(), value.day()) if value.isValid() else None


def calendar_icon() -> QIcon:
    """A small calendar page drawn at run time (no image file to ship)."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QPen(QColor("#444444"), 1))
    painter.setBrush(QColor("#ffffff"))
    painter.drawRect(1, 2, 13, 12)
    painter.fillRect(2, 3, 12, 3, QColor("#b3261e"))
    for row in range(2):
        for col in range(3):
            painter.fillRect(3 + col * 4, 8 + row * 3, 2, 2, QColor("#444444"))
    painter.end()
    return QIcon(pixmap)


class CalendarPopup(QFrame):
    """The month grid under a date field; opens at the field's date, or today when it has none."""

    picked = Signal(object)  # date | None

    def __init__(self, parent: QWidget, optional: bool):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget()
        self.calendar.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.clicked.connect(lambda day: self.picked.emit(from_qdate(day)))
        self.calendar.activated.connect(lambda day: self.picked.emit(from_qdate(day)))
        today_button = QPushButton(_tr("Hôm nay"))
        today_button.setAutoDefault(False)
        today_button.clicked.connect(lambda: self.picked.emit(date.today()))
        buttons = QHBoxLayout()
        buttons.addWidget(today_button)
        if optional:
            empty_button = QPushButton(_tr("Không ghi ngày"))
            empty_button.setAutoDefault(False)
            empty_button.clicked.connect(lambda: self.picked.emit(None))
            buttons.addWidget(empty_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.calendar)
        layout.addLayout(buttons)

    def show_at(self, anchor: QWidget, day: date | None) -> None:
        shown = to_qdate(day or date.today())
        self.calendar.setSelectedDate(shown)
        self.calendar.setCurrentPage(shown.year(), shown.month())
        self.adjustSize()
        self.move(anchor.mapToGlobal(QPoint(0, anchor.height())))
        self.show()
        self.calendar.setFocus()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            event.accept()
            return
        super().keyPressEvent(event)


class DateEdit(QWidget):
    """A date typed as dd/mm/yyyy, with a calendar; may be left empty when `optional`.

    `value()` is the date, None for an empty optional field, and raises a ValidationError with a
    Vietnamese message for an empty required field or text that is not a date of the calendar.
    """

    date_changed = Signal(object)  # date | None, each time the field holds another valid value

    def __init__(self, value: date | None = None, optional: bool = False, parent: QWidget | None = None,
                 label: str | None = None):
        super().__init__(parent)
        self._optional = optional
        self._label = label or _tr("Ngày")
        self._current: date | None = None
        self._error = ""
        self._popup: CalendarPopup | None = None
        self.line_edit = QLineEdit()
        self.line_edit.setPlaceholderText(_tr("ngày/tháng/năm"))
        self.line_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9/.\- ]{0,12}"), self))
        self.line_edit.setClearButtonEnabled(optional)
        self.line_edit.setToolTip(_tr("Gõ ngày/tháng/năm, ví dụ 23/11/2026 hoặc 23112026"))
        width = self.line_edit.fontMetrics().horizontalAdvance("00/00/00000") + (44 if optional else 20)
        self.line_edit.setMinimumWidth(width)
        self.calendar_button = QToolButton()
        self.calendar_button.setIcon(calendar_icon())
        self.calendar_button.setToolTip(_tr("Chọn ngày trên lịch (Alt+↓)"))
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar_button.clicked.connect(self.open_calendar)
        for keys in ("Alt+Down", "F4"):
            QShortcut(QKeySequence(keys), self.line_edit, self.open_calendar,
                      context=Qt.ShortcutContext.WidgetShortcut)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line_edit)
        layout.addWidget(self.calendar_button)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFocusProxy(self.line_edit)
        self.line_edit.editingFinished.connect(self._finish_typing)
        self.line_edit.textEdited.connect(lambda _t: self._mark(""))
        self.set_date(value if value is not None or optional else date.today())

    # --- the value ----------------------------------------------------------------------------

    def set_date(self, value: date | None) -> None:
        """Show `value`; None empties the field (a required field then asks for a date on save)."""
        self.line_edit.setText(format_vn_date(value))
        self._mark("")
        self._keep(value)

    def value(self) -> date | None:
        text = self.line_edit.text().strip()
        if not text and self._optional:
            return None
        return parse_typed_date(text, label=self._label)

    def is_blank(self) -> bool:
        return not self.line_edit.text().strip()

    def error_message(self) -> str:
        """Why the typed text is not a date, or "" when it is one (or the field is empty and optional)."""
        return self._error

    # --- typing and the calendar --------------------------------------------------------------

    def _finish_typing(self) -> None:
        try:
            day = self.value()
        except ValidationError as error:
            if not self.line_edit.text().strip():
                return  # an empty required field asks for its date when the form is saved
            self._mark(str(error))
            QToolTip.showText(self.line_edit.mapToGlobal(QPoint(0, self.line_edit.height())), str(error),
                              self.line_edit)
            return
        self.line_edit.setText(format_vn_date(day))
        self._mark("")
        self._keep(day)

    def open_calendar(self) -> None:
        if self._popup is None:
            self._popup = CalendarPopup(self, self._optional)
            self._popup.picked.connect(self._pick)
        try:
            shown = self.value()
        except ValidationError:
            shown = None
        self._popup.show_at(self.line_edit, shown)

    def calendar_popup(self) -> CalendarPopup | None:
        return self._popup

    def _pick(self, day: date | None) -> None:
        if self._popup is not None:
            self._popup.hide()
        if day is None and not self._optional:
            return
        self.set_date(day)
        self.line_edit.setFocus()

    def _keep(self, day: date | None) -> None:
        if day != self._current:
            self._current = day
            self.date_changed.emit(day)

    def _mark(self, error: str) -> None:
        if error == self._error:
            return
        self._error = error
        self.line_edit.setStyleSheet(INVALID_STYLE if error else "")
        self.line_edit.setToolTip(error or _tr("Gõ ngày/tháng/năm, ví dụ 23/11/2026 hoặc 23112026"))
