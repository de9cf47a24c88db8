"""While the start-up check runs, nothing can be saved (a clear Vietnamese message, nothing half-written);
what a commit wrote is told once; the unit tree is read once and again only after a unit changed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from core_factories import make_directive, make_office, make_unit
from ntm_desktop.changes import WritesHeldError
from ntm_desktop.errors import UserError
from ntm_desktop.models import Directive, Unit
from ntm_desktop.services import units


def _directives(ws) -> int:
    with ws.db.transaction() as s:
        return s.scalar(select(func.count()).select_from(Directive))


def test_a_save_while_writes_are_held_is_refused_whole_and_works_after(workspace):
    with workspace.db.transaction("test") as s:
        office = make_office(s)
    workspace.db.watch.hold_writes()
    with pytest.raises(WritesHeldError) as refused:
        with workspace.db.transaction("test") as s:
            make_directive(s, office, date(2025, 3, 1), 1)
    assert isinstance(refused.value, UserError)
    assert "đang kiểm tra dữ liệu, thử lại sau giây lát" in str(refused.value)
    assert _directives(workspace) == 0  # no directive, no audit row: the transaction rolled back whole
    assert workspace.office_unit_id() == office  # reading goes on meanwhile
    workspace.db.watch.release_writes()
    with workspace.db.transaction("test") as s:
        make_directive(s, office, date(2025, 3, 1), 1)
    assert _directives(workspace) == 1


def test_each_commit_is_told_once_with_the_tables_it_wrote(workspace):
    told = []
    workspace.db.watch.listen(told.append)
    with workspace.db.transaction("test") as s:
        office = make_office(s)
        make_directive(s, office, date(2025, 3, 1), 1)
    assert len(told) == 1 and {"units", "directives", "settings"} <= told[0]
    with pytest.raises(RuntimeError):
        with workspace.db.transaction("test") as s:
            make_unit(s, "Ủy ban nhân dân xã Minh Hương")
            raise RuntimeError("the officer's action failed half-way")
    with workspace.db.transaction() as s:
        s.scalar(select(func.count()).select_from(Unit))
    assert len(told) == 1  # a rollback and a read are not changes


def test_the_unit_tree_is_read_once_until_a_unit_changes(workspace, monkeypatch):
    reads = []
    original = units.all_units
    monkeypatch.setattr(units, "all_units", lambda session, *a, **k: reads.append(1) or original(session, *a, **k))
    changes = []
    workspace.shared().listen(changes.append)
    with workspace.db.transaction("test") as s:
        office = make_office(s)
    first = workspace.units()
    assert workspace.units() is first and workspace.units() is first
    assert len(reads) == 1
    with workspace.db.transaction("test") as s:
        make_directive(s, office, date(2025, 3, 1), 1)  # no unit written: the tree holds
    assert workspace.units() is first and len(reads) == 1
    with workspace.db.transaction("test") as s:
        make_unit(s, "Ủy ban nhân dân xã Minh Hương")
    assert changes[-1] == frozenset({"units"}) and len(changes) == 2  # the office at first, then this unit
    again = workspace.units()
    assert again is not first and "Ủy ban nhân dân xã Minh Hương" in {u.name for u in again}
    assert len(reads) == 2
