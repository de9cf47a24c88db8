"""Which attachment files an office exchanges, and a name that is safe to show or to write.

One list for the whole app: a package's attachment is accepted on import, and an attachment is opened in the
system viewer, only when its name ends in a document or image type an office uses. Executables, scripts,
shortcuts, installers, macro-enabled Office files and web pages are never accepted (on Windows, handing one of
them to the system runs it).
"""

from __future__ import annotations

import re
import unicodedata

ALLOWED_EXTENSIONS: frozenset[str] = frozenset({
    # documents
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf", ".txt", ".csv",
    # scans and photos
    ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".gif", ".bmp",
})

# Never allowed, whatever else the name says; listed so a message can name why (and as a guard if the allow list
# ever grows). Archives are out too: a zip opened in Explorer runs what it holds with one double click.
BLOCKED_EXTENSIONS: frozenset[str] = frozenset({
    ".exe", ".com", ".bat", ".cmd", ".scr", ".pif", ".cpl", ".msi", ".msp", ".msc", ".dll", ".sys", ".drv",
    ".ps1", ".psm1", ".psd1", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".wsh", ".hta", ".jar", ".lnk", ".url",
    ".reg", ".inf", ".scf", ".gadget", ".application", ".appref-ms", ".chm", ".html", ".htm", ".mht", ".mhtml",
    ".svg", ".xml", ".iso", ".img", ".vhd", ".vhdx", ".zip", ".rar", ".7z", ".cab", ".sh", ".py", ".pl", ".rb",
    ".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".pptm", ".potm", ".ppam", ".sldm",
})

_RESERVED_WINDOWS = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}
)
_FORBIDDEN_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_MAX_NAME = 120
FALLBACK_NAME = "tep-dinh-kem"


def extension(name: str) -> str:
    """The last extension, lower case with its dot ("" when none); trailing dots and spaces ignored as Windows does."""
    base = _last_component(str(name)).rstrip(". ")
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""


def is_allowed_attachment(name: str) -> bool:
    """True when `name` is a document or image type an office exchanges (judged on its sanitised form)."""
    if not isinstance(name, str) or not name.strip():
        return False
    shown = safe_display_name(name)
    ext = extension(shown)
    if ext in BLOCKED_EXTENSIONS or ext not in ALLOWED_EXTENSIONS:
        return False
    # "Bao cao.pdf.bat" ends in .bat; "Bao cao.bat .pdf" would be judged on .pdf, which is what Windows opens.
    return extension(name) == ext


def refusal_reason(name: str) -> str:
    """Vietnamese reason why `name` is not accepted as an attachment (for previews and messages)."""
    ext = extension(name) or "không có đuôi"
    return (f"Tệp đính kèm “{safe_display_name(name)}” có kiểu {ext}, không phải tài liệu hay ảnh mà văn phòng "
            "dùng (PDF, Word, Excel, ảnh quét…); tệp chạy được hoặc tệp lệnh không được nhận. "
            "Hãy đề nghị nơi gửi gửi lại tệp ở dạng PDF hoặc ảnh.")


def safe_display_name(name: str) -> str:
    """`name` without folders, control or reserved characters, reserved Windows names; the extension is kept."""
    text = unicodedata.normalize("NFC", str(name))
    text = _last_component(text)
    text = _FORBIDDEN_CHARS.sub("", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    text = " ".join(text.split()).strip(" .")
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    stem = stem.strip(" .")
    if stem.split(".")[0].lower() in _RESERVED_WINDOWS or not stem:
        stem = f"{FALLBACK_NAME}-{stem}" if stem else FALLBACK_NAME
    ext = ext[:16]
    stem = stem[: _MAX_NAME - len(ext) - 1]
    return f"{stem}.{ext}" if ext else stem


def _last_component(text: str) -> str:
    return re.split(r"[\\/]", text)[-1]
