"""Upgrading a database of revision 0005: the task list's order index is added (the list pages by walking it)."""

import sqlite3

from alembic import command

from ntm_desktop.db import _alembic_config, make_engine
from ntm_desktop.workspace import open_workspace


def _indexes(path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        con.close()


def test_a_0005_database_gets_the_task_list_order_index(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    engine = make_engine(folder / "ntm.sqlite3")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
    engine.dispose()
    assert "ix_tasks_list_order" not in _indexes(folder / "ntm.sqlite3")
    open_workspace(folder).close()
    assert "ix_tasks_list_order" in _indexes(folder / "ntm.sqlite3")
    con = sqlite3.connect(folder / "ntm.sqlite3")
    plan = " ".join(row[-1] for row in con.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM tasks WHERE deleted = 0 "
        "ORDER BY completed_on IS NOT NULL, coalesce(due_date, '9999-12-31') LIMIT 200"))
    con.close()
    assert "ix_tasks_list_order" in plan
