"""Which database a command works on: `--database URL`, NTM_DATABASE_URL, the folder's setting, or the folder's
own file; a server that is not there or has no such database is told in Vietnamese and nothing is written."""

from __future__ import annotations

import socket
from datetime import date

import pytest
from sqlalchemy import func, select

from ntm_desktop.cli import main
from ntm_desktop.db import open_database
from ntm_desktop.models import Directive
from ntm_desktop.workspace import open_workspace
from tests.core.server_db import NO_SERVER, SERVER, drop_server_database, new_server_database


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _weekly(data_dir, *extra) -> list[str]:
    today = date.today().strftime("%d/%m/%Y")
    return [*extra, "--data-dir", str(data_dir), "report", "weekly", "--from", today, "--to", today,
            "--out", str(data_dir / "bao-cao.pdf")]


def test_a_server_that_does_not_answer_is_named_and_nothing_is_written(tmp_path, capsys):
    url = f"postgresql+psycopg://ntm@127.0.0.1:{_free_port()}/ntm"
    code = main(_weekly(tmp_path, "--database", url))
    err = capsys.readouterr().err
    assert code == 2
    assert f"Không kết nối được máy chủ 127.0.0.1:" in err and "máy chủ đã bật chưa" in err
    assert "Traceback" not in err and "psycopg" not in err
    assert not (tmp_path / "ntm.sqlite3").exists() and not (tmp_path / "bao-cao.pdf").exists()


def test_an_address_that_is_not_a_servers_is_refused_in_vietnamese(tmp_path, capsys):
    code = main(_weekly(tmp_path, "--database", "mysql://ntm@127.0.0.1/ntm"))
    err = capsys.readouterr().err
    assert code == 2 and "PostgreSQL" in err and "Traceback" not in err


@pytest.mark.skipif(not SERVER, reason=NO_SERVER)
def test_database_option_and_environment_put_the_work_on_the_server(tmp_path, monkeypatch, capsys):
    url = new_server_database("choice")
    try:
        text = url.render_as_string(hide_password=False)
        assert main(["--database", text, "--data-dir", str(tmp_path / "pc1"), "demo"]) == 0
        assert not (tmp_path / "pc1" / "ntm.sqlite3").exists()  # the data went to the server, not the folder
        server = open_database(url)
        with server.transaction() as s:
            on_server = s.scalar(select(func.count()).select_from(Directive))
        server.engine.dispose()
        assert on_server > 0
        monkeypatch.setenv("NTM_DATABASE_URL", text)
        other_pc = open_workspace(tmp_path / "pc2")  # a second PC, pointed there by the environment
        try:
            assert other_pc.on_server
            with other_pc.db.transaction() as s:
                assert s.scalar(select(func.count()).select_from(Directive)) == on_server
        finally:
            other_pc.close()
        monkeypatch.setenv("NTM_DATABASE_URL", url.set(database="khong_co").render_as_string(hide_password=False))
        assert main(_weekly(tmp_path / "pc2")) == 2
        assert "không có cơ sở dữ liệu “khong_co”" in capsys.readouterr().err
    finally:
        drop_server_database(url)
