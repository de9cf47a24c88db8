"""Backups of a data folder: the database (SQLite backup API) and its attachments.

Layout of a backup folder (the data folder's `backups/`, or a folder the user chose, e.g. a USB stick):

    ntm-2026-11-22_083015-hang-ngay.ntmbak   a zip: manifest.json + ntm.sqlite3 (made with the backup API)
    files/ab/ab12…                           attachments, stored under their SHA-256 like the data folder's
                                             files/; shared by every backup in the folder (files never change,
                                             so each is kept once) and pruned with the backups that need it.

A `.ntmbak` without its `files/` folder still restores the database; missing attachments are reported.
"""

from ntm_desktop.backup.manifest import BACKUP_SUFFIX, BackupInfo, BackupKind, Manifest
from ntm_desktop.backup.retention import select_to_keep
from ntm_desktop.backup.store import (
    NotABackupError,
    create_backup,
    daily_backup_due,
    list_backups,
    make_daily_backup,
    prune,
)
from ntm_desktop.backup.restore import RestoreResult, restore_backup, verify_backup
from ntm_desktop.backup.config import extra_folder, set_extra_folder

__all__ = [
    "BACKUP_SUFFIX", "BackupInfo", "BackupKind", "Manifest", "select_to_keep", "NotABackupError",
    "create_backup", "daily_backup_due", "list_backups", "make_daily_backup", "prune", "RestoreResult",
    "restore_backup", "verify_backup", "extra_folder", "set_extra_folder",
]
