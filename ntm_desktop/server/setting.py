"""Which database a data folder works on: its `database.json` names the office's server, without the password.

Kept beside the database (like backup.json) and outside it: it must be read before any database is opened. No
file, or no address in it: the local SQLite file, as always. The password is never written here: the OS keyring is
not part of this app's dependencies, so the app asks for it when it opens the server (and PGPASSWORD or libpq's own
password file work for the command line).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy.engine import URL

from ntm_desktop.server.urls import without_password

SETTING_NAME = "database.json"


def _path(root: Path) -> Path:
    return Path(root) / SETTING_NAME


def recorded_server(root: Path) -> str | None:
    """The server address this data folder works on (no password), or None for the local file."""
    try:
        data = json.loads(_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("database") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value.strip() else None


def record_server(folder, url: URL | str | None) -> None:
    """From now on the data folder works on `url` (None: on its local file again). Written whole or not at all."""
    from ntm_desktop.paths import DataFolder

    root = folder.root if isinstance(folder, DataFolder) else Path(folder)  # (a Path's own .root is its drive)
    target = _path(root)
    data = {"database": without_password(url) if url else None}
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, target)
