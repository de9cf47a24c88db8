"""What the window needs before the database is opened: the office's name, read with plain sqlite3.

The main window paints before SQLAlchemy and the migrations are loaded (loading them takes longer
than painting the window). That is done only when this read finds the folder ready for work: the
database is at this app's newest schema and names its office. Anything else (a new folder, an upgrade
due, a file that cannot be read) goes the careful way: the database is opened, upgraded and checked
before any window shows.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"
_REVISION = re.compile(r"^revision\s*(?::\s*\w+\s*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]+)?=\s*(?:None|['\"]([^'\"]+)['\"])", re.MULTILINE)


@dataclass(frozen=True)
class ReadyFolder:
    office_unit_id: str
    office_name: str


def head_revision(versions: Path = VERSIONS) -> str | None:
    """The newest migration's revision, read from the migration files' text (None if unsure)."""
    revisions, parents = set(), set()
    try:
        files = sorted(versions.glob("*.py"))
        for path in files:
            text = path.read_text(encoding="utf-8")
            revision, down = _REVISION.search(text), _DOWN.search(text)
            if revision is None or down is None:
                return None
            revisions.add(revision.group(1))
            if down.group(1):
                parents.add(down.group(1))
    except (OSError, UnicodeDecodeError):
        return None
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def peek_ready_folder(database: Path) -> ReadyFolder | None:
    """The office of a database ready for work, or None when it must be opened the careful way."""
    head = head_revision()
    if head is None or not Path(database).is_file():
        return None
    try:
        uri = f"{Path(database).resolve().as_uri()}?mode=ro"
        con = sqlite3.connect(uri, uri=True, timeout=2)
        try:
            current = con.execute("SELECT version_num FROM alembic_version").fetchall()
            if current != [(head,)]:
                return None
            office = con.execute("SELECT value FROM settings WHERE key = 'office_unit_id'").fetchone()
            if not office or not office[0]:
                return None
            unit = con.execute("SELECT name FROM units WHERE id = ? AND deleted = 0", (office[0],)).fetchone()
            if unit is None:
                return None
            return ReadyFolder(office[0], unit[0] or "")
        finally:
            con.close()
    except sqlite3.Error:
        return None
