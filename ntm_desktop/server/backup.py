"""Backups in server mode: `pg_dump` (custom format) when it is on the PATH, else the app's own export.

A backup's file name says when it was made and its kind (backup.manifest.BackupKind, as the file's own backups
do): `ntm-may-chu-2026-11-22_083015-hang-ngay.pgdump`; older files without the kind still list, as "Máy chủ".

The own export reads every table in ONE transaction at REPEATABLE READ (one consistent picture while other PCs go
on saving) into a zip: manifest.json (schema revision, rows per table) and one JSON-lines member per table. Both
kinds restore into the server's database in one transaction, after a backup of what it holds then.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import LargeBinary, Table, select, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import DBAPIError

from ntm_desktop import __version__
from ntm_desktop.backup.manifest import KIND_LABELS, BackupKind
from ntm_desktop.errors import UserError
from ntm_desktop.models import Base
from ntm_desktop.server.probe import ServerState, make_engine, probe, schema_probe
from ntm_desktop.server.schema import lock_setup, refuse_unusable, upgrade
from ntm_desktop.server.tables import copy_rows, count_rows, restart_sequences
from ntm_desktop.server.urls import label

DUMP_SUFFIX = ".pgdump"  # pg_dump's custom format
EXPORT_SUFFIX = ".ntmexport"  # the app's own export
EXPORT_FORMAT = "ntm-desktop-server-export"
DUMP_MAGIC = b"PGDMP"
MANIFEST = "manifest.json"


class ServerBackupError(UserError):
    """A backup or a restore of the server could not be made; nothing was changed."""


@dataclass(frozen=True)
class ServerBackup:
    path: Path
    method: str  # "pg_dump" or "export"
    counts: dict[str, int] = field(default_factory=dict)  # rows per table (the export's; pg_dump: counted just after)
    note: str = ""  # Vietnamese: why the own export was used instead of pg_dump

    def method_label(self) -> str:
        return "pg_dump (định dạng custom)" if self.method == "pg_dump" else "bản xuất riêng của NTM Desktop"


def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """pg_dump's connection arguments; the password goes in the child's environment, never on its command line."""
    args = ["--host", url.host or "localhost", "--port", str(url.port or 5432), "--username", url.username or "",
            "--dbname", url.database or ""]
    env = dict(os.environ, PGCONNECT_TIMEOUT="5")
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _stamp(now: datetime | None) -> str:
    return f"{(now or datetime.now()):%Y-%m-%d_%H%M%S}"


def _unique(folder: Path, stem: str, suffix: str) -> Path:
    candidate, n = folder / f"{stem}{suffix}", 2
    while candidate.exists():
        candidate, n = folder / f"{stem}-{n}{suffix}", n + 1
    return candidate


def _checked(url: URL) -> None:
    found = probe(url)
    refuse_unusable(found)
    if found.state is ServerState.EMPTY:
        raise ServerBackupError(f"Cơ sở dữ liệu {label(url)} còn trống: chưa có gì để sao lưu.")


def backup_server(url: URL, folder: Path, now: datetime | None = None, use_pg_dump: bool | None = None,
                  kind: BackupKind = BackupKind.MANUAL) -> ServerBackup:
    """Back up the server's database into `folder`: pg_dump when found (or `use_pg_dump`), else the own export.
    The file's name carries `kind` (why it was made: the day's first start, by hand, before an import, ...).

    A failure half-way (the connection lost, the disk full) leaves no file behind and is a ServerBackupError (a
    DiskFullError for the disk) in Vietnamese; the server's data is never changed by a backup."""
    _checked(url)
    folder = Path(folder)
    try:
        return _write_backup(url, folder, now, use_pg_dump, kind)
    except OSError as error:
        raise _not_written(error, folder) from error
    except DBAPIError as error:
        raise _server_failed(error, url) from error


def _write_backup(url: URL, folder: Path, now: datetime | None, use_pg_dump: bool | None,
                  kind: BackupKind) -> ServerBackup:
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"ntm-may-chu-{_stamp(now)}-{BackupKind(kind).value}"
    tool = shutil.which("pg_dump")
    note = ""
    if use_pg_dump is not False and tool:
        target = _unique(folder, stem, DUMP_SUFFIX)
        args, env = _libpq(url)
        partial = target.with_suffix(".tmp")
        done = subprocess.run([tool, "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial),
                               *args], env=env, capture_output=True, text=True)
        if done.returncode == 0:
            os.replace(partial, target)
            return ServerBackup(target, "pg_dump", _counted(url))
        partial.unlink(missing_ok=True)
        note = ("pg_dump trên máy này không sao lưu được máy chủ (" + (done.stderr.strip().splitlines() or ["?"])[-1]
                + "), nên đã dùng bản xuất riêng của NTM Desktop.")
    elif use_pg_dump is not False:
        note = "Không tìm thấy pg_dump trên máy này, nên đã dùng bản xuất riêng của NTM Desktop."
    target = _unique(folder, stem, EXPORT_SUFFIX)
    counts = export_server(url, target)
    return ServerBackup(target, "export", counts, note)


