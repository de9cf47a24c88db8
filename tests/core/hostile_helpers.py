"""Helpers for tests that feed hostile files: what changed on disk, and whether the data changed."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def tree(root: Path, skip_database: bool = True) -> dict[str, bytes]:
    """Every file under `root` with its content, to prove what was created or changed.

    The live database and its journal files are left out by default (a read may touch them; compare
    `data_digest` for the data itself).
    """
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not (skip_database and p.name.startswith("ntm.sqlite3"))}


def folder_server(database: Path):
    """The server database a data folder works on (its database.json), None for the folder's SQLite file."""
    from ntm_desktop.server.setting import recorded_server

    return recorded_server(Path(database).parent)


def server_digest(url, skip: tuple[str, ...] = (), where: dict[str, str] | None = None) -> str:
    """A hash of every row of every table on the server (`where`: a condition per table, `skip`: tables left out)."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        digest = hashlib.sha256()
        with engine.connect() as conn:
            for name in sorted(inspect(conn).get_table_names()):
                if name in skip:
                    continue
                width = len(inspect(conn).get_columns(name))
                order = ", ".join(str(i) for i in range(1, width + 1))
                condition = f" WHERE {where[name]}" if where and name in where else ""
                for row in conn.execute(text(f'SELECT * FROM "{name}"{condition} ORDER BY {order}')):
                    digest.update(repr((name, tuple(row))).encode("utf-8"))
        return digest.hexdigest()
    finally:
        engine.dispose()


def data_digest(database: Path) -> str:
    """A hash of the database's full SQL dump: the same rows in every table give the same digest (on the office's
    server, when the folder works on one: every row of every table)."""
    url = folder_server(database)
    if url:
        return server_digest(url)
    con = sqlite3.connect(f"file:{Path(database).resolve().as_posix()}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for line in con.iterdump():
            digest.update(line.encode("utf-8"))
        return digest.hexdigest()
    finally:
        con.close()
