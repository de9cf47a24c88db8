"""Attachments in server mode: the bytes live in the database (`stored_files`), so every PC of the office sees them.

Each PC still keeps the copies it has opened in its data folder's files/ (by SHA-256, as in the SQLite mode): a
copy found there is checked against its hash, a missing one is fetched from the server.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ntm_desktop.models.stored_files import StoredFile

TABLE_NAME = StoredFile.__tablename__
_SHA = re.compile(r"^[0-9a-f]{64}$")
# (table, column) of every record that names a file by its hash
FILE_COLUMNS = (("attachments", "sha256"), ("criterion_assessments", "evidence_sha256"))


def on_server(bind) -> bool:
    return bind is not None and bind.dialect.name == "postgresql"


def _local(files_dir: Path, sha: str) -> Path:
    return Path(files_dir) / sha[:2] / sha


def named_hashes(conn: Connection) -> list[str]:
    """Every file hash the records name (attachments, criteria evidence), each once."""
    from sqlalchemy import text

    found: set[str] = set()
    for table, column in FILE_COLUMNS:
        found |= {v for v in conn.execute(text(f"SELECT DISTINCT {column} FROM {table}")).scalars()
                  if isinstance(v, str) and _SHA.match(v)}
    return sorted(found)


def _insert_ignoring_known(conn, rows: list[dict]) -> None:
    if rows:
        conn.execute(pg_insert(StoredFile.__table__).on_conflict_do_nothing(index_elements=["sha256"]), rows)


def store_all(source: Connection, target: Connection, files_dir: Path) -> tuple[int, list[str]]:
    """Put the bytes of every file the local records name into the server's table; (stored, missing hashes)."""
    stored, missing = 0, []
    for sha in named_hashes(source):
        path = _local(files_dir, sha)
        if not path.is_file():
            missing.append(sha)
            continue
        content = path.read_bytes()
        _insert_ignoring_known(target, [dict(sha256=sha, size=len(content), content=content)])
        stored += 1
    return stored, missing


def share(session: Session, files_dir: Path, sha: str) -> None:
    """Server mode: the file just stored in files/ goes into the database too, in the session's transaction."""
    if not on_server(session.get_bind()) or not _SHA.match(sha or ""):
        return
    if session.get(StoredFile, sha) is not None:
        return
    content = _local(files_dir, sha).read_bytes()
    session.flush()
    _insert_ignoring_known(session.connection(), [dict(sha256=sha, size=len(content), content=content)])


def ensure_local(session: Session, files_dir: Path, sha: str) -> None:
    """Server mode: make sure files/ holds the file with this hash, fetched from the server when missing or spoilt."""
    if not on_server(session.get_bind()) or not _SHA.match(sha or ""):
        return
    path = _local(files_dir, sha)
    if path.is_file() and _digest(path) == sha:
        return
    content = session.execute(select(StoredFile.content).where(StoredFile.sha256 == sha)).scalar()
    if content is None or hashlib.sha256(content).hexdigest() != sha:
        return  # the caller says the file is missing, as in the SQLite mode
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
