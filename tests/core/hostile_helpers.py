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


def data_digest(database: Path) -> str:
    """A hash of the database's full SQL dump: the same rows in every table give the same digest."""
    con = sqlite3.connect(f"file:{Path(database).resolve().as_posix()}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for line in con.iterdump():
            digest.update(line.encode("utf-8"))
        return digest.hexdigest()
    finally:
        con.close()
