"""Who may do what: the four roles of an office, and the check every service makes before it changes data.

Roles: văn thư registers directives and their attachments; chuyên viên reports progress on, and completes,
the tasks their unit leads, and assesses the communes' criteria; lãnh đạo assigns tasks, approves completion,
records recognition decisions and prints every report; quản trị
manages users, settings, units, backups and sync, and may do everything else too.

The person acting travels with the session (``session.info["actor"]``): set for one transaction by
``Database.transaction(actor=...)``, or for every session of a database by ``sign_in(db, actor)`` after the
sign-in dialog. A database with no users (one PC, no sign-in, as before) has one implicit user with every
right; creating the first quản trị turns sign-in on, and from then on a session without a signed-in user
is refused.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.errors import UserError
from ntm_desktop.models import Unit, User


class Role(str, enum.Enum):
    CLERK = "van_thu"
    SPECIALIST = "chuyen_vien"
    LEADER = "lanh_dao"
    ADMIN = "quan_tri"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {Role.CLERK: "văn thư", Role.SPECIALIST: "chuyên viên", Role.LEADER: "lãnh đạo",
               Role.ADMIN: "quản trị"}


class Permission(enum.Enum):
    """An action and the roles that may take it (quản trị may take every one)."""

    REGISTER = ("vào sổ, sửa hoặc xóa văn bản đến", (Role.CLERK,))
    ATTACHMENTS = ("đính kèm hoặc gỡ tệp của văn bản đến", (Role.CLERK,))
    ASSIGN = ("giao, sửa hoặc xóa nhiệm vụ", (Role.LEADER,))
    PROGRESS = ("báo cáo tiến độ nhiệm vụ", (Role.SPECIALIST, Role.LEADER))
    COMPLETE = ("ghi nhận hoàn thành nhiệm vụ", (Role.SPECIALIST, Role.LEADER))
    REGISTER_BOOKS = ("in sổ đăng ký và sổ theo dõi văn bản đến", (Role.CLERK, Role.LEADER))
    UNIT_REPORT = ("lập danh mục nhiệm vụ của một đơn vị", (Role.SPECIALIST, Role.LEADER))
    REPORTS = ("lập báo cáo tổng hợp", (Role.LEADER,))
    CRITERIA = ("đánh giá tiêu chí nông thôn mới của xã (kết quả, minh chứng, hồ sơ năm, nhiệm vụ gắn với tiêu chí)",
                (Role.SPECIALIST, Role.LEADER))
    RECOGNITION = ("ghi hoặc thu hồi quyết định công nhận xã đạt chuẩn", (Role.LEADER,))
    CRITERIA_SETS = ("sửa bộ tiêu chí", ())
    USERS = ("quản lý người dùng", ())
    SETTINGS = ("đổi thông tin và thiết lập của cơ quan", ())
    UNITS = ("sửa danh mục đơn vị", ())
    BACKUPS = ("sao lưu hoặc khôi phục dữ liệu", ())
    SYNC = ("nhận hoặc gửi gói dữ liệu", ())

    @property
    def action(self) -> str:
        return self.value[0]

    @property
    def roles(self) -> tuple[Role, ...]:
        return (*self.value[1], Role.ADMIN)


# A chuyên viên takes these only for the tasks (or the unit) their own unit is in charge of.
IN_CHARGE_ONLY = {Permission.PROGRESS, Permission.COMPLETE, Permission.UNIT_REPORT}


class AccessDenied(UserError):
    """The person signed in may not do this (or nobody is signed in); nothing was changed."""


@dataclass(frozen=True)
class Actor:
    """The person acting. `user_id` None: the implicit user of a database without sign-in (every right)."""

    user_id: str | None
    user_name: str = ""
    full_name: str = ""
    role: Role | None = None
    unit_id: str | None = None

    @property
    def implicit(self) -> bool:
        return self.user_id is None

    @classmethod
    def of(cls, user: User) -> "Actor":
        return cls(user.id, user.user_name, user.full_name, Role(user.role), user.unit_id)

    def may(self, permission: Permission) -> bool:
        """Whether the role allows the action at all (for a chuyên viên: on the tasks in their charge)."""
        return self.implicit or self.role in permission.roles


IMPLICIT = Actor(None)

# The user name and password given to a command-line command (`--user`), checked when a session first needs them.
_command_line: tuple[str, str] | None = None


def command_line_sign_in(user_name: str | None, password: str = "") -> None:
    """A command runs as this account when the data have sign-in on (None: as nobody, again)."""
    global _command_line
    _command_line = (user_name, password) if user_name else None


def sign_in_on(session: Session) -> bool:
    """Sign-in is on once a user exists (the first one is a quản trị). Known once per transaction (a bulk import
    checks for each record); users.create_user forgets it."""
    known = session.info.get(_SIGN_IN_ON)
    if known is None:
        known = session.info[_SIGN_IN_ON] = session.scalar(select(User.id).limit(1)) is not None
    return known


_SIGN_IN_ON = "access.sign_in_on"


def forget_sign_in_state(session: Session) -> None:
    session.info.pop(_SIGN_IN_ON, None)


def sign_in(db, actor: Actor) -> None:
    """Every session of `db` from now on acts as `actor` (the window's signed-in user)."""
    db.sessions.kw.setdefault("info", {})["actor"] = actor


def signed_in(db) -> Actor:
    """Who the sessions of `db` act as (IMPLICIT until someone signs in)."""
    return db.sessions.kw.get("info", {}).get("actor") or IMPLICIT


def current_actor(session: Session, doing: str = "làm việc này") -> Actor:
    """The person of this session, read again from the users table (a role changed or an account closed
    on another PC counts at once)."""
    actor = session.info.get("actor") or IMPLICIT
    if actor.implicit and _command_line is not None and sign_in_on(session):
        from ntm_desktop.services import users

        actor = users.authenticate(session, *_command_line)  # a wrong password: SignInError, nothing done
        session.info["actor"] = actor
        session.info["user"] = actor.user_name  # the audit names the person from here on
    if actor.implicit:
        if sign_in_on(session):
            raise AccessDenied(f"Phần mềm đã bật đăng nhập: hãy đăng nhập bằng tài khoản được cấp để {doing}. "
                               "Không có gì bị thay đổi.")
        return IMPLICIT
    user = session.get(User, actor.user_id)
    session.info["access.user"] = user  # held, so the next check of this transaction reads no row again
    if user is None and not sign_in_on(session):
        return IMPLICIT  # the data were restored from a backup made before sign-in was turned on
    if user is None or not user.active:
        raise AccessDenied(f"Tài khoản “{actor.user_name}” đã bị khóa hoặc không còn, nên không {doing} được. "
                           "Không có gì bị thay đổi. Hãy nhờ quản trị mở lại tài khoản, hoặc đăng nhập bằng "
                           "tài khoản khác.")
    return Actor.of(user)


def _roles_text(permission: Permission) -> str:
    return " hoặc ".join(role.label for role in permission.roles)


def require(session: Session, permission: Permission, *, unit_id: str | None = None) -> Actor:
    """Refuse (AccessDenied, in Vietnamese) unless the person of this session may take `permission`.

    `unit_id`: for a task, its lead unit; for a unit's report, that unit. A chuyên viên takes the actions of
    IN_CHARGE_ONLY only when it is their unit or a unit below it.
    """
    actor = current_actor(session, permission.action)
    if actor.implicit or actor.role == Role.ADMIN:
        return actor
    who = f"Tài khoản “{actor.user_name}” ({actor.role.label})"
    if actor.role not in permission.roles:
        raise AccessDenied(f"{who} không được {permission.action}: việc này cần vai trò {_roles_text(permission)}. "
                           "Không có gì bị thay đổi. Hãy đăng nhập bằng tài khoản có vai trò đó, hoặc nhờ quản trị "
                           "cấp quyền.")
    if permission in IN_CHARGE_ONLY and actor.role == Role.SPECIALIST and not in_charge(session, actor, unit_id):
        own = _unit_name(session, own_unit(session, actor))
        other = _unit_name(session, unit_id)
        raise AccessDenied(
            f"{who} chỉ được {permission.action} khi đơn vị mình ({own}) hoặc đơn vị trực thuộc chủ trì, "
            f"còn {other} không thuộc đơn vị đó. Với đơn vị khác, việc này cần vai trò lãnh đạo hoặc quản trị. "
            "Không có gì bị thay đổi.")
    return actor


def may(session: Session, permission: Permission, *, unit_id: str | None = None) -> bool:
    """require() as a yes or no (for a screen deciding what to offer)."""
    try:
        require(session, permission, unit_id=unit_id)
    except AccessDenied:
        return False
    return True


def require_on(db, permission: Permission) -> Actor:
    """require() for work on the data folder rather than in one transaction (backups)."""
    with db.transaction() as session:
        return require(session, permission)


def own_unit(session: Session, actor: Actor) -> str | None:
    """The unit an officer works in: theirs, else this office."""
    from ntm_desktop.services import settings

    return actor.unit_id or settings.office_unit_id(session)


def in_charge(session: Session, actor: Actor, unit_id: str | None) -> bool:
    """`unit_id` is the officer's unit or a unit below it."""
    base = own_unit(session, actor)
    current, seen = unit_id, set()
    while base and current and current not in seen:
        if current == base:
            return True
        seen.add(current)
        current = session.scalar(select(Unit.parent_id).where(Unit.id == current))
    return False


def _unit_name(session: Session, unit_id: str | None) -> str:
    unit = session.get(Unit, unit_id) if unit_id else None
    return unit.name if unit else "đơn vị chưa rõ"
