"""Asking for the server's password when the app opens the office's server.

The data folder's setting names the server without its password (server.setting): no OS keyring library is among
this app's dependencies, and a password in a settings file could be read by anyone with the folder. So the password
is asked for here at each start, checked against the server off the GUI thread, and kept in memory for this run.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from ntm_desktop.ui.background import run_with_progress


def ask_server_password(parent: QWidget, url, attempts: int = 3):
    """The address with the password the officer typed once the server no longer refuses it for the password (the
    caller's opening then tells any other failure, as it is now); None when they give up (the caller then offers the
    local copy read-only). A wrong password asks again, saying so."""
    from ntm_desktop.server.probe import ServerState, probe
    from ntm_desktop.server.urls import label

    prompt = parent.tr
    message = prompt("Mật khẩu của người dùng “{0}” trên máy chủ dữ liệu {1}:").format(url.username, label(url))
    for _ in range(attempts):
        password, ok = QInputDialog.getText(parent, prompt("Mở dữ liệu trên máy chủ"), message,
                                            QLineEdit.EchoMode.Password)
        if not ok:
            return None
        candidate = url.set(password=password)
        found = run_with_progress(parent, prompt("Đang kết nối máy chủ…"), lambda _say: probe(candidate))
        if found.state is not ServerState.WRONG_PASSWORD:
            # the password is no longer what stops it: the caller's opening tells what does now (the server gone
            # meanwhile, no such database...), not the password refused before
            return candidate
        message = found.message
    return None
