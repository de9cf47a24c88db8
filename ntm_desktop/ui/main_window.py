"""The main window: a navigation list on the left, one page at a time on the right.

The window paints before anything heavy happens. Each page is built the first time it is opened (its
module imported only then), and the window can be shown before the data folder is open at all: the
app's start paints it with the office's name, opens the database in the background and then calls
`attach(workspace)`. A page built earlier is refreshed when shown again only if a commit changed data
since (or the day changed), not every time.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Mapping
from datetime import date

from PySide6.QtCore import QCoreApplication, QEvent, QSize
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QMainWindow, QMessageBox, QStackedWidget, QVBoxLayout, QWidget,
)

from ntm_desktop import APP_NAME, __version__

log = logging.getLogger(__name__)

# key, title, module, class; the optional ones are features a build may lack.
PAGES = (
    ("overview", "Tổng quan", "ntm_desktop.ui.overview_page", "OverviewPage"),
    ("register", "Sổ văn bản đến", "ntm_desktop.ui.register.page", "RegisterPage"),
    ("tasks", "Nhiệm vụ", "ntm_desktop.ui.tasks.page", "TaskListPage"),
    ("criteria", "Tiêu chí NTM", "ntm_desktop.ui.criteria.page", "CriteriaPage"),
    ("reports", "Báo cáo, in sổ", "ntm_desktop.ui.reports_page", "ReportsPage"),
    ("sync", "Trao đổi dữ liệu", "ntm_desktop.ui.sync.page", "SyncPage"),
    ("units", "Đơn vị", "ntm_desktop.ui.units.page", "UnitsPage"),
)
OPTIONAL = {"criteria": "ntm_desktop.ui.criteria", "reports": "ntm_desktop.ui.reports_page",
            "sync": "ntm_desktop.ui.sync"}


def _qt():
    """PySide6.QtCore.Qt, first touched after the first paint (building its enums takes ~10 ms)."""
    from PySide6.QtCore import Qt

    return Qt


def _queued():
    return _qt().ConnectionType.QueuedConnection


def _present(key: str) -> bool:
    """Whether this build has the page (looked up without importing it)."""
    if key not in OPTIONAL:
        return True
    try:
        return importlib.util.find_spec(OPTIONAL[key]) is not None
    except (ImportError, ValueError):
        return False


class _Pages(Mapping):
    """The window's pages by key; a page is built when first asked for."""

    def __init__(self, window: "MainWindow"):
        self._window = window

    def __getitem__(self, key: str) -> QWidget:
        return self._window.page(key)

    def __iter__(self):
        return iter(self._window.page_keys())

    def __len__(self) -> int:
        return len(self._window.page_keys())

    def built(self) -> dict[str, QWidget]:
        return dict(self._window._built)


