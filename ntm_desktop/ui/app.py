"""Starting the app: Qt application, translations, data-folder safety, first start, main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from ntm_desktop import APP_NAME
from ntm_desktop.errors import UserError


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("NTM")
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    translator = QTranslator(app)
    if translator.load(QLocale(QLocale.Language.Vietnamese), "qtbase", "_",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    return app


def open_main_window(workspace):
    from ntm_desktop.ui.main_window import MainWindow

    return MainWindow(workspace)


def _prepare(folder):
    """Safety checks before the database opens; offers the newest good backup when the file is damaged."""
    from ntm_desktop.backup.restore import restore_backup
    from ntm_desktop.safety.errors import CorruptDatabaseError
    from ntm_desktop.safety.lock import InstanceLock
    from ntm_desktop.safety.startup import prepare_data_folder

    try:
        return prepare_data_folder(folder)
    except CorruptDatabaseError as error:
        newest = getattr(error, "newest_backup", None)
        if newest is None:
            QMessageBox.critical(None, APP_NAME, str(error))
            return None
        answer = QMessageBox.question(None, APP_NAME, f"{error}\n\nKhôi phục bản sao lưu {newest.name} ngay bây giờ?")
        if answer != QMessageBox.StandardButton.Yes:
            return None
        lock = InstanceLock(folder.root).acquire()
        try:
            restore_backup(folder, newest)
        finally:
            lock.release()
        return prepare_data_folder(folder)


def run(data_dir=None, demo: bool = False) -> int:
    from ntm_desktop.paths import resolve_data_folder
    from ntm_desktop.services.demo import build_demo
    from ntm_desktop.ui.crash import install_crash_handler
    from ntm_desktop.ui.single_instance import listen_for_second_starts, notify_running
    from ntm_desktop.workspace import open_workspace

    app = make_application()
    try:
        folder = resolve_data_folder(data_dir)
        if notify_running(folder.root):
            return 0  # the running window was brought to the front
        report = _prepare(folder)
        if report is None:
            return 2
        workspace = open_workspace(folder.root)
    except UserError as error:
        QMessageBox.critical(None, APP_NAME, str(error))
        return 2
    handler = install_crash_handler(app, folder.logs)  # noqa: F841 - kept alive for the session
    try:
        if demo and not workspace.office_unit_id():
            with workspace.db.transaction("demo") as session:
                build_demo(session)
        if not workspace.office_unit_id():
            from ntm_desktop.ui.first_start import OfficeDialog

            if OfficeDialog(workspace).exec() != QDialog.DialogCode.Accepted:
                return 0
        window = open_main_window(workspace)
        server = listen_for_second_starts(folder.root, window)  # noqa: F841
        window.show()
        if report.warnings:
            window.statusBar().showMessage(" ".join(report.warnings), 15000)
        return app.exec()
    finally:
        workspace.close()
        report.lock.release()
