"""The receive tab tells what a newer unit catalogue edition in a package will change, then that it did."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))

from ntm_desktop.sync.apply import entity_label  # noqa: E402
from ntm_desktop.sync.preview import OUTCOMES  # noqa: E402
from ntm_desktop.ui.sync import SyncPage  # noqa: E402
from test_sync_catalogue_edition import APPLIED, _version, _world  # noqa: E402
from test_sync_world import send  # noqa: E402


def test_the_receive_preview_names_the_edition_and_the_history_what_it_changed(qtbot, tmp_path, messages):
    province, commune, _task, out = _world(tmp_path)
    package = send(province, "03037", out)
    page = SyncPage(commune)
    qtbot.addWidget(page)
    page.tabs.setCurrentWidget(page.receive)
    page.receive.open_package(package)
    header = page.receive.header.text()
    assert "Gói mang danh mục đơn vị hành chính phiên bản 2026.1 ngày 01/01/2027 (máy này đang dùng 2025.1)" in header
    assert "1 đổi tên, 1 sáp nhập" in header and _version(commune) == "2025.1"
    model = page.receive.model
    shown = {model.index(r, 0).data(): [model.index(r, c).data() for c in range(1, 1 + len(OUTCOMES))]
             for r in range(model.rowCount())}
    units = shown[entity_label("units")]
    assert units[OUTCOMES.index("updated")] in (0, "0")  # the edition brings them to the sender's revision
    page.resize(1000, 650)
    page.grab().save(str(tmp_path / "nhan-danh-muc.png"))
    result = page.receive.apply()
    assert result is not None and page.receive.message.text().endswith(APPLIED)
    assert {entity_label(e): [str(c[o]) for o in OUTCOMES] for e, c in result.summary["counts"].items()} == {
        name: [str(n) for n in row] for name, row in shown.items()}  # the table told what the apply did
    page.tabs.setCurrentWidget(page.history)
    qtbot.waitUntil(lambda: not page.history.loading and bool(page.history._items), timeout=10_000)
    model = page.history.model  # the history's summary column, as shown
    assert any(APPLIED in model.index(row, 5).data() for row in range(model.rowCount()))
    for ws in (province, commune):
        ws.close()
