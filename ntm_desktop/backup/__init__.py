"""Backups of a data folder: the database (SQLite backup API) and its attachments.

Layout of a backup folder (the data folder's `backups/`, or a folder the user chose, e.g. a USB stick):

    ntm-2026-11-22_083015-hang-ngay.ntmbak   a zip: manifest.json + ntm.sqlite3 (made with the backup API)
    files/ab/ab12…                           attachments, stored under their SHA-256 like the data folder's
                                             files/; shared by every backup in the folder (files never change,
                                             so each is kept once) and pruned with the backups that need it.

A `.ntmbak` without its `files/` folder still restores the database; missing attachments are reported.

The names below are imported on first use: the start of the app reads the backup settings before the
database modules are loaded.
"""

from importlib import import_module

_WHERE = {
    "BACKUP_SUFFIX": "manifest", "BackupInfo": "manifest", "BackupKind": "manifest", "Manifest": "manifest",
    "select_to_keep": "retention", "NotABackupError": "store", "create_backup": "store",
    "daily_backup_due": "store", "list_backups": "store", "make_daily_backup": "store", "prune": "store",
    "RestoreResult": "restore", "restore_backup": "restore", "verify_backup": "restore",
    "extra_folder": "config", "set_extra_folder": "config",
}

__all__ = list(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
