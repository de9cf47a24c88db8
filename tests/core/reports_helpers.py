"""Helpers for the report tests: read PDF text and positions, render pages, requests on demo data."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pypdf

from ntm_desktop.reports.request import ReportFormat, ReportKind, ReportRequest
from ntm_desktop.reports.runner import run
from ntm_desktop.services.dates import week_bounds

MM = 72 / 25.4


def squash(text: str) -> str:
    """NFC with runs of white space made one space (PDF text breaks lines where the layout did)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def pdf_text(path: Path) -> list[str]:
    return [squash(page.extract_text()) for page in pypdf.PdfReader(path).pages]


def text_positions(path: Path, page_index: int) -> list[tuple[str, float, float]]:
    """(text, x, y) of each text run on a page, in PDF points from the bottom left."""
    page = pypdf.PdfReader(path).pages[page_index]
    runs: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            runs.append((squash(text), cm[4] + tm[4], cm[5] + tm[5]))

    page.extract_text(visitor_text=visit)
    return runs


def page_size(path: Path, page_index: int = 0) -> tuple[float, float]:
    box = pypdf.PdfReader(path).pages[page_index].mediabox
    return float(box.width), float(box.height)


def render_gray(path: Path, page: int, out_dir: Path, dpi: int = 50) -> tuple[int, int, bytes]:
    """Render one page to a PGM with pdftoppm; (width, height, pixels)."""
    prefix = out_dir / f"page{page}"
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path), str(prefix)],
                   check=True)
    pgm = next(out_dir.glob(f"page{page}*.pgm"))
    data = pgm.read_bytes()
    parts = data.split(maxsplit=4)
    width, height = int(parts[1]), int(parts[2])
    return width, height, parts[4][-width * height:]


def has_pdftoppm() -> bool:
    return shutil.which("pdftoppm") is not None


def this_week() -> tuple[date, date]:
    return week_bounds(date.today())


def make(workspace, kind: str, fmt: str, out: Path, start: date | None = None, end: date | None = None,
         **kw) -> Path:
    if start is None:
        start, end = this_week()
    request = ReportRequest(ReportKind(kind), start, end, **kw)
    return run(workspace.db, request, ReportFormat(fmt), out)
