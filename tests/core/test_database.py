"""Opening the database: migration from empty, newer versions refused, foreign files, locks, pragmas."""

import sqlite3
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

import ntm_desktop.db as dbmod
from ntm_desktop.db import backup_to, migrate, open_database
from ntm_desktop.errors import DatabaseLockedError, NewerDatabaseError, NotADatabaseError
from ntm_desktop.models import Base, Directive
from ntm_desktop.services.directives import create_directive
from ntm_desktop.workspace import open_workspace

from core_factories import directive_input, make_directive, make_office


@pytest.mark.sqlite_only  # the SQLite file itself
def test_migration_from_an_empty_file_creates_the_schema(tmp_path):
    path = tmp_path / "ntm.sqlite3"
    path.touch()  # an empty file is a new database
    db = open_database(path)
    try:
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert "directive_fts" in tables and "alembic_version" in tables
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
            levels = conn.exec_driver_sql("SELECT count(*) FROM unit_levels").scalar()
        assert levels >= 9
    finally:
        db.dispose()


def test_migrations_match_the_models(db):
    """The 0001 migration and the models describe the same tables, columns and indexes."""
    def include_name(name, type_, _parents):
        # made by hand in the migrations, not by a model: the FTS5 index and its shadow tables on the SQLite file,
        # the register's word table on the office's server (0010)
        return not (type_ == "table" and (name.startswith("directive_fts") or name == "directive_words"))

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    if db.is_server:  # the foreign keys are DEFERRABLE there (0011), a package's rows checked at its commit
        diff = _without_deferrable_keys(diff)
    assert diff == []


def _without_deferrable_keys(diff: list) -> list:
    """The diff without foreign keys that differ only in being DEFERRABLE (a removal and an addition each)."""
    def key(fk):
        return (fk.parent.name, fk.name, tuple(c.name for c in fk.columns), fk.referred_table.name,
                tuple(e.column.name for e in fk.elements))

    removed = {key(d[1]) for d in diff if isinstance(d, tuple) and d[0] == "remove_fk"}
    added = {key(d[1]) for d in diff if isinstance(d, tuple) and d[0] == "add_fk"}
    return [d for d in diff if not (isinstance(d, tuple) and d[0] in ("remove_fk", "add_fk")
                                    and key(d[1]) in removed & added)]


@pytest.mark.sqlite_only  # the SQLite file itself
def test_reopening_does_not_migrate_or_back_up_again(tmp_path):
    ws = open_workspace(tmp_path / "data")
    with ws.db.transaction("a") as s:
        make_directive(s, make_office(s), date(2025, 3, 1), 1)
    ws.close()
    ws = open_workspace(tmp_path / "data")
    try:
        assert migrate(ws.db.engine, ws.folder.backups) is None
        assert not ws.folder.backups.exists() or list(ws.folder.backups.iterdir()) == []
        with ws.db.transaction() as s:
            assert s.scalar(select(func.count()).select_from(Directive)) == 1
    finally:
        ws.close()


@pytest.mark.sqlite_only  # the SQLite file itself
def test_database_of_a_newer_version_is_refused_and_left_untouched(tmp_path):
    ws = open_workspace(tmp_path / "data")
    with ws.db.transaction("a") as s:
        make_directive(s, make_office(s), date(2025, 3, 1), 1)
    path = ws.folder.database
    ws.close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError) as error:
        open_database(path, backup_dir=tmp_path / "backups")
    assert "phiên bản NTM Desktop mới hơn" in str(error.value)
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999_from_the_future",)
    assert con.execute("SELECT count(*) FROM directives").fetchone() == (1,)
    con.close()


@pytest.mark.sqlite_only  # the SQLite file itself
def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "ntm.sqlite3"
    path.write_bytes("Đây là một tệp văn bản, không phải cơ sở dữ liệu.\n".encode() * 50)
    before = path.read_bytes()
    with pytest.raises(NotADatabaseError) as error:
        open_database(path)
    assert "không phải là cơ sở dữ liệu" in str(error.value)
    assert path.read_bytes() == before


