"""Read a directive from the file it arrived as (PDF, Word, text, scan) into text the parser takes (no Qt)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ntm_desktop.intake.layout import SourceLine
from ntm_desktop.intake.source import SCANNED_PAGE, Cancelled, Extraction, IntakeError
from ntm_desktop.intake.sniff import FILE_FILTER, READABLE, file_kind


def extract_file(path: Path, cancel: Callable[[], bool] | None = None,
                 progress: Callable[[str], None] | None = None, ocr=None) -> Extraction:
    """The text and pages of a directive file; IntakeError (Vietnamese) when it cannot be read.

    With `ocr` (intake.ocr.engine()), the words of scanned pages and images are recognised.
    """
    path = Path(path)
    kind = file_kind(path)
    if kind == "text":
        from ntm_desktop.intake.plain import read_text_file

        return read_text_file(path)
    if kind == "pdf":
        from ntm_desktop.intake.pdf import read_pdf

        return read_pdf(path, cancel, progress, ocr)
    if kind == "docx":
        from ntm_desktop.intake.docx import read_docx

        return read_docx(path)
    from ntm_desktop.intake.images import read_image

    return read_image(path, ocr, progress)


__all__ = ["Cancelled", "Extraction", "FILE_FILTER", "IntakeError", "READABLE", "SCANNED_PAGE", "SourceLine",
           "extract_file", "file_kind"]
