"""A data folder opened for work: its paths and its migrated database (the folder's SQLite file, or the office's
PostgreSQL server: the folder then still holds the instance lock, logs, backups and settings)."""

from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ntm_desktop.db import Database, open_database
from ntm_desktop import paths
from ntm_desktop.paths import DataFolder, MissingDataFolderError, resolve_data_folder
from ntm_desktop.services import settings

_SHARED_LOCK = threading.Lock()


@dataclass
class Workspace:
    folder: DataFolder
    db: Database
    lock: object | None = None  # the InstanceLock a command-line write holds until close()
    readonly: bool = False
    scratch: Path | None = None  # a stand-in for a folder that has no data yet, removed by close()
    _shared: object = field(default=None, init=False, repr=False)

    def shared(self):
        """The unit tree and criteria catalogue, read once and kept until a commit changes them
        (ntm_desktop.services.shared.SharedData)."""
        with _SHARED_LOCK:  # a page loading in a worker thread may ask at the same time as the window
            if self._shared is None:
                from ntm_desktop.services.shared import SharedData

                self._shared = SharedData(self.db)
        return self._shared

    def units(self) -> list:
        """Every unit (services.units.UnitRow), from the shared copy."""
        return self.shared().units()

    @property
    def on_server(self) -> bool:
        """True when the data lives on the office's PostgreSQL server, not in the folder's SQLite file."""
        return self.db.is_server

    def office_unit_id(self) -> str | None:
        with self.db.transaction() as session:
            return settings.office_unit_id(session)

    def user(self) -> str:
        with self.db.transaction() as session:
            return settings.current_user(session)

    def close(self) -> None:
        self.db.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None


def _open_scratch() -> Workspace:
    """A fresh, empty installation in a temporary folder: what a new data folder would be."""
    root = Path(tempfile.mkdtemp(prefix="ntm-xem-truoc-"))
    try:
        folder = resolve_data_folder(root)
        return Workspace(folder=folder, db=open_database(folder.database), readonly=True, scratch=root)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise


def _open_read_only(data_dir, empty_if_missing: bool, explicit_url) -> Workspace:
    try:
        folder = resolve_data_folder(data_dir, create=False)
    except MissingDataFolderError:
        if paths.database_url(None, explicit_url) is not None:  # the data is on the server: the folder is only local
            folder = resolve_data_folder(data_dir)
        elif empty_if_missing:
            return _open_scratch()
        else:
            raise
    url = paths.database_url(folder, explicit_url)
    if url is not None:  # read as any PC of the office does (an older schema is upgraded by the first PC)
        return Workspace(folder=folder, db=open_database(url))
    if not folder.database.is_file():
        if empty_if_missing:
            return _open_scratch()
        raise MissingDataFolderError(
            f"Thư mục “{folder.root}” chưa có dữ liệu của NTM Desktop (không có tệp {folder.database.name}). "
            "Hãy kiểm tra lại đường dẫn --data-dir (thư mục dữ liệu mặc định nếu bỏ trống); không có gì được "
            "tạo ra."
        )
    if folder.writable():  # opened as always (an older schema is upgraded, after a backup)
        return Workspace(folder=folder, db=open_database(folder.database, backup_dir=folder.backups))
    db = open_database(folder.database, readonly=True)
    return Workspace(folder=folder, db=db, readonly=True)


def open_workspace(data_dir=None, *, database_url=None, readonly: bool = False, lock: bool = False,
                   empty_if_missing: bool = False) -> Workspace:
    """Open a data folder (created if missing) and its database (created and migrated as needed).

    database_url: the office's PostgreSQL server (`postgresql+psycopg://user:pw@host:5432/ntm`, text or a
    SQLAlchemy URL); else `--database` of the command, NTM_DATABASE_URL or the folder's own setting
    (paths.database_url); none of them: the folder's SQLite file.
    readonly: for commands that only read: the folder and its database must exist and nothing is created;
    a folder that cannot be written is opened read-only (no upgrade then: UpgradeNeededError says so).
    empty_if_missing (with readonly): a folder without data reads as a new installation would (a temporary
    empty database, removed on close) instead of being refused: "what would this package do here?". lock: for command-line writes: take the instance lock (refused while
    the window has the folder open) and keep it until close().
    """
    explicit_url = database_url
    if readonly:
        return _open_read_only(data_dir, empty_if_missing, explicit_url)
    folder = resolve_data_folder(data_dir)
    url = paths.database_url(folder, explicit_url)
    held = None
    if lock:
        from ntm_desktop.safety.command_lock import lock_for_command

        held = lock_for_command(folder)
    else:
        folder.require_writable()
    try:
        db = open_database(url if url is not None else folder.database, backup_dir=folder.backups)
    except BaseException:
        if held is not None:
            held.release()
        raise
    return Workspace(folder=folder, db=db, lock=held)

