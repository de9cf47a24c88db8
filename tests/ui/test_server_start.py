"""Starting the app on the office's server as a person does, in its own process: the window on the server's data;
the password asked when the server wants one (and written nowhere); a server that cannot be used told in a message
with “Thử lại”, “Mở bản sao trên máy này (chỉ xem)” and “Thoát”, the copy then shown read-only."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from folder_helpers import demo_folder
from ntm_desktop.server.setting import record_server
from tests.core.password_server import PASSWORD, password_server  # noqa: F401 - a fixture
from tests.core.server_db import NO_SERVER, SERVER, drop_server_database, new_server_database
from screenshots import SHOTS

RETRY, LOCAL, LEAVE = "Thử lại", "Mở bản sao trên máy này (chỉ xem)", "Thoát"

# ANSWERS: the buttons to click, box after box ("|" between); PASSWORDS: what to type at each password prompt
# ("ESC" leaves it); SHOT: where to save the first box.
DRIVER = textwrap.dedent(
    """
    import os, sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog, QMainWindow, QMessageBox
    from ntm_desktop.cli import main
    from ntm_desktop.ui.app import make_application

    app = make_application()
    answers = [a for a in os.environ.get("ANSWERS", "").split("|") if a]
    passwords = [p for p in os.environ.get("PASSWORDS", "").split("|") if p]
    seen, quiet = set(), [0]

    def look():
        visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for box in [w for w in visible if isinstance(w, QMessageBox) and id(w) not in seen]:
            seen.add(id(box))
            buttons = ",".join(b.text() + ("" if b.isEnabled() else " (tắt)") for b in box.buttons())
            print("BOX:", box.text().replace(chr(10), " "), "| BUTTONS:", buttons, flush=True)
            if os.environ.get("SHOT") and not os.path.exists(os.environ["SHOT"]):
                box.grab().save(os.environ["SHOT"])
            want = answers.pop(0) if answers else "Thoát"
            [button] = [b for b in box.buttons() if b.text() == want] or [box.escapeButton() or box.buttons()[0]]
            button.click()
        for prompt in [w for w in visible if isinstance(w, QInputDialog) and id(w) not in seen]:
            seen.add(id(prompt))
            print("PROMPT:", prompt.labelText().replace(chr(10), " "), flush=True)
            typed = passwords.pop(0) if passwords else "ESC"
            if typed == "ESC":
                prompt.reject()
            else:
                prompt.setTextValue(typed)
                prompt.accept()
        windows = [w for w in visible if isinstance(w, QMainWindow) and w.workspace is not None]
        if windows and QApplication.activeModalWidget() is None:
            quiet[0] += 1
            if quiet[0] == 3:
                window = windows[0]
                print("WINDOW:", window.windowTitle(), "| NOTE:", getattr(window, "read_only_note", ""),
                      "| SERVER:", window.workspace.on_server, flush=True)
                if os.environ.get("WINDOW_SHOT"):
                    window.grab().save(os.environ["WINDOW_SHOT"])
                window.close()
        QTimer.singleShot(200, look)

    QTimer.singleShot(200, look)
    sys.exit(main(sys.argv[1:]))
    """
)


def _start(*args: str, answers=(), passwords=(), shot: str = "", window_shot: str = "", env=None):
    environment = {k: v for k, v in os.environ.items() if k not in ("PGPASSWORD", "NTM_DATABASE_URL")}
    environment.update(env or {})
    environment.update(ANSWERS="|".join(answers), PASSWORDS="|".join(passwords), SHOT=shot, WINDOW_SHOT=window_shot)
    if shot:
        Path(shot).unlink(missing_ok=True)
    return subprocess.run([sys.executable, "-c", DRIVER, *args], capture_output=True, text=True, encoding="utf-8",
                          timeout=180, env=environment)


def _lines(result, prefix: str) -> list[str]:
    return [line[len(prefix):].strip() for line in result.stdout.splitlines() if line.startswith(prefix)]


def _buttons(box: str) -> set[str]:
    return set(box.rsplit("| BUTTONS: ", 1)[1].split(","))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _no_traceback(result) -> None:
    assert "Traceback" not in result.stderr, result.stderr


def test_unreachable_server_offers_retry_then_the_copy_on_this_pc_read_only(tmp_path):
    data = demo_folder(tmp_path / "data")  # as `server move` leaves it: the file kept beside the server's address
    port = _closed_port()
    record_server(data, f"postgresql+psycopg://vanthu@127.0.0.1:{port}/ntm")
    before = _digest(data / "ntm.sqlite3")
    backups = sorted((data / "backups").glob("*")) if (data / "backups").exists() else []
    result = _start("--data-dir", str(data), answers=[RETRY, LOCAL], shot=str(SHOTS / "start-server-unreachable.png"),
                    window_shot=str(SHOTS / "start-read-only-copy.png"))
    _no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    first, second = _lines(result, "BOX:")  # “Thử lại” tried again and told again
    for box in (first, second):
        assert box.startswith("Chưa mở được dữ liệu của văn phòng trên máy chủ.")
        assert f"Không kết nối được máy chủ 127.0.0.1:{port}: máy chủ không trả lời" in box
        assert "tệp dữ liệu trên máy này, ghi lần cuối lúc" in box
        assert _buttons(box) == {RETRY, LOCAL, LEAVE}
    [window] = _lines(result, "WINDOW:")
    title, note, on_server = window.split(" | ")
    assert title == "NTM Desktop — Văn phòng Điều phối nông thôn mới tỉnh Lào Cai — chỉ xem (bản sao trên máy này)"
    assert note.startswith("NOTE: Chỉ xem: tệp dữ liệu trên máy này") and "không phải dữ liệu trên máy chủ" in note
    assert on_server == "SERVER: False"
    assert _digest(data / "ntm.sqlite3") == before  # the copy was read in a temporary folder
    now = sorted((data / "backups").glob("*")) if (data / "backups").exists() else []
    assert now == backups  # no daily backup of a file that is not in use


def test_a_pc_without_any_copy_can_retry_or_leave_and_nothing_is_written(tmp_path):
    data = tmp_path / "second-pc"
    data.mkdir()
    record_server(data, f"postgresql+psycopg://vanthu@127.0.0.1:{_closed_port()}/ntm")
    result = _start("--data-dir", str(data), answers=[LEAVE])
    _no_traceback(result)
    assert result.returncode == 2
    [box] = _lines(result, "BOX:")
    assert "Máy này chưa có bản sao nào để xem khi không có máy chủ." in box
    assert _buttons(box) == {RETRY, f"{LOCAL} (tắt)", LEAVE}
    assert not _lines(result, "WINDOW:")
    assert not (data / "ntm.sqlite3").exists()


server_only = pytest.mark.skipif(not SERVER, reason=NO_SERVER)


@pytest.fixture
def server_database():
    url = new_server_database("start")
    yield url
    drop_server_database(url)


@server_only
def test_the_window_opens_on_the_servers_data(tmp_path, server_database):
    from ntm_desktop.server.move import move_office

    data = demo_folder(tmp_path / "data")
    move_office(_folder(data), server_database)
    record_server(data, server_database)
    with create_engine(server_database).begin() as conn:  # a change made on the server only
        conn.execute(text("UPDATE units SET name = 'Xã trên máy chủ' WHERE id = "
                          "(SELECT value FROM settings WHERE key = 'office_unit_id')"))
    result = _start("--data-dir", str(data))
    _no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not _lines(result, "BOX:")
    [window] = _lines(result, "WINDOW:")
    assert window == "NTM Desktop — Xã trên máy chủ | NOTE:  | SERVER: True"


def _folder(root: Path):
    from ntm_desktop.paths import resolve_data_folder

    return resolve_data_folder(root)


@server_only
def test_no_such_database_on_the_server_is_told(tmp_path):
    data = tmp_path / "data"
    url = SERVER.rsplit("/", 1)[0] + "/ntm_khong_co"
    result = _start("--data-dir", str(data), "--database", url, answers=[LEAVE])
    _no_traceback(result)
    assert result.returncode == 2
    [box] = _lines(result, "BOX:")
    assert "trả lời, nhưng không có cơ sở dữ liệu “ntm_khong_co”" in box
    assert not _lines(result, "WINDOW:")


@server_only
def test_a_newer_versions_database_is_refused_and_left_as_it_was(tmp_path, server_database):
    engine = create_engine(server_database)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('9999_from_the_future')"))
        conn.execute(text("CREATE TABLE directives (id text PRIMARY KEY)"))
    data = tmp_path / "data"
    result = _start("--data-dir", str(data), env={"NTM_DATABASE_URL": server_database.render_as_string(hide_password=False)},
                    answers=[LEAVE])
    _no_traceback(result)
    assert result.returncode == 2
    [box] = _lines(result, "BOX:")
    assert "được tạo bởi một phiên bản NTM Desktop mới hơn" in box and "Hãy cập nhật NTM Desktop" in box
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999_from_the_future"
        tables = set(conn.execute(text("SELECT table_name FROM information_schema.tables "
                                       "WHERE table_schema = 'public'")).scalars())
    engine.dispose()
    assert tables == {"alembic_version", "directives"}


def test_the_password_is_asked_when_the_server_wants_one_and_written_nowhere(tmp_path, password_server):  # noqa: F811
    data = tmp_path / "data"
    data.mkdir()
    record_server(data, password_server._replace(password=None))
    result = _start("run", "--data-dir", str(data), "--demo", passwords=["sai mật khẩu", PASSWORD])
    _no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    first, second = _lines(result, "PROMPT:")
    assert first.startswith("Mật khẩu của người dùng “ntm_office” trên máy chủ dữ liệu")
    assert "không đúng" in second
    assert not _lines(result, "BOX:")
    [window] = _lines(result, "WINDOW:")
    assert window.endswith("| NOTE:  | SERVER: True")
    secret = PASSWORD.encode("utf-8")
    for path in data.rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), path


def test_leaving_the_password_prompt_tells_why_and_asks_again_on_retry(tmp_path, password_server):  # noqa: F811
    data = tmp_path / "data"
    data.mkdir()
    record_server(data, password_server._replace(password=None))
    result = _start("--data-dir", str(data), passwords=["ESC", "ESC"], answers=[RETRY, LEAVE])
    _no_traceback(result)
    assert result.returncode == 2
    assert len(_lines(result, "PROMPT:")) == 2  # at once, then after “Thử lại”
    first, second = _lines(result, "BOX:")
    assert "từ chối đăng nhập của người dùng “ntm_office”" in first and "mật khẩu không đúng (hoặc chưa nhập)" in first


RETRY_CHOICE, LEAVE_CHOICE = "retry", "quit"  # ui.server_start's choices


class _Answers(list):
    """The failure boxes' answers; a callable acts before it answers."""

    def pop(self, index=-1):
        answer = super().pop(index)
        return answer() if callable(answer) else answer


