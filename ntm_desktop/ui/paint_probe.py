"""Something to do once the main window has first painted; and the start bench's probe.

`after_first_paint(window, callback)`: the callback runs once the whole first paint pass is over (a zero
timer after the window's first paint event), so the work it starts does not slow the first picture.

With NTM_EXIT_AFTER_PAINT=1 the app prints `NTM_PAINTED <seconds since the epoch>` on standard output at
that moment, then quits: bench/bench_start.py subtracts the moment it launched the process.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENV_VAR = "NTM_EXIT_AFTER_PAINT"


class _FirstPaint(QObject):
    def __init__(self, window: QWidget, callback: Callable[[], None]):
        super().__init__(window)
        self._window = window
        self._callback = callback

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if obj is self._window and event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
        return False


def after_first_paint(window: QWidget, callback: Callable[[], None]) -> None:
    """Install before window.show()."""
    window.installEventFilter(_FirstPaint(window, callback))


def _report() -> None:
    if sys.stdout is not None:
        print(f"NTM_PAINTED {time.time():.6f}", flush=True)
    QApplication.quit()


def exit_after_first_paint(window: QWidget) -> bool:
    """Install the bench's probe when the environment asks for it (before window.show()); True if installed."""
    if os.environ.get(ENV_VAR) != "1":
        return False
    after_first_paint(window, _report)
    return True
