"""The window is painted before the database is opened only on a folder ready for work; anything else is
opened and checked first (a new folder, an upgrade due, an office not chosen yet)."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.script import ScriptDirectory

from core_factories import make_office
from ntm_desktop.db import _alembic_config
from ntm_desktop.safety.peek import head_revision, peek_ready_folder

pytestmark = pytest.mark.sqlite_only  # reads the SQLite file before it is opened


def test_the_newest_revision_is_read_from_the_migration_files_as_alembic_reads_it():
    assert head_revision() == ScriptDirectory.from_config(_alembic_config()).get_current_head()


def test_a_folder_ready_for_work_names_its_office(workspace):
    assert peek_ready_folder(workspace.folder.database) is None  # no office chosen yet: the first-start dialog
    with workspace.db.transaction("test") as s:
        office = make_office(s)
    ready = peek_ready_folder(workspace.folder.database)
    assert ready is not None and ready.office_unit_id == office
    assert ready.office_name == "Văn phòng Điều phối nông thôn mới huyện Hàm Yên"


def test_an_upgrade_due_or_no_database_goes_the_careful_way(workspace, tmp_path):
    with workspace.db.transaction("test") as s:
        make_office(s)
    workspace.close()
    con = sqlite3.connect(workspace.folder.database)
    con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.commit()
    con.close()
    assert peek_ready_folder(workspace.folder.database) is None
    assert peek_ready_folder(tmp_path / "nowhere" / "ntm.sqlite3") is None
    (tmp_path / "garbage.sqlite3").write_bytes(b"not a database at all" * 100)
    assert peek_ready_folder(tmp_path / "garbage.sqlite3") is None
