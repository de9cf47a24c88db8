"""Typing into widgets as a person does: one key event per character, to the widget that has focus.

`qtbot.keyClicks` cannot send Vietnamese letters (it maps each character to a key code and aborts on
"ư" or "ệ"); here each character travels as a QKeyEvent carrying its text, press then release.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def _key_for(char: str) -> int:
    if char.isascii() and char.isalnum():
        return ord(char.upper())
    if char == " ":
        return int(Qt.Key.Key_Space.value)
    if char.isascii() and char.isprintable():
        return ord(char)  # Qt's key codes for ASCII punctuation are their code points
    return 0  # no key of its own (a Vietnamese letter typed through an input method)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "no widget has the keyboard focus"
    return widget


def _receiver(widget: QWidget | None) -> QWidget:
    """Where a key goes: an open popup (a completer's list, a calendar) takes the keys first, as on screen."""
    if widget is not None:
        return widget
    popup = QApplication.activePopupWidget()
    if popup is not None:
        return popup.focusWidget() or popup
    return focused()


def type_text(text: str, widget: QWidget | None = None) -> None:
    """Send `text` one character at a time to `widget`, or where a key would go (popup, else focus)."""
    for char in text:
        target = _receiver(widget)
        key = _key_for(char)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))
        QApplication.processEvents()


def press(key: Qt.Key, widget: QWidget | None = None,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press and release one key (Tab, Enter, Esc, Ctrl+A…) on `widget`, or on the focused widget."""
    QTest.keyClick(_receiver(widget), key, modifier)
    QApplication.processEvents()


def focus(widget: QWidget) -> QWidget:
    """Give `widget` the keyboard focus, as a click on it would, and return the widget that got it."""
    window = widget.window()
    window.activateWindow()
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    QApplication.processEvents()
    return focused()


def replace_text(text: str, widget: QWidget) -> None:
    """Focus `widget`, select what it holds (Ctrl+A), and type `text` over it."""
    focus(widget)
    press(Qt.Key.Key_A, modifier=Qt.KeyboardModifier.ControlModifier)
    if not text:
        press(Qt.Key.Key_Delete)
    type_text(text)
