"""Pictures of a file's pages for the review dialog, made only when a page is shown (Qt-free: raw RGB bytes)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ntm_desktop.intake.images import check_image
from ntm_desktop.intake.pdf import PDFIUM_LOCK, open_pdf


@dataclass(frozen=True)
class PagePicture:
    width: int
    height: int
    stride: int
    rgb: bytes  # 3 bytes per pixel, rows `stride` bytes apart
    scale: float  # pixels per PDF point (1.0 for an image)


class PageSource:
    """The pages of one PDF or image. Nothing is decoded until `picture(index, width)` asks for one page."""

    def __init__(self, path: Path, kind: str):
        self.path = Path(path)
        self.kind = kind
        self._document = None
        self._sizes: list[tuple[float, float]] = []
        if kind == "pdf":
            self._document = open_pdf(self.path)
            with PDFIUM_LOCK:
                self._count = len(self._document)
        elif kind == "image":
            width, height = check_image(self.path)
            self._count = 1
            self._sizes = [(float(width), float(height))]
        else:
            self._count = 0

    @property
    def closed(self) -> bool:
        return self.kind == "pdf" and self._document is None

    @property
    def page_count(self) -> int:
        return self._count

    def page_size(self, index: int) -> tuple[float, float]:
        """(width, height) in points (pixels for an image)."""
        if self.kind == "image":
            return self._sizes[0]
        with PDFIUM_LOCK:
            return tuple(self._document.get_page_size(index))

    def picture(self, index: int, width: int) -> PagePicture:
        """Page `index` drawn `width` pixels wide."""
        if self.kind == "image":
            return _image_picture(self.path, width)
        with PDFIUM_LOCK:
            page = self._document[index]
            try:
                page_width = page.get_width()
                scale = max(0.05, min(width / page_width, 6.0))
                bitmap = page.render(scale=scale, rev_byteorder=True, may_draw_forms=False)
                try:
                    data = bytes(bitmap.buffer)
                    return PagePicture(bitmap.width, bitmap.height, bitmap.stride, data, scale)
                finally:
                    bitmap.close()
            finally:
                page.close()

    def close(self) -> None:
        if self._document is not None:
            with PDFIUM_LOCK:
                self._document.close()
            self._document = None


def _image_picture(path: Path, width: int) -> PagePicture:
    from PIL import Image

    with Image.open(path) as image:
        image.draft("RGB", (width, width * 2))  # JPEG: decode at a reduced size straight away
        image = image.convert("RGB")
        full_width = image.width
        if image.width > width:
            image.thumbnail((width, width * 10))
        scale = image.width / max(full_width, 1)
        return PagePicture(image.width, image.height, image.width * 3, image.tobytes(), scale)
