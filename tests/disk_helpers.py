"""A small disk: a tmpfs mounted for one test (root on Linux only; elsewhere the test skips)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from folder_helpers import demo_folder


class SmallDisk:
    def __init__(self, mount_point: Path, size_mb: int = 8):
        if not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("mount"):
            pytest.skip("mounting a small disk needs root on Linux")
        self.path = Path(mount_point)
        self.path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0777", "tmpfs", str(self.path)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")

    def free(self) -> int:
        return shutil.disk_usage(self.path).free

    def fill(self, leave: int) -> None:
        """Take all free space but `leave` bytes."""
        with open(self.path / "filler.bin", "wb") as fh:
            fh.write(b"\0" * max(0, self.free() - leave))

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], capture_output=True)


def day_one_office(disk: SmallDisk) -> Path:
    """A demo office on the small disk whose free space is now smaller than its database."""
    data = demo_folder(disk.path / "data")
    disk.fill(leave=min(600_000, (data / "ntm.sqlite3").stat().st_size // 2))
    assert disk.free() < (data / "ntm.sqlite3").stat().st_size
    return data
