"""Run a long piece of work (apply a package, process an inbox) off the GUI thread and wait for it.

The window stays painted and shows a busy dialog that says what is happening;
the dialog is window-modal, so nothing else can be started meanwhile. The
caller gets the work's result (or its exception) as if it had run in place.
"""

from __future__ import annotations

import threading
from typing import Callable, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")


class _Relay(QObject):
    """Carries the worker's news to the GUI thread (queued signals)."""

    said = Signal(str)
    finished = Signal()


def run_with_progress(parent: QWidget, label: str, work: Callable[[Callable[[str], None]], T]) -> T:
    """`work(say)` runs in a worker thread; `say(text)` updates the dialog's text. Returns work's result."""
    outcome: dict = {}
    relay = _Relay()
    loop = QEventLoop()
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setWindowTitle(parent.tr("Đang xử lý"))
    dialog.setCancelButton(None)  # a package is applied whole or not at all: no stopping half-way
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    relay.said.connect(dialog.setLabelText, Qt.ConnectionType.QueuedConnection)
    relay.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)

    def target() -> None:
        try:
            outcome["value"] = work(relay.said.emit)
        except BaseException as error:  # noqa: BLE001 - handed to the caller on the GUI thread
            outcome["error"] = error
        finally:
            relay.finished.emit()

    worker = threading.Thread(target=target, name="ntm-background", daemon=True)
    worker.start()
    loop.exec()
    worker.join()
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
