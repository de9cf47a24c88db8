"""The core suite on the office's PostgreSQL server: `NTM_TEST_ON_SERVER=1` with `NTM_TEST_DATABASE_URL`.

Every data folder a test opens for writing, and that has no SQLite file of its own yet, then works on a fresh
database of that server, as a folder set up by `server move` or the server dialog does (its database.json names the
database, so a command run in a child process finds it too). Two installations in one test get two databases, as
two PCs of two offices would. The databases are copied from a template migrated once per run
(`CREATE DATABASE … TEMPLATE …`) and dropped when the test whose tmp_path holds the folder ends, else once the
folder is gone or when the run ends (a folder a module's fixture made).

Tests about the SQLite file itself (its locking, a corrupt or read-only file, WAL, the file's backup) carry the
`sqlite_only` marker and are skipped on that run.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import pytest

ON_SERVER = os.environ.get("NTM_TEST_ON_SERVER", "").strip() not in ("", "0")
SERVER = os.environ.get("NTM_TEST_DATABASE_URL", "")
SQLITE_ONLY_REASON = "về chính tệp SQLite: không chạy trên PostgreSQL"


def pytest_configure(config):
    if ON_SERVER and not SERVER:
        raise pytest.UsageError("NTM_TEST_ON_SERVER=1 cần NTM_TEST_DATABASE_URL (địa chỉ máy chủ PostgreSQL để thử).")


def pytest_collection_modifyitems(config, items):
    if not ON_SERVER:
        return
    skip = pytest.mark.skip(reason=SQLITE_ONLY_REASON)
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


def pytest_report_header(config):
    if ON_SERVER:
        from sqlalchemy.engine import make_url

        return f"data folders on PostgreSQL: {make_url(SERVER).render_as_string(hide_password=True)}"
    return None


class _Template:
    """One migrated database per run, the source of every test's databases."""

    def __init__(self):
        self.name: str | None = None

    def get(self) -> str:
        if self.name is None:
            from sqlalchemy.engine import make_url

            from ntm_desktop.db import open_database
            from server_db import new_server_database

            url = new_server_database("ntm_tpl")
            db = open_database(url)  # the app's own migrations, as on a PC that opens an empty server database
            with db.engine.begin() as conn:  # each copy makes its own (two offices never share one)
                conn.exec_driver_sql("DELETE FROM settings WHERE key = 'installation_id'")
            db.dispose()
            self.name = make_url(url).database
        return self.name

    def drop(self) -> None:
        if self.name is not None:
            from server_db import SERVER as _server, drop_server_database
            from sqlalchemy.engine import make_url

            drop_server_database(make_url(_server).set(database=self.name))
            self.name = None


_TEMPLATE = _Template()
# every database made for a folder: dropped when its test ends (a folder under the test's tmp_path) or once the
# folder is gone, the rest when the run ends (a folder a module's fixture made outlives the test that opened it)
_MADE: dict[Path, object] = {}


def _drop_databases(everything: bool, under: Path | None = None) -> None:
    from server_db import drop_server_database

    for root in [root for root in _MADE
                 if everything or not root.exists() or (under is not None and root.is_relative_to(under))]:
        drop_server_database(_MADE.pop(root))


def pytest_sessionfinish(session, exitstatus):
    if ON_SERVER:
        _drop_databases(everything=True)
    _TEMPLATE.drop()


def _copy_of_template():
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from server_db import _admin

    template = _TEMPLATE.get()
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = _admin()
    try:
        for attempt in range(20):
            try:
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
                break
            except OperationalError as error:  # "source database … is being accessed by other users": a moment
                if "being accessed" not in str(error) or attempt == 19:
                    raise
                time.sleep(0.1)
    finally:
        admin.dispose()
    return make_url(SERVER).set(database=name)


@pytest.fixture(autouse=True)
def _data_folders_on_server(request, monkeypatch):
    """On the server run: each data folder opened for writing without a SQLite file gets its own database."""
    if not ON_SERVER or request.node.get_closest_marker("sqlite_only"):
        yield
        return
    from ntm_desktop import paths, workspace
    from ntm_desktop.paths import DB_FILE_NAME
    from ntm_desktop.server.setting import record_server

    original_url = paths.database_url
    original_read_only = workspace._open_read_only
    made = _MADE
    reading = []

    def database_url(folder, explicit=None):
        url = original_url(folder, explicit)
        if url is not None or folder is None:
            return url
        root = Path(folder.root).resolve()
        if root in made:
            return made[root]
        if reading or (root / DB_FILE_NAME).exists():
            return None  # nothing here yet to read, or a SQLite file the test put there: the file, as before
        url = _copy_of_template()
        made[root] = url
        record_server(root, url)  # the folder works on the server from now on, for child processes too
        return url

    def open_read_only(*args, **kwargs):
        reading.append(True)
        try:
            return original_read_only(*args, **kwargs)
        finally:
            reading.pop()

    monkeypatch.setattr(paths, "database_url", database_url)
    monkeypatch.setattr(workspace, "_open_read_only", open_read_only)
    try:
        yield
    finally:
        monkeypatch.undo()
        # the test's own folders are done with: their databases go now, so that a run does not pile up hundreds
        own = (getattr(request.node, "funcargs", None) or {}).get("tmp_path")  # (still set while fixtures end)
        own = Path(own).resolve() if own is not None else None
        _drop_databases(everything=False, under=own)
