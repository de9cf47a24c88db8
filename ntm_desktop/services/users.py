"""The office's users: add, sign in, change a password, set a role, close an account.

Rules: a user name is unique whatever its case; the first user is a quản trị (creating it turns sign-in on);
at least one active quản trị remains; a user who appears in the audit is never deleted, only deactivated, so
the audit keeps naming a known person. Each change to an account writes an audit row (a password as
"changed", never its text or hash).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ntm_desktop.errors import UserError, ValidationError
from ntm_desktop.models import AuditEntry, Unit, User, utcnow
from ntm_desktop.services import access, passwords
from ntm_desktop.services.access import ROLE_LABELS, AccessDenied, Actor, Permission, Role, current_actor, require
from ntm_desktop.text import nfc

USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,49}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 200
WRONG = ("Tên đăng nhập hoặc mật khẩu không đúng. Hãy gõ lại (kiểm tra phím Caps Lock và bộ gõ tiếng Việt); "
         "quên mật khẩu thì nhờ quản trị đặt lại.")


class SignInError(UserError):
    """The user name and password do not open an account (or the account is closed)."""


@dataclass(frozen=True)
class UserRow:
    id: str
    user_name: str
    full_name: str
    role: Role
    unit_id: str | None
    unit_name: str
    active: bool
    created_at: datetime
    changed_at: datetime

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


def _row(user: User, unit_names: dict[str, str]) -> UserRow:
    return UserRow(user.id, user.user_name, user.full_name, Role(user.role), user.unit_id,
                   unit_names.get(user.unit_id or "", ""), user.active, user.created_at, user.changed_at)


def list_users(session: Session) -> list[UserRow]:
    require(session, Permission.USERS)
    users = list(session.scalars(select(User).order_by(User.name_key)))
    ids = {u.unit_id for u in users if u.unit_id}
    names = {unit_id: name for unit_id, name in session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids)))}
    return [_row(u, names) for u in users]


def _audit(session: Session, user: User, field: str, old, new) -> None:
    session.add(AuditEntry(user=session.info.get("user", ""), entity="users", record_id=user.id, field=field,
                           old=old, new=new))


def _check_password(password: str) -> str:
    password = nfc(password) or ""  # the same letters however the keyboard composed them
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.", "password")
    if len(password) > MAX_PASSWORD:
        raise ValidationError(f"Mật khẩu dài quá {MAX_PASSWORD} ký tự.", "password")
    return password


def _check_unit(session: Session, unit_id: str | None) -> str | None:
    if unit_id:
        unit = session.get(Unit, unit_id)
        if unit is None or unit.deleted:
            raise ValidationError("Đơn vị đã chọn không còn trong danh sách đơn vị.", "unit")
    return unit_id or None


def _load(session: Session, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise ValidationError("Không tìm thấy người dùng (có thể vừa bị xóa). Hãy tải lại danh sách.")
    return user


def find(session: Session, user_name: str) -> User | None:
    return session.scalar(select(User).where(User.name_key == (user_name or "").strip().lower()))


def _active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN.value, User.active.is_(True))) or 0


def _keep_an_admin(session: Session, user: User, doing: str) -> None:
    if user.role == Role.ADMIN.value and user.active and _active_admins(session) <= 1:
        raise ValidationError(
            f"Không {doing} được: “{user.user_name}” là quản trị duy nhất còn hoạt động, mà phần mềm cần ít nhất "
            "một quản trị để quản lý người dùng. Hãy thêm hoặc mở lại một tài khoản quản trị khác trước.", "role")


def create_user(session: Session, user_name: str, full_name: str, role: Role | str, password: str,
                unit_id: str | None = None) -> str:
    """Add a user; the first one must be a quản trị (and turns sign-in on)."""
    require(session, Permission.USERS)
    name = (user_name or "").strip()
    if not USER_NAME.match(name):
        raise ValidationError("Tên đăng nhập gồm 2 đến 50 ký tự: chữ không dấu, chữ số, dấu chấm, gạch dưới hoặc "
                              "gạch ngang, bắt đầu bằng chữ hoặc số (ví dụ: lan.nt).", "user_name")
    full = " ".join((nfc(full_name) or "").split())
    if not full:
        raise ValidationError("Hãy nhập họ và tên của người dùng.", "full_name")
    if len(full) > 200:
        raise ValidationError("Họ và tên dài quá 200 ký tự.", "full_name")
    role = Role(role)
    if find(session, name) is not None:
        raise ValidationError(f"Tên đăng nhập “{name}” đã có người dùng (không phân biệt chữ hoa, chữ thường). "
                              "Hãy chọn tên khác.", "user_name")
    if role != Role.ADMIN and session.scalar(select(User.id).limit(1)) is None:
        raise ValidationError("Người dùng đầu tiên phải có vai trò quản trị: người đó quản lý các tài khoản khác. "
                              "Hãy chọn vai trò quản trị.", "role")
    user = User(user_name=name, name_key=name.lower(), full_name=full, role=role.value,
                unit_id=_check_unit(session, unit_id), active=True,
                password_hash=passwords.hash_password(_check_password(password)))
    session.add(user)
    session.flush()
    access.forget_sign_in_state(session)
    _audit(session, user, "*", None, json.dumps({"user_name": name, "full_name": full, "role": role.value,
                                                 "unit_id": user.unit_id}, ensure_ascii=False, sort_keys=True))
    return user.id


def authenticate(session: Session, user_name: str, password: str) -> Actor:
    """The account these credentials open; SignInError with the same message for an unknown name and a wrong
    password. Writes nothing (a window signs in while its start-up check still holds writes back)."""
    user = find(session, user_name)
    password = nfc(password) or ""
    if user is None:
        passwords.verify_nobody(password)
        raise SignInError(WRONG)
    if not passwords.verify(user.password_hash, password):
        raise SignInError(WRONG)
    if not user.active:
        raise SignInError(f"Tài khoản “{user.user_name}” đã bị khóa. Hãy nhờ quản trị của cơ quan mở lại tài khoản "
                          "hoặc cấp tài khoản khác.")
    return Actor.of(user)


def renew_hash(session: Session, actor: Actor, password: str) -> bool:
    """After a sign-in: a hash made with weaker parameters than the library's current ones is made again.
    True when it was."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None or not passwords.needs_rehash(user.password_hash):
        return False
    password = nfc(password) or ""
    if not passwords.verify(user.password_hash, password):
        return False
    user.password_hash = passwords.hash_password(password)
    return True


