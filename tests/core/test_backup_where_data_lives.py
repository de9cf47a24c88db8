"""Backups are of where the office's data lives: the SQLite file, or the office's server (pg_dump or the app's own
export) for a folder that works on one. The backup of the window and the commands, the day's automatic one (once a
day on each PC, kept by the same retention rule), and a failure half-way (connection lost, disk full) told in
Vietnamese with no file left behind. The first tests run on either kind (the core suite's server run puts the demo
office on the server); the others need NTM_TEST_DATABASE_URL's server."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from ntm_desktop.backup import BackupKind, create_backup, list_backups, make_daily_backup, select_to_keep
from ntm_desktop.backup.retention import KEEP_RECENT
from ntm_desktop.cli import main
from ntm_desktop.errors import DiskFullError
from ntm_desktop.models import Directive
from ntm_desktop.safety.startup import StartupReport, daily_backup, prepare_data_folder
from ntm_desktop.server.backup import ServerBackupError, list_server_backups
from ntm_desktop.workspace import open_workspace

from network_cut import NetworkCut
from server_db import NO_SERVER, SERVER, drop_server_database, new_server_database

server_only = pytest.mark.skipif(not SERVER, reason=NO_SERVER)
SERVER_SUFFIXES = {".pgdump", ".ntmexport"}


def _backups(ws):
    """The backups of the mode the folder works in, newest first."""
    return list_server_backups(ws.folder.backups) if ws.on_server else list_backups(ws.folder.backups)


def _first_directive(ws) -> tuple[str, str]:
    with ws.db.transaction() as s:
        d = s.scalar(select(Directive).where(Directive.deleted.is_(False)).order_by(Directive.id).limit(1))
        return d.id, d.subject


def test_the_backup_is_of_where_the_data_lives_and_restores(demo_workspace, tmp_path, capsys):
    ws = demo_workspace
    directive_id, subject = _first_directive(ws)
    usb = tmp_path / "usb"
    result = create_backup(ws.folder, BackupKind.MANUAL, to=usb, db=ws.db)  # the window's “Sao lưu ngay”
    assert result.info.path.parent == ws.folder.backups and (usb / result.info.path.name).is_file()
    assert [b.path for b in _backups(ws)] == [result.info.path]
    if ws.on_server:
        assert result.info.path.suffix in SERVER_SUFFIXES and result.server is not None
        assert not list(ws.folder.backups.glob("*.ntmbak")) and not ws.folder.database.exists()
    else:
        assert result.info.path.suffix == ".ntmbak" and result.server is None
    assert result.info.counts_text().startswith(f"{result.info.manifest.counts['directives']} văn bản")
    assert result.info.manifest.counts["directives"] > 0

    with ws.db.transaction("vanthu") as s:  # the office goes on after the backup
        s.get(Directive, directive_id).subject = "Sửa sau khi sao lưu"
    root = ws.folder.root
    ws.close()
    assert main(["restore", "--data-dir", str(root), str(result.info.path)]) == 0, capsys.readouterr().err
    again = open_workspace(root)
    try:
        assert _first_directive(again) == (directive_id, subject)
    finally:
        again.close()


def test_the_days_backup_once_a_day_kept_by_the_retention_rule(demo_workspace):
    ws = demo_workspace
    today = date.today()
    days = [today - timedelta(days=n) for n in range(12, -1, -1)]  # nearly two weeks of first starts, in order
    for day in days:
        morning = datetime.combine(day, time(8, 0))
        made = make_daily_backup(ws.folder, morning)
        assert made is not None and made.info.manifest.kind is BackupKind.DAILY
        assert make_daily_backup(ws.folder, morning + timedelta(hours=9)) is None  # a later start that day
    if ws.on_server:
        assert not list(ws.folder.backups.glob("*.ntmbak"))  # the file is not what is backed up
    last = datetime.combine(days[-1], time(8, 0))
    expected = set(select_to_keep([(datetime.combine(d, time(8, 0)), d) for d in days]))
    expected |= {d for d in days if last - datetime.combine(d, time(8, 0)) < KEEP_RECENT}
    assert {b.created_at.date() for b in _backups(ws)} == expected
    assert len(expected) < len(days)  # the rule did remove some


@server_only
def test_a_start_on_the_server_checks_no_local_file_and_backs_up_the_server(office_on_server):
    folder, url = office_on_server
    folder.database.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # a local file left beside, damaged
    damaged = folder.database.read_bytes()
    report = prepare_data_folder(folder)
    try:
        assert report.backup_failed == ""
        made = report.daily_backup
        assert made is not None and made.server is not None and made.info.path.suffix in SERVER_SUFFIXES
        assert [b.path for b in list_server_backups(folder.backups)] == [made.info.path]
        assert list_backups(folder.backups) == []
        assert folder.database.read_bytes() == damaged  # neither checked nor backed up nor touched
    finally:
        report.lock.release()
    again = prepare_data_folder(folder)  # a second start that day on this PC
    try:
        assert again.daily_backup is None and len(list_server_backups(folder.backups)) == 1
    finally:
        again.lock.release()


@server_only
def test_connection_lost_during_the_backup_is_told_and_leaves_nothing(office_on_server, monkeypatch):
    import ntm_desktop.server.backup as server_backup

    folder, url = office_on_server
    monkeypatch.setattr(server_backup.shutil, "which", lambda _name: None)  # a PC without pg_dump: the own export
    relay = NetworkCut(url)
    real = server_backup._encode

    def cut_at_first_row(table, row):
        relay.cut()  # the cable pulled while the export reads
        return real(table, row)

    monkeypatch.setattr(server_backup, "_encode", cut_at_first_row)
    try:
        with pytest.raises(ServerBackupError) as told:
            create_backup(folder, BackupKind.MANUAL, server=relay.url)
        assert "Mất kết nối với máy chủ 127.0.0.1" in str(told.value) and "chưa sao lưu được" in str(told.value)

        report = StartupReport(lock=None)
        daily_backup(folder, report, server=relay.url)  # the same at the day's first start: told, not raised
        assert report.daily_backup is None
        assert report.backup_failed.startswith("Chưa sao lưu được dữ liệu trên máy chủ hôm nay. Mất kết nối")
        assert "Phần mềm vẫn làm việc bình thường" in report.backup_failed and report.backup_failed in report.warnings

        relay.down()  # the server gone at the start
        report = StartupReport(lock=None)
        daily_backup(folder, report, server=relay.url)
        assert f"Không kết nối được máy chủ 127.0.0.1:{relay.port}" in report.backup_failed
    finally:
        relay.close()
    assert list_server_backups(folder.backups) == [] and not list(folder.backups.glob("*.tmp"))  # nothing half-written


@server_only
def test_a_full_disk_during_the_days_server_backup_is_a_warning(office_on_server, tmp_path):
    from disk_helpers import SmallDisk
    from ntm_desktop.paths import resolve_data_folder
    from ntm_desktop.server.setting import record_server

    _folder, url = office_on_server
    disk = SmallDisk(tmp_path / "disk", size_mb=2)
    try:
        folder = resolve_data_folder(disk.path / "data")
        record_server(folder.root, url)
        folder.backups.mkdir()
        disk.fill(leave=4096)
        report = StartupReport(lock=None)
        daily_backup(folder, report, server=url)  # pg_dump, then the own export, both out of room
        assert report.daily_backup is None
        assert report.backup_failed.startswith("Chưa sao lưu được dữ liệu trên máy chủ hôm nay. Ổ đĩa chứa")
        assert "đã đầy" in report.backup_failed
        assert list(folder.backups.iterdir()) == []  # no half-written backup
        with pytest.raises(DiskFullError):
            create_backup(folder, BackupKind.MANUAL, server=url)
    finally:
        disk.unmount()


@pytest.fixture
def office_on_server(demo_workspace):
    """(data folder, server URL) of the demo office on a server database: the core suite's server run has it
    there already; on the SQLite run it is moved onto a database of its own."""
    from ntm_desktop.server.move import move_office
    from ntm_desktop.server.setting import record_server

    folder = demo_workspace.folder
    if demo_workspace.on_server:
        url = demo_workspace.db.url
        demo_workspace.close()
        yield folder, url
        return
    demo_workspace.close()
    url = new_server_database("backup_lives")
    move_office(folder, url)
    folder.database.unlink()
    record_server(folder.root, url)
    try:
        yield folder, url
    finally:
        record_server(folder.root, None)
        drop_server_database(url)
