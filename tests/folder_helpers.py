"""Data folders the user cannot write, and the app run as a separate process on them.

A folder is made read-only with chmod. Root ignores permission bits, so when the tests run as root the
program is started as the unprivileged user `nobody` instead, and its files live under a folder that
`nobody` can reach. Where neither makes the folder read-only (Windows, missing user), tests skip.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

NOBODY = 65534
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def app_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "ntm_desktop", *args]


class Sandbox:
    """A folder tree reachable by the user the program runs as; `run` starts the program as that user."""

    def __init__(self):
        if sys.platform == "win32":
            pytest.skip("chmod does not make a folder read-only on Windows")
        self.root = Path(tempfile.mkdtemp(prefix="ntm-folders-", dir="/tmp" if IS_ROOT else None))
        self.root.chmod(0o755)
        self.work = self.root / "work"  # the program's current folder, HOME and output folder
        self.work.mkdir()
        self.work.chmod(0o777)

    def run(self, args: list[str], env: dict | None = None, timeout: float = 120, **kwargs):
        full_env = {
            **os.environ, "HOME": str(self.work), "PYTHONDONTWRITEBYTECODE": "1", "QT_QPA_PLATFORM": "offscreen",
            "XDG_RUNTIME_DIR": str(self.work), **(env or {}),
        }
        full_env.pop("NTM_DATA_DIR", None)
        extra = dict(user=NOBODY, group=NOBODY, extra_groups=[]) if IS_ROOT else {}
        return subprocess.run(args, cwd=self.work, env=full_env, capture_output=True, text=True,
                              encoding="utf-8", timeout=timeout, **extra, **kwargs)

    def make_read_only(self, folder: Path) -> None:
        """chmod a-w over the whole folder; skip the test if the program's user could still write there."""
        for path in [folder, *folder.rglob("*")]:
            mode = path.stat().st_mode
            path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        probe = self.run([sys.executable, "-c", f"open({str(folder / 'probe')!r}, 'w')"])
        if probe.returncode == 0:
            (folder / "probe").unlink()
            pytest.skip("this machine lets the test user write into a chmod a-w folder")

    def cleanup(self) -> None:
        for path in [self.root, *self.root.rglob("*")]:
            try:
                path.chmod(path.stat().st_mode | stat.S_IWUSR)
            except OSError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time, to prove nothing was written."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def demo_folder(root: Path) -> Path:
    """A data folder with the demo office, closed again (as after a day's work)."""
    from ntm_desktop.services.demo import build_demo
    from ntm_desktop.workspace import open_workspace

    ws = open_workspace(root)
    with ws.db.transaction("demo") as session:
        build_demo(session)
    ws.close()
    return open_to_all(root)


def open_to_all(root: Path) -> Path:
    """Let the program's user read (and, until make_read_only, write) everything under `root`."""
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IROTH | stat.S_IWOTH | (stat.S_IXOTH if path.is_dir() else 0))
    return root
