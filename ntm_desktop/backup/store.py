"""Making, listing and pruning backups in a backup folder."""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from ntm_desktop import __version__
from ntm_desktop.backup import config
from ntm_desktop.backup.manifest import (
    BACKUP_SUFFIX,
    COUNTED_TABLES,
    DATABASE_NAME,
    MANIFEST_NAME,
    BackupInfo,
    BackupKind,
    Manifest,
    NewerBackupFormat,
)
from ntm_desktop.backup.retention import select_to_keep
from ntm_desktop.backup.space import database_size, is_disk_full, require_free_space
from ntm_desktop.errors import DiskFullError, UserError
from ntm_desktop.paths import DataFolder

log = logging.getLogger(__name__)

FILES_DIR = "files"
KEY_MEMBER = "signing-key.pem"  # sync.signing.KEY_FILE: this office's signing key, in the data folder
_SHA = re.compile(r"^[0-9a-f]{64}$")
MAX_MANIFEST_BYTES = 100 << 20  # a million attachment hashes fit well within it
KEEP_RECENT = timedelta(days=1)  # every backup of the last 24 hours is kept besides the retention rule


class NotABackupError(UserError):
    """The chosen file is not a backup made by this app."""


class NewerBackupError(NotABackupError):
    """The backup was made by a newer version of the app: update, then restore."""


@dataclass
class BackupResult:
    info: BackupInfo
    copies: list[Path] = field(default_factory=list)  # the same backup in other folders (USB stick)
    warnings: list[str] = field(default_factory=list)  # Vietnamese, e.g. the USB stick was not plugged in


def _single_file(db_path: Path) -> None:
    """Make a copy self-contained (rollback journal instead of WAL) so it opens anywhere, even read-only."""
    con = sqlite3.connect(db_path)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()


def _read_facts(db_path: Path, readonly: bool = False) -> tuple[str | None, dict[str, int], tuple[str, ...]]:
    """Schema revision, record counts and attachment hashes of a database copy."""
    # immutable=1: read a bare copy without creating -wal/-shm files beside it
    con = sqlite3.connect(f"file:{Path(db_path).as_posix()}?immutable=1", uri=True) if readonly else sqlite3.connect(db_path)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        counts = {}
        for table in COUNTED_TABLES:
            if table in tables:
                columns = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
                where = " WHERE deleted = 0" if "deleted" in columns else ""
                counts[table] = con.execute(f"SELECT count(*) FROM {table}{where}").fetchone()[0]
        hashes: tuple[str, ...] = ()
        if "attachments" in tables:
            rows = con.execute("SELECT sha256 FROM attachments")
            hashes = tuple(sorted({r[0] for r in rows if isinstance(r[0], str) and _SHA.match(r[0])}))
        return revision, counts, hashes
    finally:
        con.close()


def _unique_name(folder: Path, now: datetime, kind: BackupKind) -> Path:
    base = f"ntm-{now:%Y-%m-%d_%H%M%S}-{kind.value}"
    candidate = folder / f"{base}{BACKUP_SUFFIX}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{base}-{n}{BACKUP_SUFFIX}"
        n += 1
    return candidate


def _copy_attachments(hashes: tuple[str, ...], source_files: Path, target_folder: Path) -> list[str]:
    """Copy each attachment into target_folder/files once; returns the hashes not found at the source."""
    missing = []
    for sha in hashes:
        target = target_folder / FILES_DIR / sha[:2] / sha
        if target.exists():
            continue
        source = source_files / sha[:2] / sha
        if not source.is_file():
            missing.append(sha)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    return missing


def _disk_error(error: OSError | sqlite3.Error, where: Path) -> UserError:
    if is_disk_full(error):
        return DiskFullError(f"Ổ đĩa chứa “{where}” đã đầy nên chưa sao lưu được. Hãy giải phóng dung lượng rồi thử lại.")
    return UserError(f"Không ghi được bản sao lưu vào “{where}”: {getattr(error, 'strerror', None) or error}.")