@pytest.mark.sqlite_only  # the SQLite file itself
def test_a_locked_database_gives_a_vietnamese_message_and_saves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 100)  # wait 0.1 s for the lock instead of 5 s
    ws = open_workspace(tmp_path / "data")
    try:
        with ws.db.transaction("a") as s:
            office = make_office(s)
        ws.db.engine.pool.dispose()
        holder = sqlite3.connect(ws.folder.database)
        holder.execute("BEGIN EXCLUSIVE")  # another program holds the file
        try:
            with pytest.raises(DatabaseLockedError) as error:
                with ws.db.transaction("a") as s:
                    create_directive(s, office, directive_input(date(2025, 3, 1), 1))
                    create_directive(s, office, directive_input(date(2025, 3, 2), 2))
            assert "đang bị một chương trình khác khóa" in str(error.value)
            assert "dữ liệu chưa bị thay đổi" in str(error.value)
        finally:
            holder.rollback()
            holder.close()
        with ws.db.transaction() as s:
            assert s.scalar(select(func.count()).select_from(Directive)) == 0
    finally:
        ws.close()


@pytest.mark.sqlite_only  # the SQLite file itself
def test_opening_a_locked_database_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 100)
    ws = open_workspace(tmp_path / "data")
    path = ws.folder.database
    ws.close()
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLockedError, match="khóa"):
            open_database(path)
    finally:
        holder.rollback()
        holder.close()


@pytest.mark.sqlite_only  # the SQLite file itself
def test_backup_uses_the_backup_api_and_includes_recent_writes(db, tmp_path):
    with db.transaction("a") as s:
        make_directive(s, make_office(s), date(2025, 3, 1), 1, subject="Vừa ghi, còn trong WAL")
    target = backup_to(db.engine, tmp_path / "backups" / "copy.sqlite3")
    con = sqlite3.connect(target)
    assert con.execute("SELECT subject FROM directives").fetchall() == [("Vừa ghi, còn trong WAL",)]
    con.close()


@pytest.mark.sqlite_only  # the SQLite file itself
def test_first_open_of_an_older_database_makes_a_backup(tmp_path):
    """A database at an older revision is backed up before it is migrated."""
    from alembic import command

    from ntm_desktop.db import _alembic_config, make_engine

    path = tmp_path / "data" / "ntm.sqlite3"
    path.parent.mkdir()
    engine = make_engine(path)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    ws = open_workspace(tmp_path / "data")
    try:
        backups = list(ws.folder.backups.glob("truoc-nang-cap-*.sqlite3"))
        assert len(backups) == 1
        con = sqlite3.connect(backups[0])
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        con.close()
        with ws.db.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() != "0001"
    finally:
        ws.close()


@pytest.mark.sqlite_only  # the SQLite file's own statistics
def test_the_query_planners_statistics_are_made_and_kept_up_to_date(db):
    """SQLite keeps none until asked: each start of the window asks, so the lists' plans fit the data."""
    def statistics() -> dict[str, str]:
        con = sqlite3.connect(db.path)
        try:
            if not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
                return {}
            return {idx: stat for tbl, idx, stat in con.execute("SELECT tbl, idx, stat FROM sqlite_stat1")
                    if tbl == "directives"}
        finally:
            con.close()

    with db.transaction("a") as s:
        office = make_office(s)
        for number in range(1, 4):
            make_directive(s, office, date(2025, 3, number), number)
    assert statistics() == {}
    db.refresh_statistics()
    first = statistics()
    assert first["ix_directives_arrival"].split()[0] == "3"  # three directives counted
    with db.transaction("a") as s:
        for number in range(4, 9):
            make_directive(s, office, date(2025, 3, number), number)
    db.refresh_statistics()
    assert statistics()["ix_directives_arrival"].split()[0] == "8"
