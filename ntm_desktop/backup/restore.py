"""Restoring a backup: check the file first, back up the current state, then replace the data.

Everything that can be refused is refused before anything is written: the whole manifest (each attachment is
named by a SHA-256 and nothing else), the database inside, the office it belongs to (another office's backup
needs `accept_other_office`), the free space. The attachments are copied in before the database is replaced
and removed again if the replacement fails, so a failure at any step leaves the current data as it was.
"""

from __future__ import annotations

import hashlib
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

from ntm_desktop.backup.manifest import DATABASE_NAME, SHA256, BackupKind, Manifest
from ntm_desktop.backup.office_check import Office, check_same_office, office_of
from ntm_desktop.backup.space import database_size, is_disk_full, require_free_space
from ntm_desktop.backup.store import (FILES_DIR, KEY_MEMBER, BackupResult, NotABackupError, create_backup,
                                      read_manifest)
from ntm_desktop.db import SQLITE_HEADER, _alembic_config, backup_to
from ntm_desktop.errors import DiskFullError, NewerDatabaseError, UserError
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
    office_before: Office | None = None  # which office this installation was before the restore
    office_after: Office | None = None  # and after it (another one only when accept_other_office was given)

    @property
    def office_changed(self) -> bool:
        return bool(self.office_before and not (self.office_after and self.office_before.same_as(self.office_after)))


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
    try:
        if zipfile.is_zipfile(path):
            manifest = read_manifest(path)  # the whole manifest checked, NotABackupError otherwise
            with zipfile.ZipFile(path) as zf:
                require_free_space(Path(workdir), zf.getinfo(DATABASE_NAME).file_size, "giải nén bản sao lưu")
                with zf.open(DATABASE_NAME) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                _extract_key(zf, path, Path(workdir))
        else:
            with path.open("rb") as fh:
                if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                    raise _not_ours(path)
            manifest = None
            require_free_space(Path(workdir), path.stat().st_size, "đọc bản sao lưu")
            backup_to(path, target)
    except (OSError, sqlite3.Error, zipfile.BadZipFile, EOFError) as error:
        raise _write_failure(error, Path(workdir), "đọc bản sao lưu") from error
    _check_database(target, path)
    return target, manifest


