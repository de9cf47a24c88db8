"""The last exchanged state of each record: the common base a field-by-field merge compares with."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.models import SyncSnapshot
from ntm_desktop.sync.bulk import driver_sql, vector_texts


def dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


_UPSERT = (
    "INSERT INTO sync_snapshots (entity, record_id, version, data) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (entity, record_id) DO UPDATE SET version = excluded.version, data = excluded.data"
)


def remember(session: Session, entity: str, records: list[dict], lines: dict[str, str] | None = None) -> None:
    """Keep each record as the last exchanged state; `lines` holds records' JSON as it arrived, reused as is."""
    if not records:
        return
    lines = lines or {}
    versions = vector_texts([r["version"] for r in records])
    rows = [(entity, r["id"], v, lines.get(r["id"]) or dump(r)) for r, v in zip(records, versions)]
    connection = session.connection()
    connection.exec_driver_sql(driver_sql(connection.dialect, _UPSERT), rows)


def load(session: Session, entity: str, ids: list[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for i in range(0, len(ids), 500):
        query = select(SyncSnapshot.record_id, SyncSnapshot.data).where(
            SyncSnapshot.entity == entity, SyncSnapshot.record_id.in_(ids[i:i + 500])
        )
        for record_id, data in session.execute(query):
            found[record_id] = json.loads(data)
    return found
