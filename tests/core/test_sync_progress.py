"""A commune reports on the district's task: the report travels up and is accepted; the task stays the district's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import ProgressUpdate, Task
from ntm_desktop.services import settings, tasks, units
from ntm_desktop.services.status import TaskStatus, derive_status
from ntm_desktop.sync.apply import apply_file
from test_sync_world import build_district, join_commune, send


def _commune_task(ws, code="XA-A") -> Task:
    with ws.db.transaction() as s:
        unit = units.find_by_code(s, code)
        return s.scalar(select(Task).where(Task.lead_unit_id == unit.id))


def test_commune_progress_reaches_the_district(tmp_path):
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "down")
    task = _commune_task(commune)
    reported = date.today() - timedelta(days=3)
    with commune.db.transaction("cán bộ xã") as s:
        tasks.add_progress(s, task.id, reported, "Đã rà soát 5/7 thôn", "Chủ tịch UBND xã")
        office = settings.office_unit_id(s)
    with commune.db.transaction() as s:
        mine = s.get(Task, task.id)
        assert mine.started_on == reported  # the commune sees its own report at once
        assert s.scalar(select(ProgressUpdate.owner_unit_id)) == office
    result = apply_file(district, send(commune, "HUYEN", tmp_path / "up"))
    assert result.summary["counts"]["progress_updates"]["new"] == 1
    assert result.summary["counts"].get("tasks", {}).get("rejected", 0) == 0, "the commune must not send the task"
    assert result.summary["rejected"] == []
    with district.db.transaction() as s:
        theirs = s.get(Task, task.id)
        assert [p.text for p in theirs.progress] == ["Đã rà soát 5/7 thôn"]
        assert theirs.started_on == reported
        assert derive_status(theirs.due_date, None, theirs.started_on, date.today()) != TaskStatus.NOT_STARTED


def test_only_the_owner_marks_a_task_done(tmp_path):
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "down")
    task = _commune_task(commune)
    with commune.db.transaction() as s, pytest.raises(ValidationError) as info:
        tasks.complete_task(s, task.id, date.today(), "12/BC-UBND")
    assert "báo cáo tiến độ" in str(info.value) and "Văn phòng Điều phối" in str(info.value)
    with commune.db.transaction() as s, pytest.raises(ValidationError, match="sửa nội dung và thời hạn"):
        data = tasks.input_from(s.get(Task, task.id))
        tasks.update_task(s, task.id, tasks.TaskInput(**{**data.__dict__, "summary": "Xã tự sửa nội dung"}))
    with commune.db.transaction() as s:
        assert s.get(Task, task.id).summary != "Xã tự sửa nội dung"
    with district.db.transaction() as s:
        tasks.complete_task(s, task.id, date.today(), "12/BC-UBND")
    apply_file(commune, send(district, "XA-A", tmp_path / "down2"))
    with commune.db.transaction() as s:
        done = s.get(Task, task.id)
        assert done.completed_on == date.today() and done.started_on == date.today()


def test_a_task_new_here_starts_on_its_first_report_or_on_its_completion(tmp_path):
    """Its start never travels: the installation the task arrives at derives it from what arrived with it."""
    district = build_district(tmp_path)
    first_report, done_on = date.today() - timedelta(days=9), date.today() - timedelta(days=2)
    with district.db.transaction("Văn thư huyện") as s:
        led = {t.lead_unit.code: t for t in s.scalars(select(Task))}
        reported = led["XA-A"].id
        untouched = tasks.create_task(s, tasks.TaskInput(
            directive_id=led["XA-A"].directive_id, summary="Lập hồ sơ đề nghị xét công nhận",
            lead_unit_id=led["XA-A"].lead_unit_id, deadline_text="trước ngày 30/9/2025"))
        tasks.add_progress(s, reported, first_report + timedelta(days=4), "Đã rà soát 5/7 thôn", "Cán bộ xã")
        tasks.add_progress(s, reported, first_report, "Đã họp triển khai", "Cán bộ xã")
        tasks.complete_task(s, led["XA-B"].id, done_on, "12/BC-UBND")
        completed = led["XA-B"].id
    for code in ("XA-A", "XA-B"):  # each commune's new installation: its tasks are all new there
        commune = join_commune(tmp_path, district, code, tmp_path / f"down-{code}")
        with commune.db.transaction() as s:
            if code == "XA-A":
                assert s.get(Task, reported).started_on == first_report  # the earliest of its reports
                assert s.get(Task, untouched).started_on is None  # nothing reported, not done: not started
            else:
                assert s.get(Task, completed).completed_on == done_on
                assert s.get(Task, completed).started_on == done_on  # done without a report: started when done


def test_a_communes_report_moves_the_districts_monthly_task_to_its_next_occurrence(tmp_path):
    from ntm_desktop.services.deadlines import DeadlineKind, Recurrence, next_occurrence
    from ntm_desktop.services.tasks import TaskInput

    district = build_district(tmp_path)
    with district.db.transaction("Văn thư huyện") as s:
        first = s.scalars(select(Task)).first()
        monthly = tasks.create_task(s, TaskInput(
            directive_id=first.directive_id, summary="Báo cáo tiến độ xây dựng nông thôn mới hằng tháng",
            lead_unit_id=units.find_by_code(s, "XA-A").id, deadline_kind=DeadlineKind.RECURRING,
            recurrence=Recurrence.MONTHLY, recurrence_day=25))
        before_due = s.get(Task, monthly).due_date
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "down")
    reported = date.today()
    with commune.db.transaction("cán bộ xã") as s:
        tasks.add_progress(s, monthly, reported, "Đã gửi báo cáo tháng", "Văn phòng UBND xã")
        assert s.get(Task, monthly).due_date == before_due  # the commune does not move the district's task
    apply_file(district, send(commune, "HUYEN", tmp_path / "up"))
    expected = next_occurrence(Recurrence.MONTHLY, 25, None, reported)
    with district.db.transaction() as s:
        assert s.get(Task, monthly).due_date == expected
    apply_file(commune, send(district, "XA-A", tmp_path / "down2"))  # the district's revision travels back
    with commune.db.transaction() as s:
        assert s.get(Task, monthly).due_date == expected
