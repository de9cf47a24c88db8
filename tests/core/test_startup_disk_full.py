"""The first start of the day on a disk with less free space than the database: no backup, but the office works."""

from __future__ import annotations

import pytest

from disk_helpers import SmallDisk, day_one_office
from ntm_desktop.backup import list_backups
from ntm_desktop.paths import DataFolder
from ntm_desktop.safety.startup import prepare_data_folder
from ntm_desktop.workspace import open_workspace

pytestmark = pytest.mark.sqlite_only  # the daily backup of the SQLite file on a full disk


@pytest.fixture
def disk(tmp_path):
    small = SmallDisk(tmp_path / "disk")
    yield small
    small.unmount()


def test_daily_backup_that_does_not_fit_is_a_warning(disk):
    folder = DataFolder(day_one_office(disk))
    report = prepare_data_folder(folder)
    try:
        assert report.daily_backup is None
        assert report.backup_failed.startswith("Chưa sao lưu được hôm nay.")
        assert "Ổ đĩa" in report.backup_failed and "Sao lưu ngay" in report.backup_failed
        assert report.backup_failed in report.warnings
        assert list_backups(folder.backups) == []
        assert not list(folder.backups.glob(".tmp-*"))  # the half-written copy is gone
        ws = open_workspace(folder.root)  # and the office can work
        try:
            assert ws.office_unit_id()
        finally:
            ws.close()
    finally:
        report.lock.release()
