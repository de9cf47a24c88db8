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
             progress: Callable[[str], None] | None = None) -> Extraction:
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
            pages.append(page)
    finally:
        with PDFIUM_LOCK:
            document.close()
    lines = layout_pages(pages)
    notices = []
    if count > read:
        notices.append(f"Tệp có {count} trang; phần mềm đọc chữ của {read} trang đầu (phần chỉ đạo và nhiệm vụ "
                       f"thường nằm ở đó). Các trang sau vẫn xem được trong ảnh trang và trong tệp đính kèm.")
    if scanned and len(scanned) == read:
        notices.append("Tệp là bản quét (ảnh chụp các trang), không có lớp chữ nên phần mềm không tự đọc được. "
                       "Hãy nhìn ảnh trang và gõ thông tin vào các ô bên cạnh.")
    elif scanned:
        shown = ", ".join(str(i + 1) for i in scanned[:10]) + ("…" if len(scanned) > 10 else "")
        notices.append(f"Trang {shown} là ảnh quét, không có chữ để đọc; hãy đối chiếu với ảnh trang.")
    return Extraction("pdf", lines, page_count=count, pages_read=read, scanned_pages=scanned, notices=notices)


__all__ = ["PDFIUM_LOCK", "SCANNED_PAGE", "open_pdf", "read_pdf"]
