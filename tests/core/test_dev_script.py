"""`python dev.py run` on a stock Linux: the missing Qt system libraries are named with the apt line to type."""

from __future__ import annotations

import ctypes
import os
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dev():
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STOCK_UBUNTU_LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /x/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
"""


def test_the_apt_line_names_every_missing_package(dev):
    packages = dev.missing_qt_libraries(STOCK_UBUNTU_LDD, find_library=lambda name: None)
    assert packages == ["libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0"]
    message = dev.qt_libraries_message(packages)
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0" in message
    assert dev.missing_qt_libraries("\tlibc.so.6 => /lib/libc.so.6\n", find_library=lambda n: "libxcb-cursor.so.0") == []
    assert [dev.apt_package(n) for n in ("libGL.so.1", "libEGL.so.1", "libdbus-1.so.3", "libxcb-render-util.so.0")] \
        == ["libgl1", "libegl1", "libdbus-1-3", "libxcb-render-util0"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Qt system libraries are a Linux matter")
def test_this_machine_is_judged_as_the_loader_sees_it(dev):
    if not list(dev.VENV.glob("lib/python*/site-packages/PySide6/Qt/plugins/platforms/libqxcb.so")):
        pytest.skip("no xcb plugin in .venv")
    missing = dev.missing_qt_libraries()
    for soname, package in (("libxcb-cursor.so.0", "libxcb-cursor0"), ("libxcb-icccm.so.4", "libxcb-icccm4"),
                            ("libxcb-keysyms.so.1", "libxcb-keysyms1")):
        try:
            ctypes.CDLL(soname)
            loadable = True
        except OSError:
            loadable = False
        assert (package in missing) == (not loadable), (package, missing)


# --- `python dev.py test`: the core suite a second time on PostgreSQL, or a clear line saying why not ----------

def test_the_postgresql_run_takes_the_core_part_of_the_paths_given(dev):
    assert dev.core_paths(["-q", "-p", "no:cacheprovider"]) == []  # the whole core suite
    assert dev.core_paths(["tests"]) == []
    assert dev.core_paths(["tests/core/test_tasks.py::test_progress_and_completion", "tests/ui"]) \
        == ["tests/core/test_tasks.py::test_progress_and_completion"]
    assert dev.core_paths(["tests/ui", "-x"]) is None  # nothing of the core suite: no second run


def test_without_a_server_the_postgresql_run_is_skipped_and_says_why(dev, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(dev.subprocess, "call", lambda *a, **k: calls.append(a) or 0)
    assert dev.server_run(Path(sys.executable), ["-q"], {}, 3) == 3  # the first run's result
    out = capsys.readouterr().out
    assert "Bỏ qua lượt chạy trên PostgreSQL: chưa đặt biến môi trường NTM_TEST_DATABASE_URL" in out
    assert calls == []


def test_an_unreachable_server_is_named_and_the_first_result_kept(dev, monkeypatch, capsys):
    import socket

    with socket.socket() as probe:  # a local port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    calls = []
    monkeypatch.setattr(dev.subprocess, "call", lambda *a, **k: calls.append(a) or 0)
    env = {dev.SERVER_VAR: f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"}
    assert dev.server_run(Path(sys.executable), [], env, 0) == 0
    out = capsys.readouterr().out
    assert out.startswith("Bỏ qua lượt chạy trên PostgreSQL: không kết nối được máy chủ (OperationalError")
    env = {dev.SERVER_VAR: "sqlite:///x.sqlite3"}
    assert dev.server_run(Path(sys.executable), [], env, 1) == 1
    assert "không phải địa chỉ máy chủ PostgreSQL" in capsys.readouterr().out
    assert calls == []


@pytest.mark.skipif(not os.environ.get("NTM_TEST_DATABASE_URL"), reason="no PostgreSQL server to run on")
def test_with_a_server_the_core_suite_runs_again_on_it(dev, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(dev.subprocess, "call", lambda *a, **k: calls.append((a, k)) or 1)
    env = {dev.SERVER_VAR: os.environ["NTM_TEST_DATABASE_URL"], "PATH": os.environ.get("PATH", "")}
    assert dev.server_run(Path(sys.executable), ["-q", "tests/core/test_tasks.py", "tests/ui"], env, 0) == 1
    (args, kwargs), = calls
    assert args[0][-2:] == ["-q", "tests/core/test_tasks.py"]
    assert kwargs["env"]["NTM_TEST_ON_SERVER"] == "1"
    assert "PostgreSQL" in capsys.readouterr().out
