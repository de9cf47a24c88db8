"""Start-up: quick integrity check with the way out, the daily backup, the log file."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest

from ntm_desktop.backup import BackupKind, create_backup, list_backups, restore_backup
from ntm_desktop.safety import CorruptDatabaseError, InstanceLock, check_integrity, prepare_data_folder
from ntm_desktop.workspace import open_workspace

pytestmark = pytest.mark.sqlite_only  # the start's checks of the SQLite file: quick check, daily backup


def _damage(path):
    """Overwrite pages in the middle of the file, as a failing disk would."""
    data = bytearray(path.read_bytes())
    page = 4096
    for n in range(2, len(data) // page - 1, 3):
        data[n * page + 8: n * page + 200] = b"\xa5" * 192
    path.write_bytes(bytes(data))


def test_daily_backup_once_per_day_and_log_file(demo_workspace):
    folder = demo_workspace.folder
    demo_workspace.close()
    first = prepare_data_folder(folder, now=datetime(2026, 4, 6, 7, 30))
    first.lock.release()
    again = prepare_data_folder(folder, now=datetime(2026, 4, 6, 14, 0))
    again.lock.release()
    next_day = prepare_data_folder(folder, now=datetime(2026, 4, 7, 7, 30))
    next_day.lock.release()
    assert first.daily_backup and first.daily_backup.info.manifest.kind is BackupKind.DAILY
    assert again.daily_backup is None and next_day.daily_backup
    assert len(list_backups(folder.backups)) == 2
    logging.getLogger("ntm_desktop.test").warning("dòng nhật ký thử")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "dòng nhật ký thử" in first.log_file.read_text(encoding="utf-8")


def test_corrupt_database_is_refused_with_the_newest_good_backup(demo_workspace):
    folder = demo_workspace.folder
    demo_workspace.close()
    older = create_backup(folder, now=datetime(2026, 4, 1, 8, 0)).info
    newest = create_backup(folder, now=datetime(2026, 4, 2, 8, 0)).info
    assert check_integrity(folder.database, full=True).ok
    _damage(folder.database)
    assert not check_integrity(folder.database, full=True).ok

    with pytest.raises(CorruptDatabaseError) as raised:
        prepare_data_folder(folder, now=datetime(2026, 4, 3, 8, 0))
    error = raised.value
    assert error.newest_backup == newest.path != older.path
    assert newest.path.name in str(error) and "bị hỏng" in str(error)

    # The way out: restore it (the damaged file is kept aside, not deleted), then the start goes through.
    with InstanceLock(folder.root):
        result = restore_backup(folder, error.newest_backup)
    assert result.set_aside and result.set_aside.exists()
    report = prepare_data_folder(folder, now=datetime(2026, 4, 3, 8, 0))
    report.lock.release()
    ws = open_workspace(folder.root)
    ws.close()
    assert check_integrity(folder.database, full=True).ok
