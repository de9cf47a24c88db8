"""Sao lưu ngay: a progress bar while the backup is written, and "Hủy" (or Esc) stops it with nothing left."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton

from ntm_desktop.backup import store as store_module
from ntm_desktop.ui.backup_dialog import BackupDialog

from modal import while_modal


def _tree(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def held_zip(monkeypatch):
    """The zip step waits until the officer has acted on the progress dialog (at most 10 s): a big
    database takes that long, a test's small one would be done before the dialog shows."""
    acted = threading.Event()
    real = store_module.copy_stream

    def held(*args, **kwargs):
        acted.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(store_module, "copy_stream", held)
    return acted


@pytest.mark.parametrize("how", ["the Hủy button", "Esc"])
def test_cancel_stops_the_backup_and_leaves_no_new_backup(qtbot, demo_workspace, held_zip, how):
    ws = demo_workspace
    dialog = BackupDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    held_zip.set()
    dialog.backup_button.click()  # yesterday's backup, say: it must stay as it is
    held_zip.clear()
    assert dialog.model.rowCount() == 1
    before = _tree(ws.folder.backups)
    seen: dict = {}

    def act(progress: QProgressDialog) -> None:
        assert isinstance(progress, QProgressDialog)
        seen.update(value=progress.value(), maximum=progress.maximum(), title=progress.windowTitle())
        button = next(b for b in progress.findChildren(QPushButton) if b.text() == "Hủy")
        if how == "Esc":
            qtbot.keyClick(progress, Qt.Key.Key_Escape)
        else:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        seen.update(label=progress.labelText(), button_enabled=button.isEnabled(), visible=progress.isVisible())
        progress.grab().save(str(ws.folder.root.parent / "backup-cancelling.png"))
        held_zip.set()

    while_modal(dialog.backup_button.click, act)
    assert seen["maximum"] > 0 and 0 < seen["value"] < seen["maximum"], "the bar shows how far it has gone"
    assert seen["label"] == "Đang hủy…" and not seen["button_enabled"] and seen["visible"]
    assert "Đã hủy sao lưu" in dialog.status.text()
    assert _tree(ws.folder.backups) == before, "no new backup, the old one untouched"
    assert not list(ws.folder.backups.glob(".tmp-*")) and not list(ws.folder.backups.rglob("*.tmp"))
    assert dialog.model.rowCount() == 1
    dialog.grab().save(str(ws.folder.root.parent / "backup-cancelled.png"))


def test_the_bar_fills_and_the_backup_is_listed_when_not_cancelled(qtbot, demo_workspace, held_zip):
    ws = demo_workspace
    dialog = BackupDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    seen: dict = {}

    def watch(progress: QProgressDialog) -> None:
        seen["during"] = progress.value()
        progress.grab().save(str(ws.folder.root.parent / "backup-progress.png"))
        held_zip.set()

    while_modal(dialog.backup_button.click, watch)
    assert 0 < seen["during"] < 1000
    assert dialog.model.rowCount() == 1 and "Đã sao lưu" in dialog.status.text()
