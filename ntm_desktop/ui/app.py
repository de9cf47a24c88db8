"""Starting the app: Qt application, translations, data-folder safety, first start, main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from ntm_desktop import APP_NAME
from ntm_desktop.errors import UserError
from ntm_desktop.resources import resource
from ntm_desktop.ui.fonts import register_report_fonts


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("NTM")
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    install_qt_translations(app)
    register_report_fonts()
    return app


def install_qt_translations(app: QApplication) -> None:
    """Vietnamese for Qt's own buttons, menus and dialogs (Có/Không, Hủy, Sao chép…), once per application.

    Qt ships no Vietnamese qtbase translation, so ours (resources/translations/qtbase_vi.qm) comes first;
    Qt's own, when a build has it, is installed after it and so takes precedence.
    """
    if app.property("ntm_translations"):
        return
    vietnamese = QLocale(QLocale.Language.Vietnamese)
    for folder in (str(resource("translations")), QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translator = QTranslator(app)
        if translator.load(vietnamese, "qtbase", "_", folder):
            app.installTranslator(translator)
    app.setProperty("ntm_translations", True)


def standard_button_texts() -> list[str]:
    """What Qt's Yes, No, OK and Cancel buttons read here (selfcheck: the translation is in the build)."""
    make_application()
    buttons = QMessageBox.StandardButton
    box = QMessageBox()
    box.setStandardButtons(buttons.Yes | buttons.No | buttons.Ok | buttons.Cancel)
    texts = [box.button(b).text().replace("&", "") for b in (buttons.Yes, buttons.No, buttons.Ok, buttons.Cancel)]
    box.deleteLater()
    return texts


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


def _refuse(message: str) -> int:
    """The data folder cannot be opened: say why and what to do, then end (exit code 2)."""
    if sys.stderr is not None:  # the windowed Windows build has no console
        print(f"Lỗi: {message}", file=sys.stderr, flush=True)
    QMessageBox.critical(None, APP_NAME, message)
    return 2


def run(data_dir=None, demo: bool = False) -> int:
    from ntm_desktop.paths import resolve_data_folder
    from ntm_desktop.services.demo import build_demo
    from ntm_desktop.ui.crash import install_crash_handler
    from ntm_desktop.ui.single_instance import listen_for_second_starts, notify_running
    from ntm_desktop.workspace import open_workspace

    app = make_application()
    report = None
    try:
        folder = resolve_data_folder(data_dir)
        if notify_running(folder.root):
            return 0  # the running window was brought to the front
        report = _prepare(folder)
        if report is None:
            return 2
        workspace = open_workspace(folder.root)
    except (UserError, OSError) as error:  # OSError: a folder the checks above did not foresee
        if report is not None:
            report.lock.release()
        if isinstance(error, UserError):
            return _refuse(str(error))
        from ntm_desktop.cli import describe_os_error

        reason = describe_os_error(error)
        return _refuse(reason[:1].upper() + reason[1:])
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
        window.show_startup_warnings(report.warnings, report.backup_failed)
        return app.exec()
    finally:
        workspace.close()
        report.lock.release()