class MainWindow(QMainWindow):
    def __init__(self, workspace=None, office_name: str | None = None):
        super().__init__()
        self._ws = None
        self._keys = [key for key, *_ in PAGES if _present(key)]
        self._specs = {key: (title, module, name) for key, title, module, name in PAGES}
        self._built: dict[str, QWidget] = {}
        self._holders: dict[str, QWidget] = {}
        self._stale: set[str] = set()
        self._shown_on: dict[str, date] = {}
        self._events = None
        self.pages = _Pages(self)
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
        for key in self._keys:
            holder = QWidget()  # until the page is built
            self._holders[key] = holder
            self.stack.addWidget(holder)
            self.nav.addItem(QCoreApplication.translate("MainWindow", self._specs[key][0]))
        from ntm_desktop.ui.overview_page import OverviewPage

        self._place("overview", OverviewPage())  # the first screen, drawn before the data folder is open

        self.office_label = QLabel()
        self.office_label.setWordWrap(True)
        self.office_label.setStyleSheet("padding: 10px; font-weight: bold; color: #123a66; background: #f3f5f8;")
        version = QLabel(f"{APP_NAME} {__version__}")
        version.setStyleSheet("padding: 6px 10px; color: #777; background: #f3f5f8;")
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        side_layout.addWidget(self.office_label)
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
        self._show_office(office_name or "")
        self.nav.currentRowChanged.connect(self._show_row)
        self.nav.setCurrentRow(0)
        if workspace is not None:
            self.attach(workspace)
        else:
            self.statusBar().showMessage(self.tr("Đang mở dữ liệu…"))

    # --- the data folder ---------------------------------------------------------------------------------
    def attach(self, workspace) -> None:
        """The data folder is open: build the page on screen, listen for changes."""
        from ntm_desktop.models import Unit
        from ntm_desktop.ui.data_events import data_events

        self._ws = workspace
        with workspace.db.transaction() as session:
            office = session.get(Unit, workspace.office_unit_id() or "")
            self._show_office(office.name if office else "")
        self._events = data_events(workspace)
        self._events.tables_changed.connect(self._data_changed, _queued())
        from ntm_desktop.ui.other_pcs import follow_other_pcs

        self._other_pcs = follow_other_pcs(self)  # what other PCs save shows here without restarting
        for action in self._data_actions:
            action.setEnabled(True)
        self.fit_role()
        if self.statusBar().currentMessage() == self.tr("Đang mở dữ liệu…"):
            self.statusBar().clearMessage()
        self._built["overview"].attach(workspace)
        self._shown_on["overview"] = date.today()
        self._show_row(self.nav.currentRow())

    @property
    def workspace(self):
        return self._ws

    def _show_office(self, name: str) -> None:
        self.setWindowTitle(f"{APP_NAME} — {name}" if name else APP_NAME)
        self.office_label.setText(name)
        self._office_name = name

    def fit_role(self) -> None:
        """Show only the pages, menu items and buttons the signed-in person's role may use (ui.roles)."""
        from ntm_desktop.services.access import Permission
        from ntm_desktop.ui import roles

        ws = self._ws
        for row, key in enumerate(self._keys):
            self.nav.item(row).setHidden(not roles.shows_page(ws, key))
        for action, permission in self._role_actions:
            action.setVisible(roles.may(ws, Permission[permission]))
        for key, page in self._built.items():
            roles.fit_page(ws, key, page)
        who = roles.who_text(ws)
        self._own_password.setVisible(bool(who))  # only someone signed in has a password of their own
        if who:  # the person below the office, in regular weight
            from html import escape

            self.office_label.setText(f"{escape(self._office_name)}<br><span style='font-weight: normal; "
                                      f"color: #333'>{escape(who)}</span>")
        else:
            self.office_label.setText(self._office_name)
        current = self.current_key()
        if current is not None and not roles.shows_page(ws, current):
            self.nav.setCurrentRow(0)

    def _data_changed(self, _tables) -> None:
        """A commit changed data: pages not on screen read it again when next shown (the page on screen
        refreshed itself after its own save, or listens for what it shows)."""
        current = self.current_key()
        self._stale.update(key for key in self._built if key != current)

    # --- pages -------------------------------------------------------------------------------------------
    def page_keys(self) -> list[str]:
        return list(self._keys)

    def current_key(self) -> str | None:
        row = self.nav.currentRow()
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def is_built(self, key: str) -> bool:
        return key in self._built

    def page(self, key: str) -> QWidget:
        """The page, built now if it has not been yet (the data folder must be open)."""
        if key in self._built:
            return self._built[key]
        if key not in self._keys:
            raise KeyError(key)
        if self._ws is None:
            raise RuntimeError("the data folder is not open yet")
        _title, module, name = self._specs[key]
        return self._place(key, getattr(importlib.import_module(module), name)(self._ws))

    def _place(self, key: str, page: QWidget) -> QWidget:
        """The page takes its placeholder's place in the stack."""
        index = self._keys.index(key)
        current = self.stack.currentIndex()
        holder = self._holders.pop(key)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(holder)
        holder.deleteLater()
        self.stack.setCurrentIndex(current)
        self._built[key] = page
        self._shown_on[key] = date.today()
        self._connect(key, page)
        return page

    def _connect(self, key: str, page: QWidget) -> None:
        if self._ws is not None:
            from ntm_desktop.ui import roles

            roles.fit_page(self._ws, key, page)
        if key == "overview":
            page.open_tasks.connect(self._open_tasks)
            page.open_directive.connect(lambda d: self.register.open_form(d))
        elif key == "register":
            page.show_tasks.connect(self._tasks_of_directive)

    @property
    def overview(self):
        return self.page("overview")

    @property
    def register(self):
        return self.page("register")

    @property
    def tasks(self):
        return self.page("tasks")

    @property
    def units(self):
        return self.page("units")

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self._keys):
            return
        if self._events is not None:  # change notices still queued count for this click
            QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)
        key = self._keys[row]
        self.stack.setCurrentIndex(row)
        if self._ws is None:
            return  # shown when the data folder is open (attach)
        if key not in self._built:
            try:
                self.page(key)
            except ImportError:
                log.exception("page %s cannot be loaded", key)
                missing = QLabel(self.tr("Chức năng này chưa có trong phiên bản này."))
                missing.setAlignment(_qt().AlignmentFlag.AlignCenter)
                self._place(key, missing)
            return
        if key in self._stale or self._shown_on.get(key) != date.today():
            self._stale.discard(key)
            self._shown_on[key] = date.today()
            page = self._built[key]
            if hasattr(page, "refresh"):
                page.refresh()

    def show_page(self, key: str) -> QWidget:
        self.nav.setCurrentRow(self._keys.index(key))
        return self.page(key)

    def _select_quietly(self, key: str) -> QWidget:
        """Put `key` on screen without the refresh a click does (the caller sets what it shows)."""
        page = self.page(key)
        self._stale.discard(key)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(self._keys.index(key))
        self.nav.blockSignals(False)
        self.stack.setCurrentIndex(self._keys.index(key))
        return page

    def _open_tasks(self, unit_id, window) -> None:
        self._select_quietly("tasks").show_filtered(unit_id=unit_id, window=window)

    def _tasks_of_directive(self, directive_id: str, label: str) -> None:
        tasks = self._select_quietly("tasks")
        tasks.show_filtered()
        tasks.set_directive(directive_id, label)

    # --- start-up messages and menu ----------------------------------------------------------------------
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

    def show_read_only(self, what: str) -> None:
        """The window shows a copy on this PC (`what`: which one, Vietnamese), not the server's data: the title and
        a note kept in the status bar say so; the data menu's items are off (every save is refused anyway)."""
        self.read_only_note = self.tr("Chỉ xem: {0}, không phải dữ liệu trên máy chủ. Không lưu được thay đổi; hãy "
                                      "mở lại phần mềm khi máy chủ đã kết nối được.").format(what)
        self.setWindowTitle(self.windowTitle() + " — " + self.tr("chỉ xem (bản sao trên máy này)"))
        note = QLabel(self.read_only_note)
        note.setObjectName("read_only_note")
        note.setWordWrap(True)
        note.setStyleSheet("color: #8a4b00; font-weight: bold; padding: 2px 6px;")
        self.statusBar().addPermanentWidget(note, 1)
        for action in self._data_actions:
            action.setEnabled(False)

    def _build_menu(self) -> None:
        data = self.menuBar().addMenu(self.tr("&Dữ liệu"))
        backup = data.addAction(self.tr("Sao lưu và khôi phục…"))
        backup.triggered.connect(self._backups)
        self._data_actions = [backup]
        # each item with the permission (services.access.Permission, by name: not imported before the first paint)
        self._role_actions = [(backup, "BACKUPS")]
        if importlib.util.find_spec("ntm_desktop.ui.office_settings") is not None:  # with reports built in
            office = data.addAction(self.tr("Thông tin cơ quan (dùng khi in báo cáo)…"))
            office.triggered.connect(self._office_settings)
            self._data_actions.append(office)
            self._role_actions.append((office, "SETTINGS"))
        users = data.addAction(self.tr("Người dùng và phân quyền…"))
        users.triggered.connect(self._users)
        self._data_actions.append(users)
        self._role_actions.append((users, "USERS"))
        self._own_password = data.addAction(self.tr("Đổi mật khẩu của tôi…"))
        self._own_password.triggered.connect(self._change_own_password)
        self._data_actions.append(self._own_password)
        server = data.addAction(self.tr("Máy chủ dữ liệu của văn phòng…"))
        server.triggered.connect(self._server)
        self._data_actions.append(server)
        self._role_actions.append((server, "SETTINGS"))
        for action in self._data_actions:
            action.setEnabled(False)  # until the data folder is open
        data.addSeparator()
        data.addAction(self.tr("Thoát"), self.close)

    def _backups(self) -> None:
        from ntm_desktop.ui.backup_dialog import BackupDialog

        BackupDialog(self._ws, self).exec()
        self._ws.shared().changed()  # a restore replaced the database: nothing kept from before holds
        self._who_again()
        for page in self._built.values():
            if hasattr(page, "refresh"):
                page.refresh()

    def _users(self) -> None:
        from ntm_desktop.ui.users_dialog import UsersDialog

        dialog = UsersDialog(self._ws, self)
        dialog.signed_in.connect(lambda _actor: self.fit_role())
        dialog.exec()
        self._who_again()

    def _change_own_password(self) -> None:
        from ntm_desktop.ui.own_password import OwnPasswordDialog

        if OwnPasswordDialog(self._ws, self).exec():
            self.statusBar().showMessage(self.tr("Đã đổi mật khẩu. Lần đăng nhập sau dùng mật khẩu mới."), 8000)

    def _who_again(self) -> None:
        """The signed-in person as the data now say (a restore, a role changed): sign in again if their account
        is gone or closed; leave when they will not."""
        from ntm_desktop.ui.sign_in_dialog import still_signed_in

        if still_signed_in(self._ws, self, self._office_name):
            self.fit_role()
        else:
            self.close()

    def _server(self) -> None:
        from ntm_desktop.ui.server_dialog import ServerDialog

        ServerDialog(self._ws, self).exec()

    def _office_settings(self) -> None:
        from ntm_desktop.ui.office_settings import OfficeSettingsDialog

        OfficeSettingsDialog(self._ws, self).exec()
