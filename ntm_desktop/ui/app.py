"""Starting the app: Qt application, Vietnamese translations, data folder, first start, main window."""

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


def run(data_dir=None, demo: bool = False) -> int:
    from ntm_desktop.services.demo import build_demo
    from ntm_desktop.workspace import open_workspace

    app = make_application()
    try:
        workspace = open_workspace(data_dir)
    except UserError as error:
        QMessageBox.critical(None, APP_NAME, str(error))
        return 2
    if demo and not workspace.office_unit_id():
        with workspace.db.transaction("demo") as session:
            build_demo(session)
    if not workspace.office_unit_id():
        from ntm_desktop.ui.first_start import OfficeDialog

        if OfficeDialog(workspace).exec() != QDialog.DialogCode.Accepted:
            workspace.close()
            return 0
    window = open_main_window(workspace)
    window.show()
    code = app.exec()
    workspace.close()
    return code
