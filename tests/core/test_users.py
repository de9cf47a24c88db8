"""Accounts: passwords kept as Argon2 hashes, sign-in, the last quản trị, deletion, and the audit naming the person."""

from __future__ import annotations

from datetime import date

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import AuditEntry, User
from ntm_desktop.services import access, passwords, users
from ntm_desktop.services.access import AccessDenied, Role
from ntm_desktop.services.directives import update_directive
from ntm_desktop.services.revisions import audit_trail
from ntm_desktop.services.users import SignInError

from core_factories import directive_input, make_directive
from roles_world import PASSWORDS, as_, build_office


@pytest.fixture
def world(workspace):
    return build_office(workspace.db)


def sign_in(db, name, password):
    with db.transaction() as s:
        return users.authenticate(s, name, password)


def test_the_password_is_stored_as_an_argon2_hash_and_only_the_right_one_opens(db, world):
    with db.transaction() as s:
        stored = s.get(User, world.clerk.user_id).password_hash
        everything = " ".join(f"{v}" for v in s.execute(select(User.__table__)).all())
    assert stored.startswith("$argon2id$") and PASSWORDS["vanthu"] not in stored
    assert PASSWORDS["vanthu"] not in everything
    assert passwords.verify(stored, PASSWORDS["vanthu"]) and not passwords.verify(stored, "vanthu-2025")

    assert sign_in(db, "vanthu", PASSWORDS["vanthu"]) == world.clerk
    assert sign_in(db, "VanThu", PASSWORDS["vanthu"]) == world.clerk  # the name whatever its case
    with pytest.raises(SignInError) as wrong:
        sign_in(db, "vanthu", "vanthu-2025")
    with pytest.raises(SignInError) as unknown:
        sign_in(db, "khongco", PASSWORDS["vanthu"])
    assert str(wrong.value) == str(unknown.value) == users.WRONG
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in users.WRONG


def test_a_vietnamese_password_opens_however_the_keyboard_composed_it(db, world):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", PASSWORDS["chuyenvien"])
    assert decomposed != PASSWORDS["chuyenvien"]
    assert sign_in(db, "chuyenvien", decomposed) == world.specialist


def test_a_deactivated_account_cannot_sign_in_and_says_so(db, world):
    with as_(db, world.admin) as s:
        users.deactivate(s, world.clerk.user_id)
    with pytest.raises(SignInError, match="Tài khoản “vanthu” đã bị khóa"):
        sign_in(db, "vanthu", PASSWORDS["vanthu"])
    with pytest.raises(SignInError, match="không đúng"):  # a wrong password tells nothing about the account
        sign_in(db, "vanthu", "sai-mat-khau")
    with as_(db, world.admin) as s:
        users.reactivate(s, world.clerk.user_id)
    assert sign_in(db, "vanthu", PASSWORDS["vanthu"]) == world.clerk


def test_a_hash_made_with_weaker_parameters_is_made_again_after_sign_in(db, world):
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORDS["lanhdao"])
    with db.transaction() as s:
        s.get(User, world.leader.user_id).password_hash = weak
    assert passwords.needs_rehash(weak)
    signed = sign_in(db, "lanhdao", PASSWORDS["lanhdao"])
    with db.transaction() as s:
        assert s.get(User, world.leader.user_id).password_hash == weak  # signing in itself writes nothing
        assert users.renew_hash(s, signed, PASSWORDS["lanhdao"])
    with db.transaction() as s:
        renewed = s.get(User, world.leader.user_id).password_hash
    assert renewed != weak and not passwords.needs_rehash(renewed)
    assert passwords.verify(renewed, PASSWORDS["lanhdao"])


def test_user_names_are_unique_whatever_their_case_and_rules_are_checked(db, world):
    with as_(db, world.admin) as s:
        with pytest.raises(ValidationError, match="“VANTHU” đã có người dùng"):
            users.create_user(s, "VANTHU", "Người khác", Role.CLERK, "mat-khau-dai")
        with pytest.raises(ValidationError, match="ít nhất 8 ký tự"):
            users.create_user(s, "lan.nt", "Nguyễn Thị Lan", Role.CLERK, "ngan")
        with pytest.raises(ValidationError, match="chữ không dấu"):
            users.create_user(s, "lan nguyễn", "Nguyễn Thị Lan", Role.CLERK, "mat-khau-dai")
        with pytest.raises(ValidationError, match="họ và tên"):
            users.create_user(s, "lan.nt", "  ", Role.CLERK, "mat-khau-dai")


