"""The window started on the office's server, in its own process as a person starts it: the day's first start on this
PC backs the server's data up into this PC's backups (not the old local file, which is neither checked nor copied),
a later start that day does not, and a backup that cannot be made is told in a message while the window works on.
On NTM_TEST_DATABASE_URL's server (skipped without it)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from disk_helpers import SmallDisk
from folder_helpers import demo_folder
from ntm_desktop.server.backup import list_server_backups
from ntm_desktop.server.setting import record_server
from tests.core.server_db import NO_SERVER, SERVER, drop_server_database, new_server_database
from screenshots import SHOTS

pytestmark = pytest.mark.skipif(not SERVER, reason=NO_SERVER)

# Prints each message box (and presses its first button), then the window once the day's backup has told its
# outcome: its title, whether it works on the server, and its status bar.
DRIVER = textwrap.dedent(
    """
    import os, sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox
    from ntm_desktop.cli import main
    from ntm_desktop.ui.app import make_application
    from ntm_desktop.ui.server_start import DailyServerBackup

    app = make_application()
    seen = set()

    def look():
        visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        windows = [w for w in visible if isinstance(w, QMainWindow) and w.workspace is not None]
        for window in windows:
            for box in [b for b in window.findChildren(QMessageBox) if b.isVisible() and id(b) not in seen]:
                seen.add(id(box))
                print("BOX:", box.text().replace(chr(10), " "), flush=True)
                if os.environ.get("SHOT"):
                    box.grab().save(os.environ["SHOT"])
                box.buttons()[0].click()
        daily = [d for w in windows for d in w.findChildren(DailyServerBackup)]
        if daily and daily[0].shown and QApplication.activeModalWidget() is None:
            window = windows[0]
            print("WINDOW:", window.windowTitle(), "| SERVER:", window.workspace.on_server,
                  "| STATUS:", window.statusBar().currentMessage(), flush=True)
            window.close()
        QTimer.singleShot(200, look)

    QTimer.singleShot(200, look)
    sys.exit(main(sys.argv[1:]))
    """
)


def _start(data: Path, shot: str = ""):
    environment = {k: v for k, v in os.environ.items() if k not in ("PGPASSWORD", "NTM_DATABASE_URL")}
    environment["SHOT"] = shot
    return subprocess.run([sys.executable, "-c", DRIVER, "--data-dir", str(data)], capture_output=True, text=True,
                          encoding="utf-8", timeout=180, env=environment)


def _lines(result, prefix: str) -> list[str]:
    return [line[len(prefix):].strip() for line in result.stdout.splitlines() if line.startswith(prefix)]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def server_database():
    url = new_server_database("daily")
    yield url
    drop_server_database(url)


def _office_on(server_database, root: Path) -> Path:
    """The demo office moved onto the server, its folder naming it; the old file kept beside, as the move leaves it."""
    from ntm_desktop.paths import resolve_data_folder
    from ntm_desktop.server.move import move_office

    data = demo_folder(root)
    move_office(resolve_data_folder(data), server_database)
    record_server(data, server_database)
    return data


def test_the_days_first_start_backs_up_the_servers_data(tmp_path, server_database):
    data = _office_on(server_database, tmp_path / "data")
    local = _digest(data / "ntm.sqlite3")
    result = _start(data)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert not _lines(result, "BOX:")
    [window] = _lines(result, "WINDOW:")
    assert "| SERVER: True |" in window and "Chưa sao lưu được" not in window
    [made] = list_server_backups(data / "backups")
    assert made.path.suffix in (".pgdump", ".ntmexport") and made.kind_label() == "Tự động hằng ngày"
    assert not list((data / "backups").glob("*.ntmbak"))  # the old local file is not what is backed up
    assert _digest(data / "ntm.sqlite3") == local

    again = _start(data)  # a second start the same day on this PC
    assert again.returncode == 0, again.stdout + again.stderr
    assert [b.path for b in list_server_backups(data / "backups")] == [made.path]


@pytest.fixture
def disk(tmp_path):
    small = SmallDisk(tmp_path / "disk", size_mb=16)
    yield small
    small.unmount()


def test_no_room_for_the_servers_backup_is_told_and_the_window_works_on(disk, server_database):
    data = _office_on(server_database, disk.path / "data")
    (data / "ntm.sqlite3").unlink()  # a PC that has only the server
    disk.fill(leave=64 * 1024)  # room for the log, not for a backup of the office
    result = _start(data, shot=str(SHOTS / "start-server-backup-disk-full.png"))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    [box] = _lines(result, "BOX:")
    assert box.startswith("Chưa sao lưu được dữ liệu trên máy chủ hôm nay. Ổ đĩa chứa")
    assert "đã đầy" in box and "Phần mềm vẫn làm việc bình thường" in box and "Sao lưu ngay" in box
    [window] = _lines(result, "WINDOW:")
    assert "| SERVER: True |" in window and "Chưa sao lưu được dữ liệu trên máy chủ hôm nay" in window
    assert list_server_backups(data / "backups") == []
    assert not [p for p in (data / "backups").iterdir() if p.name.endswith(".tmp")]