def _counted(url: URL) -> dict[str, int]:
    """Rows per table on the server just after a pg_dump (its file says nothing of them); {} when it cannot say."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return count_server(conn)
    except DBAPIError:
        return {}
    finally:
        engine.dispose()


def _not_written(error: OSError, folder: Path) -> UserError:
    from ntm_desktop.backup.space import is_disk_full
    from ntm_desktop.errors import DiskFullError

    if is_disk_full(error):
        return DiskFullError(f"Ổ đĩa chứa “{folder}” đã đầy nên chưa sao lưu được dữ liệu trên máy chủ (không giữ lại "
                             "bản sao lưu dở dang nào). Hãy giải phóng dung lượng rồi sao lưu lại; dữ liệu trên máy "
                             "chủ không bị thay đổi.")
    return ServerBackupError(f"Không ghi được bản sao lưu máy chủ vào “{folder}”: "
                             f"{getattr(error, 'strerror', None) or error}. Dữ liệu trên máy chủ không bị thay đổi.")


def _server_failed(error: DBAPIError, url: URL) -> UserError:
    from ntm_desktop.db_errors import ConnectionLostError, ServerUnreachableError, translate_error, where

    said = translate_error(error, url)
    if said is None:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        return ServerBackupError(f"{where(url).capitalize()} báo lỗi khi sao lưu ({reason}), nên chưa sao lưu được "
                                 "(không giữ lại bản sao lưu dở dang nào); dữ liệu trên máy chủ không bị thay đổi.")
    if isinstance(said, (ConnectionLostError, ServerUnreachableError)):
        return ServerBackupError(
            f"Mất kết nối với {where(url)} giữa chừng nên chưa sao lưu được (không giữ lại bản sao lưu dở dang nào). "
            "Hãy kiểm tra mạng của văn phòng rồi sao lưu lại; dữ liệu trên máy chủ không bị thay đổi.")
    return ServerBackupError(f"Chưa sao lưu được dữ liệu trên máy chủ: {said}")


def _encode(table: Table, row) -> dict:
    out = {}
    for column in table.columns:
        value = row[column.name]
        if isinstance(value, (datetime, date)):
            value = value.isoformat()
        elif isinstance(value, (bytes, bytearray, memoryview)):
            value = base64.b64encode(bytes(value)).decode("ascii")
        out[column.name] = value
    return out


def _decode(table: Table, data: dict) -> dict:
    out = {}
    for column in table.columns:
        value = data.get(column.name)
        if value is not None:
            kind = column.type
            if isinstance(kind, LargeBinary):
                value = base64.b64decode(value)
            else:
                try:
                    python_type = kind.python_type
                except NotImplementedError:
                    python_type = None
                if python_type is datetime:
                    value = datetime.fromisoformat(value)
                elif python_type is date:
                    value = date.fromisoformat(value)
        out[column.name] = value
    return out


def export_server(url: URL, target: Path) -> dict[str, int]:
    """Every table in one REPEATABLE READ, READ ONLY transaction, written to `target` (a zip); rows per table."""
    engine = make_engine(url)
    partial = Path(target).with_suffix(".tmp")
    counts: dict[str, int] = {}
    try:
        with engine.connect() as conn, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                conn.execute(text("SET TRANSACTION READ ONLY"))
                revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                for table in _tables():
                    n = 0
                    with zf.open(f"tables/{table.name}.jsonl", "w") as member:
                        result = conn.execution_options(yield_per=2000).execute(select(table)).mappings()
                        for row in result:
                            member.write(json.dumps(_encode(table, row), ensure_ascii=False).encode("utf-8"))
                            member.write(b"\n")
                            n += 1
                    counts[table.name] = n
            zf.writestr(MANIFEST, json.dumps({"format": EXPORT_FORMAT, "format_version": 1, "app_version": __version__,
                                              "schema_revision": revision, "counts": counts,
                                              "created_at": datetime.now().isoformat(timespec="seconds")},
                                             ensure_ascii=False, indent=1))
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        engine.dispose()
    return counts


@dataclass(frozen=True)
class ServerRestore:
    source: Path
    safety_backup: ServerBackup | None  # what the server held just before
    counts: dict[str, int] = field(default_factory=dict)


def restore_server(url: URL, source: Path, backup_folder: Path | None = None) -> ServerRestore:
    """Replace the server database's data by a backup (.pgdump or .ntmexport), in one transaction.

    What the server holds is backed up into `backup_folder` first (when it holds anything)."""
    source = Path(source)
    if not source.is_file():
        raise ServerBackupError(f"Không tìm thấy tệp “{source}”.")
    with source.open("rb") as fh:
        head = fh.read(len(DUMP_MAGIC))
    if head != DUMP_MAGIC and not zipfile.is_zipfile(source):
        raise ServerBackupError(f"Tệp “{source.name}” không phải bản sao lưu máy chủ của NTM Desktop (.pgdump hoặc "
                                ".ntmexport). Dữ liệu trên máy chủ không bị thay đổi.")
    manifest = _read_export_manifest(source) if head != DUMP_MAGIC else None
    found = probe(url)
    refuse_unusable(found)
    safety = None
    if backup_folder is not None and found.state is not ServerState.EMPTY:
        safety = backup_server(url, backup_folder, kind=BackupKind.BEFORE_RESTORE)
    if head == DUMP_MAGIC:
        _pg_restore(url, source)
        return ServerRestore(source, safety)
    counts = _import_export(url, source, manifest)
    return ServerRestore(source, safety, counts)


def _pg_restore(url: URL, source: Path) -> None:
    tool = shutil.which("pg_restore")
    if not tool:
        raise ServerBackupError("Không tìm thấy pg_restore trên máy này nên chưa khôi phục được bản “.pgdump”. Hãy cài "
                                "công cụ PostgreSQL (pg_restore) hoặc khôi phục từ máy chủ; dữ liệu không bị thay đổi.")
    args, env = _libpq(url)
    done = subprocess.run([tool, "--clean", "--if-exists", "--single-transaction", "--exit-on-error", "--no-owner",
                           "--no-privileges", *args, str(source)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        raise ServerBackupError(f"pg_restore không khôi phục được “{source.name}” ({last}). Mọi thay đổi đã được hủy: "
                                "dữ liệu trên máy chủ vẫn như trước.")


def _read_export_manifest(source: Path, any_revision: bool = False) -> dict:
    from alembic.script import ScriptDirectory

    from ntm_desktop.db import _alembic_config

    try:
        with zipfile.ZipFile(source) as zf:
            data = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as error:
        raise ServerBackupError(f"Tệp “{source.name}” không phải bản sao lưu máy chủ của NTM Desktop (hoặc đã hỏng). "
                                "Dữ liệu trên máy chủ không bị thay đổi.") from error
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ServerBackupError(f"Tệp “{source.name}” không phải bản sao lưu máy chủ của NTM Desktop. Dữ liệu trên máy "
                                "chủ không bị thay đổi.")
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if not any_revision and data.get("schema_revision") != head:
        raise ServerBackupError(f"Bản sao lưu “{source.name}” là của phiên bản NTM Desktop khác (cấu trúc "
                                f"{data.get('schema_revision')}, phiên bản này {head}). Hãy khôi phục bằng đúng phiên "
                                "bản đã tạo ra nó; dữ liệu trên máy chủ không bị thay đổi.")
    return data


def _rows(zf: zipfile.ZipFile, table: Table):
    with zf.open(f"tables/{table.name}.jsonl") as member:
        for line in member:
            if line.strip():
                yield _decode(table, json.loads(line))


def _import_export(url: URL, source: Path, manifest: dict) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            lock_setup(conn)
            if schema_probe(conn, url).state is not ServerState.CURRENT:
                upgrade(conn)
            return load_export(conn, source, manifest)
    finally:
        engine.dispose()


def load_export(conn: Connection, source: Path, manifest: dict | None = None) -> dict[str, int]:
    """Replace every row `conn`'s database holds by the export's, inside `conn`'s transaction: the server's, or a
    SQLite file at this version's schema (the local copy read when the server cannot be reached). Rows per table;
    ServerBackupError when a count differs from the export's manifest (the caller's transaction is then undone)."""
    manifest = _read_export_manifest(source) if manifest is None else manifest
    counts = {}
    postgres = conn.dialect.name == "postgresql"
    with zipfile.ZipFile(source) as zf:
        tables = _tables()
        for table in reversed(tables):
            conn.execute(table.delete())
        for table in tables:
            copy_rows(conn, table, _rows(zf, table))
            if postgres:
                restart_sequences(conn, table)
            counts[table.name] = count_rows(conn, table)
    _check_counts(counts, manifest.get("counts", {}), source)
    return counts


def _check_counts(counts: dict[str, int], expected: dict, source: Path) -> None:
    for name, n in expected.items():
        if counts.get(name) != n:
            raise ServerBackupError(f"Khôi phục “{source.name}”: bảng {name} có {counts.get(name)} dòng thay vì {n} "
                                    "như bản sao lưu ghi. Mọi thay đổi đã được hủy: dữ liệu trên máy chủ vẫn như trước.")


def count_server(conn: Connection) -> dict[str, int]:
    return {t.name: count_rows(conn, t) for t in _tables()}


@dataclass(frozen=True)
class ServerBackupInfo:
    """A server backup in a backup folder, as the backup dialog lists it."""

    path: Path
    created_at: datetime
    method: str  # "pg_dump" or "export"
    size: int
    counts: dict[str, int] = field(default_factory=dict)  # the export's manifest; pg_dump's files say nothing
    kind: BackupKind | None = None  # from the file's name; None: a backup made before names carried it

    def kind_label(self) -> str:
        """Why it was made, as the file's backups say it; an older file without its kind: "Máy chủ (…)"."""
        if self.kind is not None:
            return KIND_LABELS.get(self.kind, self.kind.value)
        return "Máy chủ (pg_dump)" if self.method == "pg_dump" else "Máy chủ (bản xuất)"

    def method_label(self) -> str:
        return "pg_dump" if self.method == "pg_dump" else "bản xuất riêng"

    def counts_text(self) -> str:
        if not self.counts:
            return "—"
        from ntm_desktop.backup.manifest import COUNTED_TABLES

        return ", ".join(f"{self.counts.get(t, 0)} {label}" for t, label in COUNTED_TABLES.items())


