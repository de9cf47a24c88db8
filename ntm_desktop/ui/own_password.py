"""Đổi mật khẩu của tôi: the person signed in changes their own password, giving the current one."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ntm_desktop.errors import UserError
from ntm_desktop.services import access, users


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class OwnPasswordDialog(QDialog):
    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws = workspace
        self._actor = access.signed_in(workspace.db)
        self.setWindowTitle(self.tr("Đổi mật khẩu"))
        self.setMinimumWidth(440)
        who = QLabel(self.tr("Tài khoản: <b>{0}</b> ({1})").format(
            self._actor.full_name or self._actor.user_name, self._actor.user_name))
        self.current = _password_field("current")
        self.new = _password_field("new")
        self.again = _password_field("again")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setVisible(False)
        form = QFormLayout()
        form.addRow(self.tr("Mật khẩu hiện tại:"), self.current)
        form.addRow(self.tr("Mật khẩu mới:"), self.new)
        form.addRow(self.tr("Nhập lại mật khẩu mới:"), self.again)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("Đổi mật khẩu"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.current.setFocus()

    def _say(self, text: str, field: QLineEdit) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
        field.selectAll()
        field.setFocus()

    def accept(self) -> None:
        if self.new.text() != self.again.text():
            self.again.clear()
            self._say(self.tr("Hai lần nhập mật khẩu mới không giống nhau; mật khẩu chưa được đổi. Hãy nhập lại."),
                      self.again)
            return
        try:
            with self._ws.db.transaction() as session:
                users.change_password(session, self._actor.user_id, self.new.text(), self.current.text())
        except UserError as error:
            wrong_current = getattr(error, "field", None) == "old_password"
            self._say(str(error), self.current if wrong_current else self.new)
            return
        super().accept()
