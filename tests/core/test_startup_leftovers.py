"""Start-up removes what killed backups and restores left behind, and only with the folder's lock held."""

from __future__ import annotations

import shutil

import pytest

from ntm_desktop.backup import create_backup, list_backups
from ntm_desktop.backup.leftovers import remove_leftovers
from ntm_desktop.cli import main
from ntm_desktop.safety import AlreadyRunningError, InstanceLock
from ntm_desktop.safety.startup import prepare_data_folder

pytestmark = pytest.mark.sqlite_only  # what killed backups and restores of the SQLite file left


def _leave_leftovers(folder) -> list:
    """What a backup and a restore killed half-way leave: each unfinished folder holds a database copy."""
    backup_tmp = folder.backups / ".tmp-k1l2m3"
    restore_tmp = folder.root / ".restore-x9y8z7"
    for where in (backup_tmp, restore_tmp):
        where.mkdir(parents=True)
        shutil.copyfile(folder.database, where / "ntm.sqlite3")
    half_copy = folder.backups / "truoc-nhap-goi-20261202-101500.sqlite3.tmp"
    half_copy.write_bytes(folder.database.read_bytes()[:4096])
    return [backup_tmp, restore_tmp, half_copy]


def test_start_removes_leftovers_and_keeps_backups(demo_workspace):
    folder = demo_workspace.folder
    kept = create_backup(folder).info.path
    demo_workspace.close()
    leftovers = _leave_leftovers(folder)

    report = prepare_data_folder(folder, backup=False)
    report.lock.release()
    assert not any(p.exists() for p in leftovers)
    assert sorted(report.leftovers_removed) == sorted(leftovers)
    assert [b.path for b in list_backups(folder.backups)] == [kept] and kept.exists()
    assert folder.database.exists()


def test_leftovers_stay_while_another_process_holds_the_folder(demo_workspace):
    folder = demo_workspace.folder
    demo_workspace.close()
    leftovers = _leave_leftovers(folder)  # here they may belong to a backup that is running right now
    with InstanceLock(folder.root):
        with pytest.raises(AlreadyRunningError):
            prepare_data_folder(folder, backup=False)
        with pytest.raises(RuntimeError):
            remove_leftovers(folder, InstanceLock(folder.root))  # a lock not held proves nothing
    assert all(p.exists() for p in leftovers)


def test_a_command_line_backup_cleans_up_too(demo_workspace, capsys):
    folder = demo_workspace.folder
    demo_workspace.close()
    leftovers = _leave_leftovers(folder)
    assert main(["backup", "--data-dir", str(folder.root)]) == 0
    assert not any(p.exists() for p in leftovers)
    assert len(list_backups(folder.backups)) == 1
