"""Benchmark reading a scanned directive with OCR (Tesseract's Vietnamese model): accuracy and time per page.

Usage: python bench/bench_ocr.py [--fixtures N]

Each fixture (tests/fixtures/directives) is laid out into a PDF with reportlab (tests/directive_documents.py),
then its pages are drawn at 300 dpi into an image-only PDF: a clean scan with no text layer. For each one:

- time per page: extract_file with OCR (the page drawn by PDFium, Tesseract, the layout reflow);
- character error rate (CER) of the first page: edit distance between the OCR'd lines and the lines the
  text-layer PDF gives for the same page (both through the same layout, so the reading order is the same),
  over the length of the latter; and the same for letters with Vietnamese diacritics only;
- the parser's scores on the OCR'd text of the whole document (fields, task precision and recall, deadlines),
  beside the scores of the text-layer PDF.

Prints MISSING and exits 1 when the engine or its Vietnamese model is not on this computer.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "core")]

from directive_documents import FIXTURES, layout_from_text, write_pdf, write_scan  # noqa: E402

from ntm_desktop.intake import extract_file  # noqa: E402
from ntm_desktop.intake.ocr import engine, missing_reason  # noqa: E402


def distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def page_text(extraction, page: int) -> str:
    text = " ".join(line.text for line in extraction.lines if line.page == page)
    return " ".join(unicodedata.normalize("NFC", text).split())


def marked(text: str) -> str:
    """The letters that carry a Vietnamese mark (ă â đ ê ô ơ ư and the tones)."""
    return "".join(c for c in text if c.isalpha() and (c in "đĐ" or unicodedata.decomposition(c)))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixtures", type=int, default=0, help="how many fixtures (0: all)")
    args = parser.parse_args()
    ocr = engine()
    if ocr is None:
        print("MISSING:", missing_reason())
        return 1
    import tesserocr

    print(f"engine: tesserocr {tesserocr.__version__}, {tesserocr.tesseract_version().splitlines()[0]}, "
          f"model {ocr.tessdata / 'vie.traineddata'} ({(ocr.tessdata / 'vie.traineddata').stat().st_size // 1024} KB)")
    paths = sorted(FIXTURES.glob("*.txt"))
    if args.fixtures:
        paths = paths[: args.fixtures]
    from fixture_scores import score

    texts: dict[str, str] = {}
    seconds = pages = 0.0
    errors = length = marked_errors = marked_length = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for path in paths:
            pdf = write_pdf(layout_from_text(path.read_text(encoding="utf-8")), folder / f"{path.stem}.pdf")
            scan = write_scan(pdf, folder / f"{path.stem}-scan.pdf")
            start = time.perf_counter()
            read = extract_file(scan, ocr=ocr)
            took = time.perf_counter() - start
            seconds += took
            pages += read.page_count
            texts[path.stem] = read.text
            got, want = page_text(read, 0), page_text(extract_file(pdf), 0)
            e, me = distance(got, want), distance(marked(got), marked(want))
            errors, length = errors + e, length + len(want)
            marked_errors, marked_length = marked_errors + me, marked_length + len(marked(want))
            print(f"{path.stem:28s} {read.page_count:2d} pages {took / read.page_count:5.2f} s/page   "
                  f"page 1 CER {100 * e / len(want):4.1f}%  marked letters {100 * me / max(1, len(marked(want))):4.1f}%")
        rows = []
        if len(texts) == len(list(FIXTURES.glob("*.txt"))):  # the scores are over every fixture
            rows = [("text-layer PDF", score(lambda p: extract_file(write_pdf(
                layout_from_text(p.read_text(encoding="utf-8")), folder / f"{p.stem}-again.pdf")).text)[0]),
                ("scan + OCR", score(lambda p: texts[p.stem])[0])]
    print()
    for name, s in rows:
        print(f"{name:15s} fields {s['metadata']:5.1f}%  task precision {s['precision']:5.1f}%  "
              f"recall {s['recall']:5.1f}%  deadlines {s['deadline_accuracy']:5.1f}%")
    print()
    print(f"time per page:            {seconds / pages:.2f} s ({pages:.0f} pages at 300 dpi)")
    print(f"CER, first pages:         {100 * errors / length:.2f}% ({length} characters)")
    print(f"CER, marked letters only: {100 * marked_errors / marked_length:.2f}% ({marked_length} letters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
