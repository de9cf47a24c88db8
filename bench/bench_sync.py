"""Sync at district scale: export and import a full package, compared with a plain executemany.

    .venv/bin/python bench/bench_sync.py    # 100 communes x 5 years of criteria, 5,000 directives, 20,000 tasks
    .venv/bin/python bench/bench_sync.py --directives 500 --tasks 2000   # a quick smoke run

A province installation creates the unit tree and sets up the district from a full package; the
district registers the directives and tasks (through the ORM, so the revision hook versions and
audits them like real saves) and assesses its communes' 19 criteria for 2021-2025 through the
assessment service; then the district exports everything for the province and the
province imports it. Printed: export and import time, the package size, peak memory (maxrss), and
the import time against a plain `executemany` of the same rows into an empty SQLite file with the
same schema (target: within 3x). Also printed: what signing the manifest adds to each export and what
verifying the signature and its signer adds to each import (target: under 5% of the import time).
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine

from ntm_desktop.models import Base, Directive, Task, Unit, new_id
from ntm_desktop.services import settings, units
from ntm_desktop.services.criteria import assessments, catalogue
from ntm_desktop.db import open_database
from ntm_desktop.sync import keys, reader
from ntm_desktop.sync.apply import apply_file
from ntm_desktop.sync.entities import ENTITIES
from ntm_desktop.sync.export import export_package
from ntm_desktop.workspace import open_workspace


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(root: Path, communes: int, directives: int, tasks: int):
    province = open_workspace(root / "tinh")
    with province.db.transaction("bench") as s:
        p = units.create_unit(s, code="TINH", name="Ủy ban nhân dân tỉnh Tuyên Quang", level_code="tinh")
        d = units.create_unit(s, code="HUYEN", name="Văn phòng Điều phối nông thôn mới huyện Hàm Yên",
                              level_code="phong", parent_id=p)
        for n in range(communes):
            units.create_unit(s, code=f"XA{n:03d}", name=f"Ủy ban nhân dân xã số {n}", level_code="xa", parent_id=d)
        settings.put(s, settings.OFFICE_UNIT, p)
        boot = export_package(s, province.folder.files, "HUYEN", None, out_dir=root, full=True).path
        province_key = keys.own_key(s).fingerprint
    district = open_workspace(root / "huyen")
    apply_file(district, boot, user="bench", confirmed_key=province_key)  # compared with the province's key slip
    rng = random.Random(5)
    started = time.perf_counter()
    with district.db.transaction("bench") as s:
        office = settings.office_unit_id(s)
        commune_units = [u for u in s.query(Unit).filter(Unit.level_code == "xa")]
        per_directive = max(1, tasks // directives)
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
    print(f"built {directives} directives and {directives * per_directive} tasks in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with district.db.transaction("bench") as s:  # 5 years of criteria per commune, through the assessment screen's service
        catalogue.install_shipped_sets(s)
        for unit in s.query(Unit).filter(Unit.level_code == "xa"):
            met = rng.randint(5, 15)
            for year in range(2021, 2026):
                grid = assessments.load_grid(s, unit.id, year)
                met = min(19, met + rng.randint(0, 3))
                cells = [assessments.CellInput("criterion", row.target_id, "dat" if i < met else "chua_dat",
                                               note="Theo biên bản thẩm định" if i % 7 == 0 else "")
                         for i, row in enumerate(r for r in grid.rows if r.kind == "criterion")]
                assessments.save_grid(s, unit.id, year, cells, assessing_unit_id=office, assessed_on=date(year, 11, 30))
    print(f"built criteria of {communes} communes for 5 years in {time.perf_counter() - started:.1f} s")
    return province, district


def _stored_rows(database: Path) -> list[tuple[str, list[str], list[tuple]]]:
    """Every row the import wrote into the synced tables (derived columns included), read back as stored."""
    tables = [spec.table for spec in ENTITIES] + [link.table for spec in ENTITIES for link in spec.links]
    con = sqlite3.connect(database)
    try:
        found = []
        for table in tables:
            cursor = con.execute(f"SELECT * FROM {table.name}")
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
            if rows:
                found.append((table.name, names, rows))
        return found
    finally:
        con.close()


def plain_executemany(stored, target: Path, schema: str) -> float:
    """The same rows with executemany into an empty file, one transaction, commit included.

    schema "app": the app's own schema (migrations: indexes, search index and its triggers) and pragmas
    (foreign keys checked, WAL); schema "bare": only the tables (SQLAlchemy create_all), no foreign-key checks,
    the simplest possible file.
    """
    if schema == "app":
        open_database(target).engine.dispose()
    else:
        engine = create_engine(f"sqlite:///{target}")
        Base.metadata.create_all(engine)
        engine.dispose()
    con = sqlite3.connect(target, isolation_level=None)
    if schema == "app":  # as the app opens its file
        for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
            con.execute(f"PRAGMA {pragma}")
    started = time.perf_counter()
    con.execute("BEGIN")
    for name, columns, rows in stored:
        con.executemany(f"INSERT OR IGNORE INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


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

    def take(self, bucket: str) -> float:
        value, self.seconds[bucket] = self.seconds[bucket], 0.0
        return value


def _share(part: float, whole: float) -> str:
    return f"{part * 1000:.1f} ms = {100 * part / whole:.2f}% of {whole:.2f} s"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--directives", type=int, default=5000)
    parser.add_argument("--tasks", type=int, default=20000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        province, district = build(root, args.communes, args.directives, args.tasks)
        watch = Stopwatch()
        watch.wrap(keys, "sign_manifest", "sign")
        watch.wrap(reader, "check_signature", "verify")
        watch.wrap(reader, "check_signer", "verify")
        with district.db.transaction("bench") as s:
            district_key = keys.own_key(s).fingerprint
        started = time.perf_counter()
        with district.db.transaction("bench") as s:
            result = export_package(s, district.folder.files, "TINH", None, out_dir=root, full=True)
        export_s = time.perf_counter() - started
        size = result.path.stat().st_size / 1024 ** 2
        print(f"export: {export_s:.2f} s, {sum(result.counts.values())} records, package {size:.1f} MB, "
              f"peak memory so far {peak_mb():.0f} MB")
        print(f"  signing the manifest: {_share(watch.take('sign'), export_s)} of the export")
        started = time.perf_counter()
        outcome = apply_file(province, result.path, user="bench", confirmed_key=district_key)
        import_s = time.perf_counter() - started
        print(f"import: {import_s:.2f} s ({outcome.message}); peak memory {peak_mb():.0f} MB")
        print(f"  verifying the signature and its signer (preview read and apply re-check): "
              f"{_share(watch.take('verify'), import_s)} of the import (target under 5%)")
        stored = _stored_rows(province.folder.database)
        rows = sum(len(r) for _, _, r in stored)
        for schema, label in (("app", "the app's schema (indexes, search index, foreign keys)"), ("bare", "bare tables")):
            plain_s = min(plain_executemany(stored, root / f"plain-{schema}-{n}.sqlite3", schema) for n in range(3))
            print(f"plain executemany of the same {rows} rows into {label}: {plain_s:.2f} s; "
                  f"import / executemany = {import_s / plain_s:.1f}x (target within 3x)")
        started = time.perf_counter()
        with district.db.transaction("bench") as s:  # a month of follow-up: 5,000 tasks get a note and a new deadline
            for task in s.query(Task).order_by(Task.id).limit(5000):
                task.notes = "Đã đôn đốc lần 2"
                task.due_date = task.due_date + timedelta(days=30)
        with district.db.transaction("bench") as s:
            delta = export_package(s, district.folder.files, "TINH", None, out_dir=root)
        print(f"edited 5,000 tasks, delta package: {sum(delta.counts.values())} records "
              f"(edit + export {time.perf_counter() - started:.2f} s)")
        print(f"  signing the manifest: {watch.take('sign') * 1000:.1f} ms of the delta export")
        started = time.perf_counter()
        outcome = apply_file(province, delta.path, user="bench")
        delta_s = time.perf_counter() - started
        print(f"delta import: {delta_s:.2f} s ({outcome.message}); peak memory {peak_mb():.0f} MB")
        print(f"  verifying the signature and its signer: {_share(watch.take('verify'), delta_s)} of the delta import")
        province.close()
        district.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
