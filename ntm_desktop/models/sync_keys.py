"""Signing keys of offices as this installation knows them (its own included).

A key is known here because this office made it, because a clerk confirmed its fingerprint, because it
arrived in the signed key list of the office above, or because the office's previous key signed its
replacement. None of this travels as records: keys travel in the signed manifests of packages.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ntm_desktop.models.base import Base, utcnow

KEY_STATUSES = ("active", "pending", "replaced", "revoked")


class SyncKey(Base):
    """One office's public key: in use (active), waiting for a clerk (pending), replaced or revoked."""

    __tablename__ = "sync_keys"
    __table_args__ = (UniqueConstraint("unit_id", "public_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    unit_id: Mapped[str] = mapped_column(String(36), index=True)
    unit_code: Mapped[str] = mapped_column(String(40), default="")
    public_key: Mapped[str] = mapped_column(String(64))  # Ed25519, 32 bytes in base64
    fingerprint: Mapped[str] = mapped_column(String(60), index=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    source: Mapped[str] = mapped_column(String(300), default="")  # how it became known, in Vietnamese
    # A replacement signed by the key before it (rotation): that key and the signature over the announcement.
    previous_key: Mapped[str] = mapped_column(String(64), default="")
    rotated_at: Mapped[str] = mapped_column(String(40), default="")  # UTC ISO, as announced
    rotation_signature: Mapped[str] = mapped_column(String(100), default="")
    confirmed_by: Mapped[str] = mapped_column(String(200), default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC: packages made from then on are refused
    revoked_by: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")  # why it is pending, what replaced it
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
