"""Sign-in at start, typed as an officer types it: a wrong password, an unknown name and a closed account each
get their Vietnamese message and the dialog stays; the right password opens the window as that person; Esc
leaves the app. Then the window shows only what the role may do."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))

from modal import while_modal  # noqa: E402
from ntm_desktop.services import access, users  # noqa: E402
from ntm_desktop.ui.main_window import MainWindow  # noqa: E402
from ntm_desktop.ui.sign_in_dialog import SignInDialog  # noqa: E402
from roles_world import PASSWORDS, as_, build_office  # noqa: E402
from typing_helpers import focus, press, replace_text, type_text  # noqa: E402

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture
def world(workspace):
    return build_office(workspace.db)


def sign_in_typing(dialog: SignInDialog, name: str, password: str) -> None:
    replace_text(name, dialog.user_name)
    press(Qt.Key.Key_Tab)
    type_text(password)
    press(Qt.Key.Key_Return)


@pytest.fixture
def starting(qtbot, workspace, world, monkeypatch):
    """The app's start on a folder whose office has users: the window paints, the folder opens after."""
    from ntm_desktop.safety.startup import lock_data_folder
    from ntm_desktop.ui.opening import Opening

    folder = workspace.folder
    with as_(workspace.db, world.admin) as s:
        users.deactivate(s, world.leader.user_id)
    workspace.close()
    report = lock_data_folder(folder)
    exits: list[int] = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: exits.append(code)))
    window = MainWindow(office_name="Văn phòng Điều phối nông thôn mới huyện Hàm Yên")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    start = Opening(window, folder, report)
    start.exits = exits
    yield start
    start.wait()
    if start.workspace is not None:
        start.workspace.close()
    report.lock.release()


def test_the_start_asks_who_is_working_and_says_what_is_wrong(qtbot, starting):
    seen = {}

    def drive(dialog):
        assert isinstance(dialog, SignInDialog)
        assert dialog.windowTitle() == "Đăng nhập — NTM Desktop"
        assert focus(dialog.user_name) is dialog.user_name
        sign_in_typing(dialog, "vanthu", "vanthu-2025")
        seen["wrong"] = dialog.message.text()
        assert dialog.isVisible() and dialog.password.text() == ""
        sign_in_typing(dialog, "khong.co.ai", PASSWORDS["vanthu"])
        seen["unknown"] = dialog.message.text()
        sign_in_typing(dialog, "lanhdao", PASSWORDS["lanhdao"])
        seen["closed"] = dialog.message.text()
        dialog.adjustSize()
        SHOTS.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(SHOTS / "sign-in.png"))
        sign_in_typing(dialog, "VanThu", PASSWORDS["vanthu"])

    starting.begin()
    while_modal(lambda: qtbot.waitUntil(lambda: starting.window.workspace is not None, timeout=20000), drive)
    assert seen["wrong"] == seen["unknown"] == users.WRONG
    assert seen["wrong"].startswith("Tên đăng nhập hoặc mật khẩu không đúng.")
    assert seen["closed"].startswith("Tài khoản “lanhdao” đã bị khóa.")
    window = starting.window
    person = access.signed_in(window.workspace.db)
    assert (person.user_name, person.role) == ("vanthu", access.Role.CLERK)
    assert "Nguyễn Thị Thư (văn thư)" in window.office_label.text()
    assert not starting.exits


def test_escape_at_the_sign_in_leaves_the_app(qtbot, starting):
    def drive(dialog):
        assert isinstance(dialog, SignInDialog)
        focus(dialog.user_name)
        type_text("vanthu")
        press(Qt.Key.Key_Escape)

    starting.begin()
    while_modal(lambda: qtbot.waitUntil(lambda: bool(starting.exits), timeout=20000), drive)
    assert starting.exits == [0]
    assert starting.window.workspace is None  # the window never got the data


def nav_shown(window) -> list[str]:
    return [window.nav.item(row).text() for row in range(window.nav.count()) if not window.nav.item(row).isHidden()]


def menu_shown(window) -> list[str]:
    menu = window.menuBar().actions()[0].menu()
    return [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()]


