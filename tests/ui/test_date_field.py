"""The date field driven by keys: dd/mm/yyyy in its usual spellings, impossible dates refused, calendar at today."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from typing_helpers import focus, press, replace_text, type_text

from ntm_desktop.errors import ValidationError
from ntm_desktop.ui.common import DateEdit


def _window(qtbot, field: DateEdit) -> QWidget:
    """The field in a window with a second field after it, so that Tab leaves it as in a form."""
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.addWidget(field)
    window.after = QLineEdit()
    layout.addWidget(window.after)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.parametrize("typed", ["23/11/2026", "23112026", "23-11-2026", "23/11/26", "23.11.2026", "231126"])
@pytest.mark.parametrize("leave", [Qt.Key.Key_Tab, Qt.Key.Key_Return])
def test_each_usual_spelling_gives_the_date_typed(qtbot, typed, leave):
    field = DateEdit(date(2026, 12, 2), label="Ngày đến")
    window = _window(qtbot, field)
    replace_text(typed, field)
    press(leave)
    assert field.value() == date(2026, 11, 23)
    assert field.line_edit.text() == "23/11/2026"
    assert field.error_message() == ""
    if leave == Qt.Key.Key_Tab:
        assert window.after.hasFocus()


def test_an_impossible_date_is_refused_and_left_as_typed(qtbot):
    field = DateEdit(date(2026, 12, 2), label="Ngày đến")
    changes = []
    field.date_changed.connect(changes.append)
    window = _window(qtbot, field)  # noqa: F841  (kept alive)
    replace_text("31/02/2026", field)
    press(Qt.Key.Key_Tab)
    assert field.line_edit.text() == "31/02/2026"  # not moved to 02/02, 28/02 or 03/03
    assert "31/02/2026 không có trên lịch" in field.error_message()
    assert changes == []
    with pytest.raises(ValidationError) as error:
        field.value()
    assert "Ngày đến 31/02/2026 không có trên lịch" in str(error.value)
    # Typing again takes the mark away; a good date is accepted.
    replace_text("28/02/2026", field)
    assert field.error_message() == ""
    press(Qt.Key.Key_Tab)
    assert field.value() == date(2026, 2, 28) and changes == [date(2026, 2, 28)]


def test_an_optional_date_can_be_typed_and_cleared(qtbot):
    field = DateEdit(None, optional=True, label="Ngày văn bản")
    window = _window(qtbot, field)  # noqa: F841  (kept alive)
    assert field.value() is None and field.line_edit.text() == ""
    replace_text("10/2/2026", field)
    press(Qt.Key.Key_Tab)
    assert field.value() == date(2026, 2, 10) and field.line_edit.text() == "10/02/2026"
    replace_text("", field)  # Ctrl+A, Delete
    press(Qt.Key.Key_Tab)
    assert field.value() is None and field.error_message() == ""


def test_digits_run_together_must_be_eight(qtbot):
    """"1022026" could be 1/02 or 10/2: it is refused with the way to type it, never saved as nothing."""
    field = DateEdit(None, optional=True, label="Ngày chuyển")
    window = _window(qtbot, field)  # noqa: F841  (kept alive)
    replace_text("1022026", field)
    press(Qt.Key.Key_Tab)
    assert "01022026" in field.error_message()
    with pytest.raises(ValidationError):
        field.value()


def test_letters_cannot_be_typed_into_a_date(qtbot):
    field = DateEdit(None, optional=True)
    window = _window(qtbot, field)  # noqa: F841  (kept alive)
    focus(field)
    type_text("ngày 5")
    assert field.line_edit.text() == " 5"


def test_a_required_date_left_empty_asks_for_it(qtbot):
    field = DateEdit(None, label="Hạn xử lý")
    field.set_date(None)
    window = _window(qtbot, field)  # noqa: F841  (kept alive)
    with pytest.raises(ValidationError) as error:
        field.value()
    assert "Chưa nhập hạn xử lý" in str(error.value)


@pytest.mark.parametrize("optional", [True, False])
def test_the_calendar_opens_at_today_and_picks_with_the_keyboard(qtbot, optional):
    field = DateEdit(None, optional=optional)
    field.set_date(None)
    window = _window(qtbot, field)  # noqa: F841  (kept alive)
    focus(field)
    press(Qt.Key.Key_Down, modifier=Qt.KeyboardModifier.AltModifier)
    popup = field.calendar_popup()
    assert popup is not None and popup.isVisible()
    today = date.today()
    assert (popup.calendar.yearShown(), popup.calendar.monthShown()) == (today.year, today.month)
    assert popup.calendar.selectedDate().toPython() == today
    press(Qt.Key.Key_Right, popup.calendar.focusWidget() or popup.calendar)
    press(Qt.Key.Key_Return, popup.calendar.focusWidget() or popup.calendar)
    assert not popup.isVisible()
    assert field.value() == today + timedelta(days=1)


def test_the_calendar_opens_at_the_fields_date_and_esc_leaves_it(qtbot):
    field = DateEdit(date(2024, 5, 17))
    window = _window(qtbot, field)  # noqa: F841  (kept alive)
    field.calendar_button.click()
    popup = field.calendar_popup()
    assert (popup.calendar.yearShown(), popup.calendar.monthShown()) == (2024, 5)
    press(Qt.Key.Key_Escape, popup.calendar.focusWidget() or popup.calendar)
    assert not popup.isVisible()
    assert field.value() == date(2024, 5, 17)
