"""UI test helpers: answer message boxes without a person."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture
def messages(monkeypatch):
    """Record warnings instead of showing them; answer questions with `answers` (default Yes)."""
    class Shown(list):
        answers: list

    shown = Shown()
    answers: list[QMessageBox.StandardButton] = []

    def warning(_parent, _title, text, *a, **k):
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    def question(_parent, _title, text, *a, **k):
        shown.append(text)
        return answers.pop(0) if answers else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(warning))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(warning))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    shown.answers = answers
    return shown


@pytest.fixture(autouse=True)
def _page_reads_at_once(monkeypatch):
    """Pages read their data off the GUI thread (ntm_desktop.ui.background.Loader); here the reads run at
    once, so that a test sees the rows when the call returns. Tests of the threading itself set it back."""
    from ntm_desktop.ui import background

    monkeypatch.setattr(background, "INLINE", True)
