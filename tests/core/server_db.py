"""Several PCs on one database, for the tests: two `Database` objects on one SQLite file, or on one PostgreSQL
database of the server `NTM_TEST_DATABASE_URL` names (a database of the tests' own is made there and dropped).
"""

from __future__ import annotations

import importlib.util
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import sessionmaker

from ntm_desktop.changes import ChangeWatch
from ntm_desktop.db import MIGRATIONS, Database, open_database

SERVER = os.environ.get("NTM_TEST_DATABASE_URL", "")
NO_SERVER = ("PostgreSQL run skipped: NTM_TEST_DATABASE_URL is not set (for example "
             "postgresql+psycopg://postgres@127.0.0.1:55432/postgres)")
KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not SERVER, reason=NO_SERVER))]


def _admin():
    return create_engine(make_url(SERVER), isolation_level="AUTOCOMMIT")


def new_server_database(prefix: str = "concur") -> URL:
    """An empty database on the test server, named `<prefix>_<random>`."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(SERVER).set(database=name)


def drop_server_database(url: URL) -> None:
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


def _unit_levels() -> list[tuple[str, str, int]]:
    spec = importlib.util.spec_from_file_location("initial_schema", MIGRATIONS / "versions" / "0001_initial_schema.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.UNIT_LEVELS


def create_server_schema(url: URL) -> None:
    """The schema on the server: the migrations when they run on PostgreSQL, else the models' tables and the
    rows the migrations write (unit levels)."""
    engine = create_engine(url)
    try:
        try:
            from ntm_desktop.server.schema import upgrade

            with engine.begin() as conn:
                upgrade(conn)
            return
        except Exception:  # noqa: BLE001 - the migrations do not run on PostgreSQL yet: the models' tables
            pass
        from ntm_desktop.models import Base

        Base.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO unit_levels (code, name, rank) VALUES (:c, :n, :r)"),
                         [dict(c=c, n=n, r=r) for c, n, r in _unit_levels()])
    finally:
        engine.dispose()


def open_server_pc(url: URL) -> Database:
    """One PC's connection to the server's database, as the app opens it."""
    from ntm_desktop.services import revisions

    engine = create_engine(url)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    revisions.install(sessions)
    return Database(path=Path(str(url.database)), engine=engine, sessions=sessions, watch=ChangeWatch(engine))


class Office:
    """Two PCs ("A" and "B") on one database of one kind."""

    def __init__(self, kind: str, tmp_path: Path):
        self.kind = kind
        self.url: URL | None = None
        if kind == "sqlite":
            path = tmp_path / "office" / "ntm.sqlite3"
            self.a = open_database(path)
            self.b = open_database(path)
        else:
            self.url = new_server_database()
            create_server_schema(self.url)
            self.a = open_server_pc(self.url)
            self.b = open_server_pc(self.url)
        self.opened = [self.a, self.b]

    def another_pc(self) -> Database:
        db = open_database(Path(self.a.engine.url.database)) if self.kind == "sqlite" else open_server_pc(self.url)
        self.opened.append(db)
        return db

    def close(self) -> None:
        for db in self.opened:
            db.dispose()
        if self.url is not None:
            drop_server_database(self.url)


@pytest.fixture(params=KINDS)
def office(request, tmp_path):
    """PCs A and B of one office on one database: SQLite, then PostgreSQL (skipped without a server)."""
    place = Office(request.param, tmp_path)
    yield place
    place.close()
