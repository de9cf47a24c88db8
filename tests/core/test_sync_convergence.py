"""Two and three installations edit, delete and exchange packages in random orders, some packages
duplicated, some dropped: after a final exchange all converge, no edit is lost without a conflict
record (or a person knowingly replacing it), and re-importing a package changes nothing."""

from __future__ import annotations

import shutil
import sqlite3
from itertools import count
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from ntm_desktop.models import SyncConflict, Unit
from ntm_desktop.services import units
from ntm_desktop.sync.apply import apply_file
from ntm_desktop.workspace import open_workspace
from test_sync_world import build_district, join_commune, send, state

FIELDS = ("name", "short_name")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """District + two communes, each set up from the district's package, with a village each."""
    root = tmp_path_factory.mktemp("template")
    district = build_district(root)
    with district.db.transaction() as s:
        for code in ("XA-A", "XA-B"):
            commune = units.find_by_code(s, code)
            units.create_unit(s, owner_unit_id=commune.id, code=f"THON-{code[-1]}", name=f"Thôn {code[-1]}",
                              level_code="thon", parent_id=commune.id)
    communes = [join_commune(root, district, code, root / "boot") for code in ("XA-A", "XA-B")]
    for ws in [district, *communes]:
        ws.close()
    return root


def _copy(template: Path, dest: Path, names: list[str]) -> list:
    out = []
    for name in names:
        shutil.copytree(template / name, dest / name)
        out.append(open_workspace(dest / name))
    return out


# Records each installation may change: the district all, a commune its own unit and village.
RECORDS = ["XA-A", "THON-A", "XA-B", "THON-B"]
MAY_EDIT = {0: set(RECORDS), 1: {"XA-A", "THON-A"}, 2: {"XA-B", "THON-B"}}

edit = st.tuples(st.just("edit"), st.integers(0, 2), st.integers(0, 3), st.integers(0, 1))
op = st.one_of(
    edit, edit,
    st.tuples(st.just("delete"), st.integers(0, 2), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("send"), st.integers(0, 2), st.integers(0, 1), st.booleans()),
    st.tuples(st.just("deliver"), st.integers(0, 50), st.integers(1, 2), st.just(0)),
)


def run_world(tmp_path: Path, template: Path, n: int, ops) -> None:
    names = ["huyen", "XA-A", "XA-B"][:n]
    installs = _copy(template, tmp_path, names)
    codes = ["HUYEN", "XA-A", "XA-B"]
    values = count(1)
    written: list[tuple[str, str, str]] = []  # (record code, field, value)
    replaced: set[tuple[str, str, str]] = set()  # values someone saw and edited away
    mail: list[tuple[int, Path]] = []
    delivered: list[tuple[int, Path]] = []
    out = tmp_path / "mail"
    try:
        for kind, a, b, c in ops:
            if kind == "edit" or kind == "delete":
                who = a % n
                mine = [r for r in RECORDS if r in MAY_EDIT[who] and (n == 3 or r.endswith("A"))]
                code = mine[b % len(mine)]
                with installs[who].db.transaction() as s:
                    unit = units.find_by_code(s, code)
                    if unit.deleted:
                        continue
                    if kind == "delete":
                        if code.startswith("THON"):
                            unit.deleted = True
                        continue
                    field = FIELDS[c]
                    value = f"{code} bản sửa {next(values)}"
                    old = getattr(unit, field) or ""
                    replaced.add((code, field, old))
                    setattr(unit, field, value)
                    before = dict(unit.version)
                    s.flush()
                    assert unit.version != before, "a local save must bump the version vector"
                    written.append((code, field, value))
            elif kind == "send":
                src = a % n
                dst = 1 + b % (n - 1) if src == 0 else 0
                mail.append((dst, send(installs[src], codes[dst], out, full=c)))
            elif mail:
                dst, path = mail[a % len(mail)]
                for _ in range(b):
                    apply_file(installs[dst], path)
                delivered.append((dst, path))
        for _ in range(2):  # the final exchange: every commune with the district, both ways
            for i in range(1, n):
                apply_file(installs[0], send(installs[i], codes[0], out, full=True))
                apply_file(installs[i], send(installs[0], codes[i], out, full=True))
        states = [state(ws) for ws in installs]
        for i, other in enumerate(states[1:], start=1):
            diff = {e: sorted(set(other[e]) ^ set(states[0][e])) for e in other if other[e] != states[0][e]}
            if diff:
                versions = []
                for ws in installs:
                    with ws.db.transaction() as s:
                        versions.append({u.code: (u.version, u.name, u.short_name) for u in s.scalars(select(Unit))})
                    with ws.db.transaction() as s:
                        versions.append([(c.field, c.local_value, c.incoming_value, c.kept) for c in s.scalars(select(SyncConflict))])
            assert not diff, f"installation {i} did not converge with the district: {diff} after {ops}; {versions}"
        if delivered:
            dst, path = delivered[0]
            before = state(installs[dst])
            again = apply_file(installs[dst], path)
            assert again.status == "already" and "đã được nhập" in again.message
            assert state(installs[dst]) == before
        kept_in_conflicts = set()
        for ws in installs:
            with ws.db.transaction() as s:
                for conflict in s.scalars(select(SyncConflict)):
                    kept_in_conflicts.update({conflict.local_value, conflict.incoming_value})
        with installs[0].db.transaction() as s:
            final = {(u.code, f): getattr(u, f) for u in s.scalars(select(Unit)) for f in FIELDS}
        import json

        for code, field, value in written:
            assert (final[(code, field)] == value or (code, field, value) in replaced
                    or json.dumps(value, ensure_ascii=False) in kept_in_conflicts), f"edit lost: {value}"
    finally:
        for ws in installs:
            ws.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(op, min_size=4, max_size=20))
