#!/usr/bin/env python3
"""Set up and run NTM Desktop from a checkout, on Windows and Linux alike.

    python dev.py run     make .venv if needed, install, open the app on demo data
    python dev.py test    make .venv if needed, install, run the whole test suite, then the core suite again on
                          the PostgreSQL server NTM_TEST_DATABASE_URL names (skipped, and said, without one)

Only Python 3.11 or later is needed; everything else comes from the package index.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed"
DEMO_DIR = ROOT / "demo-data"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def setup() -> Path:
    if sys.version_info < (3, 11):
        sys.exit("NTM Desktop cần Python 3.11 trở lên.")
    python = venv_python()
    if not python.exists():
        print("Đang tạo môi trường .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        print("Đang cài đặt các gói cần thiết ...", flush=True)
        subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"])
        STAMP.write_text(wanted)
    return python


def apt_package(soname: str) -> str:
    """The Debian/Ubuntu package of a shared library: libxcb-icccm.so.4 -> libxcb-icccm4, libGL.so.1 -> libgl1."""
    stem, _, version = soname.partition(".so.")
    stem, version = stem.lower(), version.split(".")[0]
    return f"{stem}{'-' if stem[-1:].isdigit() else ''}{version}"


def missing_qt_libraries(ldd_output: str | None = None, find_library=ctypes.util.find_library) -> list[str]:
    """System libraries the Qt window (xcb platform plugin) needs on Linux and cannot find, as apt packages.

    `ldd` of the plugin lists what it links; libxcb-cursor is opened at run time (Qt 6.5+), so it is looked
    up by name. Empty on Windows and macOS, and when nothing is missing.
    """
    if ldd_output is None:
        if not sys.platform.startswith("linux"):
            return []
        plugins = sorted(VENV.glob("lib/python*/site-packages/PySide6/Qt/plugins/platforms/libqxcb.so"))
        ldd_output = ""
        if plugins and shutil.which("ldd"):
            ldd_output = subprocess.run(["ldd", str(plugins[0])], capture_output=True, text=True).stdout
    missing = {line.split()[0] for line in ldd_output.splitlines() if "not found" in line}
    if not find_library("xcb-cursor"):
        missing.add("libxcb-cursor.so.0")
    return sorted({apt_package(name) for name in missing})


def qt_libraries_message(packages: list[str]) -> str:
    return (
        "Cửa sổ của phần mềm (Qt) trên Linux cần vài thư viện hệ thống mà máy này chưa có:\n"
        f"    {', '.join(packages)}\n"
        "Hãy cài bằng lệnh (Debian, Ubuntu):\n"
        f"    sudo apt-get install {' '.join(packages)}\n"
        "rồi chạy lại: python dev.py run"
    )


def check_qt_libraries() -> bool:
    """Before opening the window on Linux: say which packages to install instead of a Qt crash. False: stop."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return True  # offscreen, wayland…: the xcb plugin is not used
    packages = missing_qt_libraries()
    if not packages:
        return True
    print(qt_libraries_message(packages), file=sys.stderr)
    # In a Wayland session Qt may open the window without xcb: warn, but let it try.
    return not platform and os.environ.get("XDG_SESSION_TYPE") == "wayland"


SERVER_VAR = "NTM_TEST_DATABASE_URL"  # the PostgreSQL server the tests may use (a SQLAlchemy URL)
SERVER_RUN_VAR = "NTM_TEST_ON_SERVER"  # set: every data folder a core test opens works on a database of that server
CORE_TESTS = "tests/core"
INFO_ONLY = {"--version", "-h", "--help", "--co", "--collect-only", "--markers", "--fixtures"}

_REACH_SERVER = """
import sys
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
try:
    url = make_url(sys.argv[1])
    if url.get_backend_name() != "postgresql":
        sys.exit("không phải địa chỉ máy chủ PostgreSQL (dạng postgresql+psycopg://người_dùng@máy_chủ:5432/postgres)")
    engine = create_engine(url.set(drivername="postgresql+psycopg"), connect_args={"connect_timeout": 5})
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
except SystemExit:
    raise
except Exception as error:
    sys.exit(f"không kết nối được máy chủ ({type(error).__name__}: {str(error).strip().splitlines()[0][:200]})")
"""


def _is_path(arg: str) -> bool:
    return not arg.startswith("-") and (ROOT / arg.split("::")[0]).exists()


def core_paths(args: list[str]) -> list[str] | None:
    """What of the paths given to pytest lies in the core suite: [] for the whole of it (no path given, or "tests"),
    None when every path given lies outside it."""
    core = (ROOT / CORE_TESTS).resolve()
    given = [arg for arg in args if _is_path(arg)]
    if not given:
        return []
    inside = []
    for arg in given:
        path = (ROOT / arg.split("::")[0]).resolve()
        if path.is_relative_to(core):
            inside.append(arg)
        elif core.is_relative_to(path):
            return []
    return inside or None


def server_unusable(python: Path, url: str) -> str | None:
    """Why the PostgreSQL run cannot be made (in Vietnamese), or None when the server answers."""
    if not url:
        return f"chưa đặt biến môi trường {SERVER_VAR} (ví dụ postgresql+psycopg://postgres@127.0.0.1:5432/postgres)"
    try:
        done = subprocess.run([str(python), "-c", _REACH_SERVER, url], capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        return "máy chủ không trả lời sau 30 giây"
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["không kết nối được máy chủ"])[-1]
    return None


def server_run(python: Path, rest: list[str], env: dict, first: int) -> int:
    """The core suite once more, on PostgreSQL; the first run's result when it cannot be made (and why is said)."""
    paths = core_paths(rest)
    if paths is None:
        return first
    why = server_unusable(python, env.get(SERVER_VAR, "").strip())
    if why:
        print(f"Bỏ qua lượt chạy trên PostgreSQL: {why}.", flush=True)
        return first
    print("Chạy lại bộ kiểm thử lõi (tests/core) trên PostgreSQL ...", flush=True)
    options = [arg for arg in rest if not _is_path(arg)]
    second = subprocess.call([str(python), "-m", "pytest", *options, *(paths or [CORE_TESTS])],
                             cwd=ROOT, env={**env, SERVER_RUN_VAR: "1"})
    return first or second


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "run"
    rest = argv[1:]
    python = setup()
    env = dict(os.environ)
    if command == "run":
        if not check_qt_libraries():
            return 1
        return subprocess.call(
            [str(python), "-m", "ntm_desktop", "run", "--demo", "--data-dir", str(DEMO_DIR), *rest], env=env
        )
    if command == "test":
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env.pop(SERVER_RUN_VAR, None)
        result = subprocess.call([str(python), "-m", "pytest", *rest], cwd=ROOT, env=env)
        if any(arg in INFO_ONLY for arg in rest):
            return result
        return server_run(python, rest, env, result)
    sys.exit(f"Lệnh không rõ: {command}. Dùng: python dev.py run | python dev.py test")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
