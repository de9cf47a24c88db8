"""Accounts on a database several PCs share (one SQLite file, or the office's PostgreSQL server when
NTM_TEST_DATABASE_URL names one): a change made on one PC counts on the other at its next action."""

from __future__ import annotations

from datetime import date

import pytest

from ntm_desktop.db import open_database
from ntm_desktop.errors import ValidationError
from ntm_desktop.services import access, users
from ntm_desktop.services.access import AccessDenied, Role
from ntm_desktop.services.revisions import audit_trail

from core_factories import make_directive
from roles_world import PASSWORDS, as_, build_office
from server_db import KINDS, create_server_schema, drop_server_database, new_server_database, open_server_pc


@pytest.fixture(params=KINDS)
def two_pcs(request, tmp_path):
    """PC A and PC B on one database."""
    url = None
    if request.param == "sqlite":
        path = tmp_path / "office" / "ntm.sqlite3"
        pcs = (open_database(path), open_database(path))
    else:
        url = new_server_database(prefix="roles")
        create_server_schema(url)
        pcs = (open_server_pc(url), open_server_pc(url))
    yield pcs
    for db in pcs:
        db.dispose()
    if url is not None:
        drop_server_database(url)


def test_an_account_closed_on_one_pc_is_refused_on_the_other(two_pcs):
    a, b = two_pcs
    world = build_office(a)
    with b.transaction() as s:
        clerk = users.authenticate(s, "VANTHU", PASSWORDS["vanthu"])
    access.sign_in(b, clerk)
    with b.transaction("máy B") as s:
        directive_id = make_directive(s, world.office, date(2026, 3, 9), 2)
    with as_(a, world.admin) as s:
        users.deactivate(s, world.clerk.user_id)
    with pytest.raises(AccessDenied, match="Tài khoản “vanthu” đã bị khóa"):
        with b.transaction("máy B") as s:
            make_directive(s, world.office, date(2026, 3, 10), 3)
    with a.transaction() as s:
        assert [e.user for e in audit_trail(s, directive_id)] == ["vanthu"]


def test_a_role_given_on_one_pc_counts_on_the_other(two_pcs):
    a, b = two_pcs
    world = build_office(a)
    access.sign_in(b, world.specialist)
    with pytest.raises(AccessDenied, match="không được giao, sửa hoặc xóa nhiệm vụ"):
        with b.transaction() as s:
            access.require(s, access.Permission.ASSIGN)
    with as_(a, world.admin) as s:
        users.set_role(s, world.specialist.user_id, Role.LEADER)
    with b.transaction() as s:
        assert access.require(s, access.Permission.ASSIGN).role == Role.LEADER


def test_user_names_stay_unique_whatever_their_case_on_either_database(two_pcs):
    a, b = two_pcs
    world = build_office(a)
    with as_(b, world.admin) as s:
        with pytest.raises(ValidationError, match="“QuanTri” đã có người dùng"):
            users.create_user(s, "QuanTri", "Người khác", Role.ADMIN, "mat-khau-dai")
    with as_(b, world.admin) as s:
        with pytest.raises(ValidationError, match="quản trị duy nhất còn hoạt động"):
            users.set_role(s, world.admin.user_id, Role.CLERK)


def test_the_schema_holds_the_users_table_on_both(two_pcs):
    a, _b = two_pcs
    from sqlalchemy import inspect

    columns = {c["name"] for c in inspect(a.engine).get_columns("users")}
    assert {"user_name", "name_key", "full_name", "role", "unit_id", "active", "password_hash", "created_at",
            "changed_at"} <= columns
