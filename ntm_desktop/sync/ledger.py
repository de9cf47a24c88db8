"""The import ledger: every package opened, applied or refused; gaps in an origin's sequence."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ntm_desktop.models import ExportLog, ImportLedger

# The office's packages are made and applied one at a time on its server (pg_advisory_xact_lock's key), as the
# SQLite file's single writer does: a package applied on two PCs at once is applied once, two packages made for
# one office at once get two sequence numbers.
SYNC_LOCK = 0x4E544D53  # "NTMS"


def one_at_a_time(session: Session, write: bool = False) -> None:
    """Wait for any other PC's or process's package work to commit; held to this transaction's end.

    On the server, an advisory lock. On the SQLite file (`write`), the file's write lock taken now, before the
    ledger is read: otherwise a second process could read it before the first commits and apply the same package
    again once the first is done (each read of the file sees what is committed at that moment)."""
    if session.get_bind().dialect.name != "postgresql":
        if write:
            session.execute(text("UPDATE settings SET value = value WHERE key = 'installation_id'"))
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SYNC_LOCK})


def record(session: Session, *, package_id: str, sha256: str, kind: str, origin_unit_id: str, origin_code: str,
           sequence: int, created_utc: str, user: str, file_name: str, result: str, summary) -> ImportLedger:
    entry = ImportLedger(
        package_id=package_id, sha256=sha256, kind=kind, origin_unit_id=origin_unit_id, origin_code=origin_code,
        sequence=sequence, created_utc=created_utc, user=user, file_name=file_name, result=result,
        summary=summary if isinstance(summary, str) else json.dumps(summary, ensure_ascii=False),
    )
    session.add(entry)
    return entry


def imported_on_text(entry: ImportLedger) -> str:
    from ntm_desktop.services.dates import format_vn_datetime

    day, time = format_vn_datetime(entry.at).split(" ")  # local time; the ledger keeps UTC
    return f"Gói này đã được nhập ngày {day} lúc {time}; lần này không thay đổi gì."


def received(session: Session) -> list[ImportLedger]:
    return list(session.scalars(select(ImportLedger).order_by(ImportLedger.id.desc())))


def sent(session: Session) -> list[ExportLog]:
    return list(session.scalars(select(ExportLog).order_by(ExportLog.id.desc())))


def applied_sequences(session: Session, origin_unit_id: str) -> list[int]:
    """Sequences received from an origin (receipts share the numbering, so they count too)."""
    return sorted(set(session.scalars(select(ImportLedger.sequence).where(
        ImportLedger.origin_unit_id == origin_unit_id, ImportLedger.result.in_(("applied", "reverted"))))))


def gaps(sequences: list[int]) -> list[int]:
    """Numbers missing between 1 and the highest received (a `full` package heals them)."""
    if not sequences:
        return []
    have = set(sequences)
    return [n for n in range(1, max(have)) if n not in have]


@dataclass(frozen=True)
class HistoryRow:
    direction: str  # "sent" / "received"
    package_id: str
    unit: str
    sequence: int
    at: datetime
    result: str
    summary: str
    file_name: str
