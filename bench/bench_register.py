"""Register and task list at scale: 100,000 directives and 300,000 tasks.

Usage:
    .venv/bin/python bench/bench_register.py [--data-dir DIR] [--directives N] [--tasks N] [--keep]

Builds the database (unless DIR already holds one of that size), then measures, in a
fresh process so that peak memory is that of the app reading the data rather than of
the builder:

- register: count + first 100 rows (arrival order, then sorted by issuer);
- a diacritic-free search ("nong thon moi", "dat chuan"): count + first 100 rows;
- the task list filtered to overdue tasks: count + first 100 rows (the default set, "Tất cả");
- the same for a commune (the tasks it leads or cooperates on, none of them registered by it),
  and for the province, whose communes lead every task, with the overview of each;
- the register page widget (ntm_desktop/ui/register/page.py) until its first rows show, if it exists;
- the task page widget, unfiltered (every task sorted by due date), and its next page of rows;
- peak memory (maxrss).

Targets: first rows < 0.5 s, search < 100 ms, peak memory < 300 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from ntm_desktop.models import Directive, Task, Unit, new_id, task_cooperators, utcnow
from ntm_desktop.services import overview, register, settings, tasklist, units
from ntm_desktop.services.status import TaskStatus
from ntm_desktop.services.task_scope import TaskScope
from ntm_desktop.text import fold, sort_key
from ntm_desktop.workspace import open_workspace

TODAY = date(2026, 11, 20)
BATCH = 10_000

ISSUER_PLACES = [
    "Lào Cai", "Yên Bái", "Tuyên Quang", "Hà Giang", "Bắc Giang", "Thái Nguyên", "Phú Thọ", "Sơn La",
    "Điện Biên", "Lai Châu", "Hòa Bình", "Cao Bằng", "Lạng Sơn", "Bắc Kạn", "Quảng Ninh", "Đắk Lắk",
]
ISSUER_KINDS = [
    "Ủy ban nhân dân tỉnh", "Văn phòng Điều phối nông thôn mới tỉnh", "Sở Nông nghiệp và Môi trường tỉnh",
    "Sở Tài chính tỉnh", "Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh",
]
SUBJECT_HEADS = [
    "Về việc triển khai", "V/v đôn đốc thực hiện", "Kế hoạch thực hiện", "Thông báo kết luận về",
    "Về việc báo cáo kết quả", "Hướng dẫn thực hiện", "V/v rà soát, đánh giá",
]
SUBJECT_TOPICS = [
    "Chương trình mục tiêu quốc gia xây dựng nông thôn mới", "xã đạt chuẩn nông thôn mới nâng cao",
    "giảm nghèo bền vững", "phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số",
    "chương trình Mỗi xã một sản phẩm (OCOP)", "kiên cố hóa kênh mương nội đồng", "bảo vệ môi trường nông thôn",
    "phòng, chống thiên tai năm", "giải ngân vốn đầu tư công", "chuyển đổi số trong nông nghiệp",
    "tiêu chí huyện đạt chuẩn", "thôn, bản kiểu mẫu", "an toàn thực phẩm", "đường giao thông liên xã",
]
TASK_VERBS = ["Rà soát", "Tổng hợp", "Báo cáo", "Chủ trì xây dựng", "Hướng dẫn", "Kiểm tra", "Đôn đốc"]
DOC_TYPES = ["CV", "CV", "CV", "KH", "TB", "QĐ", "HD", "BC"]
URGENCIES = ["", "", "", "", "khan", "thuong_khan", "hoa_toc"]


def log(message: str) -> None:
    print(message, flush=True)


def _units(session) -> tuple[str, list[tuple[str, str]], list[str]]:
    """This office, the issuers (id, name) and the units tasks go to. The office is chosen last: once it is,
    a new unit may only go under it or a unit it keeps (services.units), as in a real tree where the issuers
    and the communes come from above."""
    province = units.create_unit(session, code="LC", name="Ủy ban nhân dân tỉnh Lào Cai", level_code="tinh")
    office = units.create_unit(
        session, code="LC-VPDP", name="Văn phòng Điều phối nông thôn mới tỉnh Lào Cai",
        short_name="VPĐP NTM tỉnh", level_code="so", parent_id=province,
    )
    issuers = []
    for i, place in enumerate(ISSUER_PLACES):
        for j, kind in enumerate(ISSUER_KINDS):
            name = f"{kind} {place}"
            issuers.append((units.create_unit(session, code=f"I{i:02d}{j}", name=name, level_code="khac"), name))
    leads = [
        units.create_unit(session, code=f"X{k:03d}", name=f"Ủy ban nhân dân xã {place} {k}", level_code="xa",
                          parent_id=province)
        for k, place in enumerate(ISSUER_PLACES * 5)
    ]
    settings.put(session, settings.OFFICE_UNIT, office)
    return office, issuers, leads


def _directive_row(rng: random.Random, office: str, issuer: tuple[str, str], year: int, number: int) -> dict:
    arrival = date(year, 1, 1) + timedelta(days=min(364, number * 365 // 9_200))
    doc_date = arrival - timedelta(days=rng.randint(1, 6))
    doc_type = rng.choice(DOC_TYPES)
    symbol = f"{rng.randint(1, 4999):02d}/{'UBND-NLN' if doc_type == 'CV' else doc_type + '-UBND'}"
    subject = f"{rng.choice(SUBJECT_HEADS)} {rng.choice(SUBJECT_TOPICS)} {year}"
    issuer_id, issuer_name = issuer
    text_fields = [symbol, issuer_name, subject, "Phó Chủ tịch", "Lãnh đạo Văn phòng"]
    return dict(
        id=new_id(), owner_unit_id=office, version={"bench": 1}, updated_at=utcnow(), deleted=False,
        office_unit_id=office, arrival_year=year, arrival_number=number, arrival_date=arrival,
        issuer_unit_id=issuer_id, issuer_name=issuer_name, number_symbol=symbol, doc_date=doc_date,
        doc_type=doc_type, subject=subject, signer="Phó Chủ tịch", urgency=rng.choice(URGENCIES), secrecy="",
        recipients="Lãnh đạo Văn phòng", transfer_date=arrival, notes="", full_text="",
        number_folded=fold(symbol), issuer_folded=fold(issuer_name), issuer_sort=sort_key(issuer_name),
        subject_sort=sort_key(subject)[:400], search_folded=fold(" ".join(text_fields)),
    )


def _task_row(rng: random.Random, office: str, directive: dict, seq: int, lead: str) -> dict:
    arrival = directive["arrival_date"]
    due = arrival + timedelta(days=rng.choice([10, 20, 30, 45, 60, 90, 180]))
    roll = rng.random()
    completed = None
    if due < TODAY and roll < 0.7:
        completed = due + timedelta(days=rng.randint(-10, 8))
    started = arrival + timedelta(days=2) if roll < 0.9 else None
    kind = "date" if roll < 0.85 else "none"
    summary = f"{rng.choice(TASK_VERBS)} {rng.choice(SUBJECT_TOPICS)}, phần {seq}"
    return dict(
        id=new_id(), owner_unit_id=office, version={"bench": 1}, updated_at=utcnow(), deleted=False,
        directive_id=directive["id"], seq=seq, summary=summary, lead_unit_id=lead,
        deadline_kind=kind, deadline_text=f"Trước ngày {due:%d/%m/%Y}" if kind == "date" else "Thường xuyên",
        recurrence=None, recurrence_day=None, recurrence_month=None,
        due_date=due if kind == "date" else None, started_on=started, completed_on=completed,
        reply_number="", notes="", summary_folded=fold(summary),
    )


def build(data_dir: Path, n_directives: int, n_tasks: int) -> None:
    rng = random.Random(20261120)
    started = time.perf_counter()
    workspace = open_workspace(data_dir)
    with workspace.db.transaction("bench") as session:
        office, issuers, leads = _units(session)
    years = list(range(TODAY.year - 10, TODAY.year + 1))
    per_year = -(-n_directives // len(years))
    tasks_per_directive = n_tasks / n_directives
    directives, tasks, cooperators = [], [], []
    made_tasks = 0
    with workspace.db.engine.begin() as conn:
        for i in range(n_directives):
            year = years[i // per_year]
            row = _directive_row(rng, office, rng.choice(issuers), year, i % per_year + 1)
            directives.append(row)
            target = round((i + 1) * tasks_per_directive)
            for seq in range(1, target - made_tasks + 1):
                task = _task_row(rng, office, row, seq, rng.choice(leads))
                tasks.append(task)
                if seq % 3 == 0:
                    cooperators.append(dict(task_id=task["id"], unit_id=rng.choice(leads)))
            made_tasks = target
            if len(directives) >= BATCH or i == n_directives - 1:
                conn.execute(insert(Directive.__table__), directives)
                conn.execute(insert(Task.__table__), tasks)
                if cooperators:
                    conn.execute(insert(task_cooperators), cooperators)
                directives, tasks, cooperators = [], [], []
                log(f"  {i + 1:>7} directives, {made_tasks:>7} tasks  ({time.perf_counter() - started:.1f} s)")
        conn.exec_driver_sql("ANALYZE")
    workspace.close()
    log(f"built in {time.perf_counter() - started:.1f} s")


def timed(label: str, fn, target: float | None = None):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    verdict = "" if target is None else ("  ok" if elapsed < target else f"  MISSED (target {target * 1000:.0f} ms)")
    log(f"{label:<52} {elapsed * 1000:8.1f} ms{verdict}")
    return result


def measure(data_dir: Path) -> None:
    workspace = timed("open data folder (checks, migrations)", lambda: open_workspace(data_dir))
    office = workspace.office_unit_id()

    def register_view(**kw):
        f = register.RegisterFilter(office_unit_id=office, today=TODAY, **kw)
        with workspace.db.transaction() as session:
            return register.count(session, f), register.page(session, f, 0, 100)

    n, rows = timed("register: count + first 100 rows", register_view, 0.5)
    log(f"    {n} directives; first row: số đến {rows[0].arrival_number}/{rows[0].arrival_year}")
    n, rows = timed("register sorted by issuer: count + first 100", lambda: register_view(
        sort=register.SortColumn.ISSUER, descending=False), 0.5)
    log(f"    first issuer: {rows[0].issuer_name}")
    timed("register sorted by issuer, descending", lambda: register_view(
        sort=register.SortColumn.ISSUER, descending=True), 0.5)
    timed("register filtered by year + urgency", lambda: register_view(year=TODAY.year - 1, urgency="khan"), 0.5)
    for query in ("nong thon moi", "dat chuan", "OCOP"):
        n, rows = timed(f"search “{query}”: count + first 100", lambda: register_view(search=query), 0.1)
        log(f"    {n} found; first: {rows[0].subject[:70] if rows else '-'}")

    def overdue():
        f = tasklist.TaskFilter(office_unit_id=office, window=tasklist.DueWindow.OVERDUE, today=TODAY)
        with workspace.db.transaction() as session:
            return tasklist.count(session, f), tasklist.page(session, f, 0, 100)

    n, rows = timed("task list overdue: count + first 100", overdue, 0.5)
    log(f"    {n} overdue tasks; first due {rows[0].due_date if rows else '-'}")

    def by_status():
        f = tasklist.TaskFilter(office_unit_id=office, status=TaskStatus.IN_PROGRESS_ON_TIME, today=TODAY)
        with workspace.db.transaction() as session:
            return tasklist.count(session, f), tasklist.page(session, f, 0, 100)

    timed("task list in progress on time: count + first 100", by_status, 0.5)

    def first_screen():
        with workspace.db.transaction() as session:
            return overview.overview(session, office, TODAY)

    view = timed("overview (counts by unit, newest directives)", first_screen, 0.5)
    log(f"    {view.overdue} overdue, {view.due_this_week} due this week, {len(view.by_unit)} units")
    _measure_other_offices(workspace)
    _measure_page(workspace)
    workspace.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    log(f"{'peak memory (maxrss)':<52} {peak:8.1f} MB{'  ok' if peak < 300 else '  MISSED (target 300 MB)'}")


def _measure_other_offices(workspace) -> None:
    """The same lists seen from a commune (one of the lead units) and from the province above them all."""
    with workspace.db.transaction() as session:
        commune = session.scalar(select(Unit.id).where(Unit.code == "X007"))
        province = session.scalar(select(Unit.id).where(Unit.code == "LC"))
    for label, office, scope in (("commune", commune, TaskScope.ALL), ("commune, của đơn vị mình", commune,
                                 TaskScope.OWN_UNITS), ("province + its communes", province, TaskScope.ALL)):
        def overdue():
            f = tasklist.TaskFilter(office_unit_id=office, scope=scope, window=tasklist.DueWindow.OVERDUE,
                                    today=TODAY)
            with workspace.db.transaction() as session:
                return tasklist.count(session, f), tasklist.page(session, f, 0, 100)

        n, _rows = timed(f"task list overdue, {label}: count + first 100", overdue, 0.5)
        log(f"    {n} overdue tasks")

        def first_screen():
            with workspace.db.transaction() as session:
                return overview.overview(session, office, TODAY, scope=scope)

        view = timed(f"overview, {label}", first_screen, 0.5)
        log(f"    {view.overdue} overdue, {view.open_tasks} open, {len(view.by_unit)} units")


def _measure_page(workspace) -> None:
    try:
        from ntm_desktop.ui.register.page import RegisterPage
        from ntm_desktop.ui.tasks.page import TaskListPage
    except ImportError:
        log("page widgets: not present, skipped")
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])

    def show(kind):
        page = kind(workspace)
        page.resize(1200, 800)
        page.show()
        app.processEvents()
        return page

    page = timed("register page widget: construct + first rows shown", lambda: show(RegisterPage), 0.5)
    page.close()
    page = timed("task page widget (every task, wrapped rows): first rows shown", lambda: show(TaskListPage))
    timed("task page: next 200 rows (scrolling down)", lambda: (page.model.fetchMore(), app.processEvents()))
    page.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="build in (or reuse) this folder; default: a temp folder")
    parser.add_argument("--directives", type=int, default=100_000)
    parser.add_argument("--tasks", type=int, default=300_000)
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure_only:
        measure(args.data_dir)
        return 0
    with tempfile.TemporaryDirectory(prefix="ntm-bench-") as tmp:
        data_dir = args.data_dir or Path(tmp) / "data"
        if _existing_count(data_dir) != args.directives:
            log(f"building {args.directives} directives and {args.tasks} tasks in {data_dir}")
            build(data_dir, args.directives, args.tasks)
        else:
            log(f"reusing {data_dir}")
        size = (data_dir / "ntm.sqlite3").stat().st_size / 1e6
        log(f"database file: {size:.0f} MB")
        return subprocess.call([sys.executable, __file__, "--measure-only", "--data-dir", str(data_dir)])


def _existing_count(data_dir: Path) -> int | None:
    if not (data_dir / "ntm.sqlite3").exists():
        return None
    workspace = open_workspace(data_dir)
    try:
        with workspace.db.transaction() as session:
            return session.scalar(select(func.count()).select_from(Directive))
    finally:
        workspace.close()


if __name__ == "__main__":
    sys.exit(main())
