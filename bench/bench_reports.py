"""Time the reports at scale: the weekly report for 1,000 tasks, the register for 10,000 directives.

Usage:
    .venv/bin/python bench/bench_reports.py [--tasks 1000] [--directives 10000] [--keep DIR] [--runs 3]

Builds two data folders in a temporary directory (rows inserted in bulk, as in
bench_register.py), then times each report from the database to the finished
file, PDF and XLSX, and prints the figures with pages and file sizes.
Targets: weekly report < 2 s, register < 15 s.

Then the register PDF against a bare reportlab table of the same rows in the same
embedded font (bench/bare_table.py), each from the database to the file, `--runs`
times in turn: min and median of wall-clock and CPU seconds, and the ratios last.
Target: the register within 1.5x of the bare table cut into one Table per page.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bare_table import bare_register_pdf  # noqa: E402
from bench_register import _directive_row, _task_row, _units  # noqa: E402

from ntm_desktop.models import Directive, Task, task_cooperators  # noqa: E402
from ntm_desktop.reports.request import ReportFormat, ReportKind, ReportRequest  # noqa: E402
from ntm_desktop.reports.runner import produce  # noqa: E402
from ntm_desktop.services.dates import week_bounds  # noqa: E402
from ntm_desktop.workspace import open_workspace  # noqa: E402

TODAY = date(2026, 11, 20)


def build_weekly_data(folder: Path, n_tasks: int) -> None:
    """An office with `n_tasks` tasks from directives of the last four months."""
    rng = random.Random(4)
    workspace = open_workspace(folder)
    with workspace.db.transaction("bench") as session:
        office, issuers, leads = _units(session)
    directives, tasks, coop = [], [], []
    n_directives = max(1, n_tasks // 4)
    for number in range(1, n_directives + 1):
        row = _directive_row(rng, office, rng.choice(issuers), TODAY.year, number)
        arrival = TODAY - timedelta(days=120 - number * 120 // n_directives)
        row.update(arrival_date=arrival, doc_date=arrival - timedelta(days=2), transfer_date=arrival)
        directives.append(row)
        for seq in range(1, 5):
            task = _task_row(rng, office, row, seq, rng.choice(leads))
            if task["completed_on"] and task["completed_on"] > TODAY:
                task["completed_on"] = None
            tasks.append(task)
            if seq % 2 == 0:
                coop.append(dict(task_id=task["id"], unit_id=rng.choice(leads)))
    with workspace.db.engine.begin() as conn:
        conn.execute(insert(Directive.__table__), directives)
        conn.execute(insert(Task.__table__), tasks[:n_tasks])
        conn.execute(insert(task_cooperators), [c for c in coop if c["task_id"] in {t["id"] for t in tasks[:n_tasks]}])
    workspace.close()


def build_register_data(folder: Path, n_directives: int) -> None:
    """An office with `n_directives` directives registered in one year."""
    rng = random.Random(10)
    workspace = open_workspace(folder)
    with workspace.db.transaction("bench") as session:
        office, issuers, _leads = _units(session)
    rows = [_directive_row(rng, office, rng.choice(issuers), TODAY.year, n) for n in range(1, n_directives + 1)]
    with workspace.db.engine.begin() as conn:
        for i in range(0, len(rows), 5000):
            conn.execute(insert(Directive.__table__), rows[i:i + 5000])
    workspace.close()


def timed_report(folder: Path, request: ReportRequest, fmt: ReportFormat, out: Path) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of this process): CPU time shows the cost on a busy machine."""
    workspace = open_workspace(folder)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        gen = produce(workspace.db, request, fmt, out)
        steps = 0
        try:
            while True:
                next(gen)
                steps += 1
        except StopIteration:
            pass
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        workspace.close()


RATIO_TARGET = 1.5


def timed_bare(folder: Path, out: Path, way: str) -> tuple[float, float]:
    workspace = open_workspace(folder)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        bare_register_pdf(workspace.db.engine, TODAY.year, out, way)
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        workspace.close()


