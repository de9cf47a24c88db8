"""Start to first paint on a national-scale data folder, against a bare QMainWindow; every page's opening time.

Usage:
    .venv/bin/python bench/bench_start.py                     # build once in ~/.cache/ntm-bench/national, reuse
    .venv/bin/python bench/bench_start.py --runs 7 --data-dir DIR
    .venv/bin/python bench/bench_start.py --skip-pages        # start times only
    .venv/bin/python bench/bench_start.py --profile OUT.prof  # cProfile one start of the app

The folder holds 100,000 directives, 300,000 tasks, 3,321 communes × 19 criteria × 5 years and a year of
sync history (bench/national.py). A start is `python -m ntm_desktop --data-dir DIR` with
NTM_EXIT_AFTER_PAINT=1: the app prints the wall-clock moment the main window has painted, then quits.
The bare start is a QMainWindow of the same size in the same interpreter, printing the same moment.
Both are timed from just before the process is launched, so interpreter start-up counts on both sides.
One warm-up start of each comes first, not counted (it compiles the modules into a bytecode cache outside
the repository, as an installed app ships them, and fills the disk cache; the app's makes the day's
backup, in the background).

Then, in a fresh process, the main window opens each page as a click in the navigation list does, and
each task-list filter and the criteria matrix of one year are applied, timed until painted: target 0.3 s.

The ratio (app median / bare median, target 2) is printed last.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from national import DEFAULT_CACHE, log, national_folder  # noqa: E402

PYCACHE = Path.home() / ".cache" / "ntm-bench" / "pycache"
PAGE_TARGET = 0.3
START_TARGET = 2.0
BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, lambda: (print(f"NTM_PAINTED {time.time():.6f}", flush=True), app.quit()))
            obj.removeEventFilter(self)
        return False

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
watcher = Painted()
window.installEventFilter(watcher)
window.show()
app.exec()
"""


def _env() -> dict:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["NTM_EXIT_AFTER_PAINT"] = "1"
    # Compiled modules, as an installed app has them (PyInstaller ships bytecode), kept outside the repo.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def _timed_start(command: list[str]) -> float:
    started = time.time()
    done = subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=300)
    for line in done.stdout.splitlines():
        if line.startswith("NTM_PAINTED "):
            return float(line.split()[1]) - started
    raise RuntimeError(f"no paint reported by {command[:3]}…: exit {done.returncode}\n{done.stdout}\n{done.stderr}")


def measure_starts(data_dir: Path, runs: int) -> tuple[list[float], list[float]]:
    bare_cmd = [sys.executable, "-c", BARE]
    app_cmd = [sys.executable, "-m", "ntm_desktop", "--data-dir", str(data_dir)]
    _timed_start(bare_cmd)
    _timed_start(app_cmd)
    bare, app = [], []
    for _ in range(runs):  # interleaved, so that a busy moment of the machine falls on both sides
        bare.append(_timed_start(bare_cmd))
        app.append(_timed_start(app_cmd))
    return bare, app


def _figures(label: str, values: list[float]) -> str:
    shown = ", ".join(f"{v:.2f}" for v in values)
    return f"{label:<34} min {min(values):6.3f} s  median {statistics.median(values):6.3f} s   ({shown})"


def profile_start(data_dir: Path, out: Path) -> None:
    env = _env()
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "ntm_desktop", "--data-dir",
                    str(data_dir)], env=env, check=True, timeout=600)
    import pstats

    stats = pstats.Stats(str(out))
    stats.sort_stats("cumulative").print_stats(45)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_CACHE,
                        help=f"the national-scale folder, built there if missing (default {DEFAULT_CACHE})")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="build the folder again")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--profile", type=Path, metavar="OUT.prof", help="profile one start and print the top")
    args = parser.parse_args(argv)
    data_dir = national_folder(args.data_dir, rebuild=args.rebuild)
    size = (data_dir / "ntm.sqlite3").stat().st_size / 1e6
    log(f"database file: {size:.0f} MB")
    if args.profile:
        profile_start(data_dir, args.profile)
        return 0
    if not args.skip_pages:
        code = subprocess.call([sys.executable, str(Path(__file__).with_name("bench_pages.py")), str(data_dir)],
                               env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")})
        if code:
            log(f"page timings failed (exit {code})")
    bare, app = measure_starts(data_dir, args.runs)
    log(_figures("bare QMainWindow: start to paint", bare))
    log(_figures("NTM Desktop: start to paint", app))
    ratio = statistics.median(app) / statistics.median(bare)
    verdict = "ok" if ratio <= START_TARGET else f"MISSED (target {START_TARGET:.0f}x)"
    log(f"start ratio (app median / bare median): {ratio:.2f}x  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
