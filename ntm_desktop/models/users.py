"""People who sign in on this database and the role each one has (they never travel by sync)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ntm_desktop.models.base import Base, new_id, utcnow

ROLES = ("van_thu", "chuyen_vien", "lanh_dao", "quan_tri")


class User(Base):
    """One officer's account: a user name (unique whatever its case), a role, a password hash, active or not.

    `unit_id` is the unit the officer works in: a chuyên viên is in charge of the tasks that unit (or a unit
    below it) leads. A deactivated account stays, so that the audit rows naming it keep their meaning.
    """

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_name: Mapped[str] = mapped_column(String(50))
    name_key: Mapped[str] = mapped_column(String(50), unique=True)  # user_name in lower case
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, nullable=False)
