"""Work off the GUI thread: long actions behind a busy dialog, and page reads that do not block at all.

`run_with_progress`: a long piece of work (apply a package, process an inbox); the window stays painted
and shows a busy dialog that says what is happening; the dialog is window-modal, so nothing else can be
started meanwhile. The caller gets the work's result (or its exception) as if it had run in place.

`run_stoppable`: the same with "Dừng", which the work polls (reading a directive's file).
`run_cancellable`: the same with a progress bar and "Hủy" (a backup of a big data folder).

`Loader`: a page's reads; the page shows what it had (or "Đang tải…") and fills in when the rows arrive.
"""

from __future__ import annotations

import sys
import threading
from typing import Callable, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")


class _Relay(QObject):
    """Carries the worker's news to the GUI thread (queued signals)."""

    said = Signal(str)
    finished = Signal()


def run_with_progress(parent: QWidget, label: str, work: Callable[[Callable[[str], None]], T]) -> T:
    """`work(say)` runs in a worker thread; `say(text)` updates the dialog's text. Returns work's result."""
    from PySide6.QtCore import Qt  # (not at the top: the first screen is drawn before the Qt namespace loads)

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
    return _run_in_worker(lambda: work(relay.said.emit), relay.finished, loop, dialog)


def run_stoppable(parent: QWidget, label: str, work: Callable[[Callable[[str], None], Callable[[], bool]], T]) -> T:
    """`work(say, stopped)` runs in a worker thread; the dialog's "Dừng" makes `stopped()` true (reading a
    directive's file). Returns its result."""
    from PySide6.QtCore import Qt

    stop = threading.Event()
    relay = _Relay()
    loop = QEventLoop()
    dialog = QProgressDialog(label, parent.tr("Dừng"), 0, 0, parent)
    dialog.setWindowTitle(parent.tr("Đang đọc tệp"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.canceled.connect(stop.set)
    relay.said.connect(dialog.setLabelText, Qt.ConnectionType.QueuedConnection)
    relay.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    return _run_in_worker(lambda: work(relay.said.emit, stop.is_set), relay.finished, loop, dialog)


def _run_in_worker(work: Callable[[], T], finished, loop: QEventLoop, dialog: QProgressDialog,
                   before_close: Callable[[], None] | None = None) -> T:
    """Run `work()` in a worker thread while the GUI thread spins `loop` (quit by `finished`, emitted when the
    work ends), then close `dialog`; the work's result, or its exception raised here on the GUI thread."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # noqa: BLE001 - handed to the caller on the GUI thread
            outcome["error"] = error
        finally:
            finished.emit()

    worker = threading.Thread(target=target, name="ntm-background", daemon=True)
    worker.start()
    loop.exec()
    worker.join()
    if before_close is not None:
        before_close()
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


# --- reading a page's data without freezing the window ----------------------------------------------------

INLINE = False  # the test suite sets it: work then runs at once in the calling thread (a test that checks the
# threading turns it off again)


class _Finished(QObject):
    finished = Signal(int, object, object)  # ticket, result, error


class Loader(QObject):
    """Runs `work()` in a worker thread and hands its result to `done(result)` on the GUI thread.

    For a page's reads (the counts of the overview, the rows of a list) and for the start's own checks:
    the window keeps painting and answering meanwhile. A newer `load` supersedes one still running: only
    the newest result is handed over. `busy` is True while a result is awaited; `busy_changed` says when
    that changes (a page shows "Đang tải…"). An error goes to `failed(error)`, or to the crash handler.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._ticket = 0
        self._busy = False
        self._callbacks: tuple = ()
        self._relay = _Finished(self)
        self._relay.finished.connect(self._finished)  # queued: the worker emits from its own thread

    @property
    def busy(self) -> bool:
        return self._busy

    def load(self, work: Callable[[], T], done: Callable[[T], None],
             failed: Callable[[BaseException], None] | None = None) -> None:
        self._ticket += 1
        ticket = self._ticket
        self._callbacks = (done, failed)
        if INLINE:
            try:
                result = work()
            except BaseException as error:  # noqa: BLE001 - handed over as a worker's error would be
                self._finished(ticket, None, error)
            else:
                self._finished(ticket, result, None)
            return
        self._set_busy(True)
        relay = self._relay

        def target() -> None:
            result, error = None, None
            try:
                result = work()
            except BaseException as caught:  # noqa: BLE001 - handed to the GUI thread
                error = caught
            try:
                relay.finished.emit(ticket, result, error)
            except RuntimeError:  # the page was closed meanwhile: nobody waits for the result
                pass

        threading.Thread(target=target, name="ntm-load", daemon=True).start()

    def cancel(self) -> None:
        """Forget the result awaited (the page was closed or shows something else now)."""
        self._ticket += 1
        self._set_busy(False)

    def _finished(self, ticket: int, result, error) -> None:
        if ticket != self._ticket:
            return  # superseded by a newer load
        done, failed = self._callbacks
        self._set_busy(False)
        if error is None:
            done(result)
        elif failed is not None:
            failed(error)
        else:
            sys.excepthook(type(error), error, error.__traceback__)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)


# --- a long piece of work with a progress bar and "Hủy" ----------------------------------------------------


class _Progress(QObject):
    """Carries the worker's progress (thousandths of the work) to the GUI thread."""

    moved = Signal(int)
    finished = Signal()


PROGRESS_STEPS = 1000  # the bar's range: bytes of a big backup do not fit in Qt's int


def run_cancellable(parent: QWidget, label: str, work: Callable[[Callable[[int, int], bool]], T]) -> T:
    """`work(report)` runs in a worker thread behind a progress bar with a "Hủy" button (Esc too).

    `report(done, total)` moves the bar and returns False once the officer has cancelled: the work then
    stops in its own way (raising its own exception, which the caller gets like any other), while the
    dialog says "Đang hủy…". Returns work's result.
    """
    from PySide6.QtCore import Qt  # (not at the top: the first screen is drawn before the Qt namespace loads)
    from PySide6.QtWidgets import QPushButton

    outcome: dict = {}
    relay = _Progress()
    loop = QEventLoop()
    stop = threading.Event()
    dialog = QProgressDialog(label, parent.tr("Hủy"), 0, PROGRESS_STEPS, parent)
    dialog.setWindowTitle(parent.tr("Đang xử lý"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)
    dialog.canceled.disconnect(dialog.cancel)  # stays up, saying so, until the work has undone itself

    def cancel() -> None:
        if not stop.is_set():
            stop.set()
            dialog.setLabelText(parent.tr("Đang hủy…"))
            for button in dialog.findChildren(QPushButton):
                button.setEnabled(False)

    dialog.canceled.connect(cancel)

    def moved(value: int) -> None:
        if not stop.is_set() and value > dialog.value():
            dialog.setValue(value)

    relay.moved.connect(moved, Qt.ConnectionType.QueuedConnection)
    relay.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)

    def report(done: int, total: int) -> bool:
        relay.moved.emit(PROGRESS_STEPS * max(0, min(done, total)) // max(1, total))
        return not stop.is_set()

    # closing the dialog emits `canceled` too: let go of it first
    return _run_in_worker(lambda: work(report), relay.finished, loop, dialog,
                          before_close=lambda: dialog.canceled.disconnect(cancel))


def wait_for_reads(widget: QObject, timeout: float = 30.0) -> bool:
    """Process events until no Loader under `widget` is still reading (a picture taken offscreen shows the
    rows, not "…"); False if some were still reading after `timeout` seconds."""
    import time

    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout
    while True:
        QCoreApplication.processEvents()
        if not any(loader.busy for loader in widget.findChildren(Loader)):
            QCoreApplication.processEvents()
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
