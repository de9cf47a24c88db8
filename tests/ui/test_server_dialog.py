"""The server dialog driven from the keyboard: a server that cannot be reached, then an empty server database the
office's data is moved onto, then a second PC that chooses the server now holding the office."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from ntm_desktop.server.probe import make_engine
from ntm_desktop.server.setting import recorded_server
from ntm_desktop.ui import background
from ntm_desktop.ui.server_dialog import ServerDialog
from tests.core.password_server import PASSWORD, password_server  # noqa: F401 - a fixture
from tests.core.server_db import NO_SERVER, SERVER, drop_server_database, new_server_database
from tests.ui.typing_helpers import focus, press, replace_text, type_text
from screenshots import SHOTS



def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fill(dialog: ServerDialog, host: str, port: int, database: str, user: str, password: str = "") -> None:
    replace_text(host, dialog.host)
    replace_text(str(port), dialog.port)
    replace_text(database, dialog.database)
    replace_text(user, dialog.user)
    focus(dialog.password_edit)
    type_text(password)


def _check(qtbot, dialog: ServerDialog) -> None:
    """“Kiểm tra kết nối” from the keyboard; the check runs in a worker thread while the dialog stays live."""
    focus(dialog.check_button)
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.found is not None, timeout=15000)


@pytest.fixture
def threaded(monkeypatch):
    monkeypatch.setattr(background, "INLINE", False)  # the check really runs off the GUI thread


def test_unreachable_server_is_told_and_nothing_can_be_chosen(qtbot, workspace, threaded):
    dialog = ServerDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    port = _closed_port()
    _fill(dialog, "127.0.0.1", port, "ntm_văn_phòng", "vanthu", "mật khẩu")
    assert dialog.port.value() == port and dialog.database.text() == "ntm_văn_phòng"
    _check(qtbot, dialog)
    assert f"Không kết nối được máy chủ 127.0.0.1:{port}" in dialog.outcome.text()
    assert not dialog.move_button.isEnabled() and not dialog.use_button.isEnabled()
    dialog.grab().save(str(SHOTS / "server-dialog-unreachable.png"))
    replace_text("", dialog.host)
    press(Qt.Key.Key_Return)  # the check button is the default one
    assert "Chưa điền máy chủ" in dialog.outcome.text()
    assert recorded_server(workspace.folder.root) is None


@pytest.mark.skipif(not SERVER, reason=NO_SERVER)
def test_move_onto_an_empty_server_then_a_second_pc_uses_it(qtbot, demo_workspace, workspace, threaded, messages):
    url = new_server_database("server_ui")
    try:
        dialog = ServerDialog(demo_workspace)
        qtbot.addWidget(dialog)
        dialog.show()
        _fill(dialog, url.host, url.port, url.database, url.username)
        _check(qtbot, dialog)
        assert "còn trống" in dialog.outcome.text()
        assert dialog.move_button.isEnabled() and not dialog.use_button.isEnabled()
        dialog.grab().save(str(SHOTS / "server-dialog-empty.png"))
        focus(dialog.move_button)
        press(Qt.Key.Key_Space)  # “Chuyển dữ liệu lên máy chủ”, confirmed with Yes
        assert any("Chép toàn bộ dữ liệu của máy này" in m for m in messages)
        assert any("số dòng từng bảng khớp" in m for m in messages), messages
        assert dialog.result() == ServerDialog.DialogCode.Accepted
        assert recorded_server(demo_workspace.folder.root) == url.render_as_string(hide_password=False)
        engine = make_engine(url)
        with engine.connect() as conn:
            with demo_workspace.db.transaction() as session:
                here = session.execute(text("SELECT count(*) FROM directives")).scalar()
            assert conn.execute(text("SELECT count(*) FROM directives")).scalar() == here > 0
        engine.dispose()

        second = ServerDialog(workspace)  # another PC of the office, with its own empty data folder
        qtbot.addWidget(second)
        second.show()
        _fill(second, url.host, url.port, url.database, url.username)
        _check(qtbot, second)
        assert "phiên bản này (đã có dữ liệu của văn phòng)" in second.outcome.text()
        assert second.use_button.isEnabled() and not second.move_button.isEnabled()
        second.grab().save(str(SHOTS / "server-dialog-office.png"))
        focus(second.use_button)
        press(Qt.Key.Key_Space)
        assert recorded_server(workspace.folder.root) == url.render_as_string(hide_password=False)
    finally:
        drop_server_database(url)


def test_the_data_menu_opens_the_server_dialog(qtbot, demo_workspace):
    from PySide6.QtWidgets import QApplication

    from ntm_desktop.ui.main_window import MainWindow
    from tests.ui.modal import while_modal

    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    window.show()
    menu = window.menuBar().actions()[0].menu()
    item = next(a for a in menu.actions() if a.text() == "Máy chủ dữ liệu của văn phòng…")
    assert item.isEnabled() and item.isVisible()
    seen = {}

    def drive(dialog):
        seen["title"] = dialog.windowTitle()
        seen["where"] = dialog.findChild(type(dialog.outcome), "where").text()
        dialog.grab().save(str(SHOTS / "server-dialog-from-menu.png"))
        press(Qt.Key.Key_Escape, dialog)

    while_modal(item.trigger, drive)
    assert seen == {"title": "Máy chủ dữ liệu của văn phòng", "where": "Đang dùng: tệp dữ liệu trên máy này"}
    assert QApplication.activeModalWidget() is None


def test_the_password_is_asked_again_until_the_server_takes_it(qtbot, password_server, monkeypatch):  # noqa: F811
    from PySide6.QtWidgets import QInputDialog, QWidget

    from ntm_desktop.ui.server_password import ask_server_password

    typed = ["sai mật khẩu", PASSWORD]
    prompts = []

    def get_text(_parent, _title, label, _mode):
        prompts.append(label)
        return typed.pop(0), True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    parent = QWidget()
    qtbot.addWidget(parent)
    url = ask_server_password(parent, password_server._replace(password=None))
    assert url is not None and url.password == PASSWORD
    assert "Mật khẩu của người dùng “ntm_office”" in prompts[0]
    assert "không đúng" in prompts[1]  # the second prompt says why it asks again
