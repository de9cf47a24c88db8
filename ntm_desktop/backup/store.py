"""Making, listing and pruning backups in a backup folder.

A backup reports its progress in bytes and can be stopped (`create_backup(..., progress=...)`, see
backup.progress): stopped at any step, it removes all it had written, the finished file and its copies
included, and the backups made before stay as they were.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
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
from ntm_desktop.backup.progress import BackupCancelled, Meter, Report, copy_database, copy_file, copy_stream
from ntm_desktop.backup.retention import delete_unkept
from ntm_desktop.backup.space import database_size, is_disk_full, require_free_space
from ntm_desktop.errors import DiskFullError, UserError
from ntm_desktop.paths import DataFolder

log = logging.getLogger(__name__)

FILES_DIR = "files"
KEY_MEMBER = "signing-key.pem"  # sync.signing.KEY_FILE: this office's signing key, in the data folder
_SHA = re.compile(r"^[0-9a-f]{64}$")
MAX_MANIFEST_BYTES = 100 << 20  # a million attachment hashes fit well within it
AUTO = "auto"  # create_backup's `server`: the one the folder (or its open database) works on, if any


class NotABackupError(UserError):
    """The chosen file is not a backup made by this app."""


class NewerBackupError(NotABackupError):
    """The backup was made by a newer version of the app: update, then restore."""


@dataclass
class BackupResult:
    info: BackupInfo
    copies: list[Path] = field(default_factory=list)  # the same backup in other folders (USB stick)
    warnings: list[str] = field(default_factory=list)  # Vietnamese, e.g. the USB stick was not plugged in
    server: object | None = None  # server.backup.ServerBackup when the office's server was backed up (method, note)


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
        return revision, counts, _hashes(con, tables)
    finally:
        con.close()


def _hashes(con: sqlite3.Connection, tables: set[str]) -> tuple[str, ...]:
    if "attachments" not in tables:
        return ()
    rows = con.execute("SELECT sha256 FROM attachments")
    return tuple(sorted({r[0] for r in rows if isinstance(r[0], str) and _SHA.match(r[0])}))


def _attachment_hashes(db_path: Path) -> tuple[str, ...]:
    """The attachments a database names, read without writing anything (to plan a backup's bytes)."""
    con = sqlite3.connect(f"file:{Path(db_path).as_posix()}?mode=ro", uri=True)
    try:
        return _hashes(con, {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")})
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


def _attachments_to_copy(hashes: tuple[str, ...], source_files: Path,
                         target_folder: Path) -> list[tuple[Path, Path]]:
    """(source, target) of each attachment not yet in target_folder/files and present at the source."""
    pairs = []
    for sha in hashes:
        target = target_folder / FILES_DIR / sha[:2] / sha
        source = source_files / sha[:2] / sha
        if not target.exists() and source.is_file():
            pairs.append((source, target))
    return pairs


def _bytes_of(pairs: list[tuple[Path, Path]]) -> int:
    return sum(source.stat().st_size for source, _target in pairs)


def _copy_attachments(hashes: tuple[str, ...], source_files: Path, target_folder: Path,
                      meter: Meter | None = None, written: list[Path] | None = None) -> list[str]:
    """Copy each attachment into target_folder/files once; returns the hashes not found at the source.

    Each file copied is added to `written` (so a stopped backup can take it back).
    """
    meter = meter or Meter()
    missing = [sha for sha in hashes if not (target_folder / FILES_DIR / sha[:2] / sha).exists()
               and not (source_files / sha[:2] / sha).is_file()]
    for source, target in _attachments_to_copy(hashes, source_files, target_folder):
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_file(source, target, meter)
        if written is not None:
            written.append(target)
    return missing


def _disk_error(error: OSError | sqlite3.Error, where: Path) -> UserError:
    if is_disk_full(error):
        return DiskFullError(f"Ổ đĩa chứa “{where}” đã đầy nên chưa sao lưu được. Hãy giải phóng dung lượng rồi thử lại.")
    return UserError(f"Không ghi được bản sao lưu vào “{where}”: {getattr(error, 'strerror', None) or error}.")


def backup_to(source: Path, target: Path, meter: Meter | None = None, share: int = 0) -> Path:
    """The database copied by the SQLite backup API in steps, filling `share` bytes of the meter.

    sqlite3 only: the app's start, which makes the day's backup, does not load SQLAlchemy for it.
    """
    return copy_database(source, target, meter or Meter(), share)


def write_backup(folder: DataFolder, target_dir: Path, kind: BackupKind, now: datetime,
                 meter: Meter | None = None, written: list[Path] | None = None) -> BackupInfo:
    """One backup of `folder` into `target_dir`: database by the SQLite backup API, then attachments.

    The meter moves by the database's size for its copy and again for the zip, and by each attachment's
    size; the attachments copied and the finished file are added to `written`.
    """
    if not folder.database.exists():
        raise UserError("Chưa có dữ liệu nào để sao lưu.")
    meter = meter or Meter()
    written = [] if written is None else written
    target_dir = Path(target_dir)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        # a copy of the database, then its zip: refused before writing when the disk cannot hold them
        size = database_size(folder.database)
        require_free_space(target_dir, size * 3 // 2, "sao lưu")
        with tempfile.TemporaryDirectory(dir=target_dir, prefix=".tmp-") as tmp:
            db_copy = backup_to(folder.database, Path(tmp) / DATABASE_NAME, meter, size)
            _single_file(db_copy)
            revision, counts, hashes = _read_facts(db_copy)
            meter.check()
            manifest = Manifest(now.replace(microsecond=0), kind, __version__, revision, counts, hashes)
            missing = _copy_attachments(hashes, folder.files, target_dir, meter, written)
            if missing:
                log.warning("backup: %d attachment(s) missing from %s", len(missing), folder.files)
            target = _unique_name(target_dir, now, kind)
            partial = Path(tmp) / target.name
            _zip(partial, manifest, db_copy, folder.root / KEY_MEMBER, meter, size)
            os.replace(partial, target)
            written.append(target)
    except (OSError, sqlite3.Error) as error:
        raise _disk_error(error, target_dir) from error
    log.info("backup written: %s", target)
    return BackupInfo(target, manifest, target.stat().st_size)


def _zip(partial: Path, manifest: Manifest, db_copy: Path, key: Path, meter: Meter, share: int) -> None:
    """The backup file: manifest, database (its bytes move the meter by `share`), signing key if any."""
    db_size = db_copy.stat().st_size
    # Fastest deflate: a third of the time of the default level for a sixth more bytes; a backup is
    # made before every import and at the first start of the day, and nobody should wait for it.
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(MANIFEST_NAME, manifest.to_json())
        with open(db_copy, "rb") as source, zf.open(DATABASE_NAME, "w",
                                                    force_zip64=db_size * 1.05 > zipfile.ZIP64_LIMIT) as member:
            copy_stream(source, member, meter, db_size, share)
        if key.is_file():  # the signing key goes with the data it signs for
            zf.write(key, KEY_MEMBER)


def copy_backup(info: BackupInfo, source_dir: Path, target_dir: Path, meter: Meter | None = None,
                share: int | None = None, written: list[Path] | None = None) -> Path:
    """Copy a finished backup file and the attachments it needs into another backup folder.

    The file's bytes move the meter by `share` (its size if not given); what is copied goes to `written`.
    """
    meter = meter or Meter()
    target_dir = Path(target_dir)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        _copy_attachments(info.manifest.attachments, Path(source_dir) / FILES_DIR, target_dir, meter, written)
        target = copy_file(info.path, target_dir / info.path.name, meter, share)
        if written is not None:
            written.append(target)
    except OSError as error:
        raise _disk_error(error, target_dir) from error
    return target


def create_backup(
    folder: DataFolder,
    kind: BackupKind = BackupKind.MANUAL,
    now: datetime | None = None,
    to: Path | None = None,
    progress: Report | None = None,
    db=None,
    server=AUTO,
) -> BackupResult:
    """Back up into the data folder's backups/, then copy to `to` and to the user's extra folder.

    The extra folder (a USB stick) may be missing: that is a warning, not a failure.
    `progress(done, total)` is told the bytes done of all the bytes the backup copies, rising to the
    total; when it returns False the backup stops, takes back everything it wrote (BackupCancelled) and
    prunes nothing. `db`: the folder's open database, whose signed-in user must be allowed to back up
    (services.access; the automatic backups pass none).
    `server`: the office's server to back up instead of the folder's SQLite file (a SQLAlchemy URL, with the
    password typed at start when it needs one); AUTO: `db`'s server when it is on one, else the server the folder
    works on (paths.database_url), else the file; None: the file. A server is backed up with pg_dump or the app's
    own export (server.backup), kept in backups/ by the same retention rule.
    """
    if db is not None:
        from ntm_desktop.services import access

        access.require_on(db, access.Permission.BACKUPS)
    now = now or datetime.now()
    server = folder_server(folder, db) if server is AUTO else server
    if server is not None:
        return _create_server_backup(folder, server, kind, now, to, progress)
    warnings: list[str] = []
    targets = _copy_targets(folder, to, warnings)
    meter = Meter(progress, _planned_bytes(folder, targets)) if progress is not None else Meter()
    written: list[Path] = []
    copies: list[Path] = []
    failure: UserError | None = None
    try:
        info = write_backup(folder, folder.backups, kind, now, meter, written)
        size = database_size(folder.database)
        for target in targets:
            try:
                copies.append(copy_backup(info, folder.backups, target, meter, size, written))
            except UserError as error:
                if target == config.extra_folder(folder.root):
                    warnings.append(str(error))
                else:
                    failure = error
                    break
    except BackupCancelled:
        _take_back(written)
        log.info("backup stopped by the user; nothing of it was kept")
        raise
    # pruned only now: a backup stopped half-way leaves the older backups as they were
    prune(folder.backups, now)
    for copy in copies:
        prune(copy.parent, now)
    if failure is not None:
        raise failure
    meter.finish()
    return BackupResult(info, copies, warnings)


def folder_server(folder: DataFolder, db=None):
    """The server a backup of `folder` backs up: `db`'s when it is on one, else the folder's setting (None: the
    folder's own file). A look at the folder only, without SQLAlchemy, when nothing names a server."""
    if db is not None and getattr(db, "is_server", False):
        return db.url
    from ntm_desktop import paths

    return paths.database_url(folder) if paths.names_server(folder) else None


def _create_server_backup(folder: DataFolder, url, kind: BackupKind, now: datetime, to: Path | None,
                          progress: Report | None) -> BackupResult:
    """The office's server backed up into backups/ (server.backup.backup_server), copied to `to` and the extra
    folder as a file's backup is, then the server backups of each folder pruned. pg_dump tells no progress: the
    meter goes from nothing to all when it is done (a stop asked before it starts is heeded)."""
    from ntm_desktop.server.backup import backup_server, prune_server_backups

    warnings: list[str] = []
    targets = _copy_targets(folder, to, warnings)
    meter = Meter(progress, 1) if progress is not None else Meter()
    meter.check()
    made = backup_server(url, folder.backups, now, kind=kind)
    copies: list[Path] = []
    failure: UserError | None = None
    for target in targets:
        try:
            target.mkdir(parents=True, exist_ok=True)
            copies.append(copy_file(made.path, target / made.path.name, Meter()))
        except OSError as error:
            said = _disk_error(error, target)
            if target == config.extra_folder(folder.root):
                warnings.append(str(said))
            else:
                failure = said
                break
    prune_server_backups(folder.backups, now)
    for copy in copies:
        prune_server_backups(copy.parent, now)
    if failure is not None:
        raise failure
    meter.finish()
    if made.note:
        log.info("server backup: %s", made.note)
    manifest = Manifest(now.replace(microsecond=0), kind, __version__, None, dict(made.counts))
    return BackupResult(BackupInfo(made.path, manifest, made.path.stat().st_size), copies, warnings, made)


def _copy_targets(folder: DataFolder, to: Path | None, warnings: list[str]) -> list[Path]:
    """The other folders a backup is copied to: `to`, then the extra folder when it can be reached."""
    targets = [Path(to)] if to else []
    extra = config.extra_folder(folder.root)
    if extra and extra not in targets:
        if extra.exists():
            targets.append(extra)
        else:
            warnings.append(
                f"Không tìm thấy thư mục sao lưu thêm “{extra}” (có thể USB chưa được cắm). "
                "Bản sao lưu vẫn được lưu trong thư mục dữ liệu."
            )
    return [t for t in targets if t.resolve() != folder.backups.resolve()]  # backups/ is written anyway


def _planned_bytes(folder: DataFolder, targets: list[Path]) -> int:
    """The bytes a backup will copy: the database twice (copy, zip), once more per other folder, and the
    attachments each folder lacks."""
    size = database_size(folder.database)
    try:
        hashes = _attachment_hashes(folder.database)
    except sqlite3.Error:
        hashes = ()
    total = size * (2 + len(targets))
    for target in [folder.backups, *targets]:
        total += _bytes_of(_attachments_to_copy(hashes, folder.files, target))
    return total


def _take_back(written: list[Path]) -> None:
    """Remove what a stopped backup wrote (attachments it copied, the finished file and its copies)."""
    for path in reversed(written):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove %s after the backup was stopped", path)


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
    backups = list_backups(backup_dir)
    keep, deleted = delete_unkept(backups, now)
    needed = {sha for b in backups if b.path in keep for sha in b.manifest.attachments}
    store = Path(backup_dir) / FILES_DIR
    if deleted and store.is_dir():
        for file in store.glob("*/*"):
            if _SHA.match(file.name) and file.name not in needed:
                file.unlink(missing_ok=True)
    return deleted


def daily_backup_due(folder: DataFolder, now: datetime | None = None, server=None) -> bool:
    """No backup was made in the folder's backups today (of the office's server when `server` is given)."""
    if server is not None:
        from ntm_desktop.server.backup import server_backup_due

        return server_backup_due(folder.backups, now)
    today = (now or datetime.now()).date()
    return not any(b.created_at.date() == today for b in list_backups(folder.backups))


def make_daily_backup(folder: DataFolder, now: datetime | None = None, server=AUTO) -> BackupResult | None:
    """The first start of the day backs up (when there is data); later starts do nothing.

    On the office's server (`server`, see create_backup) the server's data is backed up, once a day on each PC."""
    now = now or datetime.now()
    server = folder_server(folder) if server is AUTO else server
    if server is None and not folder.database.exists() or not daily_backup_due(folder, now, server):
        return None
    return create_backup(folder, BackupKind.DAILY, now, server=server)
