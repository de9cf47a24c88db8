"""Several PCs saving tasks at once on the office's PostgreSQL server: no error and no lost update.

Usage:
    .venv/bin/python bench/bench_server.py [--database URL] [--clients 5] [--seconds 30] [--tasks 20] [--keep]

(The register at 100,000 directives on the server is bench_server_register.py.)

Without --database a database of its own is made on NTM_TEST_DATABASE_URL's server (default: the development
server postgresql+psycopg://postgres@127.0.0.1:55432/postgres), set up by the migrations, and dropped at the end
(--keep leaves it). One office, one directive and `--tasks` tasks; then `--clients` threads, each a PC with its
own engine and connections, for `--seconds`: open a random task as the task editor does (one transaction: its
fields and revision), then save it with a change of its notes and deadline, passing the revision it opened
(a second transaction, as the editor's "Lưu"). A save refused because another PC saved the task in between
(RecordChangedError) is counted as a refusal, anything else as an error.

Lost updates: each accepted save notes the revision it opened and the revision it made. A save made from
revision r that made revision m > r + 1 overwrote the m - r - 1 saves in between without their changes having
been shown: those are lost. The data are checked too: the audit row of each accepted save's revision holds the
notes it wrote, and each task's notes are those of its newest accepted save. Then the same run for a few seconds without passing the revision (the editor before this check): the lost
updates it lets through, for comparison. Printed: saves/s, refusals, errors, lost updates (0), the control's lost
updates, and the share of saves refused last.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from ntm_desktop.changes import ChangeWatch
from ntm_desktop.db import Database
from ntm_desktop.models import AuditEntry, Task
from ntm_desktop.services import directives, revisions, settings, tasks, units
from ntm_desktop.services.concurrency import RecordChangedError
from ntm_desktop.services.deadlines import DeadlineKind

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:55432/postgres"


def _admin(server):
    return create_engine(server, isolation_level="AUTOCOMMIT")


def make_database(server: str):
    url = make_url(server).set(database=f"concur_bench_{uuid.uuid4().hex[:8]}")
    admin = _admin(server)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    engine = create_engine(url)
    from ntm_desktop.server.schema import upgrade

    with engine.begin() as conn:
        upgrade(conn)
    engine.dispose()
    return url


def drop_database(server: str, url) -> None:
    admin = _admin(server)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


def open_pc(url) -> Database:
    """One PC's connection to the office's database, as the app opens it (its own engine and pool, its options)."""
    from ntm_desktop.db import make_engine

    engine = make_engine(url)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    revisions.install(sessions)
    return Database(path=Path(str(url.database)), engine=engine, sessions=sessions, watch=ChangeWatch(engine))


def set_up(db: Database, count: int) -> list[str]:
    with db.transaction("van.thu") as s:
        office = units.create_unit(s, code="VPDP", name="Văn phòng Điều phối nông thôn mới huyện Hàm Yên",
                                   level_code="phong")
        settings.put(s, settings.OFFICE_UNIT, office)
        leads = [units.create_unit(s, code=f"XA{n:02d}", name=f"Ủy ban nhân dân xã số {n}", level_code="xa",
                                   parent_id=office) for n in range(1, 6)]
        directive = directives.create_directive(s, office, directives.DirectiveInput(
            arrival_date=date.today(), arrival_number=None, subject="Kế hoạch xây dựng nông thôn mới",
            issuer_name="Ủy ban nhân dân tỉnh Tuyên Quang", doc_date=date.today()))
        return [tasks.create_task(s, tasks.TaskInput(
            directive_id=directive, summary=f"Rà soát tiêu chí số {n + 1}", lead_unit_id=leads[n % len(leads)]))
            for n in range(count)]


@dataclass
class Tally:
    saved: list[tuple[str, int, int, str]] = field(default_factory=list)  # task, revision opened, made, notes
    refused: int = 0
    errors: list[str] = field(default_factory=list)


def client(db: Database, name: str, task_ids: list[str], until: float, check: bool, tally: Tally,
           start: threading.Barrier) -> None:
    rng = random.Random(name)
    start.wait()
    n = 0
    while time.monotonic() < until:
        task_id = rng.choice(task_ids)
        n += 1
        try:
            with db.transaction() as s:  # the editor opens the task
                task = s.get(Task, task_id)
                data, revision = tasks.input_from(task), task.revision
            change = replace(data, notes=f"{name} lần {n}", deadline_kind=DeadlineKind.DATE,
                             deadline_date=date.today() + timedelta(days=1 + n % 90))
            with db.transaction(name) as s:  # "Lưu"
                tasks.update_task(s, task_id, change, revision=revision if check else None)
                made = s.get(Task, task_id).revision
            tally.saved.append((task_id, revision, made, change.notes))
        except RecordChangedError:
            tally.refused += 1
        except Exception as error:  # noqa: BLE001 - counted and printed
            tally.errors.append(f"{type(error).__name__}: {error}")


def run(url, clients: int, seconds: float, task_ids: list[str], check: bool) -> tuple[list[Tally], float]:
    pcs = [open_pc(url) for _ in range(clients)]
    tallies = [Tally() for _ in pcs]
    start = threading.Barrier(clients)
    began = time.monotonic()
    until = began + seconds
    threads = [threading.Thread(target=client, args=(pc, f"pc{i + 1}", task_ids, until, check, tally, start))
               for i, (pc, tally) in enumerate(zip(pcs, tallies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    for pc in pcs:
        pc.dispose()
    return tallies, elapsed


def lost_updates(db: Database, tallies: list[Tally], since_id: int) -> int:
    """Saves overwritten by a save that had not seen them, and accepted saves the data do not hold."""
    accepted = [save for tally in tallies for save in tally.saved]
    lost = sum(made - opened - 1 for _task, opened, made, _notes in accepted)
    with db.transaction() as s:
        written = {(r.record_id, r.revision): r.new for r in s.execute(
            select(AuditEntry.record_id, AuditEntry.revision, AuditEntry.new)
            .where(AuditEntry.entity == "tasks", AuditEntry.field == "notes", AuditEntry.id > since_id))}
        newest: dict[str, tuple[int, str]] = {}
        for task_id, _opened, made, notes in accepted:
            if written.get((task_id, made)) != notes:
                lost += 1  # acknowledged, but not what the data hold
            if made > newest.get(task_id, (0, ""))[0]:
                newest[task_id] = (made, notes)
        for task_id, (_made, notes) in newest.items():
            if s.get(Task, task_id).notes != notes:
                lost += 1
    return lost


def stale_states(db: Database) -> int:
    """Directives whose tasks' counts in the register's word table (migration 0012, kept by the tasks' triggers
    while the PCs saved) differ from their tasks: a count read before another PC's save committed and written over
    it would show here."""
    with db.transaction() as s:
        return s.scalar(text(
            "SELECT count(*) FROM directive_words AS w, directive_tasks_of(w.directive_id) AS t "
            "WHERE (w.tasks, w.open_tasks, w.open_due) IS DISTINCT FROM (t.tasks, t.open_tasks, t.open_due)"))


def audit_mark(db: Database) -> int:
    with db.transaction() as s:
        return s.scalar(text("SELECT coalesce(max(id), 0) FROM audit_log"))


def report(title: str, tallies: list[Tally], elapsed: float, lost: int) -> tuple[int, int]:
    saved = sum(len(t.saved) for t in tallies)
    refused = sum(t.refused for t in tallies)
    errors = [e for t in tallies for e in t.errors]
    print(f"{title}: {len(tallies)} clients, {elapsed:.1f} s")
    print(f"  saves accepted   {saved:8d}   ({saved / elapsed:.1f} saves/s)")
    print(f"  refusals         {refused:8d}   (another PC saved the task first)")
    print(f"  errors           {len(errors):8d}")
    for error in sorted(set(errors))[:5]:
        print(f"    {error}")
    print(f"  lost updates     {lost:8d}")
    return saved, refused


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a database URL (else one is made on the test server and dropped)")
    parser.add_argument("--clients", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--tasks", type=int, default=20, help="tasks the clients share (fewer: more collisions)")
    parser.add_argument("--control-seconds", type=float, default=5.0)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    server = os.environ.get("NTM_TEST_DATABASE_URL") or DEFAULT_SERVER
    url = make_url(args.database) if args.database else make_database(server)
    try:
        first = open_pc(url)
        task_ids = set_up(first, args.tasks)
        mark = audit_mark(first)
        tallies, elapsed = run(url, args.clients, args.seconds, task_ids, check=True)
        lost = lost_updates(first, tallies, mark)
        saved, refused = report("With the revision check (the task editor as it is)", tallies, elapsed, lost)
        stale = stale_states(first)
        print(f"  register states off {stale:5d}   (the word table's count of the directive's tasks)")
        mark = audit_mark(first)
        control, control_elapsed = run(url, args.clients, args.control_seconds, task_ids, check=False)
        control_lost = lost_updates(first, control, mark)
        report("Control, no revision passed (load and save in two transactions, unchecked)", control,
               control_elapsed, control_lost)
        first.dispose()
        ok = lost == 0 and stale == 0 and not any(t.errors for t in tallies)
        print(f"share of saves refused: {refused / max(1, saved + refused):.1%}; "
              f"lost updates with the check: {lost}, without it: {control_lost}")
        return 0 if ok else 1
    finally:
        if not args.database and not args.keep:
            drop_database(server, url)


if __name__ == "__main__":
    sys.exit(main())
