"""What a newer unit catalogue edition adds to a province's package: its size, and the time to open and apply it.

    .venv/bin/python bench/bench_catalogue_edition.py [--runs 5]

The NTM coordination office of Lào Cai (set up from the catalogue, 101 units) applies a made-up edition
2026.1 (a commune merged, one renamed: the full catalogue file, 0.8 MB) and sends Phường Sa Pa a full
package before and after; a fresh commune folder previews each (read, check, plan; nothing written) and
applies each (backup, one transaction); a folder that applied the edition already previews the next package
carrying it ("in use": its version read, the rest left aside). Printed: the package sizes, min and median of
each step, and the ratios to the package without the edition last.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ntm_desktop.catalogue import OfficeChoice, set_up_office  # noqa: E402
from ntm_desktop.catalogue.updates import apply_edition, read_edition  # noqa: E402
from ntm_desktop.resources import resource  # noqa: E402
from ntm_desktop.sync import keys  # noqa: E402
from ntm_desktop.sync.apply import apply_file, preview_file  # noqa: E402
from ntm_desktop.sync.export import export_package  # noqa: E402
from ntm_desktop.workspace import open_workspace  # noqa: E402


def later_edition(folder: Path) -> Path:
    raw = json.loads(resource("units", "catalogue.json").read_text(encoding="utf-8"))
    raw["version"] = "2026.1"
    raw["communes"] = [row for row in raw["communes"] if row[0] != "03037"]
    for row in raw["communes"]:
        if row[0] == "03043":
            row[1] = "Xã Mường Bo Hoa"
    raw["former"].append({"valid_to": "2026-12-31", "provinces": [],
                          "communes": [["03037", "Xã Tả Van", "xa", "15", ["03006"]]]})
    path = folder / "catalogue-2026.1.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


def send(ws, out: Path) -> Path:
    with ws.db.transaction("cán bộ") as s:
        return export_package(s, ws.folder.files, "03006", None, out_dir=out, full=True).path


def timed(step, runs: int) -> list[float]:
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        found.append(time.perf_counter() - start)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ntm-bench-edition-"))
    try:
        province = open_workspace(tmp / "tinh")
        with province.db.transaction("cán bộ") as s:
            set_up_office(s, OfficeChoice("vpdp", "15"))
            fingerprint = keys.own_key(s).fingerprint
        plain = send(province, tmp / "goi")
        with province.db.transaction("cán bộ") as s:
            apply_edition(s, read_edition(later_edition(tmp)))
        carried = send(province, tmp / "goi")
        again = send(province, tmp / "goi")  # the same edition, for an office that has it already
        province.close()
        figures = {}
        holder = open_workspace(tmp / "da-co")
        apply_file(holder, carried, user="cán bộ", confirmed_key=fingerprint)
        figures[("preview", "in use")] = timed(lambda: preview_file(holder, again), args.runs)
        holder.close()
        for name, package in (("without", plain), ("with", carried)):
            reader = open_workspace(tmp / f"xem-{name}")
            figures[("preview", name)] = timed(lambda: preview_file(reader, package, confirmed_key=fingerprint),
                                               args.runs)
            reader.close()
            counter = iter(range(args.runs))

            def apply_once():
                ws = open_workspace(tmp / f"nhan-{name}-{next(counter)}")
                try:
                    apply_file(ws, package, user="cán bộ", confirmed_key=fingerprint)
                finally:
                    ws.close()

            figures[("apply", name)] = timed(apply_once, args.runs)
        print(f"package without the edition: {plain.stat().st_size / 1024:.0f} KB; "
              f"with it: {carried.stat().st_size / 1024:.0f} KB")
        for (step, name), values in figures.items():
            print(f"{step:8} {name:8} min {min(values) * 1000:6.0f} ms  median {statistics.median(values) * 1000:6.0f} ms")
        for step, name in (("preview", "with"), ("apply", "with"), ("preview", "in use")):
            ratio = min(figures[(step, name)]) / min(figures[(step, "without")])
            print(f"ratio {step} {name} / without (min): {ratio:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
