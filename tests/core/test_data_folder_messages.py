"""A data folder that is a file, is missing, or cannot be written: a Vietnamese message, never a traceback;
commands that only read still work on a read-only folder and create nothing anywhere."""

from __future__ import annotations

import sqlite3
import subprocess

import pytest
from sqlalchemy import text

from folder_helpers import Sandbox, app_command, demo_folder, open_to_all, snapshot
from ntm_desktop.cli import main
from test_sync_world import build_district, fingerprint, join_commune, send

WEEK = ["--from", "30/11/2026", "--to", "06/12/2026"]


@pytest.fixture
def sandbox():
    box = Sandbox()
    yield box
    box.cleanup()


def _refused(result, *phrases: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "sqlalche.me" not in result.stderr, result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


def test_a_file_given_as_data_folder_is_refused_and_left_alone(tmp_path):
    not_a_folder = tmp_path / "du-lieu.txt"
    not_a_folder.write_text("ghi chú", encoding="utf-8")
    for args in (["report", "weekly", *WEEK, "--out", str(tmp_path / "r.pdf")], ["backup"], ["demo"],
                 ["sync", "apply", str(tmp_path / "goi.ntmsync")]):
        result = subprocess.run(app_command(*args, "--data-dir", str(not_a_folder)), capture_output=True,
                                text=True, encoding="utf-8", timeout=120)
        _refused(result, "là một tệp, không phải thư mục", "Hãy chọn một thư mục dữ liệu khác")
    assert not_a_folder.read_text(encoding="utf-8") == "ghi chú"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["du-lieu.txt"]


def test_report_on_a_missing_folder_refuses_and_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "khong-co"
    assert main(["report", "weekly", "--data-dir", str(missing), *WEEK, "--out", str(tmp_path / "r.pdf")]) == 2
    err = capsys.readouterr().err
    assert "Không tìm thấy thư mục dữ liệu" in err and "không có gì được tạo ra" in err
    assert not missing.exists() and not (tmp_path / "r.pdf").exists()

    empty = tmp_path / "trong"
    empty.mkdir()
    assert main(["criteria", "matrix", "2026", "--data-dir", str(empty)]) == 2
    assert "chưa có dữ liệu của NTM Desktop" in capsys.readouterr().err
    assert list(empty.iterdir()) == []


def test_sync_preview_on_a_new_folder_reads_as_a_new_installation_and_creates_nothing(tmp_path, capsys):
    district = build_district(tmp_path)
    package = send(district, "XA-A", tmp_path / "goi", full=True)
    key = fingerprint(district)
    district.close()
    for target in (tmp_path / "xa-moi", tmp_path / "xa-trong"):
        if target.name == "xa-trong":
            target.mkdir()
        assert main(["sync", "preview", "--data-dir", str(target), str(package), "--confirm-key", key]) == 0
        assert "Gói số 1 của HUYEN gửi XA-A" in capsys.readouterr().out
        assert not target.exists() or list(target.iterdir()) == []


def test_reading_commands_work_on_a_read_only_folder(sandbox, tmp_path):
    district = build_district(tmp_path)
    commune = join_commune(sandbox.root, district, "XA-A", tmp_path / "goi")
    commune.close()
    with district.db.transaction("Văn thư huyện") as session:
        session.execute(text("UPDATE tasks SET summary = summary || ' (bổ sung)'"))
    package = send(district, "XA-A", sandbox.work)
    district.close()
    data = open_to_all(commune.folder.root)
    open_to_all(sandbox.work)
    sandbox.make_read_only(data)
    before = snapshot(data)

    preview = sandbox.run(app_command("sync", "preview", "--data-dir", str(data), str(package)))
    assert preview.returncode == 0, preview.stderr
    assert "Gói số" in preview.stdout and "Nhiệm vụ" in preview.stdout, preview.stdout

    report = sandbox.run(app_command("report", "weekly", "--data-dir", str(data), *WEEK,
                                     "--out", str(sandbox.work / "tuan.pdf")))
    assert report.returncode == 0, report.stderr
    assert (sandbox.work / "tuan.pdf").read_bytes().startswith(b"%PDF")

    matrix = sandbox.run(app_command("criteria", "matrix", "2026", "--data-dir", str(data)))
    assert matrix.returncode == 0, matrix.stderr
    assert snapshot(data) == before  # no journal, no lock file, no log, no backup


def test_writing_commands_on_a_read_only_folder_say_what_to_do(sandbox):
    data = demo_folder(sandbox.root / "data")
    sandbox.make_read_only(data)
    before = snapshot(data)
    for args in (["backup"], ["demo"], ["sync", "apply", str(sandbox.work / "goi.ntmsync")],
                 ["restore", str(sandbox.work / "ban-sao.ntmbak")]):
        result = sandbox.run(app_command(*args, "--data-dir", str(data)))
        _refused(result, "Không ghi được vào thư mục dữ liệu", "bỏ thuộc tính “Chỉ đọc”")
    assert snapshot(data) == before


@pytest.mark.sqlite_only  # a read-only SQLite file
def test_a_read_only_database_that_needs_an_upgrade_says_so(sandbox):
    data = demo_folder(sandbox.root / "data")
    con = sqlite3.connect(data / "ntm.sqlite3")
    with con:
        con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.close()
    sandbox.make_read_only(data)
    result = sandbox.run(app_command("report", "weekly", "--data-dir", str(data), *WEEK,
                                     "--out", str(sandbox.work / "tuan.pdf")))
    _refused(result, "cần được nâng cấp", "mở phần mềm một lần trên thư mục có quyền ghi")


@pytest.mark.sqlite_only  # a read-only SQLite file
def test_a_write_through_a_read_only_database_gets_a_vietnamese_message(tmp_path):
    """The database can no longer be written (the folder became read-only): no SQLAlchemy text."""
    from ntm_desktop.db import ReadOnlyDatabaseError, open_database

    folder = demo_folder(tmp_path / "data")
    db = open_database(folder / "ntm.sqlite3", readonly=True)
    try:
        with pytest.raises(ReadOnlyDatabaseError, match="chỉ cho đọc") as caught:
            with db.transaction() as session:
                session.execute(text("UPDATE settings SET value = value"))
        assert "sqlalche.me" not in str(caught.value)
    finally:
        db.dispose()
