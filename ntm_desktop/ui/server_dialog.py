"""Dialog: “Máy chủ dữ liệu của văn phòng” — where an office's shared PostgreSQL server is, checked, then used.

Host, port, database, user and password; “Kiểm tra kết nối” checks them off the GUI thread (ui.background.Loader)
and says, in Vietnamese, what it found; then “Chuyển dữ liệu lên máy chủ” (this PC's data onto an empty server
database) or “Dùng máy chủ này” (a server that already holds the office). Either way the data folder's setting
names the server without the password: the OS keyring is not among this app's libraries, so the password is asked
for when the app opens the server (it is kept in memory only, for this run, as `password`).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QSpinBox, QVBoxLayout,
    QWidget,
)

from ntm_desktop.errors import UserError
from ntm_desktop.ui.background import Loader, run_with_progress
from ntm_desktop.ui.common import show_error


class ServerDialog(QDialog):
    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.found = None  # the last check's server.probe.Probe
        self.checked_url = None  # the address that check was made with
        self.chosen = None  # the address the data folder now works on, once moved or chosen
        self.password = ""
        self.setWindowTitle(self.tr("Máy chủ dữ liệu của văn phòng"))
        self.setMinimumWidth(600)
        from ntm_desktop.server.setting import recorded_server

        current = recorded_server(workspace.folder.root) if workspace is not None else None
        self.host = self._line("host", self.tr("ví dụ: 192.168.1.10 hoặc may-chu-vp"))
        self.port = QSpinBox()
        self.port.setObjectName("port")
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = self._line("database", self.tr("ví dụ: ntm"))
        self.user = self._line("user", self.tr("tài khoản trên máy chủ PostgreSQL"))
        self.password_edit = self._line("password", "")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        if current:
            self._show_address(current)
        form = QFormLayout()
        form.addRow(self.tr("Máy chủ"), self.host)
        form.addRow(self.tr("Cổng"), self.port)
        form.addRow(self.tr("Cơ sở dữ liệu"), self.database)
        form.addRow(self.tr("Người dùng"), self.user)
        form.addRow(self.tr("Mật khẩu"), self.password_edit)
        self.check_button = QPushButton(self.tr("Kiểm tra kết nối"))
        self.check_button.setObjectName("check")
        self.check_button.setDefault(True)
        self.outcome = QLabel(self.tr("Điền địa chỉ máy chủ rồi bấm “Kiểm tra kết nối”."))
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setMinimumHeight(60)
        buttons = QDialogButtonBox()
        self.move_button = buttons.addButton(self.tr("Chuyển dữ liệu lên máy chủ"), QDialogButtonBox.ButtonRole.ActionRole)
        self.use_button = buttons.addButton(self.tr("Dùng máy chủ này"), QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.move_button, self.use_button, close, self.check_button):
            button.setAutoDefault(False)
        self.check_button.setAutoDefault(True)
        self.move_button.setEnabled(False)
        self.use_button.setEnabled(False)
        note = QLabel(self.tr(
            "Khi văn phòng có nhiều máy, mọi máy dùng chung một cơ sở dữ liệu PostgreSQL trên mạng của văn phòng. "
            "Mật khẩu không được ghi vào máy: phần mềm hỏi mật khẩu mỗi lần mở dữ liệu trên máy chủ."))
        note.setWordWrap(True)
        where = QLabel(self.tr("Đang dùng: máy chủ {0}").format(current) if current else
                       self.tr("Đang dùng: tệp dữ liệu trên máy này"))
        where.setObjectName("where")
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(where)
        layout.addLayout(form)
        layout.addWidget(self.check_button)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        self._loader = Loader(self)
        self._loader.busy_changed.connect(self._busy)
        self.check_button.clicked.connect(self.check)
        self.move_button.clicked.connect(self.move_data)
        self.use_button.clicked.connect(self.use_server)
        close.clicked.connect(self.reject)
        for edit in (self.host, self.database, self.user, self.password_edit):
            edit.textEdited.connect(self._forget_check)
        self.port.valueChanged.connect(self._forget_check)

    def _line(self, name: str, hint: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(hint)
        return edit

    def _show_address(self, text: str) -> None:
        from sqlalchemy.engine import make_url

        url = make_url(text)
        self.host.setText(url.host or "")
        self.port.setValue(url.port or 5432)
        self.database.setText(url.database or "")
        self.user.setText(url.username or "")

    def url(self):
        from ntm_desktop.server.urls import server_url

        return server_url(self.host.text(), self.port.value(), self.database.text(), self.user.text(),
                          self.password_edit.text())

    # --- the check ----------------------------------------------------------------------------------------
    def check(self) -> None:
        try:
            url = self.url()
        except UserError as error:
            self.outcome.setText(str(error))
            return
        from ntm_desktop.server.probe import probe

        self._forget_check()
        self.outcome.setText(self.tr("Đang kiểm tra kết nối tới {0}…").format(url.host))
        self._loader.load(lambda: probe(url), lambda found: self._checked(url, found), self._failed)

    def _checked(self, url, found) -> None:
        from ntm_desktop.server.probe import ServerState

        self.found, self.checked_url = found, url
        self.outcome.setText(found.message)
        movable = found.state is ServerState.EMPTY or (found.state is ServerState.CURRENT and not found.has_data)
        self.move_button.setEnabled(movable)
        self.use_button.setEnabled(found.state is ServerState.CURRENT and found.has_data)

    def _failed(self, error: BaseException) -> None:
        self.outcome.setText(self.tr("Không kiểm tra được kết nối: {0}").format(error))

    def _forget_check(self, *_args) -> None:
        self.found = self.checked_url = None
        self.move_button.setEnabled(False)
        self.use_button.setEnabled(False)

    def _busy(self, busy: bool) -> None:
        self.check_button.setEnabled(not busy)

    # --- the two ways to go on ----------------------------------------------------------------------------
    def move_data(self) -> None:
        from ntm_desktop.server.move import move_office
        from ntm_desktop.server.setting import record_server
        from ntm_desktop.server.urls import label

        url = self.checked_url
        if url is None:
            return
        answer = QMessageBox.question(
            self, self.windowTitle(),
            self.tr("Chép toàn bộ dữ liệu của máy này lên {0}? Tệp dữ liệu trên máy này được giữ nguyên làm bản sao; "
                    "từ lần mở sau phần mềm làm việc trên máy chủ.").format(label(url)))
        if answer != QMessageBox.StandardButton.Yes:
            return
        folder = self.workspace.folder
        try:
            result = run_with_progress(self, self.tr("Đang chuyển dữ liệu lên máy chủ…"),
                                       lambda say: move_office(folder, url, say))
            record_server(folder, url)
        except UserError as error:
            show_error(self, error, self.tr("Chưa chuyển được dữ liệu"))
            self.check()
            return
        total = sum(result.counts.values())
        text = self.tr("Đã chuyển {0} dòng dữ liệu ({1} bảng, số dòng từng bảng khớp) và {2} tệp đính kèm lên máy "
                       "chủ. Hãy đóng rồi mở lại phần mềm để làm việc trên máy chủ.").format(
            total, len(result.counts), result.files)
        if result.missing_files:
            text += " " + self.tr("Thiếu {0} tệp đính kèm trong thư mục dữ liệu nên không chép được.").format(
                len(result.missing_files))
        self._done(url, text)

    def use_server(self) -> None:
        from ntm_desktop.server.setting import record_server

        url = self.checked_url
        if url is None:
            return
        try:
            record_server(self.workspace.folder, url)
        except OSError as error:
            show_error(self, UserError(self.tr("Không ghi được cài đặt vào thư mục dữ liệu: {0}").format(
                error.strerror or error)))
            return
        self._done(url, self.tr("Từ lần mở sau, phần mềm làm việc trên máy chủ này (dữ liệu trên máy này giữ nguyên "
                                "làm bản sao). Hãy đóng rồi mở lại phần mềm."))

    def _done(self, url, text: str) -> None:
        self.chosen, self.password = url, self.password_edit.text()
        self.outcome.setText(text)
        QMessageBox.information(self, self.windowTitle(), text)
        self.accept()
