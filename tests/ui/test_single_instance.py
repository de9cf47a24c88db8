"""A second start asks the running window to come forward, then leaves."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from PySide6.QtWidgets import QMainWindow

from ntm_desktop.ui.single_instance import listen_for_second_starts, server_name

SECOND_START = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from ntm_desktop.paths import DataFolder
    from ntm_desktop.safety import AlreadyRunningError, prepare_data_folder
    from ntm_desktop.ui.single_instance import notify_running

    try:
        prepare_data_folder(DataFolder(Path(sys.argv[1])))
    except AlreadyRunningError:
        sys.exit(0 if notify_running(Path(sys.argv[1])) else 4)
    sys.exit(5)  # it should not have been able to open the folder
    """
)


def test_second_start_focuses_the_running_window(qtbot, workspace):
    from ntm_desktop.safety import prepare_data_folder

    folder = workspace.folder
    report = prepare_data_folder(folder)
    try:
        window = QMainWindow()
        window.setWindowTitle("NTM Desktop")
        qtbot.addWidget(window)
        window.showMinimized()
        server = listen_for_second_starts(folder.root, window)
        with qtbot.waitSignal(server.activation_requested, timeout=20000):
            second = subprocess.Popen([sys.executable, "-c", SECOND_START, str(folder.root)])
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=20000)
        assert second.returncode == 0
        assert window.isVisible() and not window.isMinimized()
    finally:
        report.lock.release()


def test_server_names_differ_per_data_folder(tmp_path):
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a")
