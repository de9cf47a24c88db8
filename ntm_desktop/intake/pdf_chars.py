"""The characters, rules and pictures of one PDF page, read with PDFium (pypdfium2).

Coordinates are in points from the page's top-left corner (y grows downwards), so that "above" is "smaller y"
everywhere in the layout code. Characters PDFium generates (line breaks, spaces it infers between text objects)
are kept as spaces only where they separate words on one line.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


@dataclass(slots=True)
class Char:
    ch: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


@dataclass
class PageChars:
    index: int
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    hrules: list[tuple[float, float, float]] = field(default_factory=list)  # (y, x0, x1)
    vrules: list[tuple[float, float, float]] = field(default_factory=list)  # (x, top, bottom)
    images: int = 0


def read_page(document: pdfium.PdfDocument, index: int) -> PageChars:
    page = document[index]
    try:
        width, height = page.get_size()
        out = PageChars(index, width, height)
        textpage = page.get_textpage()
        try:
            _read_chars(textpage, height, out)
        finally:
            textpage.close()
        _read_objects(page, height, out)
        return out
    finally:
        page.close()


def _read_chars(textpage: pdfium.PdfTextPage, height: float, out: PageChars) -> None:
    count = textpage.count_chars()
    if count <= 0:
        return
    text = textpage.get_text_range(0, count)
    raw = textpage.raw
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    get_box = pdfium_c.FPDFText_GetCharBox
    get_size = pdfium_c.FPDFText_GetFontSize
    size = 0.0
    need_size = True
    append = out.chars.append
    for i in range(min(count, len(text))):
        ch = text[i]
        if ch in "\r\n":
            need_size = True
            continue
        if not get_box(raw, i, left, right, bottom, top):
            continue
        if need_size and not ch.isspace():
            size = get_size(raw, i) or size
            need_size = False
        if ch.isspace():
            ch = " "
        append(Char(ch, left.value, height - top.value, right.value, height - bottom.value, size))


def _read_objects(page: pdfium.PdfPage, height: float, out: PageChars) -> None:
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE), max_depth=3):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            left, bottom, right, top = obj.get_bounds()
            if (right - left) * (top - bottom) > 0.25 * out.width * out.height:
                out.images += 1
            continue
        left, bottom, right, top = obj.get_bounds()
        if right - left < 2.5 and top - bottom > 4:
            out.vrules.append(((left + right) / 2, height - top, height - bottom))
            continue
        if top - bottom < 2.5 and right - left > 4:
            out.hrules.append((height - (top + bottom) / 2, left, right))
            continue
        # A path that draws several edges (a grid): read its straight segments.
        n = pdfium_c.FPDFPath_CountSegments(obj.raw)
        if n <= 0 or n > 4000:
            continue
        m = obj.get_matrix()
        a, b, c, d, e, f = m.get()
        prev = None
        for k in range(n):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, k)
            if not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
                continue
            px, py = a * x.value + c * y.value + e, b * x.value + d * y.value + f
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
                _edge(out, prev, (px, py), height)
            prev = (px, py)


def _edge(out: PageChars, p: tuple[float, float], q: tuple[float, float], height: float) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) < 0.8 and abs(x1 - x0) > 4:
        out.hrules.append((height - (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) < 0.8 and abs(y1 - y0) > 4:
        out.vrules.append(((x0 + x1) / 2, height - max(y0, y1), height - min(y0, y1)))
