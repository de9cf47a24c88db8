"""Starting on the office's server: the window is up first, then the server is opened off the GUI thread.

When the server wants a password the address does not carry, it is asked (ui.server_password; kept in memory for
this run, never written). When the server cannot be used (unreachable, the password refused, no such database, a
newer version's data), a message says what happened and offers “Thử lại”, “Mở bản sao trên máy này (chỉ xem)” (the
newest copy on this PC, server.local_copy) and “Thoát”. Nothing is written anywhere until the server is open.

Once the window works on the server, the day's first start on this PC backs the server's data up into this PC's
backups (DailyServerBackup, off the GUI thread); a failure is told without stopping the work.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ntm_desktop import APP_NAME
from ntm_desktop.errors import DatabaseError, UserError

log = logging.getLogger(__name__)

RETRY, LOCAL, QUIT = "retry", "local", "quit"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ServerStart", text)


@dataclass
class Opened:
    workspace: object  # workspace.Workspace
    copy: object | None = None  # server.local_copy.Candidate when the window shows a copy on this PC, read-only


def _open(folder, url):
    """In the worker thread: the workspace on the server (its schema brought up to date by the first PC)."""
    from sqlalchemy.exc import SQLAlchemyError

    from ntm_desktop.db_errors import where
    from ntm_desktop.workspace import open_workspace

    try:
        return open_workspace(folder.root, database_url=url)
    except SQLAlchemyError as error:  # a failure db_errors does not name: said as the server said it
        log.exception("opening the server failed")
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise DatabaseError(f"{where(url).capitalize()} báo lỗi khi mở dữ liệu ({reason}); dữ liệu chưa bị thay "
                            "đổi. Hãy thử lại, hoặc báo người quản trị máy chủ.") from error


def _wants_password(error) -> bool:
    """The server refused the login for the password (missing or wrong), not for an unknown user."""
    cause = str(getattr(error.__cause__, "orig", None) or error.__cause__ or "").lower()
    return "password" in cause


def failure_box(parent: QWidget | None, error: Exception, copy) -> QMessageBox:
    """The message (not yet shown): what happened, and the three ways on. `copy`: the newest copy on this PC
    (server.local_copy.Candidate) or None, then the second button is off."""
    if copy is not None:
        local = _tr("“Mở bản sao trên máy này (chỉ xem)”: xem {0}; không lưu được thay đổi nào.").format(
            copy.describe())
    else:
        local = _tr("Máy này chưa có bản sao nào để xem khi không có máy chủ.")
    text = "\n\n".join([
        _tr("Chưa mở được dữ liệu của văn phòng trên máy chủ."),
        str(error),
        _tr("“Thử lại”: kết nối máy chủ lần nữa (khi mạng hoặc máy chủ đã sẵn sàng).") + "\n" + local,
    ])
    box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, text, parent=parent)
    retry = box.addButton(_tr("Thử lại"), QMessageBox.ButtonRole.AcceptRole)
    open_copy = box.addButton(_tr("Mở bản sao trên máy này (chỉ xem)"), QMessageBox.ButtonRole.ActionRole)
    leave = box.addButton(_tr("Thoát"), QMessageBox.ButtonRole.RejectRole)
    open_copy.setEnabled(copy is not None)
    box.setDefaultButton(retry)
    box.setEscapeButton(leave)
    box.setProperty("choices", {RETRY: retry, LOCAL: open_copy, QUIT: leave})
    return box


def ask_what_next(parent: QWidget | None, error: Exception, copy) -> str:
    box = failure_box(parent, error, copy)
    box.exec()
    clicked = box.clickedButton()
    choice = next((key for key, button in box.property("choices").items() if button is clicked), QUIT)
    box.deleteLater()
    return choice


def _newest_copy(folder):
    from ntm_desktop.server.local_copy import candidates

    try:
        found = candidates(folder)
    except (OSError, UserError):
        log.warning("the copies on this PC could not be listed", exc_info=True)
        return None
    return found[0] if found else None


def _attempt(parent, folder, url):
    from ntm_desktop.server.urls import label
    from ntm_desktop.ui.background import run_with_progress

    return run_with_progress(parent, _tr("Đang kết nối máy chủ dữ liệu {0}…").format(label(url)),
                             lambda _say: _open(folder, url))


def _local_copy(parent, folder) -> Opened | None:
    from ntm_desktop.server.local_copy import open_local_copy
    from ntm_desktop.ui.background import run_with_progress

    try:
        copy = run_with_progress(parent, _tr("Đang mở bản sao trên máy này…"), lambda _say: open_local_copy(folder))
    except UserError as refused:
        QMessageBox.warning(parent, APP_NAME, str(refused))
        return None
    return Opened(copy.workspace, copy.candidate)


def open_on_server(parent: QWidget, folder, url) -> Opened | None:
    """The workspace on the server, or the copy on this PC read-only, as the officer chooses; None: “Thoát”.

    A login refused for its password asks for it at once, the first time; after that “Thử lại” asks again."""
    from ntm_desktop.db_errors import ServerLoginError
    from ntm_desktop.ui.server_password import ask_server_password

    typed = url  # with the password the officer typed, once they have (kept in memory only)
    prompt = prompted = False
    error: Exception | None = None
    while True:
        given = ask_server_password(parent, url.set(password=None)) if prompt else None
        if not prompt or given is not None:  # the officer who leaves the prompt gets the message below
            typed = given or typed
            try:
                return Opened(_attempt(parent, folder, typed))
            except ServerLoginError as refused:
                error = refused
                if _wants_password(refused) and not prompted:
                    prompt = prompted = True  # the password is asked before any message
                    continue
            except UserError as refused:  # unreachable, no such database, a newer version's data, timed out...
                error = refused
        log.warning("the server could not be opened at start: %s", error)
        choice = ask_what_next(parent, error, _newest_copy(folder))
        if choice == QUIT:
            return None
        prompt = choice == RETRY and isinstance(error, ServerLoginError) and _wants_password(error)
        if choice == LOCAL:
            opened = _local_copy(parent, folder)
            if opened is not None:
                return opened


class DailyServerBackup(QObject):
    """The day's automatic backup of the server's data (safety.startup.daily_backup with the open server's address,
    the password typed at start included), in a worker thread; its warnings, a failure among them, are shown by the
    window when it is done. `wait()` lets it finish before the app lets go of the data folder."""

    _done = Signal()

    def __init__(self, window, folder, report, url):
        super().__init__(window)
        self.window, self.folder, self.report, self.url = window, folder, report, url
        self._thread: threading.Thread | None = None
        self.shown = False  # its outcome has been shown in the window
        self._done.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def begin(self) -> None:
        # Not a daemon: the day's backup is finished, not cut off, when the window closes early.
        self._thread = threading.Thread(target=self._work, name="ntm-server-backup")
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def _work(self) -> None:
        from ntm_desktop.safety.startup import daily_backup

        try:
            daily_backup(self.folder, self.report, server=self.url)
        except BaseException:  # noqa: BLE001 - daily_backup reports its own failures; anything else is logged
            log.exception("the daily backup of the server failed")
        try:
            self._done.emit()
        except RuntimeError:  # the window has gone: nobody is waiting
            pass

    def _show(self) -> None:
        self.window.show_startup_warnings(self.report.warnings, self.report.backup_failed)
        self.shown = True
