"""Opening the local SQLite database: checks, pragmas, backup, migrations."""

from __future__ import annotations

import sqlite3
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic import command
from sqlalchemy import create_engine, event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from ntm_desktop.changes import ChangeWatch
from ntm_desktop.paths import DB_FILE_NAME  # noqa: F401 - also known here
from ntm_desktop.errors import (
    DatabaseError,
    DatabaseLockedError,
    DiskFullError,
    NewerDatabaseError,
    NotADatabaseError,
)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
MIGRATIONS = Path(__file__).parent / "migrations"


class ReadOnlyDatabaseError(DatabaseError):
    """The database or its folder cannot be written."""


class UpgradeNeededError(DatabaseError):
    """Opened read-only, the database is older than this app and cannot be upgraded."""


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def _set_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _set_read_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _set_pragmas)
    return engine


def _file_uri(path: Path, query: str) -> str:
    text = Path(path).resolve().as_posix()
    if sys.platform == "win32" and not text.startswith("/"):
        text = "/" + text  # file:/C:/... (SQLite drops the slash before a drive letter)
    return f"file:{quote(text, safe='/:')}?{query}"


def _read_only_uri(path: Path) -> str:
    """`mode=ro`, or `immutable=1` when SQLite cannot make the WAL index (-shm) in a folder it may not write."""
    uri = _file_uri(path, "mode=ro")
    try:
        con = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return uri
        finally:
            con.close()
    except sqlite3.OperationalError as error:
        text = str(error).lower()
        if "unable to open" not in text and "readonly" not in text:
            raise
    return _file_uri(path, "immutable=1")


def make_read_only_engine(path: Path) -> Engine:
    """An engine that can only read: nothing is created or changed beside the database file."""
    uri = _read_only_uri(path)
    engine = create_engine(  # the URL names the file; the connections come from the read-only URI
        f"sqlite:///{path}", creator=lambda: sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                                             check_same_thread=False)
    )
    event.listen(engine, "connect", _set_read_pragmas)
    return engine


def backup_to(engine_or_path, target: Path) -> Path:
    """Copy a live database with the SQLite backup API (consistent even with WAL)."""
    source_path = engine_or_path if isinstance(engine_or_path, Path) else Path(engine_or_path.url.database)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".tmp")
    src = sqlite3.connect(source_path)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(target)
    return target


def translate_error(error: Exception) -> DatabaseError | None:
    """Turn an SQLite failure into a message the user can act on."""
    text = str(getattr(error, "orig", error)).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLockedError(
            "Cơ sở dữ liệu đang bị một chương trình khác khóa (có thể NTM Desktop đang mở ở "
            "cửa sổ khác, hoặc phần mềm sao lưu đang chép tệp). Hãy đóng chương trình đó rồi thử lại; "
            "dữ liệu chưa bị thay đổi."
        )
    if "disk is full" in text or "disk i/o" in text:
        return DiskFullError(
            "Ổ đĩa đã đầy hoặc không ghi được, nên thay đổi chưa được lưu (dữ liệu cũ vẫn nguyên vẹn). "
            "Hãy giải phóng dung lượng ổ đĩa rồi lưu lại."
        )
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDatabaseError(
            "Không ghi được vào cơ sở dữ liệu: tệp hoặc thư mục dữ liệu chỉ cho đọc (hoặc tài khoản này không có "
            "quyền ghi), nên thay đổi chưa được lưu; dữ liệu cũ vẫn nguyên vẹn. Hãy bỏ thuộc tính “Chỉ đọc” "
            "của thư mục dữ liệu hoặc cấp quyền ghi rồi thử lại."
        )
    if "not a database" in text or "malformed" in text:
        return NotADatabaseError(
            "Tệp dữ liệu bị hỏng hoặc không phải cơ sở dữ liệu của NTM Desktop. "
            "Hãy khôi phục từ bản sao lưu gần nhất."
        )
    return None


