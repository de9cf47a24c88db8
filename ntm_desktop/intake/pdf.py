"""PDF files: the text of each page rebuilt from its layout; pages without a text layer reported as scans."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ntm_desktop.intake.layout import layout_pages
from ntm_desktop.intake.pdf_chars import read_page
from ntm_desktop.intake.source import SCANNED_PAGE, Cancelled, Extraction, IntakeError

# PDFium is not thread-safe: every call into it, from the reading thread or the page view, holds this lock.
PDFIUM_LOCK = threading.RLock()

MAX_TEXT_PAGES = 60  # a directive's instructions and its task annex fit; later pages are shown, not read
_MIN_CHARS = 15  # a page-sized picture with fewer printable characters than this: a scan


def open_pdf(path: Path, password: str | None = None) -> pdfium.PdfDocument:
    """Open a PDF or say in Vietnamese why it cannot be opened."""
    path = Path(path)
    try:
        with PDFIUM_LOCK:
            return pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise IntakeError(
                f"Tệp PDF “{path.name}” được đặt mật khẩu nên phần mềm không mở được. Hãy xin nơi gửi bản không "
                "đặt mật khẩu; hoặc mở tệp bằng phần mềm đọc PDF, nhập mật khẩu, in ra PDF mới (Microsoft Print to "
                "PDF) rồi chọn tệp mới đó."
            ) from None
        raise IntakeError(
            f"Tệp PDF “{path.name}” bị hỏng hoặc chưa chép xong, phần mềm không đọc được. Hãy chép lại tệp từ "
            "nguồn gốc (thư điện tử, hệ thống văn bản) hoặc xin nơi gửi gửi lại."
        ) from None


def read_pdf(path: Path, cancel: Callable[[], bool] | None = None,
             progress: Callable[[str], None] | None = None, ocr=None) -> Extraction:
    """The text of each page; with `ocr` (an intake.ocr.Engine), the words of scanned pages are recognised."""
    path = Path(path)
    document = open_pdf(path)
    try:
        with PDFIUM_LOCK:
            count = len(document)
        if count == 0:
            raise IntakeError(f"Tệp PDF “{path.name}” không có trang nào. Hãy xin nơi gửi gửi lại tệp.")
        read = min(count, MAX_TEXT_PAGES)
        pages = []
        scanned = []
        recognised: list[int] = []  # scanned pages whose words OCR read
        for index in range(read):
            if cancel is not None and cancel():
                raise Cancelled()
            if progress is not None and (index % 5 == 0 or index == read - 1):
                progress(f"Đang đọc chữ trang {index + 1}/{read}…")
            with PDFIUM_LOCK:
                page = read_page(document, index)
            printable = sum(1 for c in page.chars if not c.ch.isspace())
            if printable < _MIN_CHARS and page.images:  # a picture of a page, perhaps with a stamp's text
                scanned.append(index)
                page.chars = []
                if ocr is not None:
                    page = _recognise(document, page, ocr, progress)
                    recognised.append(index)
            pages.append(page)
    finally:
        with PDFIUM_LOCK:
            document.close()
    lines = layout_pages(pages)
    notices = []
    if count > read:
        notices.append(f"Tệp có {count} trang; phần mềm đọc chữ của {read} trang đầu (phần chỉ đạo và nhiệm vụ "
                       f"thường nằm ở đó). Các trang sau vẫn xem được trong ảnh trang và trong tệp đính kèm.")
    if recognised:
        shown = ", ".join(str(i + 1) for i in recognised[:10]) + ("…" if len(recognised) > 10 else "")
        notices.append(f"Chữ trang {shown} (ảnh quét) do máy nhận dạng (OCR).")
        scanned = [i for i in scanned if i not in recognised]
    elif scanned and len(scanned) == read:
        notices.append("Tệp là bản quét (ảnh chụp các trang), không có lớp chữ nên phần mềm không tự đọc được. "
                       "Hãy nhìn ảnh trang và gõ thông tin vào các ô bên cạnh.")
    elif scanned:
        shown = ", ".join(str(i + 1) for i in scanned[:10]) + ("…" if len(scanned) > 10 else "")
        notices.append(f"Trang {shown} là ảnh quét, không có chữ để đọc; hãy đối chiếu với ảnh trang.")
    return Extraction("pdf", lines, page_count=count, pages_read=read, scanned_pages=scanned,
                      recognised_pages=recognised, notices=notices)


def _recognise(document, page, ocr, progress: Callable[[str], None] | None):
    """A scanned page's words, read by OCR from its picture (drawn under the lock, read outside it)."""
    from ntm_desktop.intake.ocr import page_chars, pdf_page_image

    if progress is not None:
        progress(f"Đang nhận dạng chữ (OCR) trang {page.index + 1}… (khoảng vài giây một trang)")
    with PDFIUM_LOCK:
        image = pdf_page_image(document, page.index)
    recognised = page_chars(image, page.index, ocr)
    scale = page.width / recognised.width  # the picture's points back to the page's own
    for c in recognised.chars:
        c.x0, c.x1, c.top, c.bottom, c.size = c.x0 * scale, c.x1 * scale, c.top * scale, c.bottom * scale, c.size * scale
    page.chars = recognised.chars
    return page


__all__ = ["PDFIUM_LOCK", "SCANNED_PAGE", "open_pdf", "read_pdf"]
