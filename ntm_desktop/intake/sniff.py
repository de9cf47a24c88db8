"""What a file really is, from its first bytes, checked against what its name says."""

from __future__ import annotations

from pathlib import Path

from ntm_desktop.intake.source import IntakeError

TEXT_EXTENSIONS = {".txt"}
PDF_EXTENSIONS = {".pdf"}
WORD_EXTENSIONS = {".docx"}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif"}
READABLE = TEXT_EXTENSIONS | PDF_EXTENSIONS | WORD_EXTENSIONS | IMAGE_EXTENSIONS
FILE_FILTER = "*.pdf *.docx *.txt *.jpg *.jpeg *.png *.tif *.tiff *.bmp *.gif"

_NAMES = {
    "pdf": "một tệp PDF", "zip": "một tệp nén (zip)", "ole": "một tệp Office đời cũ (.doc, .xls)",
    "image": "một ảnh", "text": "văn bản thuần", "binary": "dữ liệu nhị phân (không phải văn bản)",
    "docx": "một văn bản Word (.docx)",
}


def sniff(head: bytes) -> str:
    """'pdf', 'zip', 'ole', 'image', 'text' or 'binary' from a file's first bytes."""
    if head.lstrip(b"\xef\xbb\xbf\r\n\t ")[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a", b"BM")):
        return "image"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    if b"\x00" in head:
        return "binary"
    return "text"


def file_kind(path: Path) -> str:
    """'text', 'pdf', 'docx' or 'image' for a file the intake can read; IntakeError (Vietnamese) otherwise."""
    path = Path(path)
    name = path.name
    ext = path.suffix.lower()
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        raise IntakeError(f"Không tìm thấy tệp “{name}”. Có thể tệp đã bị di chuyển hoặc USB đã được rút ra; "
                          "hãy chọn lại tệp.") from None
    except IsADirectoryError:
        raise IntakeError(f"“{name}” là một thư mục, không phải tệp. Hãy chọn một tệp PDF, Word hoặc ảnh quét.") from None
    except OSError as error:
        raise IntakeError(f"Không đọc được tệp “{name}”: {error.strerror or error}. Hãy chép tệp vào máy rồi "
                          "chọn lại.") from None
    if size == 0:
        raise IntakeError(f"Tệp “{name}” trống (0 byte), không có nội dung để đọc. Có thể tệp chưa tải hoặc chưa "
                          "chép xong; hãy lấy lại tệp từ nơi gửi.")
    if ext == ".doc":
        raise IntakeError(f"Tệp “{name}” là văn bản Word đời cũ (.doc), phần mềm chưa đọc được chữ trong đó. "
                          "Hãy mở tệp bằng Word, chọn Lưu thành (Save As) dạng .docx hoặc PDF, rồi chọn tệp mới.")
    if ext not in READABLE:
        raise IntakeError(f"Phần mềm chưa đọc được chữ từ tệp {ext or '(không có đuôi)'} (“{name}”). Hãy chọn "
                          "tệp PDF, Word (.docx), văn bản (.txt) hoặc ảnh quét (.jpg, .png, .tif).")
    actual = sniff(head)
    expected = ("pdf" if ext in PDF_EXTENSIONS else "zip" if ext in WORD_EXTENSIONS
                else "image" if ext in IMAGE_EXTENSIONS else "text")
    if actual != expected:
        shown = "docx" if actual == "zip" and expected != "zip" else actual
        raise IntakeError(
            f"Tệp “{name}” có đuôi {ext} nhưng nội dung lại là {_NAMES.get(shown, shown)}. Có thể tệp bị đổi tên "
            "hoặc bị hỏng. Hãy mở thử tệp bằng phần mềm tương ứng, hoặc xin nơi gửi gửi lại đúng tệp."
        )
    return {"zip": "docx"}.get(expected, expected)
