"""The sync screen: send, open (preview only), apply, a conflict decided, history printed and reverted."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))

from ntm_desktop.models import Task  # noqa: E402
from ntm_desktop.services import units  # noqa: E402
from ntm_desktop.ui.sync import SyncPage  # noqa: E402
from test_sync_world import build_district, join_commune, state  # noqa: E402


@pytest.fixture
def pair(tmp_path):
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "boot")
    yield district, commune
    commune.close()
    district.close()


def test_send_then_receive_with_preview_and_apply(qtbot, qtmodeltester, pair, tmp_path, messages):
    district, commune = pair
    page = SyncPage(commune)  # the commune acknowledges the set-up package: later deltas start after it
    qtbot.addWidget(page)
    page.send.refresh()
    with commune.db.transaction() as s:
        assert page.send.destination.unit_id() == units.find_by_code(s, "HUYEN").id  # the unit above, at once
    receipt = page.send.receipt_to(tmp_path / "usb")
    sender = SyncPage(district)
    qtbot.addWidget(sender)
    sender.receive.open_package(receipt)
    assert sender.receive.apply().status == "receipt"
    sender.send.refresh()
    assert "đến gói số 1" in sender.send.status.item(0).text()
    with district.db.transaction() as s:
        s.scalars(select(Task)).first().notes = "Báo cáo trước thứ Sáu"
    with district.db.transaction() as s:
        sender.send.destination.set_unit_id(units.find_by_code(s, "XA-A").id)
    path = sender.send.send_to(tmp_path / "usb")
    assert path is not None and path.exists()
    assert "Nhiệm vụ: 1" in sender.send.result.text() and "Đơn vị" not in sender.send.result.text()
    sender.resize(900, 600)
    sender.grab().save(str(tmp_path / "send.png"))

    page.tabs.setCurrentWidget(page.receive)
    before = state(commune)
    plan = page.receive.open_package(path)
    qtmodeltester.check(page.receive.model)
    assert state(commune) == before  # opening is only a preview
    assert page.receive.apply_button.isEnabled()
    assert "Gói số" in page.receive.header.text()
    rows = {page.receive.model.index(r, 0).data(): page.receive.model.index(r, 2).data()
            for r in range(page.receive.model.rowCount())}
    assert rows["Nhiệm vụ"] == "1"
    page.resize(900, 600)
    page.grab().save(str(tmp_path / "receive.png"))
    result = page.receive.apply()
    assert result.status == "applied" and "Đã áp dụng" in page.receive.message.text()
    assert "Chưa có gì thay đổi" not in page.receive.header.text() and "Đã áp dụng" in page.receive.header.text()
    with commune.db.transaction() as s:
        assert "Báo cáo trước thứ Sáu" in s.scalars(select(Task.notes)).all()
    again = page.receive.open_package(path)
    assert "đã được nhập ngày" in page.receive.header.text() and not page.receive.apply_button.isEnabled()
    assert plan is not None and again is not None

    page.history.refresh()
    qtmodeltester.check(page.history.model)
    assert page.history.model.rowCount() >= 2
    page.tabs.setCurrentWidget(page.history)
    page.grab().save(str(tmp_path / "history.png"))
    pdf = page.history.save_pdf(tmp_path / "history.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    received = next(r for r in range(page.history.model.rowCount()) if page.history._items[r]["received"]
                    and page.history._items[r]["seq"] == plan.package.manifest.sequence)
    page.history.view.selectRow(received)
    assert page.history.revert_selected(confirm=False) == 1
    with commune.db.transaction() as s:
        assert "Báo cáo trước thứ Sáu" not in s.scalars(select(Task.notes)).all()


def test_bad_file_shows_the_reason_and_cannot_be_applied(qtbot, pair, tmp_path):
    _, commune = pair
    bad = tmp_path / "hong.ntmsync"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    page = SyncPage(commune)
    qtbot.addWidget(page)
    assert page.receive.open_package(bad) is None
    assert "chép chưa hết" in page.receive.header.text()
    assert not page.receive.apply_button.isEnabled()


def test_conflict_side_by_side_and_decision(qtbot, qtmodeltester, pair, tmp_path):
    from ntm_desktop.sync.apply import apply_file
    from test_sync_world import send

    district, commune = pair
    for ws, value in ((district, "Thôn Một (huyện)"), (commune, "Thôn Một (xã)")):
        with ws.db.transaction() as s:
            units.find_by_code(s, "XA-A").short_name = value
    apply_file(district, send(commune, "HUYEN", tmp_path))
    page = SyncPage(district)
    qtbot.addWidget(page)
    page.tabs.setCurrentWidget(page.conflicts)
    qtmodeltester.check(page.conflicts.model)
    assert page.conflicts.model.rowCount() == 1
    texts = page.conflicts.local.text() + page.conflicts.incoming.text()
    assert "Thôn Một (huyện)" in texts and "Thôn Một (xã)" in texts and "(đang dùng)" in texts
    page.resize(900, 500)
    page.grab().save(str(tmp_path / "conflicts.png"))
    page.conflicts.choose("local" if "(đang dùng)" in page.conflicts.incoming.text() else "incoming")
    assert page.conflicts.model.rowCount() == 0
