"""Opening the database: the local SQLite file of the data folder (checks, pragmas, backup, migrations), or the
office's PostgreSQL server named by a URL in SQLAlchemy's form (`postgresql+psycopg://user@host:5432/ntm`).

`make_engine` is the one engine factory; `open_database(path_or_url)` opens either and brings the schema to this
app's version.
"""

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
from sqlalchemy import create_engine, event, exc, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from ntm_desktop import db_errors
from ntm_desktop.changes import ChangeWatch
from ntm_desktop.paths import DB_FILE_NAME  # noqa: F401 - also known here
from ntm_desktop.db_errors import ForeignDatabaseError, ReadOnlyDatabaseError, UpgradeNeededError  # noqa: F401
from ntm_desktop.errors import (  # noqa: F401 - also known here
    DatabaseError,
    DatabaseLockedError,
    DiskFullError,
    NewerDatabaseError,
    NotADatabaseError,
)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
MIGRATIONS = Path(__file__).parent / "migrations"

SERVER_DRIVER = "postgresql+psycopg"
CONNECT_TIMEOUT_S = 5  # an unreachable server is reported within seconds, not after the system's minutes
STATEMENT_TIMEOUT_MS = 120_000  # a statement stuck on the server (a lock held by a PC that hangs) is given up
SETUP_LOCK = 0x4E544D  # pg_advisory_xact_lock's key: one PC at a time brings the server's schema up to date


def is_server_url(target) -> bool:
    """True for a URL naming a PostgreSQL server (a URL object, or text with "://"); False for a file path."""
    if isinstance(target, URL):
        return target.get_backend_name() == "postgresql"
    if isinstance(target, str) and "://" in target:
        return make_url(target).get_backend_name() == "postgresql"
    return False


def server_url(target: str | URL) -> URL:
    """The URL with psycopg (version 3) as the driver, whichever `postgresql…://` was written."""
    url = target if isinstance(target, URL) else make_url(target)
    return url.set(drivername=SERVER_DRIVER)


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


def make_engine(target: Path | str | URL, readonly: bool = False) -> Engine:
    """The engine for a database: a SQLite file (a path) or the office's PostgreSQL server (a URL).

    On the server: connections checked before use (a server restarted overnight is reconnected to), a connect
    timeout, a statement timeout, the session's time zone UTC (timestamps are stored in UTC on both), and with
    `readonly` every transaction read-only.
    """
    if is_server_url(target):
        return _make_server_engine(server_url(target), readonly)
    if readonly:
        return make_read_only_engine(Path(target))
    engine = create_engine(f"sqlite:///{target}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _set_pragmas)
    return engine


def _make_server_engine(url: URL, readonly: bool) -> Engine:
    # jit off: the register's searches are planned above jit_above_cost, and compiling them took 20-25 ms of
    # queries that run in 30-60 ms; nothing the app asks runs long enough to gain from it
    options = f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c TimeZone=UTC -c jit=off"
    if readonly:
        options += " -c default_transaction_read_only=on"
    return create_engine(
        url, pool_pre_ping=True, pool_size=5, max_overflow=5, pool_recycle=3600,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "options": options, "application_name": "NTM Desktop"},
    )


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
    """Copy a live SQLite database with the SQLite backup API (consistent even with WAL)."""
    source_path = engine_or_path if isinstance(engine_or_path, Path) else Path(engine_or_path.url.database)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".tmp")
    copy_sqlite(source_path, tmp)
    tmp.replace(target)
    return target


def copy_sqlite(source: Path | str, target: Path, uri: bool = False) -> None:
    """Copy one SQLite database into another with the backup API (consistent even with WAL; `target` may be
    live). `uri`: `source` is a `file:` URI (a read-only one leaves the source's folder untouched)."""
    src = sqlite3.connect(source, uri=uri)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def translate_error(error: Exception, url: URL | None = None) -> DatabaseError | None:
    """Turn a failure of the SQLite file or of the office's server into a message the user can act on."""
    return db_errors.translate_error(error, url)