_STAMP_IN_NAME = re.compile(r"^ntm-may-chu-(\d{4}-\d{2}-\d{2}_\d{6})")
_KIND_IN_NAME = re.compile(r"^ntm-may-chu-\d{4}-\d{2}-\d{2}_\d{6}-(" + "|".join(
    re.escape(k.value) for k in sorted(BackupKind, key=lambda k: -len(k.value))) + r")(?:-\d+)?\.[a-z]+$")


def _kind(path: Path) -> BackupKind | None:
    found = _KIND_IN_NAME.match(path.name)
    return BackupKind(found.group(1)) if found else None


def _created_at(path: Path) -> datetime:
    found = _STAMP_IN_NAME.match(path.name)
    if found:
        try:
            return datetime.strptime(found.group(1), "%Y-%m-%d_%H%M%S")
        except ValueError:
            pass
    return datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)


def list_server_backups(folder: Path) -> list[ServerBackupInfo]:
    """The server backups (.pgdump, .ntmexport) in `folder`, newest first; files that are not one are left out."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for path in [*folder.glob(f"*{DUMP_SUFFIX}"), *folder.glob(f"*{EXPORT_SUFFIX}")]:
        try:
            with path.open("rb") as fh:
                head = fh.read(len(DUMP_MAGIC))
            if head == DUMP_MAGIC:
                found.append(ServerBackupInfo(path, _created_at(path), "pg_dump", path.stat().st_size,
                                              kind=_kind(path)))
                continue
            manifest = _read_export_manifest(path, any_revision=True)
            counts = manifest.get("counts") if isinstance(manifest.get("counts"), dict) else {}
            found.append(ServerBackupInfo(path, _created_at(path), "export", path.stat().st_size,
                                          {k: v for k, v in counts.items() if isinstance(v, int)}, _kind(path)))
        except (OSError, UserError):
            continue
    return sorted(found, key=lambda b: (b.created_at, b.path.name), reverse=True)


def server_backup_due(folder: Path, now: datetime | None = None) -> bool:
    """No server backup in `folder` (this PC's backups) was made today: the day's automatic one is due."""
    today = (now or datetime.now()).date()
    return not any(b.created_at.date() == today for b in list_server_backups(folder))


def prune_server_backups(folder: Path, now: datetime | None = None) -> list[Path]:
    """The retention rule of the file's backups (backup.retention, and every one of the last 24 hours) applied to
    the server backups in `folder`, of every kind together as for the file's (a backup before an import is the
    day's backup as much as the automatic one); returns the files deleted. Other files are left alone."""
    from ntm_desktop.backup.retention import delete_unkept

    return delete_unkept(list_server_backups(folder), now)[1]
