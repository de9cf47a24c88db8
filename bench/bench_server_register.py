"""The register bench on the office's PostgreSQL server: 100,000 directives and 300,000 tasks.

Usage:
    .venv/bin/python bench/bench_server_register.py [--database URL] [--directives N] [--tasks N] [--keep]

Without --database a database of its own is made on NTM_TEST_DATABASE_URL's server (default: the development
server postgresql+psycopg://postgres@127.0.0.1:55432/postgres), set up by the migrations, and dropped at the end
(--keep leaves it). The data are built by bench_register.py's builder (same rows, same seed) and vacuumed; then,
on a fresh connection: the register's count + first 100 rows (arrival order, by issuer, filtered) and the
diacritic-free search (common words, a rare phrase, a common one, with a sort or a year, with an issuer, with each
state of the directives' tasks), against the SQLite targets: first rows < 0.5 s, search < 100 ms. Each figure is the median of five runs after a first that warms the
server's cache (an office's server is warm), the slowest of the five beside the row count.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

import bench_register  # noqa: E402
from ntm_desktop.changes import ChangeWatch  # noqa: E402
from ntm_desktop.db import Database  # noqa: E402
from ntm_desktop.models import Directive  # noqa: E402
from ntm_desktop.paths import DataFolder  # noqa: E402
from ntm_desktop.server.schema import init_server  # noqa: E402
from ntm_desktop.services import register, settings  # noqa: E402
from ntm_desktop.workspace import Workspace  # noqa: E402

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:55432/postgres"
TODAY = bench_register.TODAY
RUNS = 5  # timed runs of each view after a warm one: the median is printed (the machine may be shared)
log = bench_register.log


def server_workspace(url, root: Path) -> Workspace:
    """A PC's workspace on the server database (the engine as the app makes it: pooled connections, its options)."""
    from ntm_desktop.db import make_engine
    from ntm_desktop.services import revisions

    engine = make_engine(url)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    revisions.install(sessions)
    db = Database(path=Path(str(url.database)), engine=engine, sessions=sessions, watch=ChangeWatch(engine))
    return Workspace(folder=DataFolder(root), db=db)


def _units(session):
    """bench_register's units, the office chosen once they are all made (a unit outside the office's tree may
    not be made by hand once the office is chosen)."""
    from ntm_desktop.services import units

    province = units.create_unit(session, code="LC", name="Ủy ban nhân dân tỉnh Lào Cai", level_code="tinh")
    office = units.create_unit(
        session, code="LC-VPDP", name="Văn phòng Điều phối nông thôn mới tỉnh Lào Cai",
        short_name="VPĐP NTM tỉnh", level_code="so", parent_id=province,
    )
    issuers = []
    for i, place in enumerate(bench_register.ISSUER_PLACES):
        for j, kind in enumerate(bench_register.ISSUER_KINDS):
            name = f"{kind} {place}"
            issuers.append((units.create_unit(session, code=f"I{i:02d}{j}", name=name, level_code="khac"), name))
    leads = [
        units.create_unit(session, code=f"X{k:03d}", name=f"Ủy ban nhân dân xã {place} {k}", level_code="xa",
                          parent_id=province)
        for k, place in enumerate(bench_register.ISSUER_PLACES * 5)
    ]
    settings.put(session, settings.OFFICE_UNIT, office)
    return office, issuers, leads


def build(url, root: Path, n_directives: int, n_tasks: int) -> None:
    bench_register.open_workspace = lambda _data_dir: server_workspace(url, root)  # the builder, on the server
    bench_register._units = _units
    bench_register.build(root, n_directives, n_tasks)


