"""`python dev.py run` on a stock Linux: the missing Qt system libraries are named with the apt line to type."""

from __future__ import annotations

import ctypes
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
