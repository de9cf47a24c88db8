"""The main window: a navigation list on the left, one page at a time on the right."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QMainWindow, QMessageBox, QStackedWidget, QVBoxLayout, QWidget,
)

from ntm_desktop import APP_NAME, __version__
from ntm_desktop.models import Unit
from ntm_desktop.ui.overview_page import OverviewPage
from ntm_desktop.ui.register.page import RegisterPage
from ntm_desktop.ui.tasks.page import TaskListPage
from ntm_desktop.ui.units.page import UnitsPage
from ntm_desktop.workspace import Workspace


def _optional_pages() -> list[tuple[str, str, type]]:
    """Pages of features that may be absent from a build: (key, title, class)."""
    pages = []
    for key, title, module, name in (
        ("criteria", "Tiêu chí NTM", "ntm_desktop.ui.criteria.page", "CriteriaPage"),
        ("reports", "Báo cáo, in sổ", "ntm_desktop.ui.reports_page", "ReportsPage"),
        ("sync", "Trao đổi dữ liệu", "ntm_desktop.ui.sync.page", "SyncPage"),
    ):
        try:
            module_obj = __import__(module, fromlist=[name])
        except ImportError:
            continue
        pages.append((key, title, getattr(module_obj, name)))
    return pages


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace):
        super().__init__()
        self._ws = workspace
        with workspace.db.transaction() as session:
            office = session.get(Unit, workspace.office_unit_id() or "")
            office_name = office.name if office else ""
        self.setWindowTitle(f"{APP_NAME} — {office_name}" if office_name else APP_NAME)
        self.resize(1280, 800)
        self.nav = QListWidget()
        self.nav.setFixedWidth(190)
        self.nav.setIconSize(QSize(16, 16))
        self.nav.setStyleSheet(
            "QListWidget { font-size: 13px; background: #f3f5f8; border: none; }"
            "QListWidget::item { padding: 10px 12px; }"
            "QListWidget::item:selected { background: #1f5fa8; color: white; }"
        )
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self.overview = OverviewPage(workspace)
        self.register = RegisterPage(workspace)
        self.tasks = TaskListPage(workspace)
        self.units = UnitsPage(workspace)
        for key, title, page in (
            ("overview", self.tr("Tổng quan"), self.overview),
            ("register", self.tr("Sổ văn bản đến"), self.register),
            ("tasks", self.tr("Nhiệm vụ"), self.tasks),
        ):
            self._add_page(key, title, page)
        for key, title, cls in _optional_pages():
            self._add_page(key, self.tr(title), cls(workspace))
        self._add_page("units", self.tr("Đơn vị"), self.units)
        self.nav.currentRowChanged.connect(self._show_row)
        self.overview.open_tasks.connect(self._open_tasks)
        self.overview.open_directive.connect(lambda d: self.register.open_form(d))
        self.register.show_tasks.connect(self._tasks_of_directive)
        self.register.changed.connect(self.overview.refresh)

        office_label = QLabel(office_name)
        office_label.setWordWrap(True)
        office_label.setStyleSheet("padding: 10px; font-weight: bold; color: #123a66; background: #f3f5f8;")
        version = QLabel(f"{APP_NAME} {__version__}")
        version.setStyleSheet("padding: 6px 10px; color: #777; background: #f3f5f8;")
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        side_layout.addWidget(office_label)
        side_layout.addWidget(self.nav, 1)
        side_layout.addWidget(version)
        side.setFixedWidth(190)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(side)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menu()
        self.nav.setCurrentRow(0)

    def show_startup_warnings(self, warnings: list[str], backup_failed: str = "") -> None:
        """What the start-up protection could not do; a failed daily backup also gets a box, so it is seen."""
        if not warnings:
            return
        text = " ".join(" ".join(w.split()) for w in warnings)
        self.statusBar().showMessage(text, 0 if backup_failed else 15000)
        self.statusBar().setToolTip(text)
        if backup_failed:
            self.startup_warning = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, backup_failed,
                                               QMessageBox.StandardButton.Ok, self)
            self.startup_warning.open()  # window-modal, returns at once: the office goes on working

    def _build_menu(self) -> None:
        data = self.menuBar().addMenu(self.tr("&Dữ liệu"))
        backup = data.addAction(self.tr("Sao lưu và khôi phục…"))
        backup.triggered.connect(self._backups)
        try:
            import ntm_desktop.ui.office_settings  # noqa: F401 - present when reports are built in
        except ImportError:
            pass
        else:
            office = data.addAction(self.tr("Thông tin cơ quan (dùng khi in báo cáo)…"))
            office.triggered.connect(self._office_settings)
        data.addSeparator()
        data.addAction(self.tr("Thoát"), self.close)

    def _backups(self) -> None:
        from ntm_desktop.ui.backup_dialog import BackupDialog

        BackupDialog(self._ws, self).exec()
        for page in self.pages.values():
            if hasattr(page, "refresh"):
                page.refresh()

    def _office_settings(self) -> None:
        from ntm_desktop.ui.office_settings import OfficeSettingsDialog

        OfficeSettingsDialog(self._ws, self).exec()

    def _add_page(self, key: str, title: str, page: QWidget) -> None:
        self.pages[key] = page
        self.stack.addWidget(page)
        self.nav.addItem(title)

    def _show_row(self, row: int) -> None:
        page = self.stack.widget(row)
        self.stack.setCurrentWidget(page)
        if hasattr(page, "refresh"):
            page.refresh()

    def show_page(self, key: str) -> QWidget:
        page = self.pages[key]
        self.nav.setCurrentRow(list(self.pages).index(key))
        return page

    def _open_tasks(self, unit_id, window) -> None:
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(list(self.pages).index("tasks"))
        self.nav.blockSignals(False)
        self.stack.setCurrentWidget(self.tasks)
        self.tasks.show_filtered(unit_id=unit_id, window=window)

    def _tasks_of_directive(self, directive_id: str, label: str) -> None:
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(list(self.pages).index("tasks"))
        self.nav.blockSignals(False)
        self.stack.setCurrentWidget(self.tasks)
        self.tasks.show_filtered()
        self.tasks.set_directive(directive_id, label)
