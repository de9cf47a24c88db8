"""One process per data folder: a second process is refused before it opens the database."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from ntm_desktop.safety import AlreadyRunningError, InstanceLock, prepare_data_folder

SECOND_START = textwrap.dedent(
    """
    import sys
    from ntm_desktop.errors import UserError
    from ntm_desktop.paths import DataFolder
    from ntm_desktop.safety import prepare_data_folder
    try:
        prepare_data_folder(DataFolder(__import__("pathlib").Path(sys.argv[1])))
    except UserError as error:
        print(type(error).__name__, error)
        sys.exit(3)
    print("opened")
    """
)


def _second_start(root) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SECOND_START, str(root)], capture_output=True, text=True, timeout=60,
        encoding="utf-8",
    )


@pytest.mark.sqlite_only  # the SQLite file is left untouched by a second start
def test_second_process_does_not_open_the_database(workspace):
    folder = workspace.folder
    report = prepare_data_folder(folder)
    try:
        db_before = folder.database.stat().st_mtime_ns
        second = _second_start(folder.root)
        assert second.returncode == 3, second.stderr
        assert second.stdout.startswith("AlreadyRunningError")
        assert "đang mở thư mục dữ liệu này" in second.stdout
        assert folder.database.stat().st_mtime_ns == db_before
    finally:
        report.lock.release()
    # Once the first one has closed, the next start goes through.
    third = _second_start(folder.root)
    assert third.returncode == 0 and third.stdout.strip() == "opened", third.stdout + third.stderr


def test_lock_is_released_when_the_holder_is_killed(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from ntm_desktop.safety import InstanceLock; "
         "InstanceLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(60)", str(tmp_path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyRunningError):
            InstanceLock(tmp_path).acquire()
    finally:
        holder.kill()
        holder.wait()
    with InstanceLock(tmp_path) as lock:  # a stale lock file does not block the next start
        assert lock.held


def test_same_process_second_lock_is_refused(tmp_path):
    with InstanceLock(tmp_path):
        with pytest.raises(AlreadyRunningError):
            InstanceLock(tmp_path).acquire()
