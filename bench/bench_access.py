"""What the role check costs a save: one check (services.access.require) against one directive saved.

    .venv/bin/python bench/bench_access.py            # 10,000 checks of each kind, 500 directives saved

Kinds of check: no users (the single-PC mode: one cached query per transaction), a signed-in văn thư (the
account read once per transaction, then held), a chuyên viên on a task of their unit (their unit's tree
walked up from the task's lead unit). The save is `create_directive` in one transaction with the
revision hook and audit, as the register form does it. Ratios last: a check over a save.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "core"))

from core_factories import make_directive  # noqa: E402
from ntm_desktop.services import access  # noqa: E402
from ntm_desktop.workspace import open_workspace  # noqa: E402
from roles_world import build_office  # noqa: E402

CHECKS = 10_000
SAVES = 500


def per_check(db, actor, permission, unit_id=None) -> float:
    runs = []
    for _ in range(3):
        with db.transaction(actor=actor) as session:
            start = time.perf_counter()
            for _ in range(CHECKS):
                access.require(session, permission, unit_id=unit_id)
            runs.append((time.perf_counter() - start) / CHECKS)
    return min(runs)


def main() -> None:
    with tempfile.TemporaryDirectory() as root:
        bare = open_workspace(Path(root) / "bare")
        implicit = per_check(bare.db, None, access.Permission.REGISTER)
        bare.close()
        ws = open_workspace(Path(root) / "office")
        world = build_office(ws.db)
        clerk = per_check(ws.db, world.clerk, access.Permission.REGISTER)
        specialist = per_check(ws.db, world.specialist, access.Permission.PROGRESS, world.agriculture)
        saves = []
        for n in range(SAVES):
            with ws.db.transaction(actor=world.clerk) as session:
                start = time.perf_counter()
                make_directive(session, world.office, date(2026, 4, 1), n + 10)
                saves.append(time.perf_counter() - start)
        ws.close()
    save = statistics.median(saves)
    print(f"check, no users:            {implicit * 1e6:8.1f} µs")
    print(f"check, signed-in văn thư:   {clerk * 1e6:8.1f} µs")
    print(f"check, chuyên viên on task: {specialist * 1e6:8.1f} µs")
    print(f"directive saved (median):   {save * 1e6:8.1f} µs")
    print(f"ratio check/save: no users {implicit / save:.4f}, văn thư {clerk / save:.4f}, "
          f"chuyên viên {specialist / save:.4f}")


if __name__ == "__main__":
    main()