def compare_with_bare(folder: Path, root: Path, runs: int) -> bool:
    """The register PDF and the bare tables, in turn, `runs` times; prints figures, then the ratios. True if met."""
    request = ReportRequest(ReportKind.REGISTER, date(TODAY.year, 1, 1), date(TODAY.year, 12, 31), today=TODAY)
    cases = {  # name: (file, how it is made)
        "register (app)": ("register-app.pdf", lambda out: timed_report(folder, request, ReportFormat.PDF, out)),
        "bare page tables": ("register-bare-pages.pdf", lambda out: timed_bare(folder, out, "page tables")),
        "bare longtable": ("register-bare-longtable.pdf", lambda out: timed_bare(folder, out, "longtable")),
    }
    wall: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    for run in range(runs):
        for name, (file_name, case) in cases.items():
            elapsed, used = case(root / file_name)
            wall[name].append(elapsed)
            cpu[name].append(used)
        print(f"  run {run + 1}/{runs} done", flush=True)
    print("register PDF against a bare reportlab table of the same rows (seconds, min / median):")
    for name, (file_name, _case) in cases.items():
        print(f"  {name:<17} wall {min(wall[name]):6.2f} / {statistics.median(wall[name]):6.2f}   "
              f"CPU {min(cpu[name]):6.2f} / {statistics.median(cpu[name]):6.2f}{pages_of(root / file_name)}",
              flush=True)
    app = "register (app)"
    met = True
    for name in ("bare longtable", "bare page tables"):
        ratio = min(wall[app]) / min(wall[name])
        strict = name == "bare page tables"  # the fastest use of reportlab's Table: the target's baseline
        verdict = ("ok" if ratio <= RATIO_TARGET else f"MISSED (target {RATIO_TARGET})") if strict else ""
        met &= not strict or ratio <= RATIO_TARGET
        print(f"ratio register / {name}: {ratio:.2f} wall, {min(cpu[app]) / min(cpu[name]):.2f} CPU  {verdict}",
              flush=True)
    return met


def pages_of(path: Path) -> str:
    if path.suffix != ".pdf":
        return ""
    try:
        import pypdf

        return f", {len(pypdf.PdfReader(path).pages)} pages"
    except ImportError:
        return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--directives", type=int, default=10_000)
    parser.add_argument("--keep", help="keep the data folders and reports in this directory (reused next time)")
    parser.add_argument("--runs", type=int, default=3, help="runs of the register against the bare table")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="ntm-bench-reports-"))
    root.mkdir(parents=True, exist_ok=True)
    print(f"building data in {root} …", flush=True)
    started = time.perf_counter()
    if not (root / "weekly").exists():
        build_weekly_data(root / "weekly", args.tasks)
    if not (root / "register").exists():
        build_register_data(root / "register", args.directives)
    print(f"built in {time.perf_counter() - started:.1f} s", flush=True)

    monday, sunday = week_bounds(TODAY)
    cases = [
        ("weekly", root / "weekly", ReportRequest(ReportKind.WEEKLY, monday, sunday, today=TODAY), 2.0,
         f"{args.tasks} tasks"),
        ("register", root / "register", ReportRequest(ReportKind.REGISTER, date(TODAY.year, 1, 1),
                                                      date(TODAY.year, 12, 31), today=TODAY), 15.0,
         f"{args.directives} directives"),
    ]
    failed = False
    for name, folder, request, target, scale in cases:
        for fmt in (ReportFormat.PDF, ReportFormat.XLSX):
            out = root / f"{name}.{fmt.value}"
            elapsed, cpu = timed_report(folder, request, fmt, out)
            verdict = "ok" if elapsed < target else f"MISSED (target {target:.0f} s)"
            size = out.stat().st_size / 1024
            print(f"{name:<9} {fmt.value:<5} {scale:<17} {elapsed:6.2f} s (CPU {cpu:5.2f} s)  {size:7.0f} KB"
                  f"{pages_of(out)}  {verdict}", flush=True)
            failed |= elapsed >= target
    failed |= not compare_with_bare(root / "register", root, args.runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
