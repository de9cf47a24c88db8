"""What reading a file gives: its logical lines (with where they stand on the page), its pages, and notices."""

from __future__ import annotations

from dataclasses import dataclass, field

from ntm_desktop.errors import UserError
from ntm_desktop.intake.layout import SourceLine


class IntakeError(UserError):
    """A file whose text cannot be read; str(error) says what happened and what to do, in Vietnamese."""


class Cancelled(Exception):
    """The officer stopped the reading."""


SCANNED_PAGE = ("Trang này là ảnh quét, không có chữ để đọc. Hãy nhìn ảnh trang và gõ thông tin vào các ô "
                "bên cạnh.")


@dataclass
class Extraction:
    kind: str  # "text", "pdf", "docx" or "image"
    lines: list[SourceLine] = field(default_factory=list)
    page_count: int = 0  # pages in the file (1 for an image, 0 for text and Word files)
    pages_read: int = 0  # pages whose text was read
    scanned_pages: list[int] = field(default_factory=list)  # pages with no text layer (0-based)
    recognised_pages: list[int] = field(default_factory=list)  # scanned pages whose words OCR read (0-based)
    notices: list[str] = field(default_factory=list)  # Vietnamese notes for the officer
    plain_text: str | None = None  # a text file's own text, handed to the parser as it is


    @property
    def text(self) -> str:
        """The text handed to the parser: one line per paragraph, item or table row; paragraphs apart."""
        if self.plain_text is not None:
            return self.plain_text
        out: list[str] = []
        prev = None
        for line in self.lines:
            if out and not (prev == "row" and line.kind == "row"):
                out.append("")
            out.append(line.text)
            prev = line.kind
        return "\n".join(out)

    def line_for(self, text: str) -> SourceLine | None:
        """The source line that holds `text` (a line of the parser's cleaned text), if one does."""
        key = " ".join(text.split())[:60]
        if not key:
            return None
        for line in self.lines:
            if key in " ".join(line.text.split()):
                return line
        return None
