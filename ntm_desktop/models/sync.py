"""Sync bookkeeping: packages received and sent, receipts, conflicts, last exchanged states.

None of these tables travels; they describe this installation's exchanges.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ntm_desktop.models.base import Base, new_id, utcnow


class ImportLedger(Base):
    """One package opened for import: applied, refused, or already imported."""

    __tablename__ = "sync_import_ledger"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    package_id: Mapped[str] = mapped_column(String(36), index=True)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(20), default="")
    origin_unit_id: Mapped[str] = mapped_column(String(36), default="", index=True)
    origin_code: Mapped[str] = mapped_column(String(40), default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_utc: Mapped[str] = mapped_column(String(40), default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(200), default="")
    file_name: Mapped[str] = mapped_column(String(300), default="")
    result: Mapped[str] = mapped_column(String(20))  # applied / refused / reverted
    summary: Mapped[str] = mapped_column(Text, default="")  # JSON or the refusal reason


class ExportLog(Base):
    """One package written for a destination; `sequence` runs per destination."""

    __tablename__ = "sync_export_log"
    __table_args__ = (UniqueConstraint("destination_unit_id", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    package_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    destination_unit_id: Mapped[str] = mapped_column(String(36), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(200), default="")
    file_name: Mapped[str] = mapped_column(String(300), default="")
    audit_watermark: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text, default="")  # JSON {entity: count}
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)


class Receipt(Base):
    """A receipt received: the destination says it applied one of our packages."""

    __tablename__ = "sync_receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    receipt_package_id: Mapped[str] = mapped_column(String(36), index=True)
    from_unit_id: Mapped[str] = mapped_column(String(36), index=True)
    package_id: Mapped[str] = mapped_column(String(36), index=True)
    applied_at: Mapped[str] = mapped_column(String(40), default="")
    rejected: Mapped[str] = mapped_column(Text, default="")  # JSON list of reasons
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SyncConflict(Base):
    """A field both sides changed: the two values, the one kept, and the person's decision."""

    __tablename__ = "sync_conflicts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    entity: Mapped[str] = mapped_column(String(50), index=True)
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(50))
    local_value: Mapped[str | None] = mapped_column(Text)  # JSON
    incoming_value: Mapped[str | None] = mapped_column(Text)  # JSON
    kept: Mapped[str] = mapped_column(String(10), default="local")  # local / incoming
    package_id: Mapped[str] = mapped_column(String(36), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by: Mapped[str] = mapped_column(String(200), default="")


class SyncSnapshot(Base):
    """The last state of a record that was exchanged: the common base of a field-by-field merge."""

    __tablename__ = "sync_snapshots"

    entity: Mapped[str] = mapped_column(String(50), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[str] = mapped_column(Text)  # JSON vector
    data: Mapped[str] = mapped_column(Text)  # JSON record
