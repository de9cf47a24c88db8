"""Liberation Serif (metric-compatible with Times New Roman) registered and embedded in every PDF."""

from __future__ import annotations

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ntm_desktop.errors import UserError
from ntm_desktop.resources import resource

FAMILY = "LiberationSerif"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = (
    FAMILY, f"{FAMILY}-Bold", f"{FAMILY}-Italic", f"{FAMILY}-BoldItalic",
)
_FILES = {
    REGULAR: "LiberationSerif-Regular.ttf",
    BOLD: "LiberationSerif-Bold.ttf",
    ITALIC: "LiberationSerif-Italic.ttf",
    BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}
_registered = False


def register_fonts() -> None:
    """Register the four faces once, so <b> and <i> in paragraphs pick the right file."""
    global _registered
    if _registered:
        return
    for name, file_name in _FILES.items():
        path = resource("fonts", file_name)
        if not path.is_file():
            raise UserError(f"Thiếu tệp phông chữ {file_name} trong thư mục cài đặt; hãy cài lại phần mềm.")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, ITALIC)
    addMapping(FAMILY, 1, 1, BOLD_ITALIC)
    pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    _registered = True
