"""A backup of the national-scale data folder with its progress bar, against a bare copy and zip; a stop half-way.

Usage:
    .venv/bin/python bench/bench_backup.py                 # reuses (or builds) ~/.cache/ntm-bench/national
    .venv/bin/python bench/bench_backup.py --runs 5 --data-dir DIR

The folder is bench/national.py's (100,000 directives, 300,000 tasks, 3,321 communes' criteria, a year
of sync history; about 600 MB). Backups go to a temporary folder on the same disk, never into the data
folder's own backups/ (the start bench reads those). In turn, `--runs` times:

- the app's backup: `create_backup(..., progress=report)`, the database copied by the SQLite backup API in
  steps of a few MB, then zipped in steps, the report told after each step;
- the bare baseline: the same database copied by the SQLite backup API in one call and written into a zip
  with `ZipFile.write` at the same compression level, nothing told.

Then one backup stopped at half way: how long the stop takes, and that nothing is left in the folder.
Printed: min/median of wall-clock and CPU seconds, the backup's size, how many times the bar moved, and
the ratio app / bare last.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from national import DEFAULT_CACHE, log, national_folder  # noqa: E402

from ntm_desktop.backup.manifest import BackupKind  # noqa: E402
from ntm_desktop.backup.progress import BackupCancelled  # noqa: E402
from ntm_desktop.backup.store import create_backup  # noqa: E402
from ntm_desktop.paths import DataFolder  # noqa: E402


@dataclass(frozen=True)
class _ElsewhereFolder(DataFolder):
    """The national folder, with its backups written to another folder."""

    elsewhere: Path = Path()

    @property
    def backups(self) -> Path:
        return self.elsewhere


def app_backup(data_dir: Path, target: Path) -> tuple[float, float, int, int]:
    """(wall s, CPU s, bytes of the backup, times the progress was told)."""
    told = []
    start, cpu = time.perf_counter(), time.process_time()
    result = create_backup(_ElsewhereFolder(data_dir, target), BackupKind.MANUAL,
                           progress=lambda done, total: told.append(done) is None)
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    assert told[-1] == max(told), "progress ends at its total"
    return wall, used, result.info.size, len(told)


def bare_backup(data_dir: Path, target: Path) -> tuple[float, float, int, int]:
    start, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory(dir=target, prefix=".bare-") as tmp:
        copy = Path(tmp) / "ntm.sqlite3"
        src, dst = sqlite3.connect(data_dir / "ntm.sqlite3"), sqlite3.connect(copy)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        out = target / "bare.zip"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.write(copy, "ntm.sqlite3")
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    size = out.stat().st_size
    out.unlink()
    return wall, used, size, 0


def stopped_backup(data_dir: Path, target: Path) -> tuple[float, float, list[str]]:
    """Stop at half way: (fraction reached, seconds from the stop to the return, what is left)."""
    asked: list[float] = []

    def report(done: int, total: int) -> bool:
        if done >= total / 2:
            asked.append(time.perf_counter())
            asked.append(done / total)
            return False
        return True

    try:
        create_backup(_ElsewhereFolder(data_dir, target), BackupKind.MANUAL, progress=report)
    except BackupCancelled:
        pass
    took = time.perf_counter() - asked[0]
    return asked[1], took, sorted(p.name for p in target.iterdir())


def _figures(name: str, runs: list[tuple[float, float, int, int]]) -> str:
    wall, cpu = [r[0] for r in runs], [r[1] for r in runs]
    told = f", bar moved {runs[0][3]} times" if runs[0][3] else ""
    return (f"  {name:<28} wall {min(wall):6.2f} / {statistics.median(wall):6.2f} s   CPU {min(cpu):6.2f} / "
            f"{statistics.median(cpu):6.2f} s   {runs[0][2] / 1e6:6.0f} MB{told}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_CACHE,
                        help=f"the national-scale folder, built there if missing (default {DEFAULT_CACHE})")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    data_dir = national_folder(args.data_dir)
    log(f"database file: {(data_dir / 'ntm.sqlite3').stat().st_size / 1e6:.0f} MB")
    app, bare = [], []
    with tempfile.TemporaryDirectory(prefix="ntm-bench-backup-") as root:
        for run in range(args.runs):  # interleaved, so that a busy moment of the machine falls on both sides
            target = Path(root) / f"run{run}"
            target.mkdir()
            app.append(app_backup(data_dir, target))
            bare.append(bare_backup(data_dir, target))
            shutil.rmtree(target)
            log(f"  run {run + 1}/{args.runs} done")
        target = Path(root) / "stopped"
        target.mkdir()
        reached, took, left = stopped_backup(data_dir, target)
    log("backup of the national folder (seconds, min / median):")
    log(_figures("app (progress, steps)", app))
    log(_figures("bare (one-call copy + zip)", bare))
    log(f"  stopped at {reached:.0%}: returned {took:.2f} s after the stop; left in the folder: {left or 'nothing'}")
    ratio = min(r[0] for r in app) / min(r[0] for r in bare)
    cpu_ratio = min(r[1] for r in app) / min(r[1] for r in bare)
    log(f"ratio backup / bare copy and zip: {ratio:.2f} wall, {cpu_ratio:.2f} CPU")
    return 0 if not left else 1


if __name__ == "__main__":
    sys.exit(main())
