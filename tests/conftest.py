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


@pytest.fixture(autouse=True)
def _log_files_let_go():
    """A log file a test's data folder opened (the app logs into its folder) is closed when the test ends: a
    later test must not write into a folder that is gone, or onto a small disk a test filled."""
    import logging

    root = logging.getLogger()
    before = set(root.handlers)
    yield
    for handler in set(root.handlers) - before:
        if isinstance(handler, logging.FileHandler):
            root.removeHandler(handler)
            try:
                handler.close()
            except OSError:
                pass
