"""Unexpected errors: logged, then explained in a Vietnamese dialog; the app keeps running.

`install_crash_handler(app, log_dir)` replaces sys.excepthook (which PySide6 calls for an exception
raised in a slot), threading.excepthook and Qt's message handler. A UserError that no screen caught
is shown as a plain warning with its own message.
"""

from __future__ import annotations

import datetime
import logging
import platform
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QtMsgType, Signal, Slot, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from ntm_desktop import APP_NAME, __version__
from ntm_desktop.errors import UserError
from ntm_desktop.safety.logs import LOG_FILE_NAME, setup_logging

log = logging.getLogger("ntm_desktop.crash")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def describe(exc_type, exc, tb) -> str:
    """The details a supporter needs: versions, time, the traceback."""
    lines = [
        f"{APP_NAME} {__version__}",
        f"Python {platform.python_version()} · {platform.platform()}",
        f"Thời điểm: {datetime.datetime.now():%d/%m/%Y %H:%M:%S}",
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(),
    ]
    return "\n".join(lines)


class CrashDialog(QDialog):
    """What happened, what the user can do, and the details to copy for support."""

    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Đã xảy ra lỗi"))
        self.setMinimumWidth(560)
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(40, 40))
        where = str(log_file) if log_file else ""
        message = QLabel(
            self.tr(
                "<b>NTM Desktop gặp một lỗi không lường trước.</b><br><br>"
                "Thao tác vừa rồi có thể chưa được thực hiện. Những gì đã lưu trước đó vẫn an toàn: "
                "mỗi lần lưu hoặc được ghi trọn vẹn, hoặc không ghi gì.<br><br>"
                "Bạn có thể:<br>"
                "• đóng hộp thoại này rồi làm lại thao tác;<br>"
                "• nếu lỗi lặp lại, đóng rồi mở lại phần mềm;<br>"
                "• bấm «Sao chép chi tiết» rồi gửi cho người hỗ trợ kỹ thuật (qua thư điện tử hoặc Zalo), "
                "kèm tệp nhật ký:<br><i>%1</i>"
            ).replace("%1", where)
        )
        message.setWordWrap(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(140)
        self.copy_button = QPushButton(self.tr("Sao chép chi tiết"))
        self.copy_button.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox()
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.AcceptRole)
        close.setDefault(True)
        buttons.accepted.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(icon, 0)
        top.addWidget(message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel(self.tr("Chi tiết kỹ thuật:")))
        layout.addWidget(self.details)
        layout.addWidget(buttons)

    def add_details(self, details: str) -> None:
        self.details.appendPlainText("\n" + "-" * 40 + "\n" + details)

    @Slot()
    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText(self.tr("Đã sao chép"))


class CrashHandler(QObject):
    """Receives exceptions from any thread; shows them on the GUI thread."""

    reported = Signal(str, str, bool)  # summary, details, is_user_error

    def __init__(self, app: QApplication, log_dir: Path):
        super().__init__(app)
        self.log_file = setup_logging(Path(log_dir))
        self.dialog: CrashDialog | None = None
        self.warning: QMessageBox | None = None
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self.reported.connect(self._show)

    def install(self) -> "CrashHandler":
        sys.excepthook = self.handle
        threading.excepthook = lambda args: self.handle(args.exc_type, args.exc_value, args.exc_traceback)
        qInstallMessageHandler(self._qt_message)
        return self

    def uninstall(self) -> None:
        sys.excepthook = self._previous_hook
        threading.excepthook = self._previous_thread_hook
        qInstallMessageHandler(None)

    def handle(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous_hook(exc_type, exc, tb)
            return
        details = describe(exc_type, exc, tb)
        is_user_error = isinstance(exc, UserError)
        log.log(logging.WARNING if is_user_error else logging.ERROR, "unhandled exception\n%s", details)
        try:
            self.reported.emit(str(exc), details, is_user_error)
        except RuntimeError:  # the application is being torn down: the log has it
            pass

    @staticmethod
    def _qt_message(mode, context, message) -> None:
        where = f" ({context.file}:{context.line})" if context and context.file else ""
        logging.getLogger("qt").log(_QT_LEVELS.get(mode, logging.WARNING), "%s%s", message, where)

    @Slot(str, str, bool)
    def _show(self, summary: str, details: str, is_user_error: bool) -> None:
        parent = QApplication.activeWindow()
        if is_user_error:
            self.warning = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, summary, QMessageBox.StandardButton.Ok, parent)
            self.warning.open()
            return
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add_details(details)  # several errors in a row: one dialog, all the details
            return
        self.dialog = CrashDialog(details, self.log_file, parent)
        self.dialog.open()  # window-modal, returns at once: the event loop and the app keep running


def install_crash_handler(app: QApplication, log_dir: Path) -> CrashHandler:
    """Call once after the QApplication exists; keep the returned handler (it is parented to `app`)."""
    return CrashHandler(app, log_dir).install()


__all__ = ["CrashDialog", "CrashHandler", "install_crash_handler", "describe", "LOG_FILE_NAME"]