def change_password(session: Session, user_id: str, new_password: str, old_password: str | None = None) -> None:
    """A user changes their own password (giving the old one); a quản trị sets anyone's (a reset)."""
    actor = current_actor(session, "đổi mật khẩu")
    user = _load(session, user_id)
    own = not actor.implicit and actor.user_id == user.id
    if own and old_password is not None:
        if not passwords.verify(user.password_hash, nfc(old_password) or ""):
            raise ValidationError("Mật khẩu hiện tại không đúng; mật khẩu chưa được đổi.", "old_password")
    elif not actor.may(Permission.USERS):
        raise AccessDenied(f"Tài khoản “{actor.user_name}” ({actor.role.label}) chỉ đổi được mật khẩu của chính "
                           "mình (cần gõ mật khẩu hiện tại); đặt lại mật khẩu của người khác cần vai trò quản trị. "
                           "Không có gì bị thay đổi.")
    user.password_hash = passwords.hash_password(_check_password(new_password))
    user.changed_at = utcnow()
    _audit(session, user, "password", None, "đã đổi")


def set_role(session: Session, user_id: str, role: Role | str, unit_id: str | None = None) -> None:
    """Give a user another role (and the unit they work in)."""
    require(session, Permission.USERS)
    user = _load(session, user_id)
    role = Role(role)
    if role != Role.ADMIN:
        _keep_an_admin(session, user, f"đổi vai trò của “{user.user_name}” thành {role.label}")
    unit_id = _check_unit(session, unit_id)
    if user.role != role.value:
        _audit(session, user, "role", user.role, role.value)
        user.role = role.value
    if user.unit_id != unit_id:
        _audit(session, user, "unit_id", user.unit_id, unit_id)
        user.unit_id = unit_id


def set_full_name(session: Session, user_id: str, full_name: str) -> None:
    require(session, Permission.USERS)
    user = _load(session, user_id)
    full = " ".join((nfc(full_name) or "").split())
    if not full or len(full) > 200:
        raise ValidationError("Hãy nhập họ và tên của người dùng (tối đa 200 ký tự).", "full_name")
    if full != user.full_name:
        _audit(session, user, "full_name", user.full_name, full)
        user.full_name = full


def deactivate(session: Session, user_id: str) -> None:
    """Close an account: it can no longer sign in; the audit keeps its name."""
    actor = require(session, Permission.USERS)
    user = _load(session, user_id)
    if not user.active:
        return
    if actor.user_id == user.id:
        raise ValidationError("Không tự khóa tài khoản đang đăng nhập. Hãy nhờ một quản trị khác khóa tài khoản "
                              "này.", "active")
    _keep_an_admin(session, user, f"khóa tài khoản “{user.user_name}”")
    user.active = False
    _audit(session, user, "active", "1", "0")


def reactivate(session: Session, user_id: str) -> None:
    require(session, Permission.USERS)
    user = _load(session, user_id)
    if not user.active:
        user.active = True
        _audit(session, user, "active", "0", "1")


def appears_in_audit(session: Session, user: User) -> bool:
    return session.scalar(select(AuditEntry.id).where(AuditEntry.user == user.user_name).limit(1)) is not None


def delete_user(session: Session, user_id: str) -> None:
    """Remove an account that never changed anything; one that appears in the audit can only be deactivated."""
    actor = require(session, Permission.USERS)
    user = _load(session, user_id)
    if actor.user_id == user.id:
        raise ValidationError("Không tự xóa tài khoản đang đăng nhập.", "active")
    if appears_in_audit(session, user):
        raise ValidationError(
            f"Không xóa được tài khoản “{user.user_name}”: nhật ký thay đổi có ghi tên người này, nên tài khoản "
            "phải còn để nhật ký có ý nghĩa. Hãy khóa tài khoản thay vì xóa.", "active")
    _keep_an_admin(session, user, f"xóa tài khoản “{user.user_name}”")
    _audit(session, user, "*", json.dumps({"user_name": user.user_name}, ensure_ascii=False), None)
    session.delete(user)
