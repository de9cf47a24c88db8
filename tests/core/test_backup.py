"""Backup and restore: a round trip with attachments, refusals that leave the data untouched."""

from __future__ import annotations

import sqlite3
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ntm_desktop.backup import (
    BackupKind,
    NotABackupError,
    create_backup,
    list_backups,
    restore_backup,
    set_extra_folder,
)
from ntm_desktop.models import Attachment, Directive, Task
from ntm_desktop.services import attachments
from ntm_desktop.workspace import open_workspace

pytestmark = pytest.mark.sqlite_only  # backups of the SQLite file (.ntmbak); the server's: test_backup_server_folder, test_server_setup


def _counts(ws) -> tuple[int, int]:
    with ws.db.transaction() as s:
        return (
            s.scalar(select(func.count()).select_from(Directive).where(Directive.deleted.is_(False))),
            s.scalar(select(func.count()).select_from(Task).where(Task.deleted.is_(False))),
        )


def _attach(ws, tmp_path: Path, content: bytes) -> str:
    scan = tmp_path / "cong-van-quet.pdf"
    scan.write_bytes(content)
    with ws.db.transaction() as s:
        directive_id = s.scalars(select(Directive.id).order_by(Directive.arrival_number)).first()
        attachments.attach(s, ws.folder.files, directive_id, scan)
    with ws.db.transaction() as s:
        return s.scalars(select(Attachment.sha256)).one()


def test_round_trip_with_attachments(demo_workspace, tmp_path):
    ws = demo_workspace
    folder = ws.folder
    content = b"%PDF-1.4 scan of a directive " + bytes(range(256)) * 40
    sha = _attach(ws, tmp_path, content)
    before = _counts(ws)

    result = create_backup(folder, BackupKind.MANUAL, datetime(2026, 3, 2, 9, 0))
    info = result.info
    assert info.path.parent == folder.backups and info.path.suffix == ".ntmbak"
    assert info.manifest.counts["directives"] == before[0]
    assert info.manifest.counts["tasks"] == before[1]
    assert info.manifest.counts["attachments"] == 1
    assert info.manifest.schema_revision
    assert sha in info.manifest.attachments
    assert [b.path for b in list_backups(folder.backups)] == [info.path]

    # The office then loses work: a directive deleted, the attachment file gone from the data folder.
    with ws.db.transaction() as s:
        s.scalars(select(Directive)).first().deleted = True
    stored = attachments.stored_path(folder.files, sha)
    stored.unlink()
    assert _counts(ws)[0] == before[0] - 1
    ws.close()

    restored = restore_backup(folder, info.path, now=datetime(2026, 3, 2, 10, 0))
    assert restored.restored_files == 1 and restored.missing_files == []
    assert stored.read_bytes() == content
    # The state just before the restore was kept, with the deleted directive as it was.
    safety = restored.safety_backup.info
    assert safety.manifest.kind is BackupKind.BEFORE_RESTORE
    assert safety.manifest.counts["directives"] == before[0] - 1

    reopened = open_workspace(folder.root)
    try:
        assert _counts(reopened) == before
        with reopened.db.transaction() as s:
            assert s.execute(sqlite_text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        reopened.close()


def sqlite_text(sql):
    from sqlalchemy import text

    return text(sql)


def test_backup_copies_to_the_extra_folder_and_warns_when_missing(workspace, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    set_extra_folder(workspace.folder.root, usb)
    result = create_backup(workspace.folder, now=datetime(2026, 1, 5, 8, 0))
    assert [p.parent for p in result.copies] == [usb]
    assert list_backups(usb)[0].manifest == result.info.manifest

    set_extra_folder(workspace.folder.root, tmp_path / "usb-not-plugged")
    result = create_backup(workspace.folder, now=datetime(2026, 1, 5, 9, 0))
    assert result.copies == []
    assert "USB" in result.warnings[0]
    assert len(list_backups(workspace.folder.backups)) == 2


def _not_ours_files(tmp_path: Path) -> list[Path]:
    text_file = tmp_path / "bao-cao.ntmbak"
    text_file.write_text("Báo cáo tuần", encoding="utf-8")
    other_zip = tmp_path / "anh.zip"
    with zipfile.ZipFile(other_zip, "w") as zf:
        zf.writestr("anh.txt", "không phải sao lưu")
    fake_manifest = tmp_path / "gia.ntmbak"
    with zipfile.ZipFile(fake_manifest, "w") as zf:
        zf.writestr("manifest.json", '{"format": "something-else"}')
        zf.writestr("ntm.sqlite3", b"")
    other_db = tmp_path / "khac.sqlite3"
    con = sqlite3.connect(other_db)
    con.execute("CREATE TABLE people (name TEXT)")
    con.commit()
    con.close()
    return [text_file, other_zip, fake_manifest, other_db]


def test_restore_refuses_files_that_are_not_backups(demo_workspace, tmp_path):
    ws = demo_workspace
    before = _counts(ws)
    ws.close()
    db_bytes = ws.folder.database.read_bytes()
    for path in _not_ours_files(tmp_path):
        with pytest.raises(NotABackupError) as raised:
            restore_backup(ws.folder, path)
        assert "không phải là bản sao lưu của NTM Desktop" in str(raised.value)
    assert ws.folder.database.read_bytes() == db_bytes
    assert list_backups(ws.folder.backups) == []  # nothing was even backed up: the file was checked first
    reopened = open_workspace(ws.folder.root)
    try:
        assert _counts(reopened) == before
    finally:
        reopened.close()


def test_restore_accepts_the_copy_made_before_an_upgrade(demo_workspace, tmp_path):
    from ntm_desktop.db import backup_to

    ws = demo_workspace
    before = _counts(ws)
    bare = backup_to(ws.db.engine, tmp_path / "truoc-nang-cap.sqlite3")
    with ws.db.transaction() as s:
        for d in s.scalars(select(Directive)).all()[:3]:
            d.deleted = True
    ws.close()
    result = restore_backup(ws.folder, bare)
    assert result.manifest is None
    reopened = open_workspace(ws.folder.root)
    try:
        assert _counts(reopened) == before
    finally:
        reopened.close()


def test_copies_before_an_upgrade_or_a_package_import_are_listed_and_restorable(demo_workspace):
    from ntm_desktop.db import backup_to

    ws = demo_workspace
    before = _counts(ws)
    bare = backup_to(ws.db.engine, ws.folder.backups / "truoc-nhap-goi-20260301-101500.sqlite3")
    listed = list_backups(ws.folder.backups)
    assert [b.path for b in listed] == [bare]
    assert listed[0].manifest.kind is BackupKind.BEFORE_SYNC
    assert listed[0].manifest.counts["directives"] == before[0]
    assert not (ws.folder.backups / (bare.name + "-wal")).exists()  # listing leaves the copy untouched

    with ws.db.transaction() as s:
        s.scalars(select(Directive)).first().deleted = True
    ws.close()
    restore_backup(ws.folder, listed[0].path)
    reopened = open_workspace(ws.folder.root)
    try:
        assert _counts(reopened) == before
    finally:
        reopened.close()
