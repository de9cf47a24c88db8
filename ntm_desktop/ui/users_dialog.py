"""Người dùng và phân quyền (quản trị): add users, set their roles, reset passwords, close accounts.

With no users yet, the dialog makes the first quản trị, which turns sign-in on; this window then works as
that person (the next start asks everyone to sign in).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QMessageBox, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from ntm_desktop.errors import UserError, ValidationError
from ntm_desktop.models import User
from ntm_desktop.services import access, users
from ntm_desktop.services.access import ROLE_LABELS, Role
from ntm_desktop.ui.common import UnitCombo, show_error

ROLE_HINTS = {
    Role.CLERK: "vào sổ văn bản đến, đính kèm tệp, in sổ",
    Role.SPECIALIST: "báo cáo tiến độ và hoàn thành nhiệm vụ do đơn vị mình chủ trì",
    Role.LEADER: "giao nhiệm vụ, duyệt hoàn thành, mọi báo cáo",
    Role.ADMIN: "người dùng, thiết lập, đơn vị, sao lưu, trao đổi dữ liệu và mọi việc khác",
}


class UsersModel(QAbstractTableModel):
    HEADERS = ("Tên đăng nhập", "Họ và tên", "Vai trò", "Đơn vị", "Trạng thái")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[users.UserRow] = []

    def set_rows(self, rows: list[users.UserRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> users.UserRow:
        return self._rows[index]

    def rows(self) -> list[users.UserRow]:
        return list(self._rows)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 (Qt override)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        user = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (user.user_name, user.full_name, user.role_label, user.unit_name or self.tr("(đơn vị mình)"),
                    self.tr("Đang dùng") if user.active else self.tr("Đã khóa"))[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return QColor("#888888")
        return None


class UsersDialog(QDialog):
    """`signed_in` fires with the new quản trị when the first account turned sign-in on."""

    signed_in = Signal(object)

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws = workspace
        self.setWindowTitle(self.tr("Người dùng và phân quyền"))
        self.resize(980, 520)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.model = UsersModel(self)
        self.table = QTableView()
        self.table.setObjectName("users")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in (0, 1, 2, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # the unit's name takes what is left
        self.table.setWordWrap(False)
        self.table.setMinimumWidth(520)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())

        self.user_name = QLineEdit()
        self.user_name.setObjectName("user_name")
        self.user_name.setPlaceholderText(self.tr("chữ không dấu, ví dụ: lan.nt"))
        self.full_name = QLineEdit()
        self.full_name.setObjectName("full_name")
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in Role:
            self.role.addItem(ROLE_LABELS[role], role.value)
        self.role_hint = QLabel()
        self.role_hint.setWordWrap(True)
        self.role_hint.setStyleSheet("color: #555;")
        self.role.currentIndexChanged.connect(self._role_changed)
        self.unit = UnitCombo(workspace.units(), allow_empty=True)
        self.unit.setObjectName("unit")
        self.unit.setToolTip(self.tr("Đơn vị nơi người này làm việc; để trống là đơn vị mình"))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setObjectName("password_again")
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("Tên đăng nhập:"), self.user_name)
        form.addRow(self.tr("Họ và tên:"), self.full_name)
        form.addRow(self.tr("Vai trò:"), self.role)
        form.addRow("", self.role_hint)
        form.addRow(self.tr("Đơn vị công tác:"), self.unit)
        form.addRow(self.tr("Mật khẩu:"), self.password)
        form.addRow(self.tr("Nhập lại mật khẩu:"), self.password_again)

        self.new_button = QPushButton(self.tr("Người dùng mới"))
        self.save_button = QPushButton(self.tr("Thêm người dùng"))
        self.reset_button = QPushButton(self.tr("Đặt lại mật khẩu"))
        self.active_button = QPushButton(self.tr("Khóa tài khoản"))
        self.delete_button = QPushButton(self.tr("Xóa"))
        self.new_button.clicked.connect(self.new_user)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset_password)
        self.active_button.clicked.connect(self.toggle_active)
        self.delete_button.clicked.connect(self.delete)
        actions = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.reset_button, self.active_button, self.delete_button):
            actions.addWidget(button)
            button.setAutoDefault(False)
        actions.addStretch()
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(form)
        right_layout.addStretch()
        middle = QHBoxLayout()
        middle.addWidget(self.table, 3)
        middle.addWidget(right, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Đóng"))
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(middle, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.refresh()
        self.new_user()

    # --- the list --------------------------------------------------------------------------------------
    def refresh(self, select_id: str | None = None) -> None:
        with self._ws.db.transaction() as session:
            rows = users.list_users(session)
        self.model.set_rows(rows)
        first = not rows
        self.intro.setText(self.tr(
            "Chưa bật đăng nhập: ai mở phần mềm trên máy này cũng làm được mọi việc. Tạo tài khoản quản trị đầu "
            "tiên để bật đăng nhập; từ lần mở sau, mỗi người đăng nhập bằng tài khoản của mình và chỉ thấy việc "
            "vai trò của mình được làm.") if first else self.tr(
            "Mỗi người một tài khoản. Văn thư vào sổ văn bản; chuyên viên cập nhật nhiệm vụ đơn vị mình chủ trì; "
            "lãnh đạo giao nhiệm vụ và xem mọi báo cáo; quản trị quản lý người dùng, sao lưu và trao đổi dữ liệu. "
            "Tài khoản đã có thay đổi trong nhật ký chỉ khóa được, không xóa."))
        if first:
            self.role.setCurrentIndex(self.role.findData(Role.ADMIN.value))
        self.role.setEnabled(not first)
        if select_id:
            for index, row in enumerate(rows):
                if row.id == select_id:
                    self.table.selectRow(index)

    def selected(self) -> users.UserRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def select_user(self, user_name: str) -> None:
        for index, row in enumerate(self.model.rows()):
            if row.user_name.lower() == user_name.lower():
                self.table.selectRow(index)
                return
        raise KeyError(user_name)

    def _show_selected(self) -> None:
        user = self.selected()
        if user is None:
            return
        self.user_name.setText(user.user_name)
        self.user_name.setReadOnly(True)
        self.full_name.setText(user.full_name)
        self.role.setCurrentIndex(self.role.findData(user.role.value))
        self.unit.set_unit_id(user.unit_id)
        self.password.clear()
        self.password_again.clear()
        self.save_button.setText(self.tr("Lưu thay đổi"))
        for button in (self.reset_button, self.active_button, self.delete_button):
            button.setEnabled(True)
        self.active_button.setText(self.tr("Khóa tài khoản") if user.active else self.tr("Mở lại tài khoản"))

    def new_user(self) -> None:
        """An empty form for a new account."""
        self.table.clearSelection()
        self.user_name.setReadOnly(False)
        for field in (self.user_name, self.full_name, self.password, self.password_again):
            field.clear()
        self.unit.set_unit_id(None)
        if self.model.rowCount():
            self.role.setCurrentIndex(self.role.findData(Role.SPECIALIST.value))
        self.save_button.setText(self.tr("Thêm người dùng"))
        for button in (self.reset_button, self.active_button, self.delete_button):
            button.setEnabled(False)
        self.user_name.setFocus()

    def _role_changed(self) -> None:
        role = Role(self.role.currentData())
        self.role_hint.setText(self.tr(ROLE_HINTS[role]))

    # --- actions ---------------------------------------------------------------------------------------
    def _typed_password(self) -> str:
        if self.password.text() != self.password_again.text():
            self.password_again.clear()
            self.password_again.setFocus()
            raise ValidationError(self.tr("Hai lần nhập mật khẩu không giống nhau. Hãy nhập lại."), "password")
        return self.password.text()

    def _run(self, action, done: str, select_id: str | None = None) -> bool:
        try:
            result = action()
        except UserError as error:
            show_error(self, error)
            return False
        self.refresh(select_id or (result if isinstance(result, str) else None))
        self.status.setText(done)
        return True

    def save(self) -> None:
        user = self.selected()
        if user is None:
            self._create()
            return
        role, unit_id, full = Role(self.role.currentData()), self.unit.unit_id(), self.full_name.text()

        def change():
            with self._ws.db.transaction(self._ws.user()) as session:
                users.set_full_name(session, user.id, full)
                users.set_role(session, user.id, role, unit_id)
        self._run(change, self.tr("Đã lưu tài khoản “%1”.").replace("%1", user.user_name), user.id)

    def _create(self) -> None:
        name = self.user_name.text().strip()
        first = self.model.rowCount() == 0

        def create():
            password = self._typed_password()
            with self._ws.db.transaction(self._ws.user()) as session:
                user_id = users.create_user(session, name, self.full_name.text(), Role(self.role.currentData()),
                                            password, self.unit.unit_id())
                admin = access.Actor.of(session.get(User, user_id))
            if first:  # sign-in is on from now: this window works as the quản trị just made
                access.sign_in(self._ws.db, admin)
                self.signed_in.emit(admin)
            return user_id
        text = self.tr("Đã thêm tài khoản “%1”.").replace("%1", name)
        if first:
            text += " " + self.tr("Đăng nhập đã được bật: lần mở sau, mọi người đăng nhập bằng tài khoản của mình.")
        if self._run(create, text):
            self.new_user()

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return

        def reset():
            password = self._typed_password()
            with self._ws.db.transaction(self._ws.user()) as session:
                users.change_password(session, user.id, password)
        self._run(reset, self.tr("Đã đặt lại mật khẩu của “%1”; hãy báo mật khẩu mới cho người đó.")
                  .replace("%1", user.user_name), user.id)

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return

        def toggle():
            with self._ws.db.transaction(self._ws.user()) as session:
                (users.deactivate if user.active else users.reactivate)(session, user.id)
        done = self.tr("Đã khóa tài khoản “%1”.") if user.active else self.tr("Đã mở lại tài khoản “%1”.")
        self._run(toggle, done.replace("%1", user.user_name), user.id)

    def delete(self) -> None:
        user = self.selected()
        if user is None:
            return
        answer = QMessageBox.question(self, self.tr("Xóa tài khoản"), self.tr(
            "Xóa hẳn tài khoản “%1”? (Tài khoản đã có thay đổi trong nhật ký thì chỉ khóa được.)")
            .replace("%1", user.user_name))
        if answer != QMessageBox.StandardButton.Yes:
            return

        def remove():
            with self._ws.db.transaction(self._ws.user()) as session:
                users.delete_user(session, user.id)
        if self._run(remove, self.tr("Đã xóa tài khoản “%1”.").replace("%1", user.user_name)):
            self.new_user()
