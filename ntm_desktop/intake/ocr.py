"""Read the words of a scanned page (OCR) with Tesseract's Vietnamese model, when this computer has it.

The engine is optional at run time: `tesserocr` (Tesseract bundled in its wheel, Apache-2.0; the wrapper MIT) and
the `vie.traineddata` model. The model is looked for in the folder NTM_TESSDATA names (only there, when it is
set), then beside the program (resources/tessdata), then where a Tesseract installation keeps it. Without both,
`engine()` is None and `missing_reason()` says in Vietnamese what is missing.

A page is drawn at 300 dpi (PDFium for a PDF, Pillow for a photo or a scan), Tesseract reads its words with their
boxes, and the words become characters at their places on the page (in points), so the same layout code that
reads a PDF's text layer rebuilds the paragraphs, the header blocks side by side and the numbered items.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ntm_desktop.intake.pdf_chars import Char, PageChars

LANGUAGE = "vie"
DPI = 300
_POINTS = 72.0 / DPI
_MIN_CONFIDENCE = 20.0  # words Tesseract is less sure of than this are specks, stamps and signatures


@dataclass(frozen=True)
class Engine:
    tessdata: Path
    version: str


def _candidates() -> list[Path]:
    configured = os.environ.get("NTM_TESSDATA")
    if configured:
        return [Path(configured)]
    from ntm_desktop.resources import resource

    places = [resource("tessdata")]
    for prefix in (os.environ.get("TESSDATA_PREFIX"),):
        if prefix:
            places += [Path(prefix), Path(prefix) / "tessdata"]
    places += [Path("/usr/share/tesseract-ocr/5/tessdata"), Path("/usr/share/tesseract-ocr/4.00/tessdata"),
               Path("/usr/share/tessdata"), Path("/usr/local/share/tessdata")]
    if sys.platform == "win32":
        for root in (os.environ.get("LOCALAPPDATA"), os.environ.get("ProgramFiles")):
            if root:
                places += [Path(root) / "Tesseract-OCR" / "tessdata", Path(root) / "Programs" / "Tesseract-OCR" / "tessdata"]
    return places


def _tessdata() -> Path | None:
    for place in _candidates():
        if (place / f"{LANGUAGE}.traineddata").is_file():
            return place
    return None


def _tesserocr():
    try:
        import tesserocr
    except ImportError:
        return None
    return tesserocr


def engine() -> Engine | None:
    """The OCR engine with its Vietnamese model, or None when this computer lacks either."""
    tesserocr = _tesserocr()
    tessdata = _tessdata()
    if tesserocr is None or tessdata is None:
        return None
    return Engine(tessdata, tesserocr.tesseract_version().split()[1])


def missing_reason() -> str:
    """What is missing for OCR, in Vietnamese (empty when nothing is)."""
    if _tesserocr() is None:
        return ("Máy này chưa có bộ nhận dạng chữ (OCR) Tesseract, nên phần mềm không đọc được chữ trong ảnh quét. "
                "Hãy nhìn ảnh trang và gõ thông tin vào các ô bên cạnh.")
    if _tessdata() is None:
        return ("Máy này chưa có dữ liệu tiếng Việt (vie.traineddata) của bộ nhận dạng chữ (OCR), nên phần mềm "
                "không đọc được chữ trong ảnh quét. Hãy nhìn ảnh trang và gõ thông tin vào các ô bên cạnh.")
    return ""


def page_chars(image, index: int, ocr: Engine) -> PageChars:
    """The words Tesseract reads on a page picture drawn at `DPI`, as characters placed in points."""
    import tesserocr

    width, height = image.size
    out = PageChars(index, width * _POINTS, height * _POINTS, images=1)
    words: list[tuple[str, tuple[int, int, int, int], float]] = []  # (word, box, its line's height in points)
    with tesserocr.PyTessBaseAPI(path=str(ocr.tessdata), lang=LANGUAGE) as api:
        api.SetImage(image)
        api.Recognize()
        if not api.GetUTF8Text().strip():
            return out  # a blank page, or nothing Tesseract takes for a letter
        iterator = api.GetIterator()
        level = tesserocr.RIL.WORD
        line_height = 0.0
        while True:
            if iterator.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
                box = iterator.BoundingBox(tesserocr.RIL.TEXTLINE)
                line_height = (box[3] - box[1]) * _POINTS if box else line_height
            word = iterator.GetUTF8Text(level)
            box = iterator.BoundingBox(level)
            if word and word.strip() and box and iterator.Confidence(level) >= _MIN_CONFIDENCE:
                words.append((word.strip(), box, line_height))
            if not iterator.Next(level):
                break
    if words:
        # A line's box grows with its capitals and accents; the body type is the usual line's, and only a line
        # clearly taller than that (a title) has a type of its own.
        usual = sorted(h for _w, _b, h in words)[len(words) // 2]
        for word, box, line_height in words:
            _place_word(out, word, box, (line_height if line_height > 1.3 * usual else usual) * 0.75)
    return out


def _place_word(out: PageChars, word: str, box: tuple[int, int, int, int], size: float) -> None:
    """A word's letters spread over its box, and a space after it (the layout code reads characters)."""
    x0, top, x1, bottom = (v * _POINTS for v in box)
    size = max(4.0, size)
    step = (x1 - x0) / len(word)
    for k, ch in enumerate(word):
        out.chars.append(Char(ch, x0 + k * step, top, x0 + (k + 1) * step, bottom, size))
    out.chars.append(Char(" ", x1, top, x1 + size * 0.25, bottom, size))


def pdf_page_image(document, index: int):
    """Page `index` of an open PDF drawn at `DPI` in grey (the caller holds PDFIUM_LOCK)."""
    page = document[index]
    try:
        bitmap = page.render(scale=DPI / 72.0, grayscale=True, may_draw_forms=False)
        try:
            return bitmap.to_pil().copy()
        finally:
            bitmap.close()
    finally:
        page.close()


A4_WIDTH = round(210 / 25.4 * DPI)  # pixels across an A4 page drawn at DPI


def image_file_picture(path: Path):
    """A photo or a scan as a grey picture the width of an A4 page drawn at `DPI` (the layout reads points)."""
    from PIL import Image, ImageOps

    with Image.open(path) as image:
        image = ImageOps.exif_transpose(image).convert("L")
    if abs(image.width - A4_WIDTH) > 0.15 * A4_WIDTH:
        image = image.resize((A4_WIDTH, max(1, round(image.height * A4_WIDTH / image.width))), Image.LANCZOS)
    return image


def recognise_image_file(path: Path, ocr: Engine, progress: Callable[[str], None] | None = None) -> PageChars:
    if progress is not None:
        progress("Đang nhận dạng chữ (OCR) trang 1/1…")
    return page_chars(image_file_picture(path), 0, ocr)
