"""An exception raised in a slot is logged and shown in a Vietnamese dialog; the app keeps running."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from ntm_desktop.errors import ValidationError
from ntm_desktop.ui.crash import install_crash_handler


class Boom(RuntimeError):
    pass


@pytest.fixture
def handler(qapp, tmp_path):
    installed = install_crash_handler(qapp, tmp_path / "logs")
    yield installed
    installed.uninstall()
    for widget in (installed.dialog, installed.warning):
        if widget is not None:
            widget.close()


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_shows_the_dialog(qtbot, handler, tmp_path):
    clicks = []

    def save():
        clicks.append(1)
        if len(clicks) == 1:
            raise Boom("không ghi được dòng 42")

    button = QPushButton("Lưu")
    qtbot.addWidget(button)
    button.clicked.connect(save)
    button.show()
    button.click()

    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    dialog = handler.dialog
    dialog.resize(640, 460)
    dialog.grab().save(str(tmp_path / "crash-dialog.png"))
    assert dialog.windowTitle() == "Đã xảy ra lỗi"
    assert "Boom: không ghi được dòng 42" in dialog.details.toPlainText()

    dialog.copy_button.click()
    assert "không ghi được dòng 42" in QGuiApplication.clipboard().text()
    assert dialog.copy_button.text() == "Đã sao chép"

    # The app is still alive: the same button works again.
    button.click()
    assert clicks == [1, 1]

    handler.log_file.parent.mkdir(exist_ok=True)
    import logging

    for h in logging.getLogger().handlers:
        h.flush()
    logged = handler.log_file.read_text(encoding="utf-8")
    assert "Boom: không ghi được dòng 42" in logged and "Traceback" in logged


@pytest.mark.qt_no_exception_capture
def test_uncaught_user_error_shows_its_own_message(qtbot, handler):
    button = QPushButton("Lưu")
    qtbot.addWidget(button)

    def save():
        raise ValidationError("Ngày đến không được sau ngày hôm nay.")

    button.clicked.connect(save)
    button.click()
    qtbot.waitUntil(lambda: handler.warning is not None and handler.warning.isVisible())
    assert handler.warning.text() == "Ngày đến không được sau ngày hôm nay."
    assert handler.dialog is None


@pytest.mark.qt_no_exception_capture
def test_errors_in_a_row_share_one_dialog(qtbot, handler):
    button = QPushButton("Lưu")
    qtbot.addWidget(button)
    button.clicked.connect(lambda: 1 / 0)
    button.click()
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    first = handler.dialog
    button.click()
    qtbot.wait(50)
    assert handler.dialog is first
    assert first.details.toPlainText().count("ZeroDivisionError") == 2
