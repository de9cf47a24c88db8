"""Opening the data folder once the window has painted: the database, then the quick check, then the backup.

In a worker thread, in this order: start the log and remove what a killed backup left, open the database (SQLAlchemy and the migrations load here, not before
the first paint), holding every write back; the window then gets the workspace and its pages read. Then
the quick integrity check (it reads the whole file): if it passes, writes are let through; if not, the
same offer as before the window existed: restore the newest good backup, or close. Last, the day's first
backup, whose warnings the window shows when it is done.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from ntm_desktop import APP_NAME
from ntm_desktop.errors import UserError

log = logging.getLogger(__name__)

RESTORE_EXIT = 75  # app.exec() returns this when the officer chose to restore the newest good backup


class _Relay(QObject):
    opened = Signal(object)  # the workspace
    refused = Signal(str)  # the data folder cannot be opened: why
    checked = Signal()
    damaged = Signal(object)  # CorruptDatabaseError
    backed_up = Signal()
    crashed = Signal(object)  # an unexpected exception


class Opening(QObject):
    """`begin()` starts the worker; `wait()` lets the daily backup finish before the app lets go of the folder."""

    def __init__(self, window, folder, report, parent=None):
        super().__init__(parent)
        self.window = window
        self.folder = folder
        self.report = report
        self.workspace = None
        self.restore_from = None  # the backup chosen when the check failed
        self.checked = False
        self._thread: threading.Thread | None = None
        self._relay = _Relay(self)
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.opened.connect(self._opened, queued)
        self._relay.refused.connect(self._refused, queued)
        self._relay.checked.connect(self._checked, queued)
        self._relay.damaged.connect(self._damaged, queued)
        self._relay.backed_up.connect(self._backed_up, queued)
        self._relay.crashed.connect(self._crashed, queued)

    def begin(self) -> None:
        # Not a daemon: the day's backup is finished, not cut off, when the window closes early.
        self._thread = threading.Thread(target=self._work, name="ntm-opening")
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()

    # --- in the worker thread -----------------------------------------------------------------------------
    def _work(self) -> None:
        from ntm_desktop.safety.errors import CorruptDatabaseError
        from ntm_desktop.safety.startup import check_database, daily_backup

        relay = self._relay
        try:
            try:
                workspace = self._open()
            except UserError as error:
                return self._emit(relay.refused, str(error))
            except OSError as error:
                from ntm_desktop.cli import describe_os_error

                reason = describe_os_error(error)
                return self._emit(relay.refused, reason[:1].upper() + reason[1:])
            self.workspace = workspace
            self._emit(relay.opened, workspace)
            try:
                check_database(self.folder)
            except CorruptDatabaseError as error:
                return self._emit(relay.damaged, error)
            self.checked = True
            self._emit(relay.checked)
            daily_backup(self.folder, self.report)
            self._emit(relay.backed_up)
            try:  # last: the planner's statistics for the day's lists (a failure costs speed, never data)
                workspace.db.refresh_statistics()
            except Exception:  # noqa: BLE001 - a locked or full file: the lists are slower until next start
                log.warning("refreshing the query planner's statistics failed", exc_info=True)
        except BaseException as error:  # noqa: BLE001 - shown by the crash handler on the GUI thread
            log.exception("opening the data folder failed")
            self._emit(relay.crashed, error)

    def _open(self):
        from ntm_desktop.safety.startup import tidy_data_folder
        from ntm_desktop.workspace import open_workspace

        if self.report.log_file is None:
            tidy_data_folder(self.folder, self.report)
        workspace = open_workspace(self.folder.root)
        workspace.db.watch.hold_writes()  # until the quick check passes
        return workspace

    @staticmethod
    def _emit(signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the window has gone: nobody is waiting
            pass

    # --- on the GUI thread --------------------------------------------------------------------------------
    def _opened(self, workspace) -> None:
        from ntm_desktop.ui.sign_in_dialog import sign_in_if_needed

        if not sign_in_if_needed(workspace, self.window, self.window.office_label.text()):
            QApplication.exit(0)  # the officer left at the sign-in (Esc, “Thoát”)
            return
        self.window.attach(workspace)
        self._checking = self.tr("Đang kiểm tra dữ liệu; có thể xem ngay, lưu thay đổi được sau khi kiểm tra xong "
                                 "(thường vài giây).")
        if not self.checked:
            self.window.statusBar().showMessage(self._checking)

    def _refused(self, message: str) -> None:
        QMessageBox.critical(self.window, APP_NAME, message)
        QApplication.exit(2)

    def _checked(self) -> None:
        if self.workspace is not None:
            self.workspace.db.watch.release_writes()
        bar = self.window.statusBar()
        if bar.currentMessage() == getattr(self, "_checking", None):
            bar.clearMessage()

    def _damaged(self, error) -> None:
        newest = getattr(error, "newest_backup", None)
        if newest is None:
            QMessageBox.critical(self.window, APP_NAME, str(error))
            QApplication.exit(2)
            return
        answer = QMessageBox.question(self.window, APP_NAME,
                                      f"{error}\n\nKhôi phục bản sao lưu {newest.name} ngay bây giờ?")
        if answer != QMessageBox.StandardButton.Yes:
            QApplication.exit(2)
            return
        self.restore_from = newest
        QApplication.exit(RESTORE_EXIT)

    def _backed_up(self) -> None:
        self.window.show_startup_warnings(self.report.warnings, self.report.backup_failed)

    def _crashed(self, error) -> None:
        import sys

        sys.excepthook(type(error), error, error.__traceback__)