def vacuum(url) -> None:
    """VACUUM ANALYZE once the rows are in, as autovacuum does on an office's server within a minute of such a
    load (the visibility map and hint bits set, the GIN index's pending list merged).

    The word table is compacted first (VACUUM FULL): the builder inserts 300,000 tasks in one go and each updates
    its directive's word row (the task counts), which leaves about three dead versions of every row at once, 216 MB
    instead of 54. An office's server gathers the same rows over years, with autovacuum freeing the dead versions
    as it goes and their room used again, so its table stays near the compact size; left bloated, every search
    here reads four times the pages it would there (150 ms instead of 35 for a common word's count)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    started = time.perf_counter()
    with engine.connect() as conn:
        before = conn.exec_driver_sql("SELECT pg_relation_size('directive_words')").scalar()
        conn.exec_driver_sql("VACUUM FULL directive_words")
        after = conn.exec_driver_sql("SELECT pg_relation_size('directive_words')").scalar()
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    log(f"word table compacted {before / 2**20:.0f} -> {after / 2**20:.0f} MB; VACUUM ANALYZE; "
        f"{time.perf_counter() - started:.1f} s")


def measure(url, root: Path) -> list[tuple[str, float, float]]:
    ws = server_workspace(url, root)
    with ws.db.transaction() as session:
        office = settings.office_unit_id(session)
    figures = []
    State = register.DirectiveState

    def register_view(**kw):
        f = register.RegisterFilter(office_unit_id=office, today=TODAY, **kw)
        with ws.db.transaction() as session:
            return register.count(session, f), register.page(session, f, 0, 100)

    cases = [
        ("register: count + first 100 rows", {}, 0.5),
        ("register sorted by issuer: count + first 100", dict(sort=register.SortColumn.ISSUER, descending=False), 0.5),
        ("register sorted by issuer, descending", dict(sort=register.SortColumn.ISSUER, descending=True), 0.5),
        ("register filtered by year + urgency", dict(year=TODAY.year - 1, urgency="khan"), 0.5),
        ("search “nong thon moi”: count + first 100", dict(search="nong thon moi"), 0.1),
        ("search “dat chuan”: count + first 100", dict(search="dat chuan"), 0.1),
        ("search “OCOP”: count + first 100", dict(search="OCOP"), 0.1),
        ("search “\"giam ngheo\" 2019”: count + first 100", dict(search='"giam ngheo" 2019'), 0.1),
        ("search “nong thon moi”, sorted by issuer", dict(search="nong thon moi", sort=register.SortColumn.ISSUER,
                                                         descending=False), 0.1),
        ("search “nong thon moi” in one year", dict(search="nong thon moi", year=TODAY.year - 1), 0.1),
        ("search “\"nong thon moi\"” (a common phrase)", dict(search='"nong thon moi"'), 0.1),
        ("search “nong thon moi”, issuer “lao cai”", dict(search="nong thon moi", issuer="lao cai"), 0.1),
        ("search “dat chuan”, issuer “lao cai”", dict(search="dat chuan", issuer="lao cai"), 0.1),
        ("search “\"nong thon moi\"”, issuer “lao cai”", dict(search='"nong thon moi"', issuer="lao cai"), 0.1),
        ("search “nong thon moi”, overdue", dict(search="nong thon moi", state=State.OVERDUE), 0.1),
        ("search “nong thon moi”, in progress", dict(search="nong thon moi", state=State.IN_PROGRESS), 0.1),
        ("search “nong thon moi”, done", dict(search="nong thon moi", state=State.DONE), 0.1),
        ("search “nong thon moi”, no tasks (none)", dict(search="nong thon moi", state=State.NO_TASKS), 0.1),
        ("search “OCOP”, overdue", dict(search="OCOP", state=State.OVERDUE), 0.1),
        ("search “nong thon moi”, one year, overdue", dict(search="nong thon moi", year=TODAY.year - 1,
                                                           state=State.OVERDUE), 0.1),
        ("register filtered by state: overdue", dict(state=State.OVERDUE), 0.5),
        ("register filtered by issuer “lao cai”", dict(issuer="lao cai"), 0.5),
    ]
    register_view()  # the first query of a connection (server cache, prepared types), as the app's start does
    for label, kw, target in cases:
        register_view(**kw)  # warm
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            n, rows = register_view(**kw)
            times.append(time.perf_counter() - start)
        elapsed = statistics.median(times)
        verdict = "  ok" if elapsed < target else f"  MISSED (target {target * 1000:.0f} ms)"
        log(f"{label:<56} {elapsed * 1000:8.1f} ms{verdict}")
        log(f"    {n} rows; first: {rows[0].subject[:60] if rows else '-'}; slowest of {RUNS}: {max(times) * 1000:.1f} ms")
        figures.append((label, elapsed, target))
    ws.close()
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="an empty database (or one this bench built) on the server")
    parser.add_argument("--directives", type=int, default=100_000)
    parser.add_argument("--tasks", type=int, default=300_000)
    parser.add_argument("--keep", action="store_true", help="keep the database this bench made")
    args = parser.parse_args(argv)
    made = None
    if args.database:
        url = make_url(args.database)
    else:
        server = make_url(os.environ.get("NTM_TEST_DATABASE_URL") or DEFAULT_SERVER)
        made = url = server.set(database=f"server_bench_{uuid.uuid4().hex[:8]}")
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
        admin.dispose()
    try:
        with tempfile.TemporaryDirectory(prefix="ntm-bench-server-") as tmp:
            init_server(url)
            ws = server_workspace(url, Path(tmp))
            with ws.db.transaction() as session:
                existing = session.scalar(select(func.count()).select_from(Directive))
            ws.close()
            if existing != args.directives:
                log(f"building {args.directives} directives and {args.tasks} tasks in {url.database} on {url.host}")
                build(url, Path(tmp), args.directives, args.tasks)
                vacuum(url)
            else:
                log(f"reusing {url.database}")
            figures = measure(url, Path(tmp))
        log("")
        log("ratio to the SQLite target (below 1.00 is within it):")
        for label, elapsed, target in figures:
            log(f"  {label:<56} {elapsed / target:6.2f}")
    finally:
        if made is not None and not args.keep:
            admin = create_engine(make_url(os.environ.get("NTM_TEST_DATABASE_URL") or DEFAULT_SERVER),
                                  isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{made.database}" WITH (FORCE)'))
            admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
