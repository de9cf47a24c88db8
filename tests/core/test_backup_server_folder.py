"""`ntm-desktop backup` and `restore` on a data folder that works on the office's server: the server's data is
backed up and restored (not the PC's old local file), and a PC file's backup is refused there."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from ntm_desktop.cli import main
from ntm_desktop.db import open_database
from ntm_desktop.models import Directive
from ntm_desktop.paths import resolve_data_folder
from ntm_desktop.server.setting import record_server

from core_factories import make_directive, make_office
from server_db import NO_SERVER, SERVER, create_server_schema, drop_server_database, new_server_database

pytestmark = pytest.mark.skipif(not SERVER, reason=NO_SERVER)


@pytest.fixture
def server_folder(tmp_path):
    url = new_server_database("backupcli")
    create_server_schema(url)
    folder = resolve_data_folder(tmp_path / "may-a")
    record_server(folder, url)
    yield folder, url
    record_server(folder, None)  # the folder outlives its database: it no longer names it
    drop_server_database(url)


def _directives(url) -> int:
    db = open_database(url)
    try:
        with db.transaction() as s:
            return s.scalar(select(func.count()).select_from(Directive))
    finally:
        db.dispose()


def test_backup_and_restore_of_a_folder_on_the_server(server_folder, tmp_path, capsys):
    folder, url = server_folder
    db = open_database(url)
    with db.transaction("vt") as s:
        office = make_office(s)
        make_directive(s, office, date(2026, 3, 2), 1)
    db.dispose()
    usb = tmp_path / "usb"
    assert main(["backup", "--data-dir", str(folder.root), "--to", str(usb)]) == 0
    out = capsys.readouterr().out
    assert "Đã sao lưu máy chủ" in out and "Đã chép thêm" in out
    made = sorted(p for p in folder.backups.iterdir() if p.name.startswith("ntm-may-chu-"))
    assert len(made) == 1 and (usb / made[0].name).is_file()
    assert not folder.database.exists()  # no local file made for it

    db = open_database(url)
    with db.transaction("vt") as s:
        make_directive(s, s.scalar(select(Directive.office_unit_id)), date(2026, 3, 3), 2)
    db.dispose()
    assert _directives(url) == 2
    assert main(["restore", "--data-dir", str(folder.root), str(usb / made[0].name)]) == 0
    assert "Đã khôi phục" in capsys.readouterr().out
    assert _directives(url) == 1  # as it was at the backup


def test_a_pc_files_backup_is_refused_on_a_folder_on_the_server(server_folder, tmp_path, capsys):
    folder, url = server_folder
    other = tmp_path / "ban-sao-may-cu.ntmbak"
    other.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    assert main(["restore", "--data-dir", str(folder.root), str(other)]) == 2
    err = capsys.readouterr().err
    assert "làm việc trên máy chủ" in err and "Không có gì bị thay đổi" in err
    assert not folder.database.exists()
