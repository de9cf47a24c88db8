"""The signing key is part of the office's data: backups carry it and a restore brings it back."""

from __future__ import annotations

import zipfile
from datetime import datetime

import pytest

from ntm_desktop.backup import BackupKind, create_backup, restore_backup
from ntm_desktop.backup.store import NotABackupError
from ntm_desktop.sync import signing

from test_sync_world import build_district, fingerprint

# The key file in the data folder and the folder's backup; on the office's server the key is kept in the database
# and carried by the server's backups (test_sync_on_server).
pytestmark = pytest.mark.sqlite_only


def test_a_backup_carries_the_key_and_a_restore_brings_it_back(tmp_path):
    district = build_district(tmp_path)
    printed = fingerprint(district)  # the key exists from the first export or key slip on
    folder = district.folder
    info = create_backup(folder, BackupKind.MANUAL, datetime(2026, 3, 2, 9, 0)).info
    with zipfile.ZipFile(info.path) as zf:
        assert signing.SigningKey.from_pem(zf.read("signing-key.pem")).fingerprint == printed
    district.close()
    (folder.root / signing.KEY_FILE).unlink()  # lost, or replaced by another
    signing.write_key(folder.root, signing.SigningKey.generate())
    restore_backup(folder, info.path, datetime(2026, 3, 2, 10, 0))
    restored = folder.root / signing.KEY_FILE
    assert signing.load(folder.root).fingerprint == printed
    assert restored.stat().st_mode & 0o077 == 0
    assert not list(folder.root.glob(".signing-key*"))


def test_a_backup_whose_key_file_is_damaged_is_refused_before_anything_changes(tmp_path):
    district = build_district(tmp_path)
    fingerprint(district)
    folder = district.folder
    info = create_backup(folder, BackupKind.MANUAL, datetime(2026, 3, 2, 9, 0)).info
    district.close()
    bad = tmp_path / "hong.ntmbak"
    with zipfile.ZipFile(info.path) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, b"-----BEGIN PRIVATE KEY-----\nxx\n" if name == "signing-key.pem" else src.read(name))
    key = (folder.root / signing.KEY_FILE).read_bytes()
    database = folder.database.read_bytes()
    with pytest.raises(NotABackupError, match="khóa ký bị hỏng"):
        restore_backup(folder, bad, datetime(2026, 3, 2, 10, 0))
    assert (folder.root / signing.KEY_FILE).read_bytes() == key and folder.database.read_bytes() == database


def test_a_key_file_left_half_written_is_removed_at_start_and_the_key_kept(tmp_path):
    from ntm_desktop.safety.startup import prepare_data_folder

    district = build_district(tmp_path)
    printed = fingerprint(district)
    folder = district.folder
    district.close()
    half = folder.root / ".signing-key.pem.restore"  # a restore killed between its two renames
    half.write_bytes(b"-----BEGIN PRIVATE KEY-----\n")
    report = prepare_data_folder(folder, backup=False)
    report.lock.release()
    assert half in report.leftovers_removed and not half.exists()
    assert signing.load(folder.root).fingerprint == printed
