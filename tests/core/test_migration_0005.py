"""Upgrading a database of revision 0004: the table of known signing keys is added, the data kept."""

import sqlite3

from alembic import command
from sqlalchemy import inspect, select

from ntm_desktop.db import _alembic_config, make_engine
from ntm_desktop.models import Unit
from ntm_desktop.models.sync_keys import SyncKey
from ntm_desktop.services import units
from ntm_desktop.workspace import open_workspace
from test_migration_0004 import _insert


def test_a_0004_database_gets_the_key_table_and_keeps_its_units(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    engine = make_engine(folder / "ntm.sqlite3")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
        assert "sync_keys" not in inspect(conn).get_table_names()
    engine.dispose()
    con = sqlite3.connect(folder / "ntm.sqlite3")
    _insert(con, "units", id="u1", code="X1", name="Xã Bảo Hà", level_code="xa")
    con.commit()
    con.close()
    ws = open_workspace(folder)
    try:
        with ws.db.transaction() as s:
            assert s.scalar(select(Unit.name).where(Unit.code == "X1")) == "Xã Bảo Hà"
            s.add(SyncKey(unit_id="u1", unit_code="X1", public_key="A" * 43 + "=", fingerprint="AAAA"))
        with ws.db.transaction() as s:
            assert s.scalar(select(SyncKey.status)) == "active"
            assert units.find_by_code(s, "X1") is not None
    finally:
        ws.close()
