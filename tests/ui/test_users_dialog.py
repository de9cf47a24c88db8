"""Người dùng và phân quyền, typed as the quản trị types: the first account turns sign-in on, then a chuyên viên
is added with their unit, given another role, their password reset and their account closed; the last quản trị
stays."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))

from core_factories import make_office, make_unit  # noqa: E402
from ntm_desktop.models import User  # noqa: E402
from ntm_desktop.services import access, users  # noqa: E402
from ntm_desktop.services.access import Role  # noqa: E402
from ntm_desktop.ui.main_window import MainWindow  # noqa: E402
from ntm_desktop.ui.users_dialog import UsersDialog  # noqa: E402
from typing_helpers import focus, press, replace_text, type_text  # noqa: E402

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture
def office_ws(workspace):
    with workspace.db.transaction("cài đặt") as s:
        office = make_office(s)
        make_unit(s, "Phòng Nông nghiệp và Môi trường", level="phong", parent_id=office)
    return workspace


def fill(dialog, user_name: str, full_name: str, password: str) -> None:
    if user_name:
        replace_text(user_name, dialog.user_name)
    replace_text(full_name, dialog.full_name)
    replace_text(password, dialog.password)
    press(Qt.Key.Key_Tab)
    type_text(password)


def choose_role(dialog, label: str) -> None:
    """Home, then the down arrow on the closed role box until it shows `label`, as on screen."""
    focus(dialog.role)
    press(Qt.Key.Key_Home)
    for _ in range(dialog.role.count()):
        if dialog.role.currentText() == label:
            return
        press(Qt.Key.Key_Down)
    assert dialog.role.currentText() == label


def test_the_first_admin_turns_sign_in_on_and_the_window_follows(qtbot, office_ws):
    window = MainWindow(office_ws)
    qtbot.addWidget(window)
    dialog = UsersDialog(office_ws, window)
    qtbot.addWidget(dialog)
    dialog.signed_in.connect(lambda _a: window.fit_role())
    dialog.show()
    qtbot.waitExposed(dialog)
    assert "Chưa bật đăng nhập" in dialog.intro.text()
    assert not dialog.role.isEnabled() and dialog.role.currentData() == Role.ADMIN.value
    fill(dialog, "quantri", "Hoàng Văn Quân", "Quản trị 2026!")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Đăng nhập đã được bật" in dialog.status.text()
    person = access.signed_in(office_ws.db)
    assert (person.user_name, person.role) == ("quantri", Role.ADMIN)
    assert "Hoàng Văn Quân (quản trị)" in window.office_label.text()
    with office_ws.db.transaction() as s:
        assert access.sign_in_on(s)
        assert users.authenticate(s, "quantri", "Quản trị 2026!").user_id == person.user_id
    assert dialog.role.isEnabled() and "Mỗi người một tài khoản" in dialog.intro.text()


def test_the_admin_adds_sets_resets_and_closes_accounts(qtbot, office_ws, messages):
    with office_ws.db.transaction() as s:
        admin_id = users.create_user(s, "quantri", "Hoàng Văn Quân", Role.ADMIN, "Quản trị 2026!")
        access.sign_in(office_ws.db, access.Actor.of(s.get(User, admin_id)))
    dialog = UsersDialog(office_ws)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    fill(dialog, "lan.nt", "Nguyễn Thị Lan", "chuyên viên 26")
    choose_role(dialog, "chuyên viên")
    assert dialog.role.currentData() == Role.SPECIALIST.value
    assert "đơn vị mình chủ trì" in dialog.role_hint.text()
    replace_text("Phòng Nông nghiệp và Môi trường", dialog.unit.lineEdit())
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not messages, messages
    assert [(r.user_name, r.role, r.unit_name) for r in dialog.model.rows()] == [
        ("lan.nt", Role.SPECIALIST, "Phòng Nông nghiệp và Môi trường"), ("quantri", Role.ADMIN, "")]

    fill(dialog, "LAN.NT", "Người khác", "mat-khau-dai")  # the same name in capitals
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "“LAN.NT” đã có người dùng" in messages.pop()

    fill(dialog, "moi", "Người mới", "khac-nhau-1")
    replace_text("khac-nhau-2", dialog.password_again)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Hai lần nhập mật khẩu không giống nhau" in messages.pop()

    dialog.select_user("lan.nt")
    assert dialog.user_name.isReadOnly() and dialog.save_button.text() == "Lưu thay đổi"
    choose_role(dialog, "lãnh đạo")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.selected().role == Role.LEADER

    replace_text("dat-lai-2026", dialog.password)
    replace_text("dat-lai-2026", dialog.password_again)
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert "Đã đặt lại mật khẩu của “lan.nt”" in dialog.status.text()
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert not dialog.selected().active and dialog.active_button.text() == "Mở lại tài khoản"
    dialog.select_user("lan.nt")
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "users.png"))

    dialog.select_user("quantri")
    choose_role(dialog, "văn thư")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "quản trị duy nhất còn hoạt động" in messages.pop()
    assert not messages, messages
    with office_ws.db.transaction() as s:
        lan = users.find(s, "lan.nt")
        assert (lan.role, lan.active) == ("lanh_dao", False)
        assert s.get(User, admin_id).role == "quan_tri"
        with pytest.raises(users.SignInError, match="đã bị khóa"):
            users.authenticate(s, "lan.nt", "dat-lai-2026")
