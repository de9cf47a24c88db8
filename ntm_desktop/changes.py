"""What each committed transaction wrote, told to whoever listens; and holding writes back for a while.

One listener on the engine sees every statement SQLAlchemy sends, ORM flushes and Core bulk inserts
alike: a write names its table, and when the transaction commits the tables it wrote are told to the
listeners, once per transaction (a rollback forgets them). Screens that show shared data (the unit tree,
the criteria catalogue) reload it from that one notification instead of each reading it again.

While writes are held (the start-up check of the database is still running), a write statement is
refused before it reaches SQLite with a Vietnamese message, and the transaction rolls back whole.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Callable

from sqlalchemy import event
from sqlalchemy.engine import Engine

from ntm_desktop.errors import UserError

log = logging.getLogger(__name__)

_WRITE = re.compile(
    r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+[\"`\[]?(\w+)",
    re.IGNORECASE,
)
_WRITTEN = "ntm_written_tables"  # in the connection's info: written by the open transaction
_COMMITTED = "ntm_committed_tables"  # committed, told when the connection goes back to the pool
CHECKING_MESSAGE = ("Phần mềm đang kiểm tra dữ liệu, thử lại sau giây lát. Thay đổi này chưa được lưu; "
                    "việc kiểm tra thường xong trong vài giây.")

Listener = Callable[[frozenset[str]], None]


class WritesHeldError(UserError):
    """A write was tried while writes are held; nothing was written."""


def written_table(statement: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE writes; None for anything else."""
    match = _WRITE.match(statement)
    return match.group(1).lower() if match else None


class ChangeWatch:
    """Installed once per engine (open_database does it)."""

    def __init__(self, engine: Engine):
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._held: str | None = None
        event.listen(engine, "before_cursor_execute", self._before_execute)
        event.listen(engine, "commit", self._committed)
        event.listen(engine, "rollback", self._rolled_back)
        event.listen(engine.pool, "checkin", self._checked_in)
        if engine.dialect.name == "postgresql":  # other PCs on the server hear of each commit too
            from ntm_desktop.remote_changes import announce_commits

            announce_commits(engine)

    # --- holding writes ---------------------------------------------------------------------------------
    def hold_writes(self, message: str = CHECKING_MESSAGE) -> None:
        self._held = message

    def release_writes(self) -> None:
        self._held = None

    @property
    def writes_held(self) -> bool:
        return self._held is not None

    # --- listening --------------------------------------------------------------------------------------
    def listen(self, listener: Listener) -> None:
        """`listener(tables)` is called after each commit that wrote `tables`, in the committing thread."""
        with self._lock:
            self._listeners.append(listener)

    def forget(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _before_execute(self, conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        table = written_table(statement)
        if table is None:
            return
        held = self._held
        if held is not None:
            raise WritesHeldError(held)
        conn.info.setdefault(_WRITTEN, set()).add(table)

    def _committed(self, conn) -> None:
        # SQLAlchemy calls this just before SQLite commits: the listeners are told once the connection is
        # back in the pool, when a reader on another connection sees what was written.
        tables = conn.info.pop(_WRITTEN, None)
        if tables:
            conn.info.setdefault(_COMMITTED, set()).update(tables)

    def _rolled_back(self, conn) -> None:
        if conn.invalidated:  # the connection was lost (the server's answer is what the caller must see); its
            return  # info went with it, and asking for it would try to reconnect inside the failed transaction
        conn.info.pop(_WRITTEN, None)

    def _checked_in(self, _dbapi_connection, record) -> None:
        if record is None:
            return
        record.info.pop(_WRITTEN, None)  # not committed: rolled back when the pool reset it
        tables = record.info.pop(_COMMITTED, None)
        if tables:
            self.tell(frozenset(tables))

    def tell(self, tables: frozenset[str]) -> None:
        """Tell the listeners these tables changed (also for changes made outside the engine: a restore)."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(tables)
            except Exception:  # noqa: BLE001 - a screen's failure must not undo a committed save
                log.exception("change listener failed")