def _open_through(relay_url, tmp_path, typed, answers, monkeypatch, qtbot):
    """open_on_server in this process on `relay_url` (no password in it): `typed` answers each password prompt (a
    callable may act first, e.g. cut the network), `answers` each failure box; returns the errors the boxes told."""
    from PySide6.QtWidgets import QInputDialog, QMainWindow

    from ntm_desktop.paths import resolve_data_folder
    from ntm_desktop.ui import server_start

    told = []

    def get_text(_parent, _title, _label, _mode):
        answer = typed.pop(0)
        return (answer() if callable(answer) else answer), True

    def ask_what_next(_parent, error, _copy):
        told.append(str(error))
        return answers.pop(0)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    monkeypatch.setattr(server_start, "ask_what_next", ask_what_next)
    parent = QMainWindow()
    qtbot.addWidget(parent)
    folder = resolve_data_folder(tmp_path / "data")
    assert server_start.open_on_server(parent, folder, relay_url) is None  # “Thoát” at the last box
    return told


def test_a_server_gone_after_a_wrong_password_is_told_as_gone(qtbot, tmp_path, monkeypatch, password_server):  # noqa: F811
    from tests.core.network_cut import NetworkCut

    relay = NetworkCut(password_server)
    try:
        def network_down_then_right_password():
            relay.down()  # the switch goes down while the officer types the right password
            return PASSWORD

        told = _open_through(relay.url._replace(password=None), tmp_path, ["sai mật khẩu", network_down_then_right_password],
                             [LEAVE_CHOICE], monkeypatch, qtbot)
    finally:
        relay.close()
    [box] = told
    assert f"Không kết nối được máy chủ 127.0.0.1:{relay.port}: máy chủ không trả lời" in box
    assert "mật khẩu" not in box  # not the login refused before


def test_retry_after_a_refused_password_tells_the_new_failure(qtbot, tmp_path, monkeypatch, password_server):  # noqa: F811
    from tests.core.network_cut import NetworkCut

    relay = NetworkCut(password_server)
    try:
        def retry_with_network_down():
            relay.down()
            return RETRY_CHOICE

        wrong = ["sai 1", "sai 2", "sai 3"]  # three wrong passwords: the prompt gives up, the box says why
        told = _open_through(relay.url._replace(password=None), tmp_path, [*wrong, PASSWORD],
                             _Answers([retry_with_network_down, LEAVE_CHOICE]), monkeypatch, qtbot)
    finally:
        relay.close()
    first, second = told
    assert "từ chối đăng nhập của người dùng “ntm_office”" in first
    assert f"Không kết nối được máy chủ 127.0.0.1:{relay.port}: máy chủ không trả lời" in second
    assert "từ chối đăng nhập" not in second
