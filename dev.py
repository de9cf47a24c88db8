#!/usr/bin/env python3
"""Set up and run NTM Desktop from a checkout, on Windows and Linux alike.

    python dev.py run     make .venv if needed, install, open the app on demo data
    python dev.py test    make .venv if needed, install, run the whole test suite

Only Python 3.11 or later is needed; everything else comes from the package index.
"""

from __future__ import annotations

import hashlib
import os
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


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "run"
    rest = argv[1:]
    python = setup()
    env = dict(os.environ)
    if command == "run":
        return subprocess.call(
            [str(python), "-m", "ntm_desktop", "run", "--demo", "--data-dir", str(DEMO_DIR), *rest], env=env
        )
    if command == "test":
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        return subprocess.call([str(python), "-m", "pytest", *rest], cwd=ROOT, env=env)
    sys.exit(f"Lệnh không rõ: {command}. Dùng: python dev.py run | python dev.py test")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
