"""Commits made by other connections (another PC on the office's server, another process on the file), told to
this database's own change listeners (changes.ChangeWatch.tell), so that an open page refreshes its rows.

`watch_other_connections(db)` gives a watcher whose `poll()` never waits: a timer calls it every second or so.

- SQLite: `PRAGMA data_version`, read on a connection of the watcher's own, changes when any other connection
  has committed; reading it touches no table. When it has changed, the audit rows written since name the
  tables (every save writes them, whichever path made it: a form, a package, the command line); the rows this
  database's own sessions wrote are skipped (their ids are noted as the sessions flush them), as its own commits
  are told already.
- PostgreSQL: LISTEN/NOTIFY. Each commit that wrote tables sends a notice on `CHANNEL` naming them and the
  engine that wrote them, inside its transaction (so it is delivered only if the transaction commits, in commit
  order); the watcher LISTENs on a dedicated connection and reads what has arrived without waiting (psycopg's
  `notifies(timeout=0)`). Chosen over polling a change counter: no query per PC per second on the server, the
  tables are exactly the ones written (not only the audited ones), and ids from a sequence are committed out of
  order, which a poll of "rows after the last id seen" would miss. A lost connection is made again in the
  background; what changed meanwhile is unknown, so every table is told once it is back.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import uuid
import weakref
from typing import Protocol

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

from ntm_desktop.changes import written_table

log = logging.getLogger(__name__)

CHANNEL = "ntm_changes"
_WRITTEN = "ntm_announced_tables"  # in a connection's info: tables the open transaction wrote
_FLUSHED = "ntm_flushed_audit_ids"  # in a session's info: audit rows it wrote in its open transaction
RECONNECT_EVERY_S = 10.0
_TOKENS: "weakref.WeakKeyDictionary[Engine, str]" = weakref.WeakKeyDictionary()


class Watcher(Protocol):
    def poll(self) -> frozenset[str]: ...

    def close(self) -> None: ...


def all_tables() -> frozenset[str]:
    from ntm_desktop.models import Base

    return frozenset(Base.metadata.tables)


# --- PostgreSQL: the sending side, on every engine that writes ------------------------------------------------
def announce_commits(engine: Engine) -> str:
    """Make every commit on `engine` that wrote tables send a notice naming them (once per engine); returns the
    engine's token, which the notices carry so that its own watcher skips them."""
    token = _TOKENS.get(engine)
    if token is not None:
        return token
    token = _TOKENS[engine] = uuid.uuid4().hex

    def before_execute(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        table = written_table(statement)
        if table is not None:
            conn.info.setdefault(_WRITTEN, set()).add(table)

    def commit(conn) -> None:  # called just before the transaction commits: the notice goes with it
        tables = conn.info.pop(_WRITTEN, None)
        if not tables:
            return
        payload = json.dumps({"by": token, "tables": sorted(tables)}, separators=(",", ":"))
        cursor = conn.connection.dbapi_connection.cursor()  # beside SQLAlchemy: no statement events again
        try:
            cursor.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
        finally:
            cursor.close()

    def rollback(conn) -> None:
        if not conn.invalidated:  # a lost connection's info went with it (asking would try to reconnect)
            conn.info.pop(_WRITTEN, None)

    event.listen(engine, "before_cursor_execute", before_execute)
    event.listen(engine, "commit", commit)
    event.listen(engine, "rollback", rollback)
    return token


class ServerNotices:
    """The receiving side on PostgreSQL: a LISTEN connection of its own, read without waiting."""

    def __init__(self, db):
        import psycopg

        self._psycopg = psycopg
        self._db = db
        self._token = announce_commits(db.engine)
        self._conninfo = make_url(db.engine.url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._lock = threading.Lock()
        self._conn = None
        self._reconnecting = False
        self._missed = False
        self._closed = False
        self._conn = self._connect()

    def _connect(self):
        conn = self._psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5)
        conn.execute(f"LISTEN {CHANNEL}")
        return conn

    def poll(self) -> frozenset[str]:
        with self._lock:
            conn, missed = self._conn, self._missed
            self._missed = False
        tables: set[str] = set(all_tables()) if missed else set()
        if conn is None:
            self._reconnect_later()
        else:
            try:
                for notice in conn.notifies(timeout=0):
                    tables |= self._tables_of(notice.payload)
            except self._psycopg.Error:
                log.warning("the connection that listens for other PCs' changes was lost; connecting again")
                self._lost(conn)
        found = frozenset(tables)
        if found:
            self._db.watch.tell(found)
        return found

    def _tables_of(self, payload: str) -> set[str]:
        try:
            notice = json.loads(payload)
            if notice.get("by") == self._token:
                return set()  # this engine's own commit: told already by ChangeWatch
            return {t for t in notice.get("tables", []) if isinstance(t, str)}
        except (ValueError, AttributeError):
            return set(all_tables())  # a notice of another version: read everything again

    def _lost(self, conn) -> None:
        with self._lock:
            if self._conn is conn:
                self._conn = None
        try:
            conn.close()
        except self._psycopg.Error:
            pass
        self._reconnect_later()

    def _reconnect_later(self) -> None:
        with self._lock:
            if self._reconnecting or self._closed:
                return
            self._reconnecting = True
        threading.Thread(target=self._reconnect, name="ntm-listen-reconnect", daemon=True).start()

    def _reconnect(self) -> None:
        while True:
            time.sleep(RECONNECT_EVERY_S)
            with self._lock:
                if self._closed:
                    self._reconnecting = False
                    return
            try:
                conn = self._connect()
            except self._psycopg.Error:
                continue
            with self._lock:
                self._reconnecting = False
                if self._closed:
                    conn.close()
                    return
                self._conn, self._missed = conn, True  # what changed while away is not known: all of it
            return

    def close(self) -> None:
        with self._lock:
            self._closed = True
            conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()


# --- SQLite: data_version, then the audit rows ---------------------------------------------------------------
class FileCommits:
    """The watcher on a SQLite file: `PRAGMA data_version` on its own connection, then the audit rows since."""

    def __init__(self, db):
        from ntm_desktop.models import AuditEntry

        self._db = db
        self._audit = AuditEntry
        self._own: set[int] = set()
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(db.engine.url.database), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA busy_timeout=1000")
        self._version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        self._mark = self._conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
        event.listen(db.sessions, "after_flush", self._flushed)
        event.listen(db.sessions, "after_commit", self._ended)
        event.listen(db.sessions, "after_rollback", self._rolled_back)

    # this database's own audit rows, noted as its sessions write them
    def _flushed(self, session, _context) -> None:
        ids = [o.id for o in session.new if isinstance(o, self._audit) and o.id is not None]
        if ids:
            session.info.setdefault(_FLUSHED, []).extend(ids)
            with self._lock:
                self._own.update(ids)

    def _ended(self, session) -> None:
        session.info.pop(_FLUSHED, None)  # committed: the poll meets them and forgets them

    def _rolled_back(self, session) -> None:
        ids = session.info.pop(_FLUSHED, None)
        if ids:  # never written: SQLite may give their ids to the next rows, written by anyone
            with self._lock:
                self._own.difference_update(ids)

    def poll(self) -> frozenset[str]:
        with self._lock:
            conn = self._conn
        if conn is None:
            return frozenset()
        try:
            version = conn.execute("PRAGMA data_version").fetchone()[0]
            if version == self._version:
                return frozenset()
            self._version = version
            rows = conn.execute("SELECT id, entity FROM audit_log WHERE id > ? ORDER BY id", (self._mark,)).fetchall()
        except sqlite3.Error as error:  # busy past the timeout, or the file replaced by a restore: next time
            log.info("reading other connections' changes failed: %s", error)
            return frozenset()
        tables = set()
        with self._lock:
            for row_id, entity in rows:
                if row_id in self._own:
                    self._own.discard(row_id)
                else:
                    tables.add(entity)
        if rows:
            self._mark = rows[-1][0]
        found = frozenset(tables)
        if found:
            self._db.watch.tell(found)
        return found

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is None:
            return
        for name, listener in (("after_flush", self._flushed), ("after_commit", self._ended),
                               ("after_rollback", self._rolled_back)):
            if event.contains(self._db.sessions, name, listener):
                event.remove(self._db.sessions, name, listener)
        conn.close()


def watch_other_connections(db) -> Watcher:
    """The watcher for this database's kind; its `poll()` tells `db.watch`'s listeners what others committed."""
    if db.engine.dialect.name == "postgresql":
        return ServerNotices(db)
    return FileCommits(db)
