"""The core (everything outside ntm_desktop/ui) must not import Qt."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "ntm_desktop"


def test_no_qt_outside_ui():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in {"PySide6", "shiboken6"} for n in names):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []
