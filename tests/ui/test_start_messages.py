"""Starting the app as a person does, in its own process, on a bad data folder: a message box that says
what happened and what to do (read here, then answered with Enter), never a traceback or a silent exit."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from disk_helpers import SmallDisk, day_one_office
from folder_helpers import Sandbox, demo_folder

DRIVER = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox
    from ntm_desktop.ui.app import make_application, run
    from ntm_desktop.ui.main_window import MainWindow

    app = make_application()
    seen, quiet, reported = set(), [0], [False]
    shown_warnings = MainWindow.show_startup_warnings

    def report_then_note(self, *args, **kwargs):  # the opening's last step (after the daily backup) is done
        shown_warnings(self, *args, **kwargs)
        reported[0] = True

    MainWindow.show_startup_warnings = report_then_note

    def look():
        visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        boxes = [w for w in visible if isinstance(w, QMessageBox)]
        for box in boxes:
            if id(box) not in seen:
                seen.add(id(box))
                buttons = ",".join(b.text() for b in box.buttons())
                print("BOX:", box.text().replace(chr(10), " "), "| BUTTONS:", buttons, flush=True)
                QTest.keyClick(box, Qt.Key.Key_Return)
        windows = [w for w in visible if isinstance(w, QMainWindow)]
        if windows and not boxes and reported[0]:
            quiet[0] += 1
            if quiet[0] == 3:
                print("WINDOW:", windows[0].windowTitle(), "| STATUS:", windows[0].statusBar().currentMessage(),
                      flush=True)
                windows[0].close()
        QTimer.singleShot(250, look)

    QTimer.singleShot(250, look)
    sys.exit(run(data_dir=sys.argv[1]))
    """
)


def _start(data_dir, runner=None):
    args = [sys.executable, "-c", DRIVER, str(data_dir)]
    if runner is not None:
        return runner.run(args, timeout=120)
    return subprocess.run(args, capture_output=True, text=True, encoding="utf-8", timeout=120)


def _lines(result, prefix: str) -> list[str]:
    return [line[len(prefix):].strip() for line in result.stdout.splitlines() if line.startswith(prefix)]


def test_a_file_as_data_folder_gets_a_message_and_no_window(tmp_path):
    not_a_folder = tmp_path / "ntm-data"
    not_a_folder.write_text("không phải thư mục", encoding="utf-8")
    result = _start(not_a_folder)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    [box] = _lines(result, "BOX:")
    assert "là một tệp, không phải thư mục" in box and "Hãy chọn một thư mục dữ liệu khác" in box
    assert box.endswith("BUTTONS: Đồng ý")
    assert not _lines(result, "WINDOW:")


def test_a_read_only_folder_gets_a_message_and_no_window():
    sandbox = Sandbox()
    try:
        data = demo_folder(sandbox.root / "data")
        sandbox.make_read_only(data)
        result = _start(data, sandbox)
    finally:
        sandbox.cleanup()
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "PermissionError" not in result.stderr, result.stderr
    [box] = _lines(result, "BOX:")
    assert "Không ghi được vào thư mục dữ liệu" in box and "bỏ thuộc tính “Chỉ đọc”" in box
    assert not _lines(result, "WINDOW:")


@pytest.fixture
def disk(tmp_path):
    small = SmallDisk(tmp_path / "disk")
    yield small
    small.unmount()


def test_no_room_for_the_daily_backup_the_window_opens_and_says_so(disk):
    result = _start(day_one_office(disk))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    [box] = _lines(result, "BOX:")
    assert box.startswith("Chưa sao lưu được hôm nay.") and "Sao lưu ngay" in box
    [window] = _lines(result, "WINDOW:")
    assert "Chưa sao lưu được hôm nay." in window.split("| STATUS:")[1]  # it stays in the status bar too
