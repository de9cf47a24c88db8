"""Starting the app: Qt application, translations, data-folder safety, first start, main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from ntm_desktop import APP_NAME
from ntm_desktop.errors import UserError
from ntm_desktop.resources import resource
from ntm_desktop.ui.fonts import register_report_fonts


def make_application(argv: list[str] | None = None, fonts: bool = True) -> QApplication:
    """The Qt application in Vietnamese; `fonts=False` leaves the report fonts for later (the start
    registers them after the first paint)."""
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("NTM")
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    install_qt_translations(app)
    if fonts:
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


def _refuse(message: str) -> int:
    """The data folder cannot be opened: say why and what to do, then end (exit code 2)."""
    if sys.stderr is not None:  # the windowed Windows build has no console
        print(f"Lỗi: {message}", file=sys.stderr, flush=True)
    QMessageBox.critical(None, APP_NAME, message)
    return 2


def run(data_dir=None, demo: bool = False) -> int:
    """Start the app on a data folder. The order keeps the first paint quick: the folder's lock (a second
    start hands over to the running window), then, for a folder ready for work, the window, and only
    after it has painted the database, its check and the day's backup (ntm_desktop.ui.opening)."""
    from ntm_desktop.paths import resolve_data_folder
    from ntm_desktop.safety.errors import AlreadyRunningError
    from ntm_desktop.safety.peek import peek_ready_folder
    from ntm_desktop.safety.startup import lock_data_folder

    app = make_application(fonts=False)
    try:
        folder = resolve_data_folder(data_dir)
        report = lock_data_folder(folder)
    except AlreadyRunningError as error:
        from ntm_desktop.ui.single_instance import notify_running

        if notify_running(folder.root):
            return 0  # the running window was brought to the front
        return _refuse(str(error))
    except (UserError, OSError) as error:  # OSError: a folder the checks did not foresee
        return _refuse_error(error)
    try:
        from ntm_desktop.paths import database_url, names_server

        try:  # the office's server: --database, NTM_DATABASE_URL or the folder's database.json
            url = database_url(folder) if names_server(folder) else None
        except UserError as error:
            return _refuse_error(error)
        if url is not None:
            return _run_on_server(app, folder, report, url, demo)
        while True:
            ready = peek_ready_folder(folder.database)
            if ready is None:  # a new folder, an upgrade due, a file that cannot be read: the careful way
                return _run_checked_first(app, folder, report, demo)
            code = _run_painted_first(app, folder, report, ready)
            if code != "restored":
                return code
    finally:
        report.lock.release()


def _refuse_error(error: Exception) -> int:
    if isinstance(error, UserError):
        return _refuse(str(error))
    from ntm_desktop.cli import describe_os_error

    reason = describe_os_error(error)
    return _refuse(reason[:1].upper() + reason[1:])


def _settle_in(app, folder, window) -> list:
    """What the session needs that the first paint does not: the crash handler, the report fonts, the
    server a second start knocks on. Returns what must stay alive."""
    from ntm_desktop.ui.crash import install_crash_handler
    from ntm_desktop.ui.single_instance import listen_for_second_starts

    handler = install_crash_handler(app, folder.logs)
    register_report_fonts()
    return [handler, listen_for_second_starts(folder.root, window)]


def _run_painted_first(app, folder, report, ready):
    """A folder ready for work: the window paints first; the database opens and is checked after
    (ntm_desktop.ui.opening). Returns the exit code, or "restored" to start again on the restored data."""
    from ntm_desktop.ui.main_window import MainWindow
    from ntm_desktop.ui.opening import RESTORE_EXIT, Opening
    from ntm_desktop.ui.paint_probe import after_first_paint, exit_after_first_paint

    opening, restore_from, kept = None, None, []
    try:
        window = MainWindow(office_name=ready.office_name)
        opening = Opening(window, folder, report)

        def painted() -> None:
            opening.begin()
            kept.extend(_settle_in(app, folder, window))

        after_first_paint(window, painted)
        exit_after_first_paint(window)
        window.show()
        code = app.exec()
        window.close()
        if code == RESTORE_EXIT:
            restore_from = opening.restore_from
    finally:
        if opening is not None:
            opening.wait()  # the day's backup is finished before the folder is let go
            if opening.workspace is not None:
                opening.workspace.close()
    if restore_from is not None:
        from ntm_desktop.backup.restore import restore_backup

        restore_backup(folder, restore_from)  # under this start's instance lock
        return "restored"
    return code


