"""Upgrading a database made before the 2026-2030 period (revision 0003): sets, indicators, recognitions."""

import sqlite3
from datetime import date

from alembic import command

from ntm_desktop.db import _alembic_config, make_engine
from ntm_desktop.models import CriteriaSet, Indicator, Recognition
from ntm_desktop.services.criteria import profiles
from ntm_desktop.workspace import open_workspace

OLD_SET, NEW_SET = "set-2021", "set-2026"


def _insert(con, table: str, **values) -> None:
    """A row with the given values and a plain default for every other NOT NULL column of that revision."""
    for _cid, name, kind, notnull, default, pk in con.execute(f"PRAGMA table_info({table})").fetchall():
        if name in values or not notnull or default is not None:
            continue
        kind = kind.upper()
        values[name] = 0 if kind in ("INTEGER", "BOOLEAN") else "{}" if name == "version" else \
            "2025-01-01 00:00:00" if kind == "DATETIME" else ""
    names = ", ".join(values)
    con.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in values)})", list(values.values()))


def _database_at_0003(path) -> None:
    engine = make_engine(path)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    engine.dispose()
    con = sqlite3.connect(path)
    for set_id, code, start, end in ((OLD_SET, "xa-ntm-2021-2025", 2021, 2025), (NEW_SET, "xa-ntm-2026-2030", 2026, 2030)):
        _insert(con, "criteria_sets", id=set_id, code=code, set_version=1, name=f"Bộ tiêu chí {start} - {end}",
                level="xã", tier="ntm", period_start=start, period_end=end, target_keys="[]")
    _insert(con, "criteria", id="crit-1", set_id=OLD_SET, number=1, code="1", name="Quy hoạch")
    _insert(con, "indicators", id="ind-1", criterion_id="crit-1", position=0, code="1.1", name="Chỉ tiêu cũ",
            targets="{}")
    _insert(con, "units", id="unit-x", code="X1", name="Xã Bảo Hà", level_code="xa")
    _insert(con, "commune_profiles", id="prof-1", unit_id="unit-x", year=2025, set_id=OLD_SET)
    _insert(con, "recognitions", id="rec-2025", unit_id="unit-x", level="ntm", decision_number="1/QĐ-UBND",
            decision_date="2025-12-20")
    _insert(con, "recognitions", id="rec-2027", unit_id="unit-x", level="ntm", decision_number="2/QĐ-UBND",
            decision_date="2027-12-20")
    con.commit()
    con.close()


def test_a_0003_database_gets_the_period_data_and_names_each_recognitions_set(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    _database_at_0003(folder / "ntm.sqlite3")
    ws = open_workspace(folder)
    try:
        with ws.db.transaction() as s:
            old, new = s.get(CriteriaSet, OLD_SET), s.get(CriteriaSet, NEW_SET)
            assert (old.indicator_count, old.in_force_from, old.summary_bands[0]) == (57, None, ["19 tiêu chí", 19])
            assert (new.indicator_count, new.in_force_from) == (47, date(2026, 2, 15))
            assert [b[1] for b in new.summary_bands] == [10, 7, 5, 3, 0]
            assert s.get(Indicator, "ind-1").confirmed is True  # what a province gave stays as given
            assert s.get(Recognition, "rec-2025").set_id == OLD_SET  # the commune's profile that year
            assert s.get(Recognition, "rec-2027").set_id == NEW_SET  # the set whose period holds the year
            assert [r.set_name for r in profiles.recognitions(s, ["unit-x"])] == ["Bộ tiêu chí 2021 - 2025",
                                                                                 "Bộ tiêu chí 2026 - 2030"]
    finally:
        ws.close()