@dataclass
class Database:
    """An open database: the engine, a session factory, and what commits wrote (changes).

    `path`: the SQLite file, None on the office's server (`url` names it then)."""

    path: Path | None
    engine: Engine
    sessions: sessionmaker
    watch: ChangeWatch | None = None

    @property
    def is_server(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def url(self) -> URL:
        return self.engine.url

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
        except exc.DBAPIError as error:  # the file locked or full; the server gone, timed out, read-only...
            friendly = translate_error(error, self.url if self.is_server else None)
            if friendly:
                raise friendly from error
            raise
        except StaleDataError as error:  # a record saved on another PC in the same instant (models.base.Revised)
            from ntm_desktop.services.concurrency import stale_message

            raise stale_message(error) from error

    def refresh_statistics(self) -> None:
        """What SQLite's query planner knows of the tables and their indexes, brought up to date.

        SQLite keeps no statistics until ANALYZE makes them; without them it guesses how many rows an index
        step yields, and on a province's file some lists then sort every open task for one page (the tasks
        without a deadline: 0.3 s instead of 0.02 s). The whole file is measured: 0.5 s at national scale
        (100,000 directives, 300,000 tasks), a few milliseconds for a district's; statistics from a sample
        (`analysis_limit`) took 15 ms but misled the plan of another list (the tasks done this week: 0.19 s
        instead of 0.01 s). A save meanwhile waits for it (`BUSY_TIMEOUT_MS`). Nothing to do on the server
        (its autovacuum analyzes)."""
        if self.is_server:
            return
        with self.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()

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


def _schema_state(engine: Engine, conn=None) -> tuple[str | None, str, bool]:
    """(current revision, head revision, has tables); NewerDatabaseError for a revision this app does not know."""
    script = ScriptDirectory.from_config(_alembic_config())
    head = script.get_current_head()
    if conn is None:
        with engine.connect() as own:
            return _schema_state(engine, own)
    current = MigrationContext.configure(conn).get_current_revision()
    has_tables = bool(inspect(conn).get_table_names())
    if current is not None and current != head:
        try:
            script.get_revision(current)
        except Exception:
            raise db_errors.newer_database(engine.dialect.name != "sqlite") from None
    if current is None and has_tables and engine.dialect.name != "sqlite":
        raise ForeignDatabaseError(
            f"Cơ sở dữ liệu “{engine.url.database}” trên máy chủ đang chứa bảng của một chương trình khác (không phải "
            "NTM Desktop), nên không dùng được để khỏi ghi lẫn; không có gì bị thay đổi. Hãy chọn hoặc tạo một cơ sở "
            "dữ liệu trống cho NTM Desktop."
        )
    return current, head, has_tables


def _upgrade(conn) -> None:
    cfg = _alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def migrate(engine: Engine, backup_dir: Path | None) -> str | None:
    """Bring the schema to the newest version; back up first if data exists. Returns the backup path.

    On the server the whole upgrade is one transaction (PostgreSQL's DDL is transactional: a failure leaves the
    schema as it was), taken by one PC at a time; the server's own backups are made apart (server backup)."""
    current, head, has_tables = _schema_state(engine)
    if current == head:
        return None
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SETUP_LOCK})
            current, head, _ = _schema_state(engine, conn)  # another PC may have upgraded it meanwhile
            if current != head:
                _upgrade(conn)
        return None
    backup_path = None
    if has_tables and backup_dir is not None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup_path = str(backup_to(engine, backup_dir / f"truoc-nang-cap-{stamp}.sqlite3"))
    with engine.begin() as conn:
        _upgrade(conn)
    return backup_path


def _check_readable(engine: Engine) -> None:
    """The schema must be this app's newest: a read-only database cannot be upgraded."""
    try:
        current, head, _ = _schema_state(engine)
    except exc.DBAPIError as error:
        raise (translate_error(error, engine.url) or DatabaseError(str(error.orig))) from error
    if current != head and engine.dialect.name != "sqlite":
        raise UpgradeNeededError(
            "Cơ sở dữ liệu trên máy chủ cần được nâng cấp lên phiên bản mới của NTM Desktop, mà lệnh này chỉ đọc. "
            "Hãy mở phần mềm một lần (hoặc chạy “ntm-desktop server init”) để nâng cấp, sau đó thử lại; dữ liệu "
            "chưa bị thay đổi."
        )
    if current != head:
        raise UpgradeNeededError(
            "Cơ sở dữ liệu này cần được nâng cấp lên phiên bản mới của NTM Desktop, mà việc nâng cấp phải ghi vào "
            "thư mục dữ liệu, nên không mở được khi chỉ đọc. Hãy mở phần mềm một lần trên thư mục có quyền ghi "
            "(phần mềm tự sao lưu rồi nâng cấp), sau đó thử lại."
        )


def _sessions_for(engine: Engine, path: Path | None) -> Database:
    from ntm_desktop.services import revisions  # registers the versioning/audit hook

    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    revisions.install(sessions)
    return Database(path=path, engine=engine, sessions=sessions, watch=ChangeWatch(engine))


def open_server_database(url: str | URL, readonly: bool = False) -> Database:
    """Open the office's PostgreSQL database at `url`, its schema created or upgraded as needed.

    A server that cannot be used is refused with a Vietnamese message (db_errors: ServerUnreachableError,
    ServerLoginError, NoSuchServerDatabaseError; NewerDatabaseError for a newer app's schema, ForeignDatabaseError
    for another program's tables). `readonly=True`: every transaction read-only, nothing upgraded."""
    url = server_url(url)
    engine = make_engine(url, readonly=readonly)
    try:
        try:
            if readonly:
                _check_readable(engine)
            else:
                migrate(engine, None)
        except exc.DBAPIError as error:
            raise (translate_error(error, url) or DatabaseError(str(error.orig))) from error
    except Exception:
        engine.dispose()
        raise
    return _sessions_for(engine, None)


def open_database(path: Path | str | URL, backup_dir: Path | None = None, readonly: bool = False) -> Database:
    """Open (creating if needed) and migrate the database at `path`: a SQLite file, or a server's URL
    (open_server_database).

    `readonly=True` opens an existing database without writing anything: no migration, no backup, no
    journal files created (UpgradeNeededError when the schema is older than this app's).
    """
    if is_server_url(path):
        return open_server_database(path, readonly=readonly)
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
    return _sessions_for(engine, path)
