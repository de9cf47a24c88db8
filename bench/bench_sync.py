"""Sync at district scale and at ten times it: export and import a full package, against plain SQLite.

    .venv/bin/python bench/bench_sync.py                  # 1x: 100 communes x 5 years of criteria, 5,000
                                                          # directives, 20,000 tasks (35,133 records)
    .venv/bin/python bench/bench_sync.py --scale 1 10     # and 10x (351,000 records), built once, reused
    .venv/bin/python bench/bench_sync.py --scale 0.1      # a quick smoke run
    .venv/bin/python bench/bench_sync.py --scale 10 --profile import   # cProfile one import (or export)

A province installation creates the unit tree and sets up the district from a full package; the
district registers the directives and tasks (through the ORM, so the revision hook versions and
audits them like real saves) and assesses its communes' 19 criteria for 2021-2025 through the
assessment service. Both folders are built once per scale in <cache>/sync-x<scale> (--cache, default
~/.cache/ntm-bench; written under a temporary name, renamed when complete) and copied afresh for every run.

Each run is a fresh process (so its peak memory, maxrss, is its own), on a fresh copy of the folders:

- export: the district exports everything for the province (`export_package`, commit included);
- plain read: the same rows (the columns that travel, and the cooperating units) read with sqlite3
  from the same file, each fetched into a tuple: printed for comparison;
- plain read in id order + JSON lines + deflate: the same rows read in the order a package holds them,
  each made its line (sorted keys, one encoder) and deflated at the zip's level, a table at a time, which
  any export must do: target, export within 2x (it also notes each record sent as its merge base, signs
  the manifest and writes the zip);
- import: the province imports the package (`apply_file`: safety backup, kept copy, read and check,
  plan, one transaction, commit);
- plain insert: the rows that import added to the synced tables, read back as stored (derived columns
  included), inserted with one executemany per table into a copy of the same province file (the app's
  schema: indexes, search index and its triggers, foreign keys checked, WAL) in one transaction,
  commit included: target, import within 3x, at 1x and 10x alike (the cost grows linearly).

The import also writes what a plain insert does not: one audit row per record (naming the package), the
merge base of each record, the ledger entry, the backup and the kept copy of the package. Printed: min and
median of each, what signing and verifying add, peak memory of the import and export (target under 300 MB
at 10x), and the ratios last: by the clock, and in CPU time (the process's own, steadier when other work
shares the machine).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BASE = {"communes": 100, "directives": 5000, "tasks": 20000}
MARKER = "bench-sync.json"
CACHE = Path.home() / ".cache" / "ntm-bench"  # --cache
IMPORT_TARGET, EXPORT_TARGET, MEMORY_TARGET = 3.0, 2.0, 300


def log(message: str) -> None:
    print(message, flush=True)


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: since its exec, unlike maxrss, which a child forked from a
    large parent starts with)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sizes(scale: float) -> dict[str, int]:
    return {k: max(1, round(v * scale)) for k, v in BASE.items()}


# --- building the two folders (once per scale) -----------------------------------------------------------------

def _build(root: Path, communes: int, directives: int, tasks: int) -> dict:
    from sqlalchemy import select

    from ntm_desktop.models import Directive, Task, Unit, new_id
    from ntm_desktop.services import settings, units
    from ntm_desktop.services.criteria import assessments, catalogue
    from ntm_desktop.sync import keys
    from ntm_desktop.sync.apply import apply_file
    from ntm_desktop.sync.export import export_package
    from ntm_desktop.workspace import open_workspace

    province = open_workspace(root / "tinh")
    with province.db.transaction("bench") as s:
        p = units.create_unit(s, code="TINH", name="Ủy ban nhân dân tỉnh Tuyên Quang", level_code="tinh")
        d = units.create_unit(s, code="HUYEN", name="Văn phòng Điều phối nông thôn mới huyện Hàm Yên",
                              level_code="phong", parent_id=p)
        for n in range(communes):
            units.create_unit(s, code=f"XA{n:04d}", name=f"Ủy ban nhân dân xã số {n}", level_code="xa", parent_id=d)
        settings.put(s, settings.OFFICE_UNIT, p)
        boot = export_package(s, province.folder.files, "HUYEN", None, out_dir=root, full=True).path
        province_key = keys.own_key(s).fingerprint
    district = open_workspace(root / "huyen")
    apply_file(district, boot, user="bench", confirmed_key=province_key)  # compared with the province's key slip
    boot.unlink()
    rng = random.Random(5)
    started = time.perf_counter()
    per_directive = max(1, tasks // directives)
    with district.db.transaction("bench") as s:
        office = settings.office_unit_id(s)
        commune_units = list(s.scalars(select(Unit).where(Unit.level_code == "xa").order_by(Unit.code)))
        for n in range(directives):
            year = 2021 + n % 5
            directive = Directive(
                id=new_id(),
                office_unit_id=office, owner_unit_id=office, arrival_year=year, arrival_number=n // 5 + 1,
                arrival_date=date(year, 1, 1) + timedelta(days=n % 360), issuer_name="UBND tỉnh Tuyên Quang",
                number_symbol=f"{n}/KH-UBND", doc_type="KH", subject=f"Kế hoạch thực hiện tiêu chí nông thôn mới số {n}",
            )
            s.add(directive)
            for k in range(per_directive):
                task = Task(directive_id=directive.id, seq=k + 1, summary=f"Hoàn thiện hồ sơ tiêu chí {k + 1} của kế hoạch {n}",
                            lead_unit=rng.choice(commune_units), owner_unit_id=office, deadline_kind="date",
                            deadline_text="trước ngày 30/6", due_date=date(year, 6, 30))
                task.cooperating_units = rng.sample(commune_units, rng.randint(0, 2))
                s.add(task)
            if n % 500 == 499:
                s.flush()
                s.expunge_all()  # objects already written are not needed again
                commune_units = [s.merge(u, load=False) for u in commune_units]
    log(f"  built {directives} directives and {directives * per_directive} tasks in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with district.db.transaction("bench") as s:  # 5 years of criteria per commune, through the assessment screen's service
        catalogue.install_shipped_sets(s)
        office = settings.office_unit_id(s)
        for unit_id in list(s.scalars(select(Unit.id).where(Unit.level_code == "xa").order_by(Unit.code))):
            met = rng.randint(5, 15)
            for year in range(2021, 2026):
                grid = assessments.load_grid(s, unit_id, year)
                met = min(19, met + rng.randint(0, 3))
                cells = [assessments.CellInput("criterion", row.target_id, "dat" if i < met else "chua_dat",
                                               note="Theo biên bản thẩm định" if i % 7 == 0 else "")
                         for i, row in enumerate(r for r in grid.rows if r.kind == "criterion")]
                assessments.save_grid(s, unit_id, year, cells, assessing_unit_id=office, assessed_on=date(year, 11, 30))
            s.flush()
            s.expunge_all()
    log(f"  built criteria of {communes} communes for 5 years in {time.perf_counter() - started:.1f} s")
    with district.db.transaction("bench") as s:
        district_key = keys.own_key(s).fingerprint
    for workspace in (province, district):
        with workspace.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        workspace.close()
    return {"district_key": district_key}


def folders(scale: float, rebuild: bool) -> Path:
    """The cached province and district folders of this scale, built if missing or of another scale."""
    target = CACHE / f"sync-x{scale:g}"
    wanted = sizes(scale)
    marker = target / MARKER
    found = json.loads(marker.read_text(encoding="utf-8")) if marker.is_file() else {}
    if not rebuild and found.get("sizes") == wanted:
        log(f"reusing {target}")
        return target
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    log(f"building {target} ({wanted['communes']} communes, {wanted['directives']} directives, "
        f"{wanted['tasks']} tasks; once)")
    started = time.perf_counter()
    info = _build(partial, **wanted)
    (partial / MARKER).write_text(json.dumps({"sizes": wanted, **info}), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    log(f"  built in {time.perf_counter() - started:.1f} s")
    return target


def fresh_copy(cached: Path, name: str, into: Path) -> Path:
    target = into / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(cached / name, target)
    return target


# --- one measure, in its own process ---------------------------------------------------------------------------

class Stopwatch:
    """Time spent in the functions that sign and verify, however often they are called."""

    def __init__(self):
        self.seconds = {"sign": 0.0, "verify": 0.0}

    def wrap(self, owner, name: str, bucket: str) -> None:
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[bucket] += time.perf_counter() - started

        setattr(owner, name, timed)


def synced_tables() -> list[tuple[str, list[str]]]:
    """Each synced table with the columns that travel (and the association tables, whole)."""
    from ntm_desktop.sync.entities import ENTITIES

    found = [(spec.table.name, list(spec.columns)) for spec in ENTITIES]
    found += [(link.table.name, [link.own_column, link.other_column]) for spec in ENTITIES for link in spec.links]
    return found


def _profiled(profile: str | None, work):
    if not profile:
        return work()
    import cProfile

    profiler = cProfile.Profile()
    try:
        return profiler.runcall(work)
    finally:
        profiler.dump_stats(profile)


def child_export(folder: Path, out: Path, profile: str | None) -> dict:
    from ntm_desktop.sync import keys
    from ntm_desktop.sync.export import export_package
    from ntm_desktop.workspace import open_workspace

    watch = Stopwatch()
    watch.wrap(keys, "sign_manifest", "sign")
    district = open_workspace(folder)
    with district.db.transaction("bench") as s:
        keys.own_key(s)
    started = time.perf_counter()
    cpu = time.process_time()

    def work():
        with district.db.transaction("bench") as s:
            return export_package(s, district.folder.files, "TINH", None, out_dir=out, full=True)

    result = _profiled(profile, work)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    district.close()
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(), "records": sum(result.counts.values()),
            "package": str(result.path), "package_mb": result.path.stat().st_size / 1024 ** 2,
            "sign": watch.seconds["sign"]}


def child_read(folder: Path) -> dict:
    """The same rows as export reads, with plain sqlite3 (every row fetched into a tuple)."""
    tables = synced_tables()
    con = sqlite3.connect(folder / "ntm.sqlite3")
    started = time.perf_counter()
    cpu = time.process_time()
    rows = 0
    for name, columns in tables:
        for _ in con.execute(f"SELECT {', '.join(columns)} FROM {name}"):
            rows += 1
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    # The target's baseline: the least an export does with the same rows. Each row read in the order a package
    # holds them (by id: the receiver then writes its keys in order), made a JSON line with its column names
    # (sorted keys, as the package has them, by one encoder), and deflated at the level the zip uses (zipfile's
    # default, as the export leaves it), a table at a time.
    import zlib

    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    started, encoded_cpu = time.perf_counter(), time.process_time()
    for name, columns in tables:
        packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        cursor = con.execute(f"SELECT {', '.join(columns)} FROM {name}" + (" ORDER BY id" if "id" in columns else ""))
        while batch := cursor.fetchmany(5000):
            packer.compress("".join([encode(dict(zip(columns, row))) + "\n" for row in batch]).encode("utf-8"))
        packer.flush()
    encoded, encoded_cpu = time.perf_counter() - started, time.process_time() - encoded_cpu
    con.close()
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(), "rows": rows, "encoded": encoded,
            "encoded_cpu": encoded_cpu}


def child_import(folder: Path, package: Path, district_key: str, profile: str | None) -> dict:
    from ntm_desktop.sync import keys, reader
    from ntm_desktop.sync.apply import apply_file
    from ntm_desktop.workspace import open_workspace

    watch = Stopwatch()
    watch.wrap(reader, "check_signature", "verify")
    watch.wrap(reader, "check_signer", "verify")
    province = open_workspace(folder)
    started = time.perf_counter()
    cpu = time.process_time()
    outcome = _profiled(profile, lambda: apply_file(province, package, user="bench", confirmed_key=district_key))
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    province.close()
    assert outcome.status == "applied", outcome.message
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(), "message": outcome.message,
            "verify": watch.seconds["verify"]}


def child_insert(before: Path, after: Path) -> dict:
    """The rows the import added (as stored) into a copy of the province file as it was before, with executemany."""
    from ntm_desktop.db import open_database

    open_database(before / "ntm.sqlite3").engine.dispose()  # as the app leaves its file (migrated, WAL)
    con = sqlite3.connect(before / "ntm.sqlite3", isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):  # as the app opens its file
        con.execute(f"PRAGMA {pragma}")
    con.execute("ATTACH DATABASE ? AS imported", (str(after / "ntm.sqlite3"),))
    added = []
    for name, _ in synced_tables():
        cursor = con.execute(f"SELECT * FROM imported.{name} EXCEPT SELECT * FROM main.{name}")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        if rows:
            added.append((name, names, rows))
    con.execute("DETACH DATABASE imported")
    started = time.perf_counter()
    cpu = time.process_time()
    con.execute("BEGIN")
    for name, columns, rows in added:
        con.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
    con.execute("COMMIT")
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    con.close()
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(), "rows": sum(len(r) for _, _, r in added)}


def run_child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"the {args[0]} run failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the runs ----------------------------------------------------------------------------------------------------

def _figures(values: list[float]) -> str:
    return f"min {min(values):.3f} s, median {statistics.median(values):.3f} s"


def measure(scale: float, runs: int, rebuild: bool, profile: tuple[str, str] | None) -> dict:
    """`profile`: (what, file): cProfile the first run's import or export into that file."""
    cached = folders(scale, rebuild)
    district_key = json.loads((cached / MARKER).read_text(encoding="utf-8"))["district_key"]
    got: dict[str, list[dict]] = {"export": [], "read": [], "import": [], "insert": []}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        package = None
        for n in range(runs):
            district = fresh_copy(cached, "huyen", work)
            out = work / f"out{n}"
            out.mkdir()
            done = run_child("export", str(district), str(out), profile[1] if profile and profile[0] == "export" and n == 0 else "")
            got["export"].append(done)
            package = package or Path(done["package"])
            got["read"].append(run_child("read", str(district)))
            province = fresh_copy(cached, "tinh", work)
            got["import"].append(run_child("import", str(province), str(package), district_key,
                                           profile[1] if profile and profile[0] == "import" and n == 0 else ""))
            before = fresh_copy(cached, "tinh", work / "before")
            got["insert"].append(run_child("insert", str(before), str(province)))
            log(f"  run {n + 1}: export {got['export'][-1]['seconds']:.2f} s, read {got['read'][-1]['seconds']:.3f} s, "
                f"import {got['import'][-1]['seconds']:.2f} s, insert {got['insert'][-1]['seconds']:.3f} s")
    seconds = {k: [r["seconds"] for r in v] for k, v in got.items()}
    first = got["export"][0]
    imported = got["import"][0]
    log(f"x{scale:g}: {first['records']} records, package {first['package_mb']:.1f} MB; "
        f"{imported['message']}")
    log(f"  export        {_figures(seconds['export'])}; peak memory {max(r['peak_mb'] for r in got['export']):.0f} MB"
        f"; signing the manifest {1000 * statistics.median(r['sign'] for r in got['export']):.1f} ms")
    log(f"  plain read    {_figures(seconds['read'])} ({got['read'][0]['rows']} rows); "
        f"peak memory {max(r['peak_mb'] for r in got['read']):.0f} MB")
    log(f"  plain read in id order + JSON lines + deflate (the target's baseline) "
        f"{_figures([r['encoded'] for r in got['read']])}")
    log(f"  import        {_figures(seconds['import'])}; peak memory {max(r['peak_mb'] for r in got['import']):.0f} MB"
        f"; verifying the signature and its signer {1000 * statistics.median(r['verify'] for r in got['import']):.1f} ms")
    log(f"  plain insert  {_figures(seconds['insert'])} ({got['insert'][0]['rows']} rows); "
        f"peak memory {max(r['peak_mb'] for r in got['insert']):.0f} MB")
    seconds["encoded"] = [r["encoded"] for r in got["read"]]
    cpu = {k: [r["cpu"] for r in v] for k, v in got.items()}
    cpu["encoded"] = [r["encoded_cpu"] for r in got["read"]]
    return {"scale": scale, "records": first["records"], "seconds": seconds, "cpu": cpu,
            "peak": {k: max(r["peak_mb"] for r in v) for k, v in got.items()},
            "verify": statistics.median(r["verify"] for r in got["import"])}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, nargs="+", default=[1.0], help="times the district's scale")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="build the cached folders again")
    parser.add_argument("--profile", choices=("import", "export"),
                        help="cProfile the first run's import or export into sync-<what>-x<scale>.prof")
    parser.add_argument("--cache", type=Path, default=CACHE, help=f"where the folders are built (default {CACHE})")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    globals()["CACHE"] = args.cache
    if args.child:
        kind, *rest = args.child
        if kind == "export":
            result = child_export(Path(rest[0]), Path(rest[1]), rest[2] or None)
        elif kind == "read":
            result = child_read(Path(rest[0]))
        elif kind == "import":
            result = child_import(Path(rest[0]), Path(rest[1]), rest[2], rest[3] or None)
        else:
            result = child_insert(Path(rest[0]), Path(rest[1]))
        print(json.dumps(result, ensure_ascii=False))
        return 0
    results = []
    for scale in args.scale:
        profile = (args.profile, str(Path.cwd() / f"sync-{args.profile}-x{scale:g}.prof")) if args.profile else None
        results.append(measure(scale, args.runs, args.rebuild, profile))
        if profile:
            log(f"  profile of the first {args.profile}: {profile[1]}")
    log("")
    for r in results:  # cost per 1,000 records: the same at every scale when it grows linearly
        per = {k: 1000 * statistics.median(v) / r["records"] for k, v in r["seconds"].items()}
        cpu = {k: 1000 * statistics.median(v) / r["records"] for k, v in r["cpu"].items()}
        log(f"x{r['scale']:g} per 1,000 records (median): import {per['import'] * 1000:.0f} ms, "
            f"plain insert {per['insert'] * 1000:.0f} ms, export {per['export'] * 1000:.0f} ms, "
            f"plain read {per['read'] * 1000:.1f} ms; in CPU time: import {cpu['import'] * 1000:.0f} ms, "
            f"plain insert {cpu['insert'] * 1000:.0f} ms, export {cpu['export'] * 1000:.0f} ms, "
            f"plain read {cpu['read'] * 1000:.1f} ms")
    for r in results:
        s, peak = r["seconds"], r["peak"]
        imp = statistics.median(s["import"]) / statistics.median(s["insert"])
        exp = statistics.median(s["export"]) / statistics.median(s["read"])
        log(f"x{r['scale']:g}: verifying = {100 * r['verify'] / statistics.median(s['import']):.2f}% of the import "
            f"(target under 5%); peak memory import {peak['import']:.0f} MB, export {peak['export']:.0f} MB "
            f"(target under {MEMORY_TARGET} MB at 10x)")
        encoded = statistics.median(s["export"]) / statistics.median(s["encoded"])
        log(f"x{r['scale']:g}: import / plain insert = {imp:.2f}x (target {IMPORT_TARGET:g}x); "
            f"export / plain read = {exp:.2f}x (the bare read, for comparison); "
            f"export / plain read + JSON lines + deflate = {encoded:.2f}x (target {EXPORT_TARGET:g}x)")
        c = {k: statistics.median(v) for k, v in r["cpu"].items()}  # steadier than the clock on a busy machine
        log(f"x{r['scale']:g} in CPU time: import / plain insert = {c['import'] / c['insert']:.2f}x; "
            f"export / plain read = {c['export'] / c['read']:.2f}x; "
            f"export / plain read + JSON lines + deflate = {c['export'] / c['encoded']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
