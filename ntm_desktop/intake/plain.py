"""Plain text files: UTF-8 (with or without a BOM), UTF-16 as Notepad writes it, or the old Windows code page."""

from __future__ import annotations

from pathlib import Path

from ntm_desktop.intake.layout import SourceLine
from ntm_desktop.intake.source import Extraction, IntakeError

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a directive is a few hundred kilobytes; more is not a directive's text


def decode_text(raw: bytes) -> str | None:
    """The text of `raw`, or None when it is not text in an encoding an office uses."""
    if raw.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1258"]
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            continue
        return text
    return None


def read_text_file(path: Path) -> Extraction:
    path = Path(path)
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise IntakeError(f"Tệp “{path.name}” quá lớn để là nội dung một văn bản (hơn 20 MB chữ). Hãy chọn đúng "
                          "tệp văn bản chỉ đạo.")
    text = decode_text(path.read_bytes())
    if text is None:
        raise IntakeError(f"Tệp “{path.name}” không phải văn bản thuần đọc được (không phải mã UTF-8, UTF-16 hay "
                          "Windows-1258). Hãy mở tệp và lưu lại dạng văn bản UTF-8 (.txt), hoặc chọn tệp PDF, Word.")
    lines = [SourceLine(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return Extraction("text", lines, plain_text=text)
