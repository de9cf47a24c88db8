"""Keys in the window: the fingerprint confirmation of a first package, a changed key's warning, the Khóa tab."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))

from key_helpers import confirm_key  # noqa: E402
from modal import while_modal  # noqa: E402
from typing_helpers import press  # noqa: E402
from ntm_desktop.sync import signing  # noqa: E402
from ntm_desktop.ui.first_start import OfficeDialog  # noqa: E402
from ntm_desktop.ui.sync.page import SyncPage  # noqa: E402
from ntm_desktop.workspace import open_workspace  # noqa: E402
from test_sync_world import build_district, fingerprint, join_commune, send, state  # noqa: E402
from screenshots import SHOTS



def test_first_start_shows_the_senders_fingerprint_and_sets_up_only_once_confirmed(qtbot, tmp_path, monkeypatch,
                                                                                    messages):
    district = build_district(tmp_path)
    package = send(district, "XA-A", tmp_path / "usb", full=True)
    printed = fingerprint(district)
    commune = open_workspace(tmp_path / "xa")
    dialog = OfficeDialog(commune)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(package), "")))

    def look_then_leave(key_dialog) -> None:
        assert "HUYEN" in key_dialog.findChildren(type(key_dialog.fingerprint_label))[0].text()
        assert key_dialog.fingerprint_label.text().split() == printed.split()
        assert key_dialog.warning_label is None  # a first key: no warning, a comparison
        SHOTS.mkdir(exist_ok=True)
        key_dialog.grab().save(str(SHOTS / "xac-nhan-khoa-lan-dau.png"))
        press(Qt.Key.Key_Escape, key_dialog)  # "Không nhập gói"
        assert not key_dialog.isVisible()

    while_modal(lambda: qtbot.mouseClick(dialog.from_package, Qt.MouseButton.LeftButton), look_then_leave)
    assert dialog.isVisible() and commune.office_unit_id() is None
    assert not messages  # declined: back to the dialog, nothing read, nothing to explain

    while_modal(lambda: qtbot.mouseClick(dialog.from_package, Qt.MouseButton.LeftButton),
                lambda d: confirm_key(d, printed))
    assert dialog.result() == QDialog.DialogCode.Accepted, messages
    assert f"Gói được ký bằng khóa có mã {printed} (đã đối chiếu)" in messages[-2]
    assert commune.office_unit_id() is not None
    commune.close()
    district.close()


def test_a_changed_key_is_warned_about_and_refused_unless_confirmed(qtbot, tmp_path, messages):
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "boot")
    old = fingerprint(district)
    district.close()
    (tmp_path / "huyen" / signing.KEY_FILE).unlink()  # the district's PC was reinstalled: a new key
    district = open_workspace(tmp_path / "huyen")
    with district.db.transaction() as s:
        from ntm_desktop.models import Task
        from sqlalchemy import select

        s.scalars(select(Task)).first().notes = "Ưu tiên hoàn thành trước mùa mưa"
    package = send(district, "XA-A", tmp_path / "usb")
    new = fingerprint(district)
    page = SyncPage(commune)
    qtbot.addWidget(page)
    page.resize(900, 600)
    before = state(commune)

    def warned(key_dialog) -> None:
        assert key_dialog.warning_label is not None and "CẢNH BÁO" in key_dialog.warning_label.text()
        assert old in key_dialog.warning_label.text()
        assert key_dialog.fingerprint_label.text().split() == new.split()
        key_dialog.grab().save(str(SHOTS / "canh-bao-khoa-khac.png"))
        press(Qt.Key.Key_Escape, key_dialog)

    while_modal(lambda: page.receive.open_package(package), warned)
    assert "CẢNH BÁO" in page.receive.header.text() and not page.receive.apply_button.isEnabled()
    assert state(commune) == before
    while_modal(lambda: page.receive.open_package(package), lambda d: confirm_key(d, new))
    assert page.receive.apply_button.isEnabled()
    assert page.receive.apply().status == "applied"
    page.tabs.setCurrentWidget(page.keys)
    texts = [page.keys.model.index(r, c).data() for r in range(page.keys.model.rowCount()) for c in range(3)]
    assert old in texts and new in texts and "Đã thay bằng khóa mới" in texts
    commune.close()
    district.close()


def test_the_keys_tab_shows_this_offices_fingerprint_the_known_keys_and_prints_the_slip(qtbot, qtmodeltester,
                                                                                         tmp_path, monkeypatch,
                                                                                         messages):
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "boot")
    page = SyncPage(district)
    qtbot.addWidget(page)
    page.resize(1000, 560)
    page.show()
    qtbot.waitExposed(page)
    bar = page.tabs.tabBar()
    index = next(i for i in range(page.tabs.count()) if page.tabs.tabText(i) == "Khóa")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    tab = page.keys
    qtmodeltester.check(tab.model)
    assert fingerprint(district) in tab.own_label.text()
    rows = [[tab.model.index(r, c).data() for c in range(tab.model.columnCount())] for r in range(tab.model.rowCount())]
    assert ["XA-A", fingerprint(commune), "Đang dùng"] in [row[:3] for row in rows]
    assert ["HUYEN", fingerprint(district), "Đang dùng"] in [row[:3] for row in rows]
    page.grab().save(str(SHOTS / "tab-khoa.png"))

    slip = tmp_path / "phieu.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(slip), "")))
    qtbot.mouseClick(tab.slip_button, Qt.MouseButton.LeftButton)
    assert slip.is_file() and slip.read_bytes().startswith(b"%PDF")

    commune_row = next(r for r, row in enumerate(rows) if row[0] == "XA-A")
    tab.view.selectRow(commune_row)
    messages.answers.append(QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(tab.revoke_button, Qt.MouseButton.LeftButton)
    assert "Thu hồi khóa" in messages[-1] and "XA-A" in messages[-1]
    assert tab.model.index(commune_row, 2).data() == "Đã thu hồi"
    commune.close()
    district.close()
