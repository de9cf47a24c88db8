"""The bundled Liberation Serif handed to Qt, so the preview and printing use the reports' font on any machine.

Without it Qt takes whatever serif the system has (or none), mixes in fallback
fonts for Vietnamese letters and measures words wrongly, so table headings
break inside a word ("Tổn/g số").
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFontDatabase

from ntm_desktop.resources import resource

log = logging.getLogger(__name__)

FACES = (
    "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf",
)
FALLBACK_FAMILY = "Times New Roman"
_family: str | None = None


def register_report_fonts() -> str:
    """Add the four faces to Qt's font database (once) and return their family name ("Liberation Serif").

    Needs a QGuiApplication. When the files are missing the system's Times New Roman is named instead.
    """
    global _family
    if _family is not None:
        return _family
    families: list[str] = []
    for name in FACES:
        path = resource("fonts", name)
        font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
        if font_id < 0:
            log.warning("font %s could not be loaded from %s", name, path)
            continue
        families += QFontDatabase.applicationFontFamilies(font_id)
    _family = families[0] if families else FALLBACK_FAMILY
    return _family
