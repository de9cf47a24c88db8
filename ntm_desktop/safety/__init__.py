"""Protecting an office's data at start: one instance per data folder, no network drives, sound database."""

from ntm_desktop.safety.errors import AlreadyRunningError, CorruptDatabaseError, NetworkDriveError
from ntm_desktop.safety.integrity import IntegrityResult, check_integrity, newest_good_backup
from ntm_desktop.safety.lock import InstanceLock
from ntm_desktop.safety.logs import LOG_FILE_NAME, setup_logging
from ntm_desktop.safety.network import check_local_folder, is_network_path
from ntm_desktop.safety.startup import StartupReport, prepare_data_folder

__all__ = [
    "AlreadyRunningError", "CorruptDatabaseError", "NetworkDriveError", "IntegrityResult", "check_integrity",
    "newest_good_backup", "InstanceLock", "LOG_FILE_NAME", "setup_logging", "check_local_folder",
    "is_network_path", "StartupReport", "prepare_data_folder",
]
