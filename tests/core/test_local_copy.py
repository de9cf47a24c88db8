"""The copy on this PC opened read-only when the office's server cannot be used: the folder's SQLite file, a backup
of it, or the server's own export, the newest first; the folder's files only read; every write refused."""

from __future__ import annotations

import hashlib
import os
import time
from datetime import datetime

import pytest
from sqlalchemy import func, select, text

from ntm_desktop.backup import BackupKind, create_backup
from ntm_desktop.changes import WritesHeldError
from ntm_desktop.models import Directive
from ntm_desktop.server.local_copy import READ_ONLY_MESSAGE, NoLocalCopyError, candidates, open_local_copy
from ntm_desktop.workspace import open_workspace
from tests.core.server_db import NO_SERVER, SERVER, drop_server_database, new_server_database


def _count(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(Directive).where(Directive.deleted.is_(False)))


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(db) -> str:
    with pytest.raises(WritesHeldError) as refused:
        with db.transaction("vanthu") as s:
            s.execute(text("UPDATE directives SET subject = 'sửa trên bản sao'"))
    return str(refused.value)


@pytest.mark.sqlite_only  # the PC's own SQLite file and its backups
def test_the_folders_file_is_opened_read_only_and_left_as_it_was(demo_workspace):
    folder = demo_workspace.folder
    expected = _count(demo_workspace.db)
    demo_workspace.close()
    before = _digest(folder.database), os.stat(folder.database).st_mtime_ns
    copy = open_local_copy(folder)
    try:
        assert copy.candidate.kind == "file" and copy.workspace.readonly
        assert _count(copy.workspace.db) == expected > 0
        assert _refused(copy.workspace.db) == READ_ONLY_MESSAGE
        assert "tệp dữ liệu trên máy này, ghi lần cuối lúc" in copy.candidate.describe()
        scratch = copy.workspace.scratch
        assert not scratch.is_relative_to(folder.root)
    finally:
        copy.workspace.close()
    assert not scratch.exists()
    assert (_digest(folder.database), os.stat(folder.database).st_mtime_ns) == before
    assert _count_file(folder) == expected  # nothing written to the file either


def _count_file(folder) -> int:
    ws = open_workspace(folder.root, database_url=None)
    try:
        return _count(ws.db)
    finally:
        ws.close()


@pytest.mark.sqlite_only  # the PC's own SQLite file and its backups
def test_a_backup_newer_than_the_file_is_the_one_opened(demo_workspace):
    folder = demo_workspace.folder
    expected = _count(demo_workspace.db)
    made = create_backup(folder, BackupKind.MANUAL, db=demo_workspace.db)
    later = datetime.now().timestamp() - 3600
    demo_workspace.close()
    os.utime(folder.database, (later, later))  # the file last written an hour before the backup
    [first, second] = candidates(folder)[:2]
    assert (first.path, first.kind) == (made.info.path, "backup") and second.kind == "file"
    copy = open_local_copy(folder)
    try:
        assert copy.candidate.path == made.info.path
        assert _count(copy.workspace.db) == expected
        assert f"bản sao lưu “{made.info.path.name}”" in copy.candidate.describe()
    finally:
        copy.workspace.close()


@pytest.mark.sqlite_only  # the PC's own SQLite file and its backups
def test_a_damaged_file_gives_way_to_the_backup(demo_workspace):
    folder = demo_workspace.folder
    made = create_backup(folder, BackupKind.MANUAL, db=demo_workspace.db)
    demo_workspace.close()
    time.sleep(0.01)
    folder.database.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # written after the backup, and broken
    copy = open_local_copy(folder)
    try:
        assert copy.candidate.path == made.info.path
    finally:
        copy.workspace.close()


def test_nothing_on_this_pc_is_said_so(tmp_path):
    from ntm_desktop.paths import resolve_data_folder

    folder = resolve_data_folder(tmp_path / "second-pc")
    with pytest.raises(NoLocalCopyError) as refused:
        open_local_copy(folder)
    assert "Máy này chưa có bản sao dữ liệu nào để xem" in str(refused.value)
    assert list(folder.root.iterdir()) == []


@pytest.mark.sqlite_only  # starts from a PC's SQLite folder, moved onto the server by the test itself
@pytest.mark.skipif(not SERVER, reason=NO_SERVER)
def test_the_servers_own_export_is_read_into_a_temporary_file(demo_workspace):
    from ntm_desktop.server.backup import backup_server
    from ntm_desktop.server.move import move_office

    folder = demo_workspace.folder
    expected = _count(demo_workspace.db)
    demo_workspace.close()
    url = new_server_database("local_copy")
    try:
        move_office(folder, url)
        folder.database.unlink()  # a PC that has only the server's backups
        made = backup_server(url, folder.backups, use_pg_dump=False)
        [candidate] = candidates(folder)
        assert (candidate.path, candidate.kind) == (made.path, "export")
        copy = open_local_copy(folder)
        try:
            assert _count(copy.workspace.db) == expected
            assert copy.workspace.db.path.is_relative_to(copy.workspace.scratch)
            assert _refused(copy.workspace.db) == READ_ONLY_MESSAGE
        finally:
            copy.workspace.close()
    finally:
        drop_server_database(url)
