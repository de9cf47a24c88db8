"""The backup dialog: back up now, the list, restore with the database reopened, refusals shown."""

from __future__ import annotations

from sqlalchemy import func, select

from ntm_desktop.backup import extra_folder
from ntm_desktop.models import Directive
from ntm_desktop.ui.backup_dialog import BackupDialog


def _directives(ws) -> int:
    with ws.db.transaction() as s:
        return s.scalar(select(func.count()).select_from(Directive).where(Directive.deleted.is_(False)))


def test_backup_now_and_restore(qtbot, qtmodeltester, demo_workspace, tmp_path, monkeypatch):
    ws = demo_workspace
    dialog = BackupDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == 0 and not dialog.restore_button.isEnabled()

    dialog.backup_button.click()
    assert dialog.model.rowCount() == 1
    qtmodeltester.check(dialog.model)
    before = _directives(ws)
    shown = dialog.model.index(0, 2).data()
    assert f"{before} văn bản" in shown
    assert "Đã sao lưu" in dialog.status.text()
    dialog.grab().save(str(tmp_path / "backup-dialog.png"))

    with ws.db.transaction() as s:
        for d in s.scalars(select(Directive)).all()[:2]:
            d.deleted = True
    assert _directives(ws) == before - 2

    monkeypatch.setattr(dialog, "_confirm", lambda _q: True)
    with qtbot.waitSignal(dialog.restored):
        dialog.restore_button.click()
    assert _directives(ws) == before  # the workspace's database was reopened on the restored data
    assert dialog.model.rowCount() == 2  # plus the state just before the restore
    assert "Trước khi khôi phục" in [dialog.model.index(r, 1).data() for r in range(2)]


def test_refused_file_keeps_the_data_and_says_why(qtbot, demo_workspace, tmp_path, monkeypatch):
    ws = demo_workspace
    dialog = BackupDialog(ws)
    qtbot.addWidget(dialog)
    errors = []
    monkeypatch.setattr(dialog, "_error", lambda e: errors.append(str(e)))
    junk = tmp_path / "danh-sach.ntmbak"
    junk.write_text("không phải sao lưu", encoding="utf-8")
    before = _directives(ws)
    assert dialog.restore(junk) is False
    assert "không phải là bản sao lưu" in errors[0]
    assert _directives(ws) == before  # the database is open again and unchanged


def test_extra_folder_must_be_outside_the_data_folder(qtbot, workspace, tmp_path, monkeypatch):
    dialog = BackupDialog(workspace)
    qtbot.addWidget(dialog)
    errors = []
    monkeypatch.setattr(dialog, "_error", lambda e: errors.append(str(e)))
    dialog.set_extra_folder(workspace.folder.root / "backups-2")
    assert errors and extra_folder(workspace.folder.root) is None
    usb = tmp_path / "usb"
    usb.mkdir()
    dialog.set_extra_folder(usb)
    assert extra_folder(workspace.folder.root) == usb
    assert str(usb) in dialog.extra_label.text()


def test_backup_runs_off_the_gui_thread(qtbot, demo_workspace, monkeypatch):
    """A big database takes a while to copy: the window stays painted while the backup is written."""
    import threading

    from ntm_desktop.ui import backup_dialog

    threads = []
    real = backup_dialog.create_backup

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(backup_dialog, "create_backup", spy)
    dialog = BackupDialog(demo_workspace)
    qtbot.addWidget(dialog)
    dialog.backup_button.click()
    assert threads and threads[0] is not threading.main_thread()
    assert "Đã sao lưu" in dialog.status.text() and dialog.model.rowCount() == 1
