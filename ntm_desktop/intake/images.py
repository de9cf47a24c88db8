"""Scans and photos: checked for size before anything is decoded; they have no text layer to read."""

from __future__ import annotations

import warnings
from pathlib import Path

from ntm_desktop.intake.source import SCANNED_PAGE, Extraction, IntakeError

MAX_PIXELS = 50_000_000  # an A4 page scanned at 600 dpi is 35 million pixels


def image_size(path: Path) -> tuple[int, int]:
    """(width, height) read from the image's header, or IntakeError when it is not an image Pillow can read."""
    from PIL import Image, UnidentifiedImageError

    path = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:  # reads the header only
                return image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise IntakeError(f"Ảnh “{path.name}” bị hỏng hoặc không phải ảnh đọc được. Hãy quét hoặc chụp lại trang, "
                          "lưu dạng .jpg, .png hoặc .pdf rồi chọn lại.") from None


def check_image(path: Path) -> tuple[int, int]:
    width, height = image_size(path)
    if width * height > MAX_PIXELS:
        raise IntakeError(
            f"Ảnh “{Path(path).name}” quá lớn ({width}×{height} điểm ảnh, khoảng {width * height // 1_000_000} triệu "
            f"điểm ảnh); phần mềm chỉ mở ảnh đến {MAX_PIXELS // 1_000_000} triệu điểm ảnh để máy không bị treo. "
            "Hãy quét lại ở độ phân giải 300 dpi hoặc thu nhỏ ảnh rồi chọn lại."
        )
    if width <= 0 or height <= 0:
        raise IntakeError(f"Ảnh “{Path(path).name}” không có điểm ảnh nào. Hãy quét hoặc chụp lại trang.")
    return width, height


def read_image(path: Path, ocr=None, progress=None) -> Extraction:
    """A scan or a photo: no text unless `ocr` (an intake.ocr.Engine) reads its words."""
    check_image(path)
    if ocr is not None:
        from ntm_desktop.intake.layout import layout_pages
        from ntm_desktop.intake.ocr import recognise_image_file

        lines = layout_pages([recognise_image_file(path, ocr, progress)])
        for line in lines:
            line.boxes = []  # the boxes are on the picture drawn for OCR, not on the image as shown
        return Extraction("image", lines, page_count=1, pages_read=1, scanned_pages=[], recognised_pages=[0],
                          notices=["Chữ của ảnh do máy nhận dạng (OCR)."])
    return Extraction("image", [], page_count=1, pages_read=1, scanned_pages=[0],
                      notices=["Ảnh quét không có lớp chữ nên phần mềm không tự đọc được. " + SCANNED_PAGE.split(". ", 1)[1]])
