"""Restoring a backup: check the file first, back up the current state, then replace the data."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from alembic.script import ScriptDirectory

from ntm_desktop.backup.manifest import DATABASE_NAME, BackupKind, Manifest
from ntm_desktop.backup.store import FILES_DIR, BackupResult, NotABackupError, create_backup, read_manifest
from ntm_desktop.db import SQLITE_HEADER, _alembic_config, backup_to
from ntm_desktop.errors import NewerDatabaseError, UserError
from ntm_desktop.paths import DataFolder

log = logging.getLogger(__name__)

REQUIRED_TABLES = {"alembic_version", "directives", "tasks", "units", "settings"}


@dataclass
class RestoreResult:
    manifest: Manifest | None  # None for a bare database file (e.g. the copy made before an upgrade)
    safety_backup: BackupResult | None  # the state just before the restore
    set_aside: Path | None = None  # a damaged database moved out of the way instead of backed up
    restored_files: int = 0
    missing_files: list[str] = field(default_factory=list)


def _not_ours(path: Path, why: str = "") -> NotABackupError:
    detail = f" ({why})" if why else ""
    return NotABackupError(
        f"Tệp “{path.name}” không phải là bản sao lưu của NTM Desktop{detail}. "
        "Hãy chọn tệp .ntmbak trong thư mục sao lưu; dữ liệu hiện tại không bị thay đổi."
    )


def _check_database(db_path: Path, source: Path) -> None:
    """The extracted database must be sound and made by this app (a schema revision we know)."""
    try:
        con = sqlite3.connect(db_path)
        try:
            verdict = con.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            con.close()
    except sqlite3.DatabaseError as error:
        raise _not_ours(source, "tệp bị hỏng") from error
    if verdict != "ok":
        raise UserError(
            f"Bản sao lưu “{source.name}” bị hỏng (kiểm tra toàn vẹn không đạt) nên không khôi phục được. "
            "Hãy chọn một bản sao lưu khác; dữ liệu hiện tại không bị thay đổi."
        )
    if not REQUIRED_TABLES <= tables or not revision:
        raise _not_ours(source, "không có các bảng dữ liệu của phần mềm")
    try:
        ScriptDirectory.from_config(_alembic_config()).get_revision(revision)
    except Exception:
        raise NewerDatabaseError(
            f"Bản sao lưu “{source.name}” được tạo bởi một phiên bản NTM Desktop mới hơn. "
            "Hãy cập nhật phần mềm rồi khôi phục lại; dữ liệu hiện tại không bị thay đổi."
        ) from None


def verify_backup(path: Path, workdir: Path) -> tuple[Path, Manifest | None]:
    """Extract and check a backup into `workdir`; returns (database copy, manifest).

    Accepts a `.ntmbak` file, or a bare database made by this app (the copy taken before an upgrade).
    Raises NotABackupError for anything else.
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp “{path}”.")
    target = Path(workdir) / DATABASE_NAME
    if zipfile.is_zipfile(path):
        manifest = read_manifest(path)
        with zipfile.ZipFile(path) as zf, zf.open(DATABASE_NAME) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
    else:
        with path.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise _not_ours(path)
        manifest = None
        backup_to(path, target)
    _check_database(target, path)
    return target, manifest


def _move_aside(database: Path, now: datetime) -> Path:
    """Keep a damaged database (and its journal files) under another name instead of deleting it."""
    aside = database.with_name(f"{database.name}.hong-{now:%Y%m%d-%H%M%S}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{database}{suffix}")
        if part.exists():
            os.replace(part, Path(f"{aside}{suffix}"))
    return aside


def _copy_into_live(candidate: Path, database: Path) -> None:
    """Write the backup into the live file with the backup API (handles its WAL correctly)."""
    src = sqlite3.connect(candidate)
    try:
        dst = sqlite3.connect(database)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _restore_attachments(manifest: Manifest | None, backup_path: Path, folder: DataFolder) -> tuple[int, list[str]]:
    if manifest is None:
        return 0, []
    store = backup_path.parent / FILES_DIR
    restored, missing = 0, []
    for sha in manifest.attachments:
        target = folder.files / sha[:2] / sha
        if target.exists():
            continue
        source = store / sha[:2] / sha
        if not source.is_file():
            missing.append(sha)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(sha + ".tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
        restored += 1
    return restored, missing


def _database_sound(database: Path) -> bool:
    try:
        con = sqlite3.connect(database)
        try:
            return con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False


def restore_backup(folder: DataFolder, path: Path, now: datetime | None = None) -> RestoreResult:
    """Replace the data folder's database (and missing attachments) with a backup.

    The database must be closed (Workspace.close()) and no other program may use it: hold the
    instance lock. Order: check the file completely; back up the current state (a damaged database is
    moved aside instead); only then write.
    """
    now = now or datetime.now()
    path = Path(path)
    folder.root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.root, prefix=".restore-") as tmp:
        candidate, manifest = verify_backup(path, Path(tmp))
        safety, aside = None, None
        if folder.database.exists():
            if _database_sound(folder.database):
                safety = create_backup(folder, BackupKind.BEFORE_RESTORE, now)
            else:
                aside = _move_aside(folder.database, now)
                log.warning("damaged database moved aside to %s", aside)
        if folder.database.exists():
            _copy_into_live(candidate, folder.database)
        else:
            os.replace(candidate, folder.database)
    restored, missing = _restore_attachments(manifest, path, folder)
    log.info("restored %s (%d attachment(s) copied, %d missing)", path, restored, len(missing))
    return RestoreResult(manifest, safety, aside, restored, missing)
