"""Drive a dialog that another action opens with exec(): the test's steps run inside its event loop."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog


def while_modal(open_it: Callable[[], object], drive: Callable[[QDialog], None], timeout_ms: int = 20000) -> None:
    """Call `open_it()` (which shows a modal dialog and blocks in exec()); `drive(dialog)` runs as soon as it
    is up. A failure inside `drive` closes the dialog, so exec() returns, and is raised here."""
    failure: list[BaseException] = []
    state = {"waited": 0}

    def step() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible():
            state["waited"] += 20
            if state["waited"] < timeout_ms:
                QTimer.singleShot(20, step)
            return
        try:
            drive(dialog)
        except BaseException as error:  # noqa: BLE001 - re-raised below, outside the event loop
            failure.append(error)
            QDialog.reject(dialog)  # the base class's: skips any "are you sure?" of the dialog

    QTimer.singleShot(0, step)
    open_it()
    if failure:
        raise failure[0]