def backup_to(source: Path, target: Path) -> Path:
    """ntm_desktop.db.backup_to, imported when a backup is made: the app's start does not load SQLAlchemy."""
    from ntm_desktop.db import backup_to as copy

    return copy(source, target)


def write_backup(folder: DataFolder, target_dir: Path, kind: BackupKind, now: datetime) -> BackupInfo:
    """One backup of `folder` into `target_dir`: database by the SQLite backup API, then attachments."""
    if not folder.database.exists():
        raise UserError("Chưa có dữ liệu nào để sao lưu.")
    target_dir = Path(target_dir)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        # a copy of the database, then its zip: refused before writing when the disk cannot hold them
        require_free_space(target_dir, database_size(folder.database) * 3 // 2, "sao lưu")
        with tempfile.TemporaryDirectory(dir=target_dir, prefix=".tmp-") as tmp:
            db_copy = backup_to(folder.database, Path(tmp) / DATABASE_NAME)
            _single_file(db_copy)
            revision, counts, hashes = _read_facts(db_copy)
            manifest = Manifest(now.replace(microsecond=0), kind, __version__, revision, counts, hashes)
            missing = _copy_attachments(hashes, folder.files, target_dir)
            if missing:
                log.warning("backup: %d attachment(s) missing from %s", len(missing), folder.files)
            target = _unique_name(target_dir, now, kind)
            partial = Path(tmp) / target.name
            # Fastest deflate: a third of the time of the default level for a sixth more bytes; a backup is
            # made before every import and at the first start of the day, and nobody should wait for it.
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                zf.writestr(MANIFEST_NAME, manifest.to_json())
                zf.write(db_copy, DATABASE_NAME)
                key = folder.root / KEY_MEMBER  # the signing key goes with the data it signs for
                if key.is_file():
                    zf.write(key, KEY_MEMBER)
            os.replace(partial, target)
    except (OSError, sqlite3.Error) as error:
        raise _disk_error(error, target_dir) from error
    log.info("backup written: %s", target)
    return BackupInfo(target, manifest, target.stat().st_size)


def copy_backup(info: BackupInfo, source_dir: Path, target_dir: Path) -> Path:
    """Copy a finished backup file and the attachments it needs into another backup folder."""
    target_dir = Path(target_dir)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        _copy_attachments(info.manifest.attachments, Path(source_dir) / FILES_DIR, target_dir)
        target = target_dir / info.path.name
        tmp = target.with_name(target.name + ".tmp")
        shutil.copyfile(info.path, tmp)
        os.replace(tmp, target)
    except OSError as error:
        raise _disk_error(error, target_dir) from error
    return target


def create_backup(
    folder: DataFolder,
    kind: BackupKind = BackupKind.MANUAL,
    now: datetime | None = None,
    to: Path | None = None,
) -> BackupResult:
    """Back up into the data folder's backups/, then copy to `to` and to the user's extra folder.

    The extra folder (a USB stick) may be missing: that is a warning, not a failure.
    """
    now = now or datetime.now()
    info = write_backup(folder, folder.backups, kind, now)
    result = BackupResult(info)
    prune(folder.backups, now)
    targets = [Path(to)] if to else []
    extra = config.extra_folder(folder.root)
    if extra and extra not in targets:
        targets.append(extra)
    for target in targets:
        if target.resolve() == folder.backups.resolve():
            continue  # already there
        if target == extra and not extra.exists():
            result.warnings.append(
                f"Không tìm thấy thư mục sao lưu thêm “{extra}” (có thể USB chưa được cắm). "
                "Bản sao lưu vẫn được lưu trong thư mục dữ liệu."
            )
            continue
        try:
            result.copies.append(copy_backup(info, folder.backups, target))
            prune(target, now)
        except UserError as error:
            if target == extra:
                result.warnings.append(str(error))
            else:
                raise
    return result


def read_manifest(path: Path) -> Manifest:
    try:
        with zipfile.ZipFile(path) as zf:
            if DATABASE_NAME not in zf.namelist():
                raise ValueError("no database in the backup")
            if zf.getinfo(MANIFEST_NAME).file_size > MAX_MANIFEST_BYTES:
                raise ValueError("manifest too large")
            return Manifest.from_json(zf.read(MANIFEST_NAME).decode("utf-8"))
    except NewerBackupFormat as error:
        raise NewerBackupError(
            f"Bản sao lưu này do phiên bản mới hơn tạo ra; hãy cập nhật phần mềm (tệp “{Path(path).name}”). "
            "Cập nhật NTM Desktop lên phiên bản mới nhất rồi khôi phục lại; dữ liệu hiện tại không bị thay đổi."
        ) from error
    except (OSError, KeyError, ValueError, UnicodeDecodeError, zipfile.BadZipFile, EOFError) as error:
        raise NotABackupError(
            f"Tệp “{Path(path).name}” không phải là bản sao lưu của NTM Desktop (hoặc tệp đã bị hỏng)."
        ) from error


# Bare database copies made by other parts of the app with db.backup_to, by file-name prefix.
BARE_KINDS = {"truoc-nang-cap": BackupKind.BEFORE_MIGRATION, "truoc-nhap-goi": BackupKind.BEFORE_SYNC}


def _bare_info(path: Path) -> BackupInfo | None:
    kind = next((k for prefix, k in BARE_KINDS.items() if path.name.startswith(prefix)), None)
    if kind is None:
        return None
    revision, counts, hashes = _read_facts(path, readonly=True)
    stat = path.stat()
    when = datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0)
    return BackupInfo(path, Manifest(when, kind, "", revision, counts, hashes), stat.st_size)


