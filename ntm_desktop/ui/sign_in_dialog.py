"""Đăng nhập: asked at start once the office has users (services.users); Esc or “Thoát” closes the app."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from ntm_desktop import APP_NAME
from ntm_desktop.errors import UserError
from ntm_desktop.services import access, users


class SignInDialog(QDialog):
    """`actor` is the person signed in once the dialog is accepted."""

    def __init__(self, db, office_name: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.actor: access.Actor | None = None
        self.setWindowTitle(self.tr("Đăng nhập — %1").replace("%1", APP_NAME))
        self.setMinimumWidth(440)
        heading = QLabel(office_name or APP_NAME)
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold; font-size: 15px; color: #123a66;")
        hint = QLabel(self.tr("Nhập tên đăng nhập và mật khẩu do quản trị của cơ quan cấp cho mình."))
        hint.setWordWrap(True)
        self.user_name = QLineEdit()
        self.user_name.setObjectName("user_name")
        self.user_name.setPlaceholderText(self.tr("ví dụ: lan.nt"))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setVisible(False)
        form = QFormLayout()
        form.addRow(self.tr("Tên đăng nhập:"), self.user_name)
        form.addRow(self.tr("Mật khẩu:"), self.password)
        buttons = QDialogButtonBox()
        self.sign_in_button = buttons.addButton(self.tr("Đăng nhập"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = buttons.addButton(self.tr("Thoát"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.sign_in_button.setDefault(True)  # Enter in either field signs in
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.user_name.setFocus()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)

    def accept(self) -> None:
        name, password = self.user_name.text().strip(), self.password.text()
        if not name:
            self._say(self.tr("Hãy nhập tên đăng nhập."))
            self.user_name.setFocus()
            return
        try:
            with self._db.transaction() as session:
                actor = users.authenticate(session, name, password)
        except UserError as error:
            self._say(str(error))
            self.password.clear()
            self.password.setFocus()
            return
        try:
            with self._db.transaction(actor=actor) as session:
                users.renew_hash(session, actor, password)
        except UserError:
            pass  # writes are held during the start-up check: the hash is renewed at a later sign-in
        self.actor = actor
        super().accept()


def sign_in_if_needed(workspace, parent: QWidget | None = None, office_name: str = "") -> bool:
    """With sign-in on, ask who is working; every session of the workspace then acts as that person.
    False when the officer chose to leave (Esc, “Thoát”)."""
    with workspace.db.transaction() as session:
        if not access.sign_in_on(session):
            return True
    dialog = SignInDialog(workspace.db, office_name, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
        return False
    access.sign_in(workspace.db, dialog.actor)
    return True


def still_signed_in(workspace, parent: QWidget | None = None, office_name: str = "") -> bool:
    """After a restore or a change of accounts: the person signed in as the data now say (a new role counts;
    an account gone or closed signs in again; data without users need nobody). False when the officer left."""
    try:
        with workspace.db.transaction() as session:
            fresh = access.current_actor(session)
    except access.AccessDenied:
        fresh = None
    if fresh is not None:
        access.sign_in(workspace.db, fresh)
        return True
    access.sign_in(workspace.db, access.IMPLICIT)
    return sign_in_if_needed(workspace, parent, office_name)
