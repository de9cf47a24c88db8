"""Upgrading a database of revision 0007: directives and tasks get their revision (1 for every existing record),
the audit rows a column naming the revision a change made; the data is kept and saves are checked from then on."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date

import pytest
from alembic import command

from core_factories import make_directive, make_office, make_task, make_unit
from ntm_desktop.db import _alembic_config, make_engine
from ntm_desktop.models import Task
from ntm_desktop.services import tasks
from ntm_desktop.services.concurrency import RecordChangedError
from ntm_desktop.workspace import open_workspace


def _columns(path, table: str) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {row[1] for row in con.execute(f"PRAGMA table_info({table})")}
    finally:
        con.close()


@pytest.mark.sqlite_only  # a SQLite file of version 0007 upgraded
def test_a_0007_database_gets_revisions_and_keeps_its_data(tmp_path):
    folder = tmp_path / "data"
    ws = open_workspace(folder)
    with ws.db.transaction("van.thu") as s:
        office = make_office(s)
        directive = make_directive(s, office, date(2026, 1, 5), subject="Kế hoạch xây dựng nông thôn mới năm 2026")
        task = make_task(s, directive, make_unit(s, "Ủy ban nhân dân xã Yên Thuận"))
    ws.close()
    database = folder / "ntm.sqlite3"
    engine = make_engine(database)
    cfg = _alembic_config()
    with engine.begin() as conn:  # the database as version 0007 left it
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
    engine.dispose()
    assert "revision" not in _columns(database, "tasks") | _columns(database, "directives")

    ws = open_workspace(folder)
    try:
        for table in ("tasks", "directives", "audit_log"):
            assert "revision" in _columns(database, table)
        with ws.db.transaction() as s:
            loaded = s.get(Task, task)
            data, revision = tasks.input_from(loaded), loaded.revision
            assert revision == 1 and loaded.summary == "Rà soát tiêu chí nông thôn mới"
        with ws.db.transaction("an.nv") as s:
            tasks.update_task(s, task, replace(data, notes="Đã đôn đốc"), revision=revision)
        with pytest.raises(RecordChangedError, match="Ghi chú của nhiệm vụ"):
            with ws.db.transaction("binh.tt") as s:
                tasks.update_task(s, task, replace(data, notes="Bản khác"), revision=revision)
        con = sqlite3.connect(database)  # the register's search index still finds the directive
        found = con.execute("SELECT count(*) FROM directive_fts WHERE directive_fts MATCH 'nong thon moi'").fetchone()
        con.close()
        assert found == (1,)
    finally:
        ws.close()
