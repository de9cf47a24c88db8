"""`ntm-desktop server init`: the schema on the office's server, by the same Alembic migrations as the SQLite file."""

from __future__ import annotations

from dataclasses import dataclass

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import URL, Connection

from ntm_desktop.server.probe import Probe, ServerError, ServerState, make_engine, probe, schema_probe

# One set-up at a time per database, whichever PC starts it (pg_advisory_xact_lock's key).
SETUP_LOCK = 0x4E544D  # "NTM"


def lock_setup(conn: Connection) -> None:
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SETUP_LOCK})


def upgrade(conn: Connection) -> None:
    """Run the migrations to the newest revision on this connection, inside its transaction."""
    from ntm_desktop.db import _alembic_config

    cfg = _alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def refuse_unusable(found: Probe) -> None:
    """A server that cannot be reached, or a database of another program or of a newer version: ServerError."""
    if not found.state.reached or found.state in (ServerState.NEWER, ServerState.OTHER):
        raise ServerError(found.message + (" Không có gì được thay đổi." if found.state.reached else ""), found)


@dataclass(frozen=True)
class InitResult:
    before: Probe
    after: Probe

    @property
    def changed(self) -> bool:
        return self.before.state is not ServerState.CURRENT


def init_server(url: URL) -> InitResult:
    """Create (or bring up to date) NTM Desktop's schema in the database at `url`, in one transaction.

    An empty database gets every table; an older version's is upgraded; this version's is left as it is.
    Refused (ServerError, nothing changed): unreachable, another program's tables, a newer version's data.
    """
    before = probe(url)
    refuse_unusable(before)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            lock_setup(conn)
            now = schema_probe(conn, url)  # as it is once the lock is held (another PC may have just set it up)
            refuse_unusable(now)
            if now.state is not ServerState.CURRENT:
                upgrade(conn)
        with engine.connect() as conn:
            after = schema_probe(conn, url)
    finally:
        engine.dispose()
    return InitResult(before, after)