def list_backups(backup_dir: Path) -> list[BackupInfo]:
    """Backups in a folder, newest first; unreadable files are left out (and logged).

    Besides `.ntmbak` files this lists the bare database copies taken before an upgrade or a package
    import (`truoc-nang-cap-*.sqlite3`, `truoc-nhap-goi-*.sqlite3`): restore accepts them too, and the
    retention rule keeps them from piling up.
    """
    found = []
    backup_dir = Path(backup_dir)
    if not backup_dir.is_dir():
        return []
    for path in backup_dir.glob(f"*{BACKUP_SUFFIX}"):
        try:
            found.append(BackupInfo(path, read_manifest(path), path.stat().st_size))
        except (NotABackupError, OSError):
            log.warning("unreadable backup left out of the list: %s", path)
    for path in backup_dir.glob("*.sqlite3"):
        try:
            info = _bare_info(path)
        except (sqlite3.DatabaseError, OSError):
            log.warning("unreadable database copy left out of the list: %s", path)
            continue
        if info is not None:
            found.append(info)
    return sorted(found, key=lambda b: (b.created_at, b.path.name), reverse=True)


def prune(backup_dir: Path, now: datetime | None = None) -> list[Path]:
    """Apply the retention rule in one backup folder; returns the deleted backup files."""
    now = now or datetime.now()
    backups = list_backups(backup_dir)
    keep = set(select_to_keep([(b.created_at, b.path) for b in backups]))
    keep |= {b.path for b in backups if now - b.created_at < KEEP_RECENT}
    deleted = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            deleted.append(b.path)
    needed = {sha for b in backups if b.path in keep for sha in b.manifest.attachments}
    store = Path(backup_dir) / FILES_DIR
    if deleted and store.is_dir():
        for file in store.glob("*/*"):
            if _SHA.match(file.name) and file.name not in needed:
                file.unlink(missing_ok=True)
    return deleted


def daily_backup_due(folder: DataFolder, now: datetime | None = None) -> bool:
    today = (now or datetime.now()).date()
    return not any(b.created_at.date() == today for b in list_backups(folder.backups))


def make_daily_backup(folder: DataFolder, now: datetime | None = None) -> BackupResult | None:
    """The first start of the day backs up (when there is data); later starts do nothing."""
    now = now or datetime.now()
    if not folder.database.exists() or not daily_backup_due(folder, now):
        return None
    return create_backup(folder, BackupKind.DAILY, now)