def test_two_installations_converge(tmp_path_factory, template, ops):
    run_world(tmp_path_factory.mktemp("two"), template, 2, ops)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(op, min_size=4, max_size=24))
def test_three_installations_converge(tmp_path_factory, template, ops):
    run_world(tmp_path_factory.mktemp("three"), template, 3, ops)


def test_concurrent_edit_of_one_field_makes_a_conflict_and_the_decision_travels(tmp_path, template):
    from ntm_desktop.sync import conflicts

    district, commune = _copy(template, tmp_path, ["huyen", "XA-A"])
    try:
        for ws, value in ((district, "UBND xã A (huyện sửa)"), (commune, "UBND xã A (xã sửa)")):
            with ws.db.transaction() as s:
                units.find_by_code(s, "XA-A").short_name = value
        with commune.db.transaction() as s:
            units.find_by_code(s, "XA-A").name = "Ủy ban nhân dân xã A mới"  # only the commune changed this
        apply_file(district, send(commune, "HUYEN", tmp_path))
        with district.db.transaction() as s:
            unit = units.find_by_code(s, "XA-A")
            assert unit.name == "Ủy ban nhân dân xã A mới"  # merged, no conflict
            [row] = conflicts.open_conflicts(s)
            assert row.field == "short_name"
            assert {row.local_value, row.incoming_value} == {"UBND xã A (huyện sửa)", "UBND xã A (xã sửa)"}
            conflicts.resolve(s, row.id, "local" if row.kept == "incoming" else "incoming", user="trưởng phòng")
        with district.db.transaction() as s:
            decided = units.find_by_code(s, "XA-A").short_name
            assert conflicts.open_conflicts(s) == []
        apply_file(commune, send(district, "XA-A", tmp_path))
        with commune.db.transaction() as s:
            assert units.find_by_code(s, "XA-A").short_name == decided
    finally:
        district.close()
        commune.close()


def test_delete_against_concurrent_edit_is_a_conflict(tmp_path, template):
    district, commune = _copy(template, tmp_path, ["huyen", "XA-A"])
    try:
        with district.db.transaction() as s:
            units.find_by_code(s, "THON-A").deleted = True
        with commune.db.transaction() as s:
            units.find_by_code(s, "THON-A").name = "Thôn A (đổi tên)"
        apply_file(commune, send(district, "XA-A", tmp_path))
        with commune.db.transaction() as s:
            unit = units.find_by_code(s, "THON-A")
            assert not unit.deleted and unit.name == "Thôn A (đổi tên)"
            [conflict] = s.scalars(select(SyncConflict)).all()
            assert conflict.field == "deleted"
    finally:
        district.close()
        commune.close()


def test_a_delete_travels(tmp_path, template):
    district, commune = _copy(template, tmp_path, ["huyen", "XA-A"])
    try:
        with district.db.transaction() as s:
            units.find_by_code(s, "THON-A").deleted = True
        result = apply_file(commune, send(district, "XA-A", tmp_path))
        assert result.summary["counts"]["units"]["deleted"] == 1
        with commune.db.transaction() as s:
            assert units.find_by_code(s, "THON-A").deleted
    finally:
        district.close()
        commune.close()
