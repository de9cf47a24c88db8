"""The first-start dialog: leaving it, setting up by hand, and packages that cannot set this office up."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from sqlalchemy import select

from key_helpers import confirm_key
from modal import while_modal
from typing_helpers import focus, press, type_text
from ntm_desktop.models import Unit
from ntm_desktop.services import settings, units
from ntm_desktop.sync.export import export_package
from ntm_desktop.ui.first_start import OfficeDialog


def shown(qtbot, ws) -> OfficeDialog:
    dialog = OfficeDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_escape_asks_before_quitting(qtbot, workspace, messages):
    dialog = shown(qtbot, workspace)
    messages.answers.append(QMessageBox.StandardButton.No)
    press(Qt.Key.Key_Escape, dialog)
    assert messages[-1].startswith("Thoát phần mềm?")
    assert "cần biết đơn vị sử dụng" in messages[-1]
    assert dialog.isVisible()  # "Không": back to the dialog
    press(Qt.Key.Key_Escape, dialog)  # "Có"
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert workspace.office_unit_id() is None


def test_examples_are_after_the_2025_reform(qtbot, workspace):
    dialog = shown(qtbot, workspace)
    assert dialog.kind.currentData() == "xa"  # a new installation starts on the catalogue
    levels = [dialog.unit_level.itemText(i) for i in range(dialog.unit_level.count())]
    assert levels[0] == "Xã" and not any("Huyện" in level for level in levels)
    assert "huyện" not in dialog.unit_name.placeholderText().lower()
    assert "xã" in dialog.unit_name.placeholderText()


def by_hand(dialog: OfficeDialog) -> None:
    """Loại cơ quan: "Cơ quan, đơn vị khác (tự khai báo)", the last of the list."""
    focus(dialog.kind)
    press(Qt.Key.Key_End)
    assert dialog.kind.currentData() == "khac" and dialog.unit_code.isVisible()


def test_a_commune_by_hand_needs_its_parent(qtbot, workspace, messages):
    dialog = shown(qtbot, workspace)
    by_hand(dialog)
    focus(dialog.unit_code)
    type_text("LC-XHOPTHANH")
    press(Qt.Key.Key_Tab)
    type_text("Ủy ban nhân dân xã Hợp Thành")
    press(Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "Hãy chọn đơn vị cấp trên" in messages[-1] and "Tạo đơn vị cấp trên…" in messages[-1]
    with workspace.db.transaction() as s:
        assert s.scalar(select(Unit.id)) is None  # nothing half-written


def test_the_office_can_be_picked_under_an_existing_parent(qtbot, workspace, messages):
    with workspace.db.transaction() as s:
        units.create_unit(s, code="LC", name="Ủy ban nhân dân tỉnh Lào Cai", level_code="tinh")
    dialog = shown(qtbot, workspace)
    dialog.create_new.click()
    focus(dialog.unit_code)
    type_text("LC-XYENBINH")
    press(Qt.Key.Key_Tab)
    type_text("Ủy ban nhân dân xã Yên Bình")
    focus(dialog.parent_unit.lineEdit())
    type_text("Ủy ban nhân dân tỉnh Lào Cai")
    press(Qt.Key.Key_Return, dialog.unit_name)
    assert dialog.result() == QDialog.DialogCode.Accepted, messages
    with workspace.db.transaction() as s:
        office = s.get(Unit, settings.office_unit_id(s))
        assert (office.code, office.level_code, office.parent.code) == ("LC-XYENBINH", "xa", "LC")


def test_a_changes_only_package_cannot_set_up_the_office(qtbot, demo_workspace, tmp_path, monkeypatch, messages):
    with demo_workspace.db.transaction() as s:
        package = export_package(s, demo_workspace.folder.files, "LC-YENBINH", None, out_dir=tmp_path, full=False).path
    from ntm_desktop.workspace import open_workspace

    commune = open_workspace(tmp_path / "xa")
    dialog = shown(qtbot, commune)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(package), "")))
    qtbot.mouseClick(dialog.from_package, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "không đủ để cài đặt máy" in messages[-1] and "“toàn bộ dữ liệu”" in messages[-1]
    assert commune.office_unit_id() is None
    commune.close()


def test_offer_names_the_office_and_no_keeps_the_dialog(qtbot, demo_workspace, tmp_path, monkeypatch, messages):
    """A full package for another commune would set this computer up as that commune: the question names it."""
    with demo_workspace.db.transaction() as s:
        package = export_package(s, demo_workspace.folder.files, "LC-YENBINH", None, out_dir=tmp_path, full=True).path
    from ntm_desktop.workspace import open_workspace

    commune = open_workspace(tmp_path / "xa")
    dialog = shown(qtbot, commune)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(package), "")))
    messages.answers.append(QMessageBox.StandardButton.No)
    while_modal(lambda: qtbot.mouseClick(dialog.from_package, Qt.MouseButton.LeftButton), confirm_key)
    assert "dành cho đơn vị:\n\nLC-YENBINH – Ủy ban nhân dân xã Yên Bình" in messages[-1]
    assert dialog.isVisible() and commune.office_unit_id() is None
    commune.close()


def test_parent_dialog_asks_for_code_and_name(qtbot, workspace, messages):
    dialog = shown(qtbot, workspace)

    def incomplete_then_cancel(parent_dialog) -> None:
        focus(parent_dialog.unit_name)
        type_text("Tỉnh Lào Cai")
        press(Qt.Key.Key_Return, parent_dialog.unit_name)
        assert parent_dialog.isVisible() and "cả mã và tên" in messages[-1]
        press(Qt.Key.Key_Escape, parent_dialog)
        assert not parent_dialog.isVisible()

    while_modal(lambda: qtbot.mouseClick(dialog.new_parent_button, Qt.MouseButton.LeftButton),
                incomplete_then_cancel)
    assert dialog.parent_unit.currentText() == ""  # nothing chosen, nothing created
    assert dialog.isVisible()
