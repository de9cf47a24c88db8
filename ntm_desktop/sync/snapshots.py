"""The last exchanged state of each record: the common base a field-by-field merge compares with."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from ntm_desktop.models import SyncSnapshot


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def remember(session: Session, entity: str, records: list[dict]) -> None:
    if not records:
        return
    table = SyncSnapshot.__table__
    rows = [dict(entity=entity, record_id=r["id"], version=_dump(r["version"]), data=_dump(r)) for r in records]
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.entity, table.c.record_id],
        set_={"version": statement.excluded.version, "data": statement.excluded.data},
    )
    for i in range(0, len(rows), 2000):
        session.execute(statement, rows[i:i + 2000])


def load(session: Session, entity: str, ids: list[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for i in range(0, len(ids), 500):
        query = select(SyncSnapshot.record_id, SyncSnapshot.data).where(
            SyncSnapshot.entity == entity, SyncSnapshot.record_id.in_(ids[i:i + 500])
        )
        for record_id, data in session.execute(query):
            found[record_id] = json.loads(data)
    return found
