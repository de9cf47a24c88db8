"""What happens to a data folder before the app opens its database."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from typing import TYPE_CHECKING

from ntm_desktop.errors import UserError
from ntm_desktop.paths import DataFolder
from ntm_desktop.safety.errors import CorruptDatabaseError
from ntm_desktop.safety.lock import InstanceLock
from ntm_desktop.safety.network import FsTypeLookup, check_local_folder

if TYPE_CHECKING:
    from ntm_desktop.backup.store import BackupResult

# Loaded when used (zipfile, logging.handlers, the backup store): the window paints before they are needed.


def setup_logging(log_dir: Path) -> Path:
    from ntm_desktop.safety.logs import setup_logging as start

    return start(log_dir)


def remove_leftovers(folder: DataFolder, lock) -> list[Path]:
    from ntm_desktop.backup.leftovers import remove_leftovers as remove

    return remove(folder, lock)


def check_integrity(database: Path):
    from ntm_desktop.safety.integrity import check_integrity as check

    return check(database)


def newest_good_backup(backup_dirs: list[Path]) -> Path | None:
    from ntm_desktop.safety.integrity import newest_good_backup as newest

    return newest(backup_dirs)


def make_daily_backup(folder: DataFolder, now: datetime | None = None, server=None):
    from ntm_desktop.backup.store import AUTO, make_daily_backup as make

    return make(folder, now, AUTO if server is None else server)

log = logging.getLogger(__name__)


@dataclass
class StartupReport:
    lock: InstanceLock  # keep it until the app exits, then lock.release()
    log_file: Path | None = None
    daily_backup: BackupResult | None = None
    warnings: list[str] = field(default_factory=list)  # Vietnamese; show them, they do not stop the start
    backup_failed: str = ""  # Vietnamese, when today's backup could not be made: show it so it is seen
    leftovers_removed: list[Path] = field(default_factory=list)


def _backup_failure(error: Exception, on_server: bool = False) -> str:
    """Why the daily backup failed, said so that the officer knows what to do."""
    text = str(error).lower()
    if on_server:
        reason = str(error) if isinstance(error, UserError) else f"Lỗi không lường trước khi sao lưu ({error})."
        return (
            f"Chưa sao lưu được dữ liệu trên máy chủ hôm nay. {reason}\n\nPhần mềm vẫn làm việc bình thường. Khi "
            "đã khắc phục (ổ đĩa có chỗ trống, mạng hoặc máy chủ kết nối lại được), hãy vào Dữ liệu → Sao lưu và "
            "khôi phục → Sao lưu ngay."
        )
    if isinstance(error, UserError):
        reason = str(error)
    elif getattr(error, "errno", None) == 28 or "full" in text or "no space" in text:
        reason = "Ổ đĩa không còn đủ chỗ trống cho một bản sao lưu (cần chỗ bằng cỡ cơ sở dữ liệu)."
    elif isinstance(error, (OSError, sqlite3.Error)):
        reason = f"Không ghi được bản sao lưu ({error})."
    else:
        reason = f"Lỗi không lường trước khi sao lưu ({type(error).__name__}: {error})."
    return (
        f"Chưa sao lưu được hôm nay. {reason}\n\nPhần mềm vẫn làm việc bình thường. Khi ổ đĩa đã có chỗ trống, "
        "hãy vào Dữ liệu → Sao lưu và khôi phục → Sao lưu ngay."
    )


def lock_data_folder(folder: DataFolder, fs_type: FsTypeLookup | None = None) -> StartupReport:
    """The part before any window: refuse a network or read-only folder, take the instance lock.
    Raises NetworkDriveError, ReadOnlyFolderError or AlreadyRunningError."""
    check_local_folder(folder.root, fs_type)
    folder.require_writable()
    return StartupReport(InstanceLock(folder.root).acquire())


def tidy_data_folder(folder: DataFolder, report: StartupReport) -> None:
    """Start the log, remove what killed backups and restores left (before the database opens; the app
    does it once the window has painted)."""
    report.log_file = setup_logging(folder.logs)
    report.leftovers_removed = remove_leftovers(folder, report.lock)


def open_data_folder(folder: DataFolder, fs_type: FsTypeLookup | None = None) -> StartupReport:
    """lock_data_folder, then tidy_data_folder; the lock is released again on any error."""
    report = lock_data_folder(folder, fs_type)
    try:
        tidy_data_folder(folder, report)
    except BaseException:
        report.lock.release()
        raise
    return report


def check_database(folder: DataFolder) -> None:
    """The quick integrity check (it reads the whole file: the app runs it in the background once the
    window shows). Raises CorruptDatabaseError naming the newest good backup; the lock stays held."""
    if not folder.database.exists():
        return
    result = check_integrity(folder.database)
    if result.ok:
        return
    log.error("quick_check failed on %s: %s", folder.database, result.problems)
    from ntm_desktop.backup import config

    newest = newest_good_backup([folder.backups, config.extra_folder(folder.root)])
    way_out = (
        f"Hãy khôi phục bản sao lưu tốt gần nhất ({newest.name})." if newest else
        "Không tìm thấy bản sao lưu còn tốt; hãy liên hệ người hỗ trợ và đừng xóa thư mục dữ liệu."
    )
    raise CorruptDatabaseError(
        "Kiểm tra nhanh cho thấy cơ sở dữ liệu bị hỏng (có thể do mất điện hoặc ổ đĩa lỗi). " + way_out,
        result.problems, newest,
    )


def daily_backup(folder: DataFolder, report: StartupReport, now: datetime | None = None, server=None) -> None:
    """The first start of the day backs up; a failure is a warning in the report, never a refusal.

    `server`: the office's server the window opened (its URL with the password typed at start); without it, the
    server the folder works on when it names one, else the folder's file."""
    try:
        report.daily_backup = make_daily_backup(folder, now, server)
    except Exception as error:  # a full disk (sqlite3 says so too) must not stop the office from working
        log.warning("daily backup failed", exc_info=True)
        report.backup_failed = _backup_failure(error, on_server=server is not None or _names_server(folder))
        report.warnings.append(report.backup_failed)
    if report.daily_backup:
        report.warnings.extend(report.daily_backup.warnings)


def _names_server(folder: DataFolder) -> bool:
    from ntm_desktop.paths import names_server

    return names_server(folder)


def works_on_server(folder: DataFolder):
    """The server the folder works on (paths.database_url), None for its own file; a cheap look first."""
    from ntm_desktop import paths

    return paths.database_url(folder) if paths.names_server(folder) else None


def prepare_data_folder(
    folder: DataFolder,
    now: datetime | None = None,
    fs_type: FsTypeLookup | None = None,
    backup: bool = True,
) -> StartupReport:
    """Refuse a network or read-only folder, take the instance lock, remove what killed backups and restores
    left, quick-check the database, make the daily backup (a failure is a warning, never a refusal). A folder on
    the office's server: no check of a file not in use, the day's backup is of the server's data.

    Raises NetworkDriveError, ReadOnlyFolderError, AlreadyRunningError or CorruptDatabaseError (all
    UserError, Vietnamese).
    On CorruptDatabaseError the lock is released again: the caller may restore
    `error.newest_backup` with ntm_desktop.backup.restore_backup under a fresh InstanceLock.
    """
    report = open_data_folder(folder, fs_type)
    try:
        server = works_on_server(folder)
        if server is None:  # on the office's server the folder's file is not in use: nothing of it to check
            check_database(folder)
        if backup:
            daily_backup(folder, report, now, server)
        return report
    except BaseException:
        report.lock.release()
        raise
