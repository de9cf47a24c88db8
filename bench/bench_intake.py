"""Benchmark registering a directive from its PDF: file to proposal, and the review dialog until it shows.

Usage: python bench/bench_intake.py [--runs N]

Builds, with reportlab from the fixtures (tests/directive_documents.py), a 20-page PDF directive (the Lào Cai plan
with its task annex, body repeated) and a 60-page one, and a demo data folder (both in child processes, so the peak
memory printed is the app's, not the builders'). Then, in this process:

- file to proposal: extract_file (PDFium characters, layout, reflow) + parse_directive, 20 pages;
- review dialog until shown: reading the file, the dialog with the proposal, the unit plans and the first page
  drawn (what the officer waits for after dropping the file), 20 pages;
- the 60-page PDF: the same dialog until shown, which pages were drawn, and turning one page;
- peak memory (maxrss).

Targets: under 1 s for each of the first two, 300 MB peak. A missed target is printed as MISSED.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from directive_documents import FIXTURES, layout_from_text, write_pdf  # noqa: E402

TARGET_S = 1.0
TARGET_MB = 300


def make_pdf(folder: Path, name: str, pages: int) -> Path:
    """A PDF of at least `pages` pages from the laocai-15 plan, its body repeated."""
    import pypdfium2 as pdfium

    layout = layout_from_text((FIXTURES / "laocai-15.txt").read_text(encoding="utf-8"))
    body = list(layout.body)
    step = max(1, len(body) // 6)
    for blocks in range(len(body), len(body) * 12, step):
        layout.body = (body * 12)[:blocks]
        path = write_pdf(layout, folder / name)
        document = pdfium.PdfDocument(str(path))
        count = len(document)
        document.close()
        if count >= pages:
            return path
    raise RuntimeError("could not reach the page count")


def line(label: str, seconds: float, target: float | None = TARGET_S) -> str:
    verdict = "" if target is None else ("  ok" if seconds < target else f"  MISSED (target {target * 1000:.0f} ms)")
    return f"{label:<58} {seconds * 1000:8.1f} ms{verdict}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--build", metavar="DIR", help=argparse.SUPPRESS)  # the child process that makes the PDFs
    args = parser.parse_args()
    if args.build:
        make_pdf(Path(args.build), "ke-hoach-20-trang.pdf", 20)
        make_pdf(Path(args.build), "ke-hoach-60-trang.pdf", 60)
        return
    folder = Path(tempfile.mkdtemp(prefix="ntm-bench-intake-"))
    subprocess.run([sys.executable, __file__, "--build", str(folder)], check=True)
    pdf20, pdf60 = folder / "ke-hoach-20-trang.pdf", folder / "ke-hoach-60-trang.pdf"
    data = folder / "data"
    subprocess.run([sys.executable, "-m", "ntm_desktop", "demo", "--data-dir", str(data)], check=True,
                   capture_output=True)

    from PySide6.QtWidgets import QApplication

    from ntm_desktop.intake import extract_file
    from ntm_desktop.parsing import parse_directive
    from ntm_desktop.ui.paste_dialog import PasteDialog
    from ntm_desktop.workspace import open_workspace

    app = QApplication.instance() or QApplication([])
    workspace = open_workspace(data)
    out = []

    def file_to_proposal(path: Path):
        extraction = extract_file(path)
        return extraction, parse_directive(extraction.text)

    file_to_proposal(pdf20)  # warm up: PDFium loaded, regexes compiled
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        extraction, proposal = file_to_proposal(pdf20)
        times.append(time.perf_counter() - start)
    pages20 = extraction.page_count
    out.append(f"20-page PDF: {pages20} pages, {len(extraction.text):,} characters, {len(proposal.tasks)} tasks proposed")
    proposal_s = statistics.median(times)
    out.append(line("file to proposal (read + layout + parse), median", proposal_s))

    def dialog_until_shown(path: Path):
        start = time.perf_counter()
        extraction = extract_file(path)
        dialog = PasteDialog(workspace)
        dialog.set_file(path, extraction)
        dialog.show()
        app.processEvents()
        view = dialog.page_view()
        while not view.rendered_pages:
            app.processEvents()
        elapsed = time.perf_counter() - start
        return dialog, elapsed

    dialog, _ = dialog_until_shown(pdf20)
    dialog.close()
    dialog.deleteLater()
    app.processEvents()
    shown = []
    for _ in range(args.runs):
        dialog, elapsed = dialog_until_shown(pdf20)
        shown.append(elapsed)
        dialog.close()
        dialog.deleteLater()
        app.processEvents()
    dialog_s = statistics.median(shown)
    out.append(line("review dialog until shown (read, propose, first page drawn), median", dialog_s))

    dialog, elapsed60 = dialog_until_shown(pdf60)
    view = dialog.page_view()
    drawn_at_open = list(view.rendered_pages)
    start = time.perf_counter()
    view.show_page(1)
    app.processEvents()
    turn = time.perf_counter() - start
    out.append(f"60-page PDF: {view.page_count} pages; pages drawn when the dialog shows: {drawn_at_open}")
    out.append(line("  review dialog until shown", elapsed60, None))
    out.append(line("  turn to the next page (drawn then)", turn, None))
    dialog.close()
    workspace.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.append(f"{'peak memory (maxrss)':<58} {peak:8.1f} MB{'  ok' if peak < TARGET_MB else '  MISSED (target 300 MB)'}")
    out.append("ratios to target: file to proposal {:.2f}, dialog until shown {:.2f}, peak memory {:.2f}".format(
        proposal_s / TARGET_S, dialog_s / TARGET_S, peak / TARGET_MB))
    print("\n".join(out))


if __name__ == "__main__":
    main()
