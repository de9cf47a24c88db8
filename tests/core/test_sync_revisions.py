"""Packages and the record's revision: an imported change is a new revision of the receiving database (a form
opened before it is refused, naming the package), the revision itself never travels, and applying a package
never trips the check on records the import touches itself."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from ntm_desktop.models import AuditEntry, Task
from ntm_desktop.services import concurrency, tasks, units
from ntm_desktop.services.concurrency import RecordChangedError
from ntm_desktop.sync.apply import apply_file
from ntm_desktop.sync.entities import BY_NAME
from test_sync_world import build_district, join_commune, send


def _task_of(ws, code: str) -> Task:
    with ws.db.transaction() as s:
        return s.scalar(select(Task).where(Task.lead_unit_id == units.find_by_code(s, code).id))


def test_an_imported_change_is_a_new_revision_named_by_its_package(tmp_path):
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "down")
    task = _task_of(district, "XA-A")
    assert _task_of(commune, "XA-A").revision == 1  # arrived whole: its first revision here
    with district.db.transaction("lanh.dao") as s:
        data = tasks.input_from(s.get(Task, task.id))
        tasks.update_task(s, task.id, replace(data, summary="Rà soát tiêu chí số 1 và báo cáo trước 30/6"),
                          revision=task.revision)
    assert _task_of(district, "XA-A").revision == 2

    result = apply_file(commune, send(district, "XA-A", tmp_path / "down2"), user="can.bo.xa")
    assert result.status == "applied"
    here = _task_of(commune, "XA-A")
    assert here.revision == 2 and here.summary == "Rà soát tiêu chí số 1 và báo cáo trước 30/6"
    with commune.db.transaction() as s:
        row = s.scalar(select(AuditEntry).where(AuditEntry.record_id == task.id, AuditEntry.field == "summary"))
        assert row.revision == 2 and row.package_id is not None
        with pytest.raises(RecordChangedError) as refused:  # a form opened on revision 1 before the package
            concurrency.require_revision(s, s.get(Task, task.id), 1)
    assert "được cập nhật từ một gói dữ liệu (can.bo.xa nhận về) lúc" in str(refused.value)
    assert "• Nội dung nhiệm vụ: “Rà soát tiêu chí số 1” → “Rà soát tiêu chí số 1 và báo cáo trước 30/6”" \
        in str(refused.value)


def test_the_revision_never_travels_and_each_database_counts_its_own(tmp_path):
    assert "revision" not in BY_NAME["tasks"].columns and "revision" not in BY_NAME["directives"].columns
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "down")
    task = _task_of(district, "XA-A")
    for n in range(3):  # three saves on the district, one package: one new revision on the commune
        with district.db.transaction("lanh.dao") as s:
            loaded = s.get(Task, task.id)
            tasks.update_task(s, task.id, replace(tasks.input_from(loaded), notes=f"Đôn đốc lần {n + 1}"),
                              revision=loaded.revision)
    apply_file(commune, send(district, "XA-A", tmp_path / "down2"), user="can.bo.xa")
    assert _task_of(district, "XA-A").revision == 4
    assert _task_of(commune, "XA-A").revision == 2
    assert _task_of(commune, "XA-A").notes == "Đôn đốc lần 3"
