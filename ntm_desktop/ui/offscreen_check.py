"""For `ntm-desktop selfcheck`: build the main window on the offscreen platform and save a picture of it."""

from __future__ import annotations

import os
from pathlib import Path


def render_main_window(workspace, out_png: Path) -> tuple[int, int]:
    """Construct the main window as the app does, render it, save a PNG; returns its size."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ntm_desktop.ui.app import make_application, open_main_window

    app = make_application()
    window = open_main_window(workspace)
    try:
        window.resize(1200, 760)
        window.show()
        app.processEvents()
        from ntm_desktop.ui.background import wait_for_reads

        wait_for_reads(window)  # the overview's counts, read off the GUI thread
        image = window.grab()
        if image.isNull() or not image.save(str(out_png)):
            raise RuntimeError("the main window could not be rendered")
        return image.width(), image.height()
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
