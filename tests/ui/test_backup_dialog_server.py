"""Sao lưu và khôi phục on the office's server, driven from the keyboard: “Sao lưu ngay” backs up the server's
database (pg_dump, or the app's own export without it) into this PC's backup folder, a restore puts the server's data
back after backing up what it held, and a file that is not a server backup is refused with nothing changed. On
NTM_TEST_DATABASE_URL's server (skipped without it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import func, select

from modal import while_modal
from ntm_desktop.models import Directive
from ntm_desktop.ui import background
from ntm_desktop.ui.backup_dialog import BackupDialog
from ntm_desktop.workspace import open_workspace
from tests.core.server_db import NO_SERVER, SERVER, drop_server_database, new_server_database
from typing_helpers import focus, press
from screenshots import SHOTS

pytestmark = pytest.mark.skipif(not SERVER, reason=NO_SERVER)


@pytest.fixture
def on_server(demo_workspace, monkeypatch):
    """The demo office moved onto a fresh server database, opened as the window opens it."""
    from ntm_desktop.server.move import move_office

    monkeypatch.setattr(background, "INLINE", False)
    folder = demo_workspace.folder
    demo_workspace.close()
    url = new_server_database("backup_ui")
    move_office(folder, url)
    ws = open_workspace(folder.root, database_url=url)
    yield ws
    ws.close()
    drop_server_database(url)


def _click(button) -> None:
    focus(button)
    press(Qt.Key.Key_Space)


def _first_directive(ws) -> Directive:
    with ws.db.transaction() as s:
        return s.scalar(select(Directive).where(Directive.deleted.is_(False)).order_by(Directive.id).limit(1))


def _live_directives(ws) -> int:
    with ws.db.transaction() as s:
        return s.scalar(select(func.count()).select_from(Directive).where(Directive.deleted.is_(False)))


@pytest.mark.parametrize("tool", ["pg_dump", "export"])
def test_backup_then_restore_on_the_server(qtbot, on_server, monkeypatch, tool):
    import shutil

    if tool == "pg_dump" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not on the PATH")
    if tool == "export":  # a PC without PostgreSQL's tools
        import ntm_desktop.server.backup as server_backup

        monkeypatch.setattr(server_backup.shutil, "which", lambda _name: None)
    ws = on_server
    directive = _first_directive(ws)
    count = _live_directives(ws)
    dialog = BackupDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.on_server and f"“{ws.db.url.database}” trên máy chủ" in dialog.intro.text()
    assert not dialog.check_button.isVisible() and not dialog.extra_button.isVisible()
    assert dialog.model.rowCount() == 0 and not dialog.restore_button.isEnabled()

    _click(dialog.backup_button)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=60000)
    made = dialog.model.backup(0)
    expected = "pg_dump (định dạng custom)" if tool == "pg_dump" else "bản xuất riêng của NTM Desktop"
    assert dialog.status.text().startswith(f"Đã sao lưu dữ liệu trên máy chủ ({expected}) vào “{made.path.name}”.")
    assert made.path.parent == ws.folder.backups and made.path.suffix == (".pgdump" if tool == "pg_dump"
                                                                           else ".ntmexport")
    row = [dialog.model.index(0, c).data() for c in range(dialog.model.columnCount())]
    assert row[1] == "Sao lưu thủ công"  # its kind, as the file's backups show theirs
    if tool == "export":
        assert row[2].startswith(f"{count} văn bản")
        assert "Không tìm thấy pg_dump trên máy này" in dialog.status.text()
    assert not list(ws.folder.backups.glob("*.ntmbak"))  # the folder's old file is not what was backed up
    dialog.grab().save(str(SHOTS / f"backup-dialog-server-{tool}.png"))

    with ws.db.transaction("vanthu") as s:  # the office goes on after the backup
        s.get(Directive, directive.id).subject = "Sửa sau khi sao lưu"

    def confirm(box: QMessageBox) -> None:
        assert "Khôi phục dữ liệu trên máy chủ về bản sao lưu lúc" in box.text()
        assert "Mọi máy của văn phòng sẽ làm việc trên dữ liệu này" in box.text()
        [yes] = [b for b in box.buttons() if b.text() == "Khôi phục"]
        _click(yes)

    dialog.table.selectRow(0)
    while_modal(lambda: _click(dialog.restore_button), confirm, timeout_ms=60000)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Đã khôi phục"), timeout=60000)
    assert f"Đã khôi phục dữ liệu trên máy chủ từ “{made.path.name}”" in dialog.status.text()
    assert "đã được sao lưu vào" in dialog.status.text()
    with ws.db.transaction() as s:
        assert s.get(Directive, directive.id).subject == directive.subject
    assert _live_directives(ws) == count
    assert dialog.model.rowCount() == 2  # the server's data just before the restore, kept too
    assert dialog.model.index(0, 1).data() == "Trước khi khôi phục"
    press(Qt.Key.Key_Escape, dialog)
    assert not dialog.isVisible()


def test_a_file_that_is_not_a_server_backup_is_refused_and_nothing_changes(qtbot, on_server, monkeypatch,
                                                                          tmp_path, messages):
    ws = on_server
    directive = _first_directive(ws)
    wrong = tmp_path / "ntm-may-chu-2026-12-01_080000.ntmexport"
    wrong.write_bytes(b"PK\x03\x04 not really a backup")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(wrong), "")))
    dialog = BackupDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    asked = []

    def confirm(box: QMessageBox) -> None:  # “Khôi phục dữ liệu từ tệp …?”
        asked.append(box.text())
        [yes] = [b for b in box.buttons() if b.text() == "Khôi phục"]
        _click(yes)

    while_modal(lambda: _click(dialog.restore_file_button), confirm, timeout_ms=60000)
    assert asked and wrong.name in asked[0]
    assert len(messages) == 1, messages
    assert "không phải bản sao lưu máy chủ của NTM Desktop" in messages[0] and "không bị thay đổi" in messages[0]
    with ws.db.transaction() as s:
        assert s.get(Directive, directive.id).subject == directive.subject
    assert dialog.model.rowCount() == 0  # refused before anything was backed up or restored
