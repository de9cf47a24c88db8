"""A second start hands over to the running window: QLocalServer in the first, QLocalSocket in the second.

The OS file lock (ntm_desktop.safety.InstanceLock) decides who runs; this only carries the
"show yourself" message. One server name per data folder and per user.
"""

from __future__ import annotations

import getpass
import hashlib
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

ACTIVATE = b"activate\n"


def server_name(root: Path) -> str:
    key = str(Path(root).resolve())
    if sys.platform == "win32":
        key = key.lower()
    digest = hashlib.sha256(f"{getpass.getuser()}|{key}".encode("utf-8")).hexdigest()[:20]
    return f"ntm-desktop-{digest}"


def notify_running(root: Path, timeout_ms: int = 2000) -> bool:
    """Ask the process that has `root` open to bring its window forward; False if none answered."""
    if QCoreApplication.instance() is None:
        QCoreApplication([])  # QLocalSocket needs an application object, not an event loop
    socket = QLocalSocket()
    socket.connectToServer(server_name(root))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(QByteArray(ACTIVATE))
    ok = socket.waitForBytesWritten(timeout_ms)
    socket.waitForReadyRead(timeout_ms)  # the running window answers once it has been raised
    socket.disconnectFromServer()
    return ok


def raise_window(window: QWidget) -> None:
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


class InstanceServer(QObject):
    """Listens while the app runs; `activation_requested` fires when a second start knocks."""

    activation_requested = Signal()

    def __init__(self, root: Path, window: QWidget | None = None, parent: QObject | None = None):
        super().__init__(parent or window)
        self.window = window
        self.name = server_name(root)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        # A crashed run may have left its socket file; we hold the instance lock, so it is stale.
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def close(self) -> None:
        self.server.close()

    @Slot()
    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(ACTIVATE.strip()):
            if self.window is not None:
                raise_window(self.window)
            self.activation_requested.emit()
            socket.write(QByteArray(b"ok\n"))
            socket.flush()


def listen_for_second_starts(root: Path, window: QWidget) -> InstanceServer:
    """Call after the main window exists; keep the returned server (it is parented to the window)."""
    server = InstanceServer(root, window)
    server.listen()
    return server
