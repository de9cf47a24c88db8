"""Tasks: lead and cooperating units, deadlines checked against the directive, progress, completion."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import ProgressUpdate, Task
from ntm_desktop.services.deadlines import DeadlineKind
from ntm_desktop.services.tasks import (
    TaskInput, add_progress, complete_task, create_task, delete_task, input_from, load, update_task,
)

from core_factories import make_directive, make_office, make_task, make_unit

TODAY = date.today()
DOC_DATE = TODAY - timedelta(days=40)


@pytest.fixture
def setup(db):
    with db.transaction("test") as s:
        office = make_office(s)
        lead = make_unit(s, "Ủy ban nhân dân xã Yên Bình")
        coop = make_unit(s, "Phòng Nông nghiệp và Môi trường", level="phong")
        directive = make_directive(s, office, DOC_DATE + timedelta(days=2), doc_date=DOC_DATE)
    return dict(office=office, lead=lead, coop=coop, directive=directive)


def _tasks(db):
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(Task))


def test_create_task_with_units_and_deadline(db, setup):
    due = TODAY + timedelta(days=10)
    with db.transaction("cv") as s:
        task_id = make_task(s, setup["directive"], setup["lead"], summary="  Rà soát tiêu chí số 17 ",
                            cooperating_unit_ids=(setup["coop"],), deadline_kind=DeadlineKind.DATE,
                            deadline_date=due)
        second = make_task(s, setup["directive"], setup["lead"])
    with db.transaction() as s:
        task = load(s, task_id)
        assert task.summary == "Rà soát tiêu chí số 17"
        assert [u.id for u in task.cooperating_units] == [setup["coop"]]
        assert task.due_date == due and task.deadline_text == f"Trước ngày {due:%d/%m/%Y}"
        assert task.owner_unit_id == setup["office"]
        assert (task.seq, load(s, second).seq) == (1, 2)
        data = input_from(task)
        assert data.deadline_date == due and data.cooperating_unit_ids == (setup["coop"],)


@pytest.mark.parametrize("changes, words", [
    (dict(summary="  "), "Nội dung nhiệm vụ không được để trống"),
    (dict(lead_unit_id=None), "đơn vị chủ trì"),
    (dict(deadline_kind=DeadlineKind.DATE, deadline_date=DOC_DATE - timedelta(days=1)), "trước ngày văn bản"),
    (dict(deadline_kind=DeadlineKind.PERIOD, period_text="tháng 13/2026"), "Tháng 13"),
    (dict(cooperating_unit_ids=("no-such-unit",)), "đơn vị phối hợp"),
])
def test_bad_task_input_is_refused_and_nothing_saved(db, setup, changes, words):
    values = dict(directive_id=setup["directive"], summary="Báo cáo kết quả", lead_unit_id=setup["lead"])
    values.update(changes)
    with pytest.raises(ValidationError) as error:
        with db.transaction("cv") as s:
            create_task(s, TaskInput(**values))
    assert words in str(error.value)
    assert _tasks(db) == 0


def test_lead_cannot_also_cooperate(db, setup):
    with pytest.raises(ValidationError, match="không đồng thời"):
        with db.transaction("cv") as s:
            make_task(s, setup["directive"], setup["lead"], cooperating_unit_ids=(setup["lead"],))
    assert _tasks(db) == 0


def test_deadline_on_the_document_date_is_accepted(db, setup):
    with db.transaction("cv") as s:
        task_id = make_task(s, setup["directive"], setup["lead"], deadline_kind=DeadlineKind.DATE,
                            deadline_date=DOC_DATE)
        assert load(s, task_id).due_date == DOC_DATE


def test_update_changes_cooperators(db, setup):
    with db.transaction("cv") as s:
        task_id = make_task(s, setup["directive"], setup["lead"], cooperating_unit_ids=(setup["coop"],))
    with db.transaction("cv") as s:
        update_task(s, task_id, TaskInput(directive_id=setup["directive"], summary="Đã đổi",
                                          lead_unit_id=setup["coop"], cooperating_unit_ids=(setup["lead"],)))
    with db.transaction() as s:
        task = load(s, task_id)
        assert task.lead_unit_id == setup["coop"]
        assert [u.id for u in task.cooperating_units] == [setup["lead"]]


def test_progress_and_completion(db, setup):
    with db.transaction("cv") as s:
        task_id = make_task(s, setup["directive"], setup["lead"], deadline_kind=DeadlineKind.DATE,
                            deadline_date=TODAY - timedelta(days=3))
    with db.transaction("cv") as s:
        add_progress(s, task_id, TODAY - timedelta(days=20), "Đã giao chuyên viên.", "Nguyễn Văn An")
        add_progress(s, task_id, TODAY - timedelta(days=25), "Đã họp triển khai.", "Nguyễn Văn An")
        complete_task(s, task_id, TODAY - timedelta(days=2), "15/BC-UBND")
    with db.transaction() as s:
        task = load(s, task_id)
        assert task.started_on == TODAY - timedelta(days=25)
        assert [p.text for p in task.progress] == ["Đã họp triển khai.", "Đã giao chuyên viên."]
        assert task.completed_on == TODAY - timedelta(days=2) and task.reply_number == "15/BC-UBND"
    with db.transaction("cv") as s:
        complete_task(s, task_id, None)  # reopen
    with db.transaction() as s:
        assert load(s, task_id).completed_on is None


def test_bad_progress_and_completion_dates_are_refused(db, setup):
    with db.transaction("cv") as s:
        task_id = make_task(s, setup["directive"], setup["lead"])
    cases = [
        (lambda s: add_progress(s, task_id, TODAY, "   ", "A"), "Nội dung tiến độ"),
        (lambda s: add_progress(s, task_id, date.today() + timedelta(days=2), "Sớm", "A"), "tương lai"),
        (lambda s: complete_task(s, task_id, date.today() + timedelta(days=2)), "tương lai"),
        (lambda s: complete_task(s, task_id, DOC_DATE - timedelta(days=1)), "trước ngày văn bản"),
    ]
    for action, words in cases:
        with pytest.raises(ValidationError, match=words):
            with db.transaction("cv") as s:
                action(s)
    with db.transaction() as s:
        task = load(s, task_id)
        assert task.completed_on is None and task.started_on is None
        assert s.scalar(select(func.count()).select_from(ProgressUpdate)) == 0


def test_delete_task_is_a_tombstone(db, setup):
    with db.transaction("cv") as s:
        task_id = make_task(s, setup["directive"], setup["lead"])
    with db.transaction("cv") as s:
        delete_task(s, task_id)
    with db.transaction() as s:
        assert s.get(Task, task_id).deleted is True
        with pytest.raises(ValidationError, match="Không tìm thấy nhiệm vụ"):
            load(s, task_id)


def test_deadline_before_arrival_of_an_undated_letter_names_the_arrival_date(db, setup):
    """Without a document date the check is against the arrival date, and the message says so."""
    arrival = TODAY - timedelta(days=3)
    with db.transaction("test") as s:
        undated = make_directive(s, setup["office"], arrival)
    with pytest.raises(ValidationError) as error:
        with db.transaction("cv") as s:
            make_task(s, undated, setup["lead"], deadline_kind=DeadlineKind.DATE, deadline_date=arrival - timedelta(1))
    assert f"trước ngày đến {arrival:%d/%m/%Y}" in str(error.value) and "ngày văn bản" not in str(error.value)
    with db.transaction("cv") as s:  # a reviewed paste keeps it (the officer was warned)
        task_id = create_task(s, TaskInput(directive_id=undated, summary="Báo cáo", lead_unit_id=setup["lead"],
                                           deadline_kind=DeadlineKind.DATE, deadline_date=arrival - timedelta(1)),
                              allow_early_deadline=True)
    with db.transaction() as s:
        assert load(s, task_id).due_date == arrival - timedelta(1)