def _run_on_server(app, folder, report, url, demo: bool) -> int:
    """The data on the office's server: the window is up, then the server is opened (its password asked when it
    wants one); a server that cannot be used offers to retry, to read the copy on this PC, or to leave
    (ntm_desktop.ui.server_start). The folder's own file is neither checked nor backed up: it is not in use; the
    day's first start backs the server's data up into this PC's backups, in the background."""
    from ntm_desktop.safety.startup import tidy_data_folder
    from ntm_desktop.ui.main_window import MainWindow
    from ntm_desktop.ui.paint_probe import exit_after_first_paint
    from ntm_desktop.ui.server_start import open_on_server

    try:
        tidy_data_folder(folder, report)
    except (UserError, OSError) as error:
        return _refuse_error(error)
    kept = _settle_in(app, folder, None)
    window = MainWindow()
    kept[1].window = window  # a second start brings this window forward
    exit_after_first_paint(window)
    window.show()
    opened = open_on_server(window, folder, url)
    if opened is None:  # “Thoát”
        window.close()
        return 2
    workspace, daily = opened.workspace, None
    try:
        if opened.copy is None:
            if demo and not workspace.office_unit_id():
                from ntm_desktop.services.demo import build_demo

                with workspace.db.transaction("demo") as session:
                    build_demo(session)
            if not workspace.office_unit_id():
                from ntm_desktop.ui.first_start import OfficeDialog

                if OfficeDialog(workspace, window).exec() != QDialog.DialogCode.Accepted:
                    return 0
        from ntm_desktop.ui.sign_in_dialog import sign_in_if_needed

        if not sign_in_if_needed(workspace, window):
            return 0
        window.attach(workspace)
        if opened.copy is not None:
            window.show_read_only(opened.copy.describe())
        else:  # the day's backup of the server's data, into this PC's backups, off the GUI thread
            from ntm_desktop.ui.server_start import DailyServerBackup

            daily = DailyServerBackup(window, folder, report, workspace.db.url)
            daily.begin()
        return app.exec()
    finally:
        window.close()
        if daily is not None:
            daily.wait()  # finished before the folder is let go
        workspace.close()


def _check_before_window(folder, report) -> bool:
    """The quick check and the day's backup, before any window; a damaged file gets the restore offer.
    False when the app must not go on."""
    from ntm_desktop.backup.restore import restore_backup
    from ntm_desktop.safety.errors import CorruptDatabaseError
    from ntm_desktop.safety.startup import check_database, daily_backup

    try:
        check_database(folder)
    except CorruptDatabaseError as error:
        newest = getattr(error, "newest_backup", None)
        if newest is None:
            QMessageBox.critical(None, APP_NAME, str(error))
            return False
        answer = QMessageBox.question(None, APP_NAME, f"{error}\n\nKhôi phục bản sao lưu {newest.name} ngay bây giờ?")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        restore_backup(folder, newest)  # under this start's instance lock
        check_database(folder)
    daily_backup(folder, report)
    return True


def _run_checked_first(app, folder, report, demo: bool) -> int:
    """Everything checked before the window: a new folder (first start), an upgrade, a damaged file."""
    from ntm_desktop.safety.startup import tidy_data_folder
    from ntm_desktop.services.demo import build_demo
    from ntm_desktop.ui.paint_probe import exit_after_first_paint
    from ntm_desktop.workspace import open_workspace

    try:
        tidy_data_folder(folder, report)
        if not _check_before_window(folder, report):
            return 2
        workspace = open_workspace(folder.root)
    except (UserError, OSError) as error:
        return _refuse_error(error)
    kept = _settle_in(app, folder, None)  # noqa: F841 - kept alive for the session
    try:
        if demo and not workspace.office_unit_id():
            with workspace.db.transaction("demo") as session:
                build_demo(session)
        if not workspace.office_unit_id():
            from ntm_desktop.ui.first_start import OfficeDialog

            if OfficeDialog(workspace).exec() != QDialog.DialogCode.Accepted:
                return 0
        from ntm_desktop.ui.sign_in_dialog import sign_in_if_needed

        if not sign_in_if_needed(workspace):
            return 0
        window = open_main_window(workspace)
        kept[1].window = window  # a second start now brings this window forward
        exit_after_first_paint(window)
        window.show()
        window.show_startup_warnings(report.warnings, report.backup_failed)
        return app.exec()
    finally:
        workspace.close()
