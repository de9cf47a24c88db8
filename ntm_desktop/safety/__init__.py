"""Protecting an office's data at start: one instance per data folder, no network drives, sound database.

The names below are imported on first use, so that the window can start with the lock, the network check
and the log before the database modules (SQLAlchemy, Alembic) are loaded.
"""

from importlib import import_module

_WHERE = {
    "AlreadyRunningError": "errors", "CorruptDatabaseError": "errors", "NetworkDriveError": "errors",
    "IntegrityResult": "integrity", "check_integrity": "integrity", "newest_good_backup": "integrity",
    "InstanceLock": "lock", "LOG_FILE_NAME": "logs", "setup_logging": "logs", "check_local_folder": "network",
    "is_network_path": "network", "StartupReport": "startup", "prepare_data_folder": "startup",
}

__all__ = list(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
