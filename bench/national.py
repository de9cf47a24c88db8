"""The national-scale data folder the start bench opens, built once into a cache folder and reused.

100,000 directives and 300,000 tasks (bench_register's builder), 3,321 communes × 19 criteria × 5 years
(bench_criteria's builder), and a year of sync history: three packages received from each commune and
300 sent. Everything goes in with Core bulk inserts; the folder is written under a temporary name and
renamed when complete, so an interrupted build is never reused.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from ntm_desktop.models import ExportLog, ImportLedger, Unit, new_id
from ntm_desktop.workspace import open_workspace

SCALE = {"directives": 100_000, "tasks": 300_000, "communes": 3321, "years": [2021, 2022, 2023, 2024, 2025],
         "received_per_commune": 3, "sent": 300}
MARKER = "bench-national.json"
DEFAULT_CACHE = Path.home() / ".cache" / "ntm-bench" / "national"


def log(message: str) -> None:
    print(message, flush=True)


def _sync_history(workspace, received_per_commune: int, sent: int) -> int:
    """Packages received from every commune (a gap now and then) and packages sent: what the history and
    the inbox board list."""
    rng = random.Random(13)
    start = datetime(2026, 1, 5, 8, 0)
    with workspace.db.transaction("bench") as session:
        communes = list(session.execute(select(Unit.id, Unit.code).where(Unit.level_code == "xa")))
        province = session.scalar(select(Unit.id).where(Unit.code == "LC"))
        counts = json.dumps({"counts": {"progress_updates": {"new": 12, "updated": 3},  # as the app writes
                                        "criterion_assessments": {"new": 19}}})
        rows = []
        for unit_id, code in communes:
            sequences = [n for n in range(1, received_per_commune + 2) if n != 2 or rng.random() < 0.9]
            for seq in sequences[:received_per_commune]:
                at = start + timedelta(days=7 * seq, minutes=rng.randint(0, 600))
                rows.append(dict(package_id=new_id(), sha256="0" * 64, kind="delta", origin_unit_id=unit_id,
                                 origin_code=code, sequence=seq, created_utc=at.isoformat() + "Z", at=at,
                                 user="Cán bộ xã", file_name=f"{code}-{seq:04d}.ntmsync", result="applied",
                                 summary=counts))
        session.execute(insert(ImportLedger), rows)
        summary = json.dumps({"directives": 40, "tasks": 120, "units": 2})
        session.execute(insert(ExportLog), [
            dict(package_id=new_id(), kind="delta", destination_unit_id=province, sequence=n + 1,
                 created_at=start + timedelta(days=n), user="Văn thư", file_name=f"LC-VPDP-{n + 1:04d}.ntmsync",
                 audit_watermark=0, summary=summary, acknowledged_at=start + timedelta(days=n + 2) if n < sent - 3
                 else None) for n in range(sent)])
    return len(rows)


def build(target: Path) -> None:
    import bench_criteria
    import bench_register

    started = time.perf_counter()
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    log(f"building the national-scale folder in {target} (a few minutes, once)")
    bench_register.build(partial, SCALE["directives"], SCALE["tasks"])
    workspace = open_workspace(partial)
    try:
        count = bench_criteria.build(workspace, SCALE["communes"], SCALE["years"])
        log(f"  {count} criteria assessments ({time.perf_counter() - started:.1f} s)")
        received = _sync_history(workspace, SCALE["received_per_commune"], SCALE["sent"])
        log(f"  {received} packages received, {SCALE['sent']} sent ({time.perf_counter() - started:.1f} s)")
        with workspace.db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        with workspace.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        workspace.close()
    (partial / MARKER).write_text(json.dumps(SCALE), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    log(f"built in {time.perf_counter() - started:.1f} s")


def national_folder(target: Path = DEFAULT_CACHE, rebuild: bool = False) -> Path:
    """The folder, built if missing, of another scale, or asked for (`rebuild`)."""
    marker = target / MARKER
    current = json.loads(marker.read_text(encoding="utf-8")) if marker.is_file() else None
    if rebuild or current != json.loads(json.dumps(SCALE)):
        build(target)
    else:
        log(f"reusing {target}")
    return target
