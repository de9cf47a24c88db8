"""No screen names an attribute like a method of its Qt base class.

`self.done = QCheckBox()` on a QDialog hid QDialog.done(): Qt's own accept() then called the check box,
"Lưu" crashed the app and "Đóng" raised TypeError. This reads every class in ntm_desktop/ui, resolves its
bases by importing the module, and refuses any `self.X = ...` (or class-level `X = ...`) where X is
already an attribute of a Qt base class.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import ntm_desktop

UI = Path(ntm_desktop.__file__).parent / "ui"


def _modules():
    for path in sorted(UI.rglob("*.py")):
        yield path, "ntm_desktop." + ".".join(path.relative_to(UI.parent).with_suffix("").parts)


def _qt_bases(cls: type) -> list[type]:
    return [base for base in cls.__mro__[1:] if base.__module__.startswith(("PySide6", "shiboken6"))]


def _resolve(module, node: ast.ClassDef) -> type | None:
    """The class object: from the module, or (for a class made inside a function) from its bases."""
    cls = getattr(module, node.name, None)
    if isinstance(cls, type):
        return cls
    bases = []
    for base in node.bases:
        value = eval(compile(ast.Expression(base), "<base>", "eval"), vars(module))  # names only
        bases.append(value)
    return type(node.name, tuple(bases), {}) if bases else None


def _self_attribute(target: ast.AST):
    for node in ast.walk(target):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            yield node.attr, node.lineno


def _assigned_names(node: ast.ClassDef):
    """Names given to instance attributes anywhere in the class, and non-function class attributes."""
    for statement in node.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    yield target.id, statement.lineno
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            yield statement.target.id, statement.lineno
    for sub in ast.walk(node):
        targets = []
        if isinstance(sub, ast.Assign):
            targets = sub.targets
        elif isinstance(sub, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
            targets = [sub.target]
        elif isinstance(sub, ast.withitem) and sub.optional_vars is not None:
            targets = [sub.optional_vars]
        elif isinstance(sub, ast.NamedExpr):
            targets = [sub.target]
        for target in targets:
            yield from _self_attribute(target)


def shadowing(path: Path, module_name: str) -> list[str]:
    """"file:line: Class.name hides QtBase.name" for each attribute that hides a Qt one."""
    module = importlib.import_module(module_name)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ClassDef):
            continue
        cls = _resolve(module, node)
        qt_bases = _qt_bases(cls) if cls else []
        for name, line in sorted(set(_assigned_names(node))):
            owner = next((base for base in qt_bases if hasattr(base, name)), None)
            if owner is not None:
                found.append(f"{path.name}:{line}: {node.name}.{name} hides {owner.__name__}.{name}")
    return found


@pytest.mark.parametrize("path,module_name", [pytest.param(p, m, id=m) for p, m in _modules()])
def test_no_attribute_hides_a_qt_method(path, module_name):
    assert shadowing(path, module_name) == []


def test_the_check_sees_a_hidden_dialog_method(tmp_path, monkeypatch):
    """The check itself: the editor as it was (`self.done = QCheckBox(...)` on a QDialog) is caught."""
    (tmp_path / "old_editor.py").write_text(
        "from PySide6.QtWidgets import QCheckBox, QDialog\n"
        "class Editor(QDialog):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.done = QCheckBox('Đã hoàn thành')\n"
        "        self.start, self.window = 1, 2\n"
        "        self.completed_check = QCheckBox()\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert shadowing(tmp_path / "old_editor.py", "old_editor") == [
        "old_editor.py:5: Editor.done hides QDialog.done",
        "old_editor.py:6: Editor.window hides QDialog.window",
    ]
