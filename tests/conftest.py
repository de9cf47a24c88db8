"""Shared fixtures: a fresh database in a temporary data folder, the demo office."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from ntm_desktop.workspace import Workspace, open_workspace


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    ws = open_workspace(tmp_path / "data")
    yield ws
    ws.close()


@pytest.fixture
def db(workspace):
    return workspace.db


@pytest.fixture
def demo_workspace(tmp_path) -> Workspace:
    from ntm_desktop.services.demo import build_demo

    ws = open_workspace(tmp_path / "demo")
    with ws.db.transaction("demo") as session:
        build_demo(session)
    yield ws
    ws.close()