@dataclass
class Database:
    """An open data folder's database: the engine, a session factory, and what commits wrote (changes)."""

    path: Path
    engine: Engine
    sessions: sessionmaker
    watch: ChangeWatch | None = None

    @contextmanager
    def transaction(self, user: str = "", actor=None) -> Iterator[Session]:
        """One session per user action; commits on success, rolls back on any error.

        `actor` (services.access.Actor): who acts in this transaction, else whoever signed in on this
        database (access.sign_in). The audit rows name the actor's user name, else `user`."""
        try:
            with self.sessions.begin() as session:
                if actor is not None:
                    session.info["actor"] = actor
                session.info["user"] = getattr(session.info.get("actor"), "user_name", "") or user
                yield session
        except exc.OperationalError as error:
            friendly = translate_error(error)
            if friendly:
                raise friendly from error
            raise
        except StaleDataError as error:  # a record saved on another PC in the same instant (models.base.Revised)
            from ntm_desktop.services.concurrency import stale_message

            raise stale_message(error) from error

    def dispose(self) -> None:
        self.engine.dispose()


def _check_file(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotADatabaseError(
            f"Tệp “{path}” không phải là cơ sở dữ liệu của NTM Desktop (có thể tệp bị hỏng hoặc "
            "bị ghi đè). Hãy chọn thư mục dữ liệu khác hoặc khôi phục từ bản sao lưu."
        )


def _check_writable(engine: Engine) -> None:
    """Fail now, with a clear message, if another program holds a lock on the file."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            conn.exec_driver_sql("ROLLBACK")
    except exc.OperationalError as error:
        raise (translate_error(error) or DatabaseError(str(error))) from error
    except exc.DatabaseError as error:
        raise (translate_error(error) or DatabaseError(str(error))) from error


def _schema_state(engine: Engine) -> tuple[str | None, str, bool]:
    """(current revision, head revision, has tables); NewerDatabaseError for a revision this app does not know."""
    script = ScriptDirectory.from_config(_alembic_config())
    head = script.get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        has_tables = bool(
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type='table'").scalar()
        )
    if current is not None and current != head:
        try:
            script.get_revision(current)
        except Exception:
            raise NewerDatabaseError(
                "Cơ sở dữ liệu này được tạo bởi một phiên bản NTM Desktop mới hơn phiên bản đang "
                "chạy. Hãy cập nhật NTM Desktop lên phiên bản mới nhất rồi mở lại; dữ liệu không bị "
                "thay đổi."
            ) from None
    return current, head, has_tables


def migrate(engine: Engine, backup_dir: Path | None) -> str | None:
    """Bring the schema to the newest version; back up first if data exists. Returns the backup path."""
    current, head, has_tables = _schema_state(engine)
    if current == head:
        return None
    backup_path = None
    if has_tables and backup_dir is not None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup_path = str(backup_to(engine, backup_dir / f"truoc-nang-cap-{stamp}.sqlite3"))
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return backup_path


def _check_readable(engine: Engine) -> None:
    """The schema must be this app's newest: a read-only database cannot be upgraded."""
    try:
        current, head, _ = _schema_state(engine)
    except exc.DBAPIError as error:
        raise (translate_error(error) or DatabaseError(str(error.orig))) from error
    if current != head:
        raise UpgradeNeededError(
            "Cơ sở dữ liệu này cần được nâng cấp lên phiên bản mới của NTM Desktop, mà việc nâng cấp phải ghi vào "
            "thư mục dữ liệu, nên không mở được khi chỉ đọc. Hãy mở phần mềm một lần trên thư mục có quyền ghi "
            "(phần mềm tự sao lưu rồi nâng cấp), sau đó thử lại."
        )


def open_database(path: Path, backup_dir: Path | None = None, readonly: bool = False) -> Database:
    """Open (creating if needed) and migrate the database at `path`.

    `readonly=True` opens an existing database without writing anything: no migration, no backup, no
    journal files created (UpgradeNeededError when the schema is older than this app's).
    """
    path = Path(path)
    if readonly:
        if not path.is_file():
            raise DatabaseError(f"Chưa có cơ sở dữ liệu “{path.name}” trong thư mục “{path.parent}”.")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    _check_file(path)
    engine = make_read_only_engine(path) if readonly else make_engine(path)
    try:
        if readonly:
            _check_readable(engine)
        else:
            _check_writable(engine)
            migrate(engine, backup_dir)
    except Exception:
        engine.dispose()
        raise
    from ntm_desktop.services import revisions  # registers the versioning/audit hook

    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    revisions.install(sessions)
    return Database(path=path, engine=engine, sessions=sessions, watch=ChangeWatch(engine))
