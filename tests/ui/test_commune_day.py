"""A commune's first day, driven as its officer drives it: clicks and keys in the real dialogs.

The province gives the commune a task and sends it its full package; the commune's new installation is set
up from that package at first start, finds the task, reports progress in the task editor and sends a
package back; the province applies it and sees the report.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog
from sqlalchemy import select

from key_helpers import confirm_key
from modal import while_modal
from typing_helpers import focus, press, replace_text, type_text
from ntm_desktop.models import ProgressUpdate
from ntm_desktop.services import settings, units
from ntm_desktop.services.directives import DirectiveInput, create_directive, next_arrival_number
from ntm_desktop.services.tasks import DeadlineKind, TaskInput, create_task
from ntm_desktop.sync.export import export_package
from ntm_desktop.ui.first_start import OfficeDialog
from ntm_desktop.ui.main_window import MainWindow
from ntm_desktop.workspace import open_workspace

COMMUNE = "LC-XHOPTHANH"
TASK = "Rà soát, đánh giá thực trạng 19 tiêu chí xã nông thôn mới năm 2026"
REPORT = "Đã rà soát xong 17/19 tiêu chí; tiêu chí Thu nhập và Nghèo đa chiều đang hoàn thiện số liệu"


def province_gives_the_commune_a_task(ws) -> str:
    """At the province (the demo's coordinating office): a directive, and its task for the commune (which
    the demo's unit tree has). Returns the commune's name."""
    today = date.today()
    with ws.db.transaction("Văn thư tỉnh") as s:
        office = settings.office_unit_id(s)
        found = units.find_by_code(s, COMMUNE)
        commune = found.id if found else units.create_unit(
            s, owner_unit_id=office, code=COMMUNE, name="Xã Hợp Thành", level_code="xa",
            parent_id=units.find_by_code(s, "LC").id)
        name = units.get_unit(s, commune).name
        directive = create_directive(s, office, DirectiveInput(
            arrival_date=today, arrival_number=next_arrival_number(s, office, today.year),
            issuer_unit_id=units.find_by_code(s, "LC").id, number_symbol="88/KH-UBND", doc_date=today,
            doc_type="KH", subject="Kế hoạch rà soát tiêu chí nông thôn mới các xã năm 2026"))
        create_task(s, TaskInput(directive_id=directive, summary=TASK, lead_unit_id=commune,
                                 deadline_kind=DeadlineKind.DATE, deadline_date=date(today.year, 12, 31)))
    return name


def open_tasks_page(qtbot, window: MainWindow):
    nav = window.nav
    item = nav.findItems("Nhiệm vụ", Qt.MatchFlag.MatchExactly)[0]
    qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=nav.visualItemRect(item).center())
    assert window.pages["tasks"].isVisible()
    return window.pages["tasks"]


def row_of(qtbot, page, summary: str):
    """Find the task as a person does in a long list: type words of it in the search box."""
    replace_text("thực trạng 19 tiêu chí", page.search)
    model = page.model

    def rows():
        return [i for i in range(model.rowCount()) if model.row_at(i).summary == summary]

    qtbot.waitUntil(lambda: bool(rows()), timeout=3000)  # the search waits for a pause in typing
    return model.index(rows()[0], 0)


def double_click_row(qtbot, view, index) -> None:
    view.scrollTo(index)
    pos = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def open_sync_tab(qtbot, window: MainWindow, title: str):
    nav = window.nav
    item = nav.findItems("Trao đổi dữ liệu", Qt.MatchFlag.MatchExactly)[0]
    qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=nav.visualItemRect(item).center())
    tabs = window.pages["sync"].tabs
    bar = tabs.tabBar()
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index
    return tabs.currentWidget()


def test_commune_set_up_from_the_province_package_reports_back(qtbot, demo_workspace, tmp_path, monkeypatch,
                                                                messages):
    province = demo_workspace
    name = province_gives_the_commune_a_task(province)
    with province.db.transaction("Văn thư tỉnh") as s:  # Trao đổi dữ liệu → Gửi, "toàn bộ dữ liệu", at the province
        package = export_package(s, province.folder.files, COMMUNE, None, out_dir=tmp_path / "usb", full=True).path

    # First start at the commune: "Nhận gói dữ liệu từ cấp trên…", the file chosen on the USB stick.
    commune = open_workspace(tmp_path / "xa")
    dialog = OfficeDialog(commune)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(package), "")))
    # The province's key fingerprint is compared with its key slip and confirmed.
    while_modal(lambda: qtbot.mouseClick(dialog.from_package, Qt.MouseButton.LeftButton), confirm_key)
    assert dialog.result() == QDialog.DialogCode.Accepted, messages
    offer_text, done_text = messages[-2:]
    assert "do LC-VPDP – Văn phòng Điều phối nông thôn mới tỉnh Lào Cai lập lúc" in offer_text
    assert f"LC-XHOPTHANH – {name}" in offer_text
    assert f"Đã cài đặt máy này là đơn vị “LC-XHOPTHANH – {name}”" in done_text

    # The main window opens on the package's data; the task page shows the province's task.
    window = MainWindow(commune)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page = open_tasks_page(qtbot, window)
    index = row_of(qtbot, page, TASK)

    def report_progress(editor) -> None:
        assert editor.summary.toPlainText() == TASK
        focus(editor.progress_text)
        type_text(REPORT)
        replace_text("Nguyễn Thị Hoa", editor.progress_who)
        qtbot.mouseClick(editor.add_progress_button, Qt.MouseButton.LeftButton)
        assert editor.progress_list.count() == 1, messages
        assert REPORT in editor.progress_list.item(0).text()
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)  # "Lưu": saves and closes
        assert not editor.isVisible(), messages

    while_modal(lambda: double_click_row(qtbot, page.view, index), report_progress)

    # Trao đổi dữ liệu → Gửi: the province's office is already chosen; the package goes to a folder on the stick.
    send = open_sync_tab(qtbot, window, "Gửi")
    assert send.destination.currentText() == "Văn phòng Điều phối nông thôn mới tỉnh Lào Cai"
    outbox = tmp_path / "usb-ve-tinh"
    outbox.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(outbox)))
    qtbot.mouseClick(send.send_button, Qt.MouseButton.LeftButton)
    sent = list(outbox.glob("*.ntmsync"))
    assert len(sent) == 1, send.result.text()

    # At the province: Trao đổi dữ liệu → Nhận, open the commune's package, apply it.
    office = MainWindow(province)
    qtbot.addWidget(office)
    office.show()
    qtbot.waitExposed(office)
    receive = open_sync_tab(qtbot, office, "Nhận")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(sent[0]), "")))
    while_modal(lambda: qtbot.mouseClick(receive.open_button, Qt.MouseButton.LeftButton), confirm_key)
    assert "của LC-XHOPTHANH" in receive.header.text()
    assert receive.rejections.count() == 0, [receive.rejections.item(i).text() for i in range(receive.rejections.count())]
    qtbot.mouseClick(receive.apply_button, Qt.MouseButton.LeftButton)
    assert receive.message.text().startswith("Đã áp dụng"), receive.message.text()
    with province.db.transaction() as s:
        assert s.scalar(select(ProgressUpdate.reported_by).where(ProgressUpdate.text == REPORT)) == "Nguyễn Thị Hoa"

    # The province opens the task and reads the commune's report; Esc closes the editor.
    tasks_page = open_tasks_page(qtbot, office)
    index = row_of(qtbot, tasks_page, TASK)

    def read_report(editor) -> None:
        assert editor.progress_list.count() == 1
        assert REPORT in editor.progress_list.item(0).text()
        press(Qt.Key.Key_Escape, editor)
        assert not editor.isVisible()

    while_modal(lambda: double_click_row(qtbot, tasks_page.view, index), read_report)
    commune.close()


def test_hand_made_commune_accepts_the_package_in_the_receive_tab(qtbot, demo_workspace, tmp_path, monkeypatch,
                                                                  messages):
    """Set up by hand at first start (with its province), then the province's package: adopted, not refused."""
    province = demo_workspace
    province_gives_the_commune_a_task(province)
    with province.db.transaction("Văn thư tỉnh") as s:
        lc_name = units.find_by_code(s, "LC").name
        package = export_package(s, province.folder.files, COMMUNE, None, out_dir=tmp_path / "usb", full=True).path

    commune = open_workspace(tmp_path / "xa")
    dialog = OfficeDialog(commune)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    focus(dialog.kind)
    press(Qt.Key.Key_End)  # Loại cơ quan: "Cơ quan, đơn vị khác (tự khai báo)"
    focus(dialog.unit_code)
    type_text(COMMUNE)
    press(Qt.Key.Key_Tab)
    type_text("Ủy ban nhân dân xã Hợp Thành")

    def new_province(parent_dialog) -> None:
        focus(parent_dialog.unit_code)
        type_text("LC")
        press(Qt.Key.Key_Tab)
        type_text("Ủy ban nhân dân tỉnh Lào Cai")
        assert parent_dialog.unit_level.currentData() == "tinh"
        press(Qt.Key.Key_Return, parent_dialog.unit_name)

    while_modal(lambda: qtbot.mouseClick(dialog.new_parent_button, Qt.MouseButton.LeftButton), new_province)
    assert dialog.parent_unit.currentText() == "Ủy ban nhân dân tỉnh Lào Cai (tạo mới, mã LC)"
    press(Qt.Key.Key_Return, dialog.unit_name)  # "Bắt đầu sử dụng"
    assert dialog.result() == QDialog.DialogCode.Accepted, messages

    window = MainWindow(commune)
    qtbot.addWidget(window)
    window.show()
    receive = open_sync_tab(qtbot, window, "Nhận")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(package), "")))
    while_modal(lambda: qtbot.mouseClick(receive.open_button, Qt.MouseButton.LeftButton), confirm_key)
    header = receive.header.text()
    assert "Đơn vị của máy này “LC-XHOPTHANH – Ủy ban nhân dân xã Hợp Thành” được tạo tay ở máy này" in header
    assert f"Đơn vị “LC – Ủy ban nhân dân tỉnh Lào Cai” được tạo tay ở máy này, nên sẽ được gộp vào đơn vị cùng mã " \
           f"trong gói (“{lc_name}”)" in header
    assert receive.rejections.count() == 0, [receive.rejections.item(i).text() for i in range(3)]
    receive.grab().save(str(Path(tmp_path) / "receive.png"))
    qtbot.mouseClick(receive.apply_button, Qt.MouseButton.LeftButton)
    assert receive.message.text().startswith("Đã áp dụng"), receive.message.text()
    with commune.db.transaction() as s:
        assert sum(1 for u in units.all_units(s) if "Hợp Thành" in u.name) == 1
        mine = units.find_by_code(s, COMMUNE)
        assert settings.office_unit_id(s) == mine.id
    with province.db.transaction() as s:
        assert units.find_by_code(s, COMMUNE).id == mine.id
    page = open_tasks_page(qtbot, window)
    row_of(qtbot, page, TASK)
    commune.close()
