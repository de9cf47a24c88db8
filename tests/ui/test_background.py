"""Long sync work runs off the GUI thread, and its result or error comes back to the screen."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))

from ntm_desktop.errors import UserError  # noqa: E402
from ntm_desktop.ui.background import run_with_progress  # noqa: E402


def test_result_and_error_come_back(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    value = run_with_progress(parent, "Đang xử lý…", lambda say: (say("Gói 1/2"), threading.current_thread())[1])
    assert value is not threading.main_thread()
    with pytest.raises(UserError, match="ổ đĩa đầy"):
        run_with_progress(parent, "Đang xử lý…", lambda say: (_ for _ in ()).throw(UserError("ổ đĩa đầy")))


def test_applying_a_package_does_not_block_the_window(qtbot, tmp_path, monkeypatch):
    from test_sync_world import build_district, join_commune, send

    from ntm_desktop.sync import apply as apply_module
    from ntm_desktop.ui.sync import SyncPage
    from ntm_desktop.ui.sync import page as page_module

    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "boot")
    package = send(district, "XA-A", tmp_path / "out", full=True)
    threads = []

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return apply_module.apply_file(*args, **kwargs)

    monkeypatch.setattr(page_module, "apply_file", spy)
    page = SyncPage(commune)
    qtbot.addWidget(page)
    page.receive.open_package(package)
    result = page.receive.apply()
    assert result is not None and result.status in ("applied", "already")
    assert threads and threads[0] is not threading.main_thread()
    assert result.message in page.receive.message.text()
    commune.close()
    district.close()