def window_as(qtbot, workspace, person) -> MainWindow:
    access.sign_in(workspace.db, person)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_specialist_sees_neither_registering_nor_backups_nor_sync(qtbot, workspace, world):
    window = window_as(qtbot, workspace, world.specialist)
    assert "Trao đổi dữ liệu" not in nav_shown(window) and "Báo cáo, in sổ" in nav_shown(window)
    assert menu_shown(window) == ["Đổi mật khẩu của tôi…", "Thoát"]
    register = window.show_page("register")
    assert all(b.isHidden() for b in (register.new_button, register.paste_button, register.file_button,
                                      register.delete_button))
    assert not register.acceptDrops()
    assert all(b.isHidden() for b in window.show_page("units").edit_buttons)
    reports = window.show_page("reports")
    assert [reports.kind.itemData(i) for i in range(reports.kind.count())] == ["unit"]
    assert reports.office_button.isHidden()
    form = register.open_form(world.directive)
    assert form.save_button.isHidden() and form.attach_button.isHidden() and form.windowTitle() == "Xem văn bản đến"
    assert form.task_panel.add_button.isHidden() and form.task_panel.delete_button.isHidden()
    form.close()


def test_a_clerk_registers_and_prints_the_registers_only(qtbot, workspace, world):
    window = window_as(qtbot, workspace, world.clerk)
    assert nav_shown(window) == ["Tổng quan", "Sổ văn bản đến", "Nhiệm vụ", "Tiêu chí NTM", "Báo cáo, in sổ",
                                 "Đơn vị"]
    assert menu_shown(window) == ["Đổi mật khẩu của tôi…", "Thoát"]
    register = window.show_page("register")
    assert not register.new_button.isHidden() and not register.paste_button.isHidden()
    reports = window.show_page("reports")
    assert [reports.kind.itemData(i) for i in range(reports.kind.count())] == ["register", "followup"]
    form = register.open_form(world.directive)
    assert not form.save_button.isHidden() and not form.attach_button.isHidden()
    assert form.task_panel.add_button.isHidden()
    form.close()


def test_an_admin_sees_everything_and_the_users_item(qtbot, workspace, world):
    window = window_as(qtbot, workspace, world.admin)
    assert "Trao đổi dữ liệu" in nav_shown(window)
    shown = menu_shown(window)
    assert {"Sao lưu và khôi phục…", "Thông tin cơ quan (dùng khi in báo cáo)…", "Người dùng và phân quyền…",
            "Thoát"} <= set(shown)
    assert window.show_page("register").new_button.isVisible()
    assert window.show_page("units").edit_buttons[0].isVisible()


def test_the_task_editor_offers_a_specialist_only_their_units_tasks(qtbot, workspace, world, messages):
    from ntm_desktop.models import ProgressUpdate
    from ntm_desktop.ui.tasks.editor import TaskEditor

    access.sign_in(workspace.db, world.specialist)
    other = TaskEditor(workspace, world.directive, world.commune_task)
    qtbot.addWidget(other)
    assert not other.add_progress_button.isEnabled() and not other.completed_check.isEnabled()
    assert not other.summary.isEnabled() and other.save_button.isHidden()

    own = TaskEditor(workspace, world.directive, world.agriculture_task)
    qtbot.addWidget(own)
    own.show()
    qtbot.waitExposed(own)
    assert own.add_progress_button.isEnabled() and own.completed_check.isEnabled()
    assert not own.summary.isEnabled() and not own.lead.isEnabled() and not own.save_button.isHidden()
    focus(own.progress_text)
    type_text("Đã rà soát xong kênh mương thôn Bạch Xa")
    qtbot.mouseClick(own.add_progress_button, Qt.MouseButton.LeftButton)
    assert not messages, messages
    with workspace.db.transaction() as s:
        (report,) = s.query(ProgressUpdate).all()
        assert report.text == "Đã rà soát xong kênh mương thôn Bạch Xa"


