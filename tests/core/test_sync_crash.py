"""A process killed during apply leaves the database untouched or fully applied, never half."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from ntm_desktop.models import Task
from ntm_desktop.sync.apply import apply_file
from ntm_desktop.workspace import open_workspace
from test_sync_world import build_district, join_commune, send, state

CHILD = """
import sys
from pathlib import Path
from ntm_desktop.workspace import open_workspace
from ntm_desktop.sync.apply import apply_file
ws = open_workspace(sys.argv[1])
apply_file(ws, Path(sys.argv[2]), user="cán bộ xã")
"""


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    district = build_district(root, communes=[f"XA-{c}" for c in "ABCDEFGH"])
    commune = join_commune(root, district, "XA-A", root / "boot")
    with district.db.transaction() as s:
        for n, task in enumerate(s.scalars(select(Task))):
            task.notes = f"Đôn đốc lần {n}"
    package = send(district, "XA-A", root / "out", full=True)
    before = state(commune)
    commune.close()
    district.close()
    expected = root / "expected"
    shutil.copytree(root / "XA-A", expected)
    ws = open_workspace(expected)
    apply_file(ws, package)
    after = state(ws)
    ws.close()
    assert after != before
    return root, package, before, after


@pytest.mark.parametrize("seed", range(6))
def test_kill_during_apply(prepared, tmp_path, seed):
    root, package, before, after = prepared
    folder = tmp_path / "XA-A"
    shutil.copytree(root / "XA-A", folder)
    marker = tmp_path / "step"
    env = dict(os.environ, NTM_SYNC_TEST_PAUSE=str(marker))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), str(package)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rng = random.Random(seed)
    wanted = rng.choice(["backup", "entity", "commit", None])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and child.poll() is None:
        if wanted is None or (marker.exists() and marker.read_text() == wanted):
            break
        time.sleep(0.002)
    time.sleep(rng.uniform(0, 0.04))
    child.kill()
    child.wait()
    ws = open_workspace(folder)
    try:
        now = state(ws)
        assert now == before or now == after, "half a package was applied"
    finally:
        ws.close()
