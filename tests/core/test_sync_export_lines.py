"""A package's data lines are the records as the sender's database holds them, read a batch at a time."""

from __future__ import annotations

import json
import zipfile
from datetime import date

from sqlalchemy import select

from ntm_desktop.models import Task, Unit
from ntm_desktop.services.tasks import complete_task
from ntm_desktop.sync import export
from ntm_desktop.sync.entities import ENTITIES, load_rows
from test_sync_batches import _busy_district
from test_sync_world import send


def test_every_line_of_a_full_package_is_the_record_as_stored(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "BATCH", 4)  # several batches per table, each read from the last id
    district = _busy_district(tmp_path)
    with district.db.transaction("Văn thư huyện") as s:
        tasks = list(s.scalars(select(Task).order_by(Task.id)))
        communes = list(s.scalars(select(Unit).where(Unit.level_code == "xa").order_by(Unit.code)))
        for task in tasks[3:6]:  # in the second batch and past it: their links read by the batch's range of ids
            task.cooperating_units = communes[:2]
        s.flush()
        complete_task(s, tasks[0].id, date.today())  # a date, a changed version and updated time
    package = send(district, "XA-A", tmp_path / "out", full=True)
    with zipfile.ZipFile(package) as zf, district.db.transaction() as s:
        names = set(zf.namelist())
        for spec in ENTITIES:
            expected = sorted(load_rows(s, spec, None), key=lambda r: r["id"])
            member = f"data/{spec.name}.ndjson"
            if not expected:
                assert member not in names
                continue
            lines = zf.read(member).decode("utf-8").splitlines()
            assert [json.loads(line) for line in lines] == expected, spec.name
            assert lines == [json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                             for r in expected], spec.name
            if spec.name == "tasks":
                assert sum(1 for r in expected if r["cooperating_unit_ids"]) == 3
    district.close()
