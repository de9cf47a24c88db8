"""Per-installation settings: this office, its name for printed documents, the user."""

from __future__ import annotations

import getpass

from sqlalchemy.orm import Session

from ntm_desktop.models import Setting

OFFICE_UNIT = "office_unit_id"
USER_NAME = "user_name"


def get(session: Session, key: str, default: str = "") -> str:
    row = session.get(Setting, key)
    return row.value if row else default


def put(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def office_unit_id(session: Session) -> str | None:
    return get(session, OFFICE_UNIT) or None


def current_user(session: Session) -> str:
    """The signed-in user's name (services.access), else the name set here, else the computer's login."""
    actor = session.info.get("actor")
    return getattr(actor, "user_name", "") or get(session, USER_NAME) or getpass.getuser()


PROGRESS_REPORTER = "progress_reporter"


def progress_reporter(session: Session) -> str:
    """Who reports progress on this computer: the name written in the last report saved here, or ""."""
    return get(session, PROGRESS_REPORTER)


def remember_progress_reporter(session: Session, name: str) -> None:
    if name.strip():
        put(session, PROGRESS_REPORTER, name.strip())