def _extract_key(zf: zipfile.ZipFile, path: Path, workdir: Path) -> None:
    """The office's signing key, when the backup carries it, checked to be one and put beside the database."""
    from ntm_desktop.sync.signing import MAX_KEY_FILE_BYTES, SigningKey

    if KEY_MEMBER not in zf.namelist():
        return
    info = zf.getinfo(KEY_MEMBER)
    if info.file_size > MAX_KEY_FILE_BYTES:
        raise _not_ours(path, "tệp khóa ký không hợp lệ")
    data = zf.read(info)
    try:
        SigningKey.from_pem(data)
    except (ValueError, TypeError):
        raise _not_ours(path, "tệp khóa ký bị hỏng") from None
    fd = os.open(workdir / KEY_MEMBER, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _stage_key(workdir: Path, folder: DataFolder) -> Path | None:
    """The backup's key copied beside the live one under a temporary name (renamed once the database is in)."""
    source = workdir / KEY_MEMBER
    if not source.is_file():
        return None
    staged = folder.root / f".{KEY_MEMBER}.restore"
    shutil.copyfile(source, staged)
    if hasattr(os, "chmod"):
        os.chmod(staged, 0o600)
    return staged


def _write_failure(error: BaseException, where: Path, doing: str) -> UserError:
    """A failed read or write during a restore, said so the officer knows what happened and what to do."""
    if is_disk_full(error):
        return DiskFullError(
            f"Ổ đĩa chứa “{where}” đã đầy nên chưa {doing} được. Dữ liệu hiện tại không bị thay đổi. "
            "Hãy giải phóng dung lượng ổ đĩa rồi khôi phục lại."
        )
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return UserError(f"Không {doing} được ({reason}). Dữ liệu hiện tại không bị thay đổi; hãy thử lại, hoặc chọn "
                     "một bản sao lưu khác.")


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
    from ntm_desktop.db import copy_sqlite

    copy_sqlite(candidate, database)


def _attachments_to_copy(manifest: Manifest | None, backup_path: Path, folder: DataFolder) -> tuple[list[str], list[str]]:
    """(hashes to copy from the backup folder, hashes missing there); attachments already here are skipped."""
    if manifest is None:
        return [], []
    store = backup_path.parent / FILES_DIR
    wanted, missing = [], []
    for sha in manifest.attachments:
        if not SHA256.match(sha):  # Manifest.from_json refuses these already; never let one become a path
            raise _not_ours(backup_path, "danh sách tệp đính kèm không hợp lệ")
        if (folder.files / sha[:2] / sha).exists():
            continue
        (wanted if (store / sha[:2] / sha).is_file() else missing).append(sha)
    return wanted, missing


def _copy_attachments(hashes: list[str], backup_path: Path, folder: DataFolder) -> tuple[list[Path], list[str]]:
    """Copy each attachment in, checked against its hash; returns (files written, hashes whose copy is damaged).

    On a failure the files written so far are removed again and the error is raised.
    """
    store = backup_path.parent / FILES_DIR
    written: list[Path] = []
    damaged: list[str] = []
    tmp: Path | None = None
    try:
        for sha in hashes:
            target = folder.files / sha[:2] / sha
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(sha + ".tmp")
            digest = hashlib.sha256()
            with (store / sha[:2] / sha).open("rb") as src, tmp.open("wb") as dst:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    digest.update(chunk)
                    dst.write(chunk)
            if digest.hexdigest() != sha:
                tmp.unlink()
                damaged.append(sha)
                continue
            os.replace(tmp, target)
            written.append(target)
    except BaseException:
        if tmp is not None:
            _remove([tmp])
        _remove(written)
        raise
    return written, damaged


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove %s after a failed restore", path)


def _database_sound(database: Path) -> bool:
    try:
        con = sqlite3.connect(database)
        try:
            return con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False


def _space_needed(folder: DataFolder, candidate: Path, hashes: list[str], backup_path: Path) -> int:
    store = backup_path.parent / FILES_DIR
    current = database_size(folder.database)
    # the copy of the current data (database copy plus its zip), the backup written into the live file's
    # journal, and the attachments to copy in
    return (current + current // 2 + candidate.stat().st_size
            + sum((store / sha[:2] / sha).stat().st_size for sha in hashes))


def restore_backup(folder: DataFolder, path: Path, now: datetime | None = None, *,
                   accept_other_office: bool = False, db=None) -> RestoreResult:
    """Replace the data folder's database (and missing attachments) with a backup.

    The database must be closed (Workspace.close()) and no other program may use it: hold the
    instance lock. Order: check the file completely (manifest, database, office, free space); copy the
    missing attachments in; back up the current state (a damaged database is moved aside instead); only
    then replace the database. Raises OtherOfficeError, before writing anything, when the backup is another
    office's and `accept_other_office` is not given. `db`: the folder's database as it was open before the
    restore (closed since), whose signed-in user must be allowed to restore (services.access).
    """
    if db is not None:
        from ntm_desktop.services import access

        access.require_on(db, access.Permission.BACKUPS)
        db.dispose()  # the check's connection is let go before the file is replaced
    now = now or datetime.now()
    path = Path(path)
    try:
        folder.root.mkdir(parents=True, exist_ok=True)
        workdir = tempfile.TemporaryDirectory(dir=folder.root, prefix=".restore-")
    except OSError as error:
        raise _write_failure(error, folder.root, "khôi phục") from error
    with workdir as tmp:
        candidate, manifest = verify_backup(path, Path(tmp))
        sound = folder.database.exists() and _database_sound(folder.database)
        before, after = (office_of(folder.database) if sound else None), office_of(candidate)
        if not accept_other_office:
            check_same_office(before, after, path.name)
        wanted, missing = _attachments_to_copy(manifest, path, folder)
        try:
            require_free_space(folder.root, _space_needed(folder, candidate, wanted, path), "khôi phục bản sao lưu")
            written, damaged = _copy_attachments(wanted, path, folder)
            staged = _stage_key(Path(tmp), folder)
            if staged is not None:
                written.append(staged)
        except (OSError, sqlite3.Error) as error:
            raise _write_failure(error, folder.root, "khôi phục") from error
        try:
            safety, aside = _replace_database(folder, candidate, sound, now)
        except BaseException as error:
            _remove(written)
            if isinstance(error, (OSError, sqlite3.Error)):
                raise _write_failure(error, folder.root, "khôi phục") from error
            if isinstance(error, DiskFullError):  # the copy of the current data did not fit
                raise DiskFullError(f"Chưa khôi phục được: {error} Dữ liệu hiện tại không bị thay đổi.") from error
            raise
        if staged is not None:  # the key that signs for the data restored, in place of the current one
            written.remove(staged)
            try:
                os.replace(staged, folder.root / KEY_MEMBER)
            except OSError:
                log.exception("restore: the signing key of the backup could not be put in place")
    result = RestoreResult(manifest, safety, aside, len(written), missing + damaged, before, after)
    log.info("restored %s (%d attachment(s) copied, %d missing)", path, len(written), len(result.missing_files))
    if result.office_changed:
        log.warning("restore changed the office of this installation from %s to %s", before, after)
    return result


def _replace_database(folder: DataFolder, candidate: Path, sound: bool, now: datetime):
    """Back up (or move aside) the current database, then put the candidate in its place."""
    safety, aside = None, None
    if folder.database.exists():
        if sound:
            safety = create_backup(folder, BackupKind.BEFORE_RESTORE, now, server=None)  # the file being replaced
        else:
            aside = _move_aside(folder.database, now)
            log.warning("damaged database moved aside to %s", aside)
    try:
        if folder.database.exists():
            _copy_into_live(candidate, folder.database)  # one transaction: all of it or nothing
        else:
            os.replace(candidate, folder.database)
    except BaseException:
        if aside is not None and not folder.database.exists():
            _put_back(aside, folder.database)
        raise
    return safety, aside


def _put_back(aside: Path, database: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{aside}{suffix}")
        if part.exists():
            os.replace(part, Path(f"{database}{suffix}"))
