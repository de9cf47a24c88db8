"""The unit catalogue: reading it, searching it as the user types, and putting it into a new data folder.

    .venv/bin/python bench/bench_unit_catalogue.py

Figures (each the best of several runs, so that another program's burst on the PC does not count):

- reading resources/units/catalogue.json into entries (3,321 communes, 34 provinces, 10,794 former units);
- building the search index (folded names and sort keys, once per process);
- search as typed: every prefix of a few names ("m", "mu", ... "muong bo"), as the first-start dialog asks
  after each key; the slowest prefix and the median, over the 14,149 entries in force and former;
- a new data folder set up for a provincial office (its 99 communes) and, the heaviest case, every one of
  the 3,321 communes and 34 provinces put into one new folder (add_units: Core bulk inserts with their audit
  rows), each in one transaction, the folder made first (migrations not counted).

Targets: search under 50 ms per key, the whole catalogue into a new folder under 1 s. Ratios last.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ntm_desktop.catalogue import OfficeChoice, add_units, set_up_office  # noqa: E402
from ntm_desktop.catalogue.data import read  # noqa: E402
from ntm_desktop.catalogue.lookup import Catalogue  # noqa: E402
from ntm_desktop.catalogue.search import SearchIndex  # noqa: E402
from ntm_desktop.workspace import open_workspace  # noqa: E402

TYPED = ["muong bo", "Mường Bo", "phuong sa pa", "dak lak", "ho chi minh", "xa dong tam", "03043", "yen bai"]
SEARCH_TARGET, LOAD_TARGET = 0.050, 1.0


def best(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def into_new_folder(root: Path, work) -> float:
    ws = open_workspace(root)
    try:
        start = time.perf_counter()
        with ws.db.transaction("bench") as session:
            work(session)
        return time.perf_counter() - start
    finally:
        ws.close()


def main() -> int:
    data_holder = {}
    read_s = best(5, lambda: data_holder.update(data=read()))
    data = data_holder["data"]
    index_s = best(3, lambda: SearchIndex(data))
    cat = Catalogue(data)
    index = cat.index()
    entries = len(data.units) + len(data.former)
    print(f"catalogue {data.version}: {len(data.units)} units in force, {len(data.former)} former, {entries} in all")
    print(f"read the file: {read_s * 1000:.0f} ms; build the search index: {index_s * 1000:.0f} ms")

    per_key = []
    worst = ("", 0.0)
    for name in TYPED:
        for n in range(1, len(name) + 1):
            prefix = name[:n]
            spent = best(5, lambda: index.search(prefix, limit=50))
            per_key.append(spent)
            if spent > worst[1]:
                worst = (prefix, spent)
    print(f"search as typed: {len(per_key)} prefixes of {len(TYPED)} names, median "
          f"{statistics.median(per_key) * 1000:.1f} ms, slowest {worst[1] * 1000:.1f} ms (“{worst[0]}”)")

    with tempfile.TemporaryDirectory() as tmp:
        province_s = min(into_new_folder(Path(tmp) / f"tinh{i}",
                                         lambda s: set_up_office(s, OfficeChoice("vpdp", "15"), cat))
                         for i in range(3))
        every = [e for e in data.units.values()]
        whole_s = min(into_new_folder(Path(tmp) / f"ca-nuoc{i}", lambda s: add_units(s, every, cat))
                      for i in range(3))
    print(f"new folder set up for Tỉnh Lào Cai's NTM office (101 units): {province_s * 1000:.0f} ms")
    print(f"every unit in force into a new folder ({len(every)} units: 34 provinces, 3,321 communes, and the "
          "34 coordination offices): "
          f"{whole_s * 1000:.0f} ms")
    load_s = read_s + whole_s
    print(f"ratio slowest search / 50 ms target: {worst[1] / SEARCH_TARGET:.2f}"
          + ("" if worst[1] < SEARCH_TARGET else "  MISSED"))
    print(f"ratio read + whole catalogue into a new folder / 1 s target: {load_s / LOAD_TARGET:.2f}"
          + ("" if load_s < LOAD_TARGET else "  MISSED"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