def test_a_clerk_reads_the_criteria_but_only_specialists_assess_and_leaders_record_recognition(
        qtbot, workspace, world):
    from ntm_desktop.ui.criteria.assessment_dialog import AssessmentDialog
    from ntm_desktop.ui.criteria.profile_dialog import ProfileDialog
    from ntm_desktop.ui.criteria.sets_dialog import CriteriaSetsDialog

    def dialogs(person):
        access.sign_in(workspace.db, person)
        opened = (AssessmentDialog(workspace, world.commune, 2026), ProfileDialog(workspace, world.commune, 2026),
                  CriteriaSetsDialog(workspace))
        for dialog in opened:
            qtbot.addWidget(dialog)
        return opened

    assess, profile, sets = dialogs(world.clerk)
    assert assess.table.rowCount() > 0  # the sheet is there to read
    assert all(b.isHidden() for b in (assess.save_button, assess.copy_button, assess.evidence_button))
    assert not assess.assessor.isEnabled() and not assess.assessed_on.isEnabled()
    assert not any(assess.status_combo(r).isEnabled() for r in range(assess.table.rowCount())
                   if assess.status_combo(r) is not None)
    assert profile.save_button.isHidden() and profile.add_button.isHidden() and profile.revoke_button.isHidden()
    assert sets.import_button.isHidden()
    assert sets.table.editTriggers() == sets.table.EditTrigger.NoEditTriggers

    assess, profile, sets = dialogs(world.specialist)
    assert not assess.save_button.isHidden() and not profile.save_button.isHidden()
    assert profile.add_button.isHidden() and sets.import_button.isHidden()

    assess, profile, sets = dialogs(world.leader)
    assert not profile.add_button.isHidden() and not profile.revoke_button.isHidden()
    assert sets.import_button.isHidden()

    assess, profile, sets = dialogs(world.admin)
    assert not sets.import_button.isHidden()


def test_an_officer_changes_their_own_password_from_the_menu(qtbot, workspace, world):
    from ntm_desktop.ui.own_password import OwnPasswordDialog

    window = window_as(qtbot, workspace, world.specialist)
    [item] = [a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "Đổi mật khẩu của tôi…"]
    seen = {}

    def drive(dialog):
        assert isinstance(dialog, OwnPasswordDialog) and dialog.windowTitle() == "Đổi mật khẩu"
        assert focus(dialog.current) is dialog.current
        type_text("sai mật khẩu")
        press(Qt.Key.Key_Tab)
        type_text("mật khẩu mới 2026")
        press(Qt.Key.Key_Tab)
        type_text("mật khẩu mới 2026")
        press(Qt.Key.Key_Return)
        seen["wrong"] = dialog.message.text()
        assert dialog.isVisible() and QApplication.focusWidget() is dialog.current
        replace_text(PASSWORDS["chuyenvien"], dialog.current)
        focus(dialog.again)
        replace_text("mật khẩu khác", dialog.again)
        press(Qt.Key.Key_Return)
        seen["mismatch"] = dialog.message.text()
        assert dialog.isVisible()
        replace_text("mật khẩu mới 2026", dialog.again)
        press(Qt.Key.Key_Return)

    while_modal(item.trigger, drive)
    assert seen["wrong"] == "Mật khẩu hiện tại không đúng; mật khẩu chưa được đổi."
    assert seen["mismatch"].startswith("Hai lần nhập mật khẩu mới không giống nhau")
    assert window.statusBar().currentMessage().startswith("Đã đổi mật khẩu.")
    with workspace.db.transaction() as s:
        assert users.authenticate(s, "chuyenvien", "mật khẩu mới 2026").user_name == "chuyenvien"
        with pytest.raises(Exception, match="không đúng"):
            users.authenticate(s, "chuyenvien", PASSWORDS["chuyenvien"])

    def escape(dialog):
        focus(dialog.current)
        type_text("gõ dở")
        press(Qt.Key.Key_Escape)

    while_modal(item.trigger, escape)
    with workspace.db.transaction() as s:
        assert users.authenticate(s, "chuyenvien", "mật khẩu mới 2026")  # Esc changed nothing
