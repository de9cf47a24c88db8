"""The sync screen shows each package's time as the office reads a clock: local, dd/mm/yyyy hh:mm, no UTC."""

from __future__ import annotations

import re
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))

from ntm_desktop.ui.sync import SyncPage  # noqa: E402
from test_sync_world import build_district, join_commune, send  # noqa: E402

STAMP = re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d")


def _headers(model) -> list[str]:
    return [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]


@pytest.fixture
def vietnam_time(monkeypatch):
    if not hasattr(time, "tzset"):
        pytest.skip("the time zone can be set for a test only on POSIX")
    monkeypatch.setenv("TZ", "ICT-7")
    time.tzset()
    yield timedelta(hours=7)
    monkeypatch.undo()
    time.tzset()


def test_receive_history_and_inbox_show_local_times(qtbot, tmp_path, vietnam_time, messages):
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "goi")
    with district.db.transaction("Văn thư huyện") as session:
        session.execute(text("UPDATE tasks SET summary = summary || ' (bổ sung)'"))
    sent = datetime.now(timezone.utc).replace(second=0, microsecond=0, tzinfo=None) + vietnam_time
    package = send(district, "XA-A", tmp_path / "goi-moi")
    page = SyncPage(commune)
    qtbot.addWidget(page)
    try:
        page.receive.open_package(package)
        header = page.receive.header.text()
        assert "UTC" not in header and "+00:00" not in header
        shown = datetime.strptime(STAMP.search(header.split("lập lúc")[1])[0], "%d/%m/%Y %H:%M")
        assert sent <= shown <= sent + timedelta(minutes=2)
        page.receive.apply()

        page.history.refresh()
        assert not any("UTC" in h for h in _headers(page.history.model))
        times = [page.history.model.index(r, 3).data() for r in range(page.history.model.rowCount())]
        assert times and all(STAMP.fullmatch(t) for t in times), times
        assert max(datetime.strptime(t, "%d/%m/%Y %H:%M") for t in times) >= sent  # local, not UTC

        page.inbox.refresh()
        assert not any("UTC" in h for h in _headers(page.inbox.model))
        page.tabs.setCurrentWidget(page.history)
        page.resize(1000, 600)
        page.grab().save(str(tmp_path / "history.png"))
    finally:
        commune.close()
        district.close()