def test_the_last_active_admin_cannot_be_demoted_or_closed(db, world):
    with as_(db, world.admin) as s:
        with pytest.raises(ValidationError, match="quản trị duy nhất còn hoạt động"):
            users.set_role(s, world.admin.user_id, Role.LEADER)
        with pytest.raises(ValidationError, match="Không tự khóa"):
            users.deactivate(s, world.admin.user_id)
    with as_(db, world.admin) as s:
        users.set_role(s, world.leader.user_id, Role.ADMIN)
    second = world.leader
    with as_(db, second) as s:
        users.deactivate(s, world.admin.user_id)
    with as_(db, second) as s:
        with pytest.raises(ValidationError, match="“lanhdao” là quản trị duy nhất còn hoạt động"):
            users.set_role(s, second.user_id, Role.CLERK)
    with db.transaction() as s:
        admins = s.scalars(select(User).where(User.role == "quan_tri", User.active.is_(True))).all()
    assert [u.user_name for u in admins] == ["lanhdao"]


def test_only_a_user_absent_from_the_audit_can_be_deleted(db, world):
    with as_(db, world.admin) as s:
        newcomer = users.create_user(s, "moi.vao", "Phạm Văn Mới", Role.CLERK, "mat-khau-dai")
    with as_(db, world.clerk) as s:
        make_directive(s, world.office, date(2026, 3, 9), 2)
    with as_(db, world.admin) as s:
        with pytest.raises(ValidationError, match="nhật ký thay đổi có ghi tên người này.*Hãy khóa tài khoản"):
            users.delete_user(s, world.clerk.user_id)
    with as_(db, world.admin) as s:
        users.delete_user(s, newcomer)
    with db.transaction() as s:
        assert s.get(User, newcomer) is None and s.get(User, world.clerk.user_id) is not None


def test_passwords_are_changed_by_their_owner_or_reset_by_an_admin(db, world):
    with as_(db, world.clerk) as s:
        with pytest.raises(ValidationError, match="Mật khẩu hiện tại không đúng"):
            users.change_password(s, world.clerk.user_id, "mat-khau-moi-1", old_password="sai")
    with as_(db, world.clerk) as s:
        users.change_password(s, world.clerk.user_id, "mat-khau-moi-1", old_password=PASSWORDS["vanthu"])
    with as_(db, world.clerk) as s:
        with pytest.raises(AccessDenied, match="chỉ đổi được mật khẩu của chính mình"):
            users.change_password(s, world.leader.user_id, "mat-khau-moi-2")
    with as_(db, world.admin) as s:
        users.change_password(s, world.leader.user_id, "dat-lai-2026")
    assert sign_in(db, "vanthu", "mat-khau-moi-1") == world.clerk
    assert sign_in(db, "lanhdao", "dat-lai-2026") == world.leader
    with pytest.raises(SignInError):
        sign_in(db, "lanhdao", PASSWORDS["lanhdao"])
    with db.transaction() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.entity == "users", AuditEntry.field == "password")).all()
    assert [(r.record_id, r.user, r.new) for r in rows] == [
        (world.clerk.user_id, "vanthu", "đã đổi"), (world.leader.user_id, "quantri", "đã đổi")]


def test_the_audit_names_the_signed_in_person(db, world):
    with as_(db, world.clerk, user="may-van-phong") as s:
        directive_id = make_directive(s, world.office, date(2026, 3, 9), 2, subject="Trích yếu ban đầu")
    access.sign_in(db, world.admin)  # the window's way: every later session acts as this person
    with db.transaction("may-van-phong") as s:
        update_directive(s, directive_id, directive_input(date(2026, 3, 9), 2, subject="Trích yếu đã sửa"))
    with db.transaction() as s:
        created, edited = audit_trail(s, directive_id)
        assert users.appears_in_audit(s, s.get(User, world.admin.user_id))
    assert (created.field, created.user) == ("*", "vanthu")
    assert (edited.field, edited.user, edited.new) == ("subject", "quantri", "Trích yếu đã sửa")


def test_account_changes_are_audited_with_who_made_them(db, world):
    with as_(db, world.admin) as s:
        users.set_role(s, world.clerk.user_id, Role.LEADER)
        users.deactivate(s, world.specialist.user_id)
    with db.transaction() as s:
        changes = {(e.record_id, e.field, e.old, e.new, e.user) for e in s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "users", AuditEntry.field != "*"))}
    assert changes == {(world.clerk.user_id, "role", "van_thu", "lanh_dao", "quantri"),
                       (world.specialist.user_id, "active", "1", "0", "quantri")}


def test_the_admin_lists_the_accounts_with_their_roles_and_units(db, world):
    with as_(db, world.admin) as s:
        rows = users.list_users(s)
    assert [(r.user_name, r.role_label, r.unit_name, r.active) for r in rows] == [
        ("chuyenvien", "chuyên viên", "Phòng Nông nghiệp và Môi trường", True), ("lanhdao", "lãnh đạo", "", True),
        ("quantri", "quản trị", "", True), ("vanthu", "văn thư", "", True)]
