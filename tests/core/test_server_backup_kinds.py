"""A backup of the office's server says why it was made, as the file's backups do: the day's automatic one, one made
by hand, one before a package import or before a restore. The backup list (the dialog's, `ntm-desktop backup --list`)
shows that kind; an older server backup whose name carries none still lists, as "Máy chủ (…)"; and the retention
rule keeps server backups of every kind together, exactly as it keeps the file's."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from ntm_desktop.backup import BackupKind, create_backup, list_backups, select_to_keep
from ntm_desktop.backup.retention import KEEP_RECENT
from ntm_desktop.cli import main
from ntm_desktop.paths import resolve_data_folder
from ntm_desktop.server.backup import list_server_backups, prune_server_backups
from ntm_desktop.server.setting import record_server

DUMP = b"PGDMP" + b"\x00" * 64  # what list_server_backups reads of a pg_dump file: its magic


def _dump(folder, name: str):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(DUMP)
    return path


def test_each_server_backup_lists_with_its_kind_and_old_ones_as_server(tmp_path):
    folder = tmp_path / "backups"
    _dump(folder, "ntm-may-chu-2026-03-02_080000-hang-ngay.pgdump")
    _dump(folder, "ntm-may-chu-2026-03-02_093000-thu-cong.pgdump")
    _dump(folder, "ntm-may-chu-2026-03-02_093000-thu-cong-2.pgdump")  # a second one in the same second
    _dump(folder, "ntm-may-chu-2026-03-02_101500-truoc-dong-bo.pgdump")
    _dump(folder, "ntm-may-chu-2026-03-02_110000-truoc-khoi-phuc.pgdump")
    _dump(folder, "ntm-may-chu-2026-03-01_170000.pgdump")  # made before names carried the kind
    _dump(folder, "ntm-may-chu-2026-03-01_160000-2.pgdump")
    listed = {b.path.name: b for b in list_server_backups(folder)}
    assert {name: b.kind_label() for name, b in listed.items()} == {
        "ntm-may-chu-2026-03-02_080000-hang-ngay.pgdump": "Tự động hằng ngày",
        "ntm-may-chu-2026-03-02_093000-thu-cong.pgdump": "Sao lưu thủ công",
        "ntm-may-chu-2026-03-02_093000-thu-cong-2.pgdump": "Sao lưu thủ công",
        "ntm-may-chu-2026-03-02_101500-truoc-dong-bo.pgdump": "Trước khi nhập gói dữ liệu",
        "ntm-may-chu-2026-03-02_110000-truoc-khoi-phuc.pgdump": "Trước khi khôi phục",
        "ntm-may-chu-2026-03-01_170000.pgdump": "Máy chủ (pg_dump)",
        "ntm-may-chu-2026-03-01_160000-2.pgdump": "Máy chủ (pg_dump)",
    }
    assert listed["ntm-may-chu-2026-03-02_101500-truoc-dong-bo.pgdump"].created_at == datetime(2026, 3, 2, 10, 15)


def test_backup_list_command_shows_the_kind_of_server_backups(tmp_path, capsys):
    data = resolve_data_folder(tmp_path / "may-a")
    record_server(data, "postgresql+psycopg://ntm@127.0.0.1:5432/ntm")  # listing reads files only, no server
    try:
        _dump(data.backups, "ntm-may-chu-2026-03-02_080000-hang-ngay.pgdump")
        _dump(data.backups, "ntm-may-chu-2026-03-02_101500-truoc-dong-bo.pgdump")
        _dump(data.backups, "ntm-may-chu-2026-03-01_170000.pgdump")
        assert main(["backup", "--data-dir", str(data.root), "--list"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].startswith("3 bản sao lưu")
        assert "02/03/2026 10:15  Trước khi nhập gói dữ liệu" in lines[1] and lines[1].endswith("truoc-dong-bo.pgdump")
        assert "02/03/2026 08:00  Tự động hằng ngày" in lines[2]
        assert "01/03/2026 17:00  Máy chủ (pg_dump)" in lines[3]
        assert sorted(p.name for p in data.backups.iterdir()) == sorted(  # nothing made by a list
            ["ntm-may-chu-2026-03-02_080000-hang-ngay.pgdump", "ntm-may-chu-2026-03-02_101500-truoc-dong-bo.pgdump",
             "ntm-may-chu-2026-03-01_170000.pgdump"])
    finally:
        record_server(data, None)


@pytest.mark.sqlite_only  # the file's backups, beside the server's of the same folder
def test_backup_list_command_on_the_file_shows_kinds_too(demo_workspace, capsys):
    ws = demo_workspace
    create_backup(ws.folder, BackupKind.BEFORE_SYNC, datetime.now() - timedelta(minutes=5), db=ws.db)
    create_backup(ws.folder, BackupKind.MANUAL, db=ws.db)
    assert main(["backup", "--data-dir", str(ws.folder.root), "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2 bản sao lưu")
    assert "Sao lưu thủ công" in lines[1] and "Trước khi nhập gói dữ liệu" in lines[2]
    assert "văn bản" in lines[1] and lines[1].rstrip().endswith(".ntmbak")


def test_the_retention_rule_keeps_server_backups_of_every_kind_together(tmp_path):
    folder = tmp_path / "backups"
    kinds = [BackupKind.DAILY, BackupKind.BEFORE_SYNC, BackupKind.MANUAL, BackupKind.BEFORE_RESTORE]
    today = date.today()
    made = []
    for n, day in enumerate(today - timedelta(days=d) for d in range(60, -1, -3)):
        for hour, kind in ((8, BackupKind.DAILY), (15, kinds[n % len(kinds)])):  # two a day, of various kinds
            when = datetime.combine(day, time(hour, 0))
            made.append((when, _dump(folder, f"ntm-may-chu-{when:%Y-%m-%d_%H%M%S}-{kind.value}.pgdump")))
    now = datetime.combine(today, time(16, 0))
    deleted = prune_server_backups(folder, now)
    expected = set(select_to_keep(made)) | {p for when, p in made if now - when < KEEP_RECENT}
    assert {b.path for b in list_server_backups(folder)} == expected
    assert deleted and set(deleted) == {p for _when, p in made} - expected
    # the newest of a day is kept whatever its kind: on a day with one at 15:00, the 08:00 one is not the day's
    assert not any(p.name.endswith("_080000-hang-ngay.pgdump") for p in expected - {p for w, p in made
                                                                                    if now - w < KEEP_RECENT})


def _kinds_of(ws):
    return [b.kind for b in (list_server_backups(ws.folder.backups) if ws.on_server
                             else list_backups(ws.folder.backups))]


def test_the_kind_of_a_backup_is_kept_where_the_data_lives(demo_workspace, capsys):
    """On either run: the window's backup and the one before a restore carry their kind; on the server (the core
    suite's server run) in the server backup's name."""
    ws = demo_workspace
    made = create_backup(ws.folder, BackupKind.MANUAL, datetime.now() - timedelta(minutes=5), db=ws.db)
    kinds = _kinds_of(ws) if ws.on_server else [b.manifest.kind for b in list_backups(ws.folder.backups)]
    assert kinds == [BackupKind.MANUAL]
    root = ws.folder.root
    on_server = ws.on_server
    ws.close()
    assert main(["restore", "--data-dir", str(root), str(made.info.path)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["backup", "--data-dir", str(root), "--list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "Trước khi khôi phục" in out[1] and "Sao lưu thủ công" in out[2]
    if on_server:
        assert out[1].rstrip().endswith((".pgdump", ".ntmexport")) and "truoc-khoi-phuc" in out[1]
