"""Deadlines in every form directives write them: date, period, recurrence, none."""

from datetime import date, timedelta

import pytest

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Task
from ntm_desktop.services.deadlines import (
    DeadlineError, DeadlineKind, Recurrence, next_occurrence, parse_period,
)
from ntm_desktop.services.tasks import TaskInput, add_progress, resolve_deadline

from core_factories import make_directive, make_office, make_task, make_unit


@pytest.mark.parametrize("text, due", [
    ("Quý III/2024", date(2024, 9, 30)),
    ("quý 3 năm 2024", date(2024, 9, 30)),
    ("Quý IV/2025", date(2025, 12, 31)),
    ("quý I năm 2026", date(2026, 3, 31)),
    ("Quý II - 2024", date(2024, 6, 30)),
    ("tháng 9/2026", date(2026, 9, 30)),
    ("trong tháng 02 năm 2024", date(2024, 2, 29)),
    ("tháng 2/2025", date(2025, 2, 28)),
    ("năm 2025", date(2025, 12, 31)),
    ("trong năm 2027", date(2027, 12, 31)),
    ("2030", date(2030, 12, 31)),
])
def test_period_is_due_at_its_end(text, due):
    assert parse_period(text).end == due


@pytest.mark.parametrize("text", ["tháng 13/2024", "sớm nhất có thể", ""])
def test_period_not_understood_is_refused_in_vietnamese(text):
    with pytest.raises(DeadlineError) as error:
        parse_period(text)
    assert "Tháng" in str(error.value) or "Không hiểu" in str(error.value)


def test_period_labels_round_trip():
    for text in ("Quý III/2024", "tháng 9/2026", "năm 2025"):
        period = parse_period(text)
        assert parse_period(period.label) == period


@pytest.mark.parametrize("recurrence, day, month, after, due", [
    (Recurrence.MONTHLY, 15, None, date(2026, 3, 10), date(2026, 3, 15)),
    (Recurrence.MONTHLY, 15, None, date(2026, 3, 15), date(2026, 4, 15)),  # strictly after
    (Recurrence.MONTHLY, 15, None, date(2026, 12, 20), date(2027, 1, 15)),
    (Recurrence.MONTHLY, 31, None, date(2026, 1, 31), date(2026, 2, 28)),  # the 31st in February
    (Recurrence.MONTHLY, 31, None, date(2024, 1, 31), date(2024, 2, 29)),  # leap year
    (Recurrence.MONTHLY, 31, None, date(2026, 2, 28), date(2026, 3, 31)),
    (Recurrence.QUARTERLY, 20, None, date(2026, 3, 21), date(2026, 6, 20)),
    (Recurrence.QUARTERLY, 31, None, date(2026, 5, 1), date(2026, 6, 30)),
    (Recurrence.QUARTERLY, 10, None, date(2026, 12, 11), date(2027, 3, 10)),
    (Recurrence.YEARLY, 10, 12, date(2026, 1, 5), date(2026, 12, 10)),
    (Recurrence.YEARLY, 10, 12, date(2026, 12, 10), date(2027, 12, 10)),
    (Recurrence.YEARLY, 29, 2, date(2025, 3, 1), date(2026, 2, 28)),
])
def test_recurrence_next_occurrence(recurrence, day, month, after, due):
    assert next_occurrence(recurrence, day, month, after) == due


def test_recurrence_needs_valid_day_and_month():
    with pytest.raises(DeadlineError):
        next_occurrence(Recurrence.MONTHLY, 32, None, date(2026, 1, 1))
    with pytest.raises(DeadlineError):
        next_occurrence(Recurrence.YEARLY, 10, None, date(2026, 1, 1))


def _input(**kw):
    return TaskInput(directive_id="x", summary="Báo cáo", lead_unit_id="y", **kw)


def test_resolve_deadline_every_kind():
    start = date(2024, 3, 1)
    by_date = resolve_deadline(_input(deadline_kind=DeadlineKind.DATE, deadline_date=date(2024, 10, 30)), start)
    assert by_date.due == date(2024, 10, 30) and by_date.text == "Trước ngày 30/10/2024"
    period = resolve_deadline(_input(deadline_kind=DeadlineKind.PERIOD, period_text="Quý III/2024"), start)
    assert period.due == date(2024, 9, 30) and "Quý III/2024" in period.text
    yearly = resolve_deadline(_input(deadline_kind=DeadlineKind.RECURRING, recurrence=Recurrence.YEARLY,
                                     recurrence_day=10, recurrence_month=12), start)
    assert yearly.due == date(2024, 12, 10) and yearly.text == "Trước ngày 10/12 hằng năm"
    none = resolve_deadline(_input(deadline_kind=DeadlineKind.NONE), start)
    assert none.due is None and none.text == "Thường xuyên"


def test_resolve_deadline_keeps_the_directive_wording():
    got = resolve_deadline(_input(deadline_kind=DeadlineKind.PERIOD, period_text="năm 2025",
                                  deadline_text="Hoàn thành trong năm 2025"), date(2024, 1, 1))
    assert got.due == date(2025, 12, 31) and got.text == "Hoàn thành trong năm 2025"


def test_resolve_deadline_bad_input_is_a_validation_error():
    with pytest.raises(ValidationError) as error:
        resolve_deadline(_input(deadline_kind=DeadlineKind.PERIOD, period_text="tháng 14/2024"), date(2024, 1, 1))
    assert error.value.field == "deadline" and "Tháng 14" in str(error.value)
    with pytest.raises(ValidationError, match="ngày hạn"):
        resolve_deadline(_input(deadline_kind=DeadlineKind.DATE), date(2024, 1, 1))
    with pytest.raises(ValidationError, match="định kỳ"):
        resolve_deadline(_input(deadline_kind=DeadlineKind.RECURRING), date(2024, 1, 1))


def test_task_deadline_stored_for_each_form(db):
    with db.transaction("cv") as s:
        office = make_office(s)
        unit = make_unit(s, "Ủy ban nhân dân xã Yên Bình")
        d = make_directive(s, office, date(2024, 3, 5), doc_date=date(2024, 3, 1))
        period = make_task(s, d, unit, deadline_kind=DeadlineKind.PERIOD, period_text="quý 3 năm 2024")
        monthly = make_task(s, d, unit, deadline_kind=DeadlineKind.RECURRING, recurrence=Recurrence.MONTHLY,
                            recurrence_day=31)
        none = make_task(s, d, unit, deadline_kind=DeadlineKind.NONE, deadline_text="Thường xuyên")
    with db.transaction() as s:
        assert s.get(Task, period).due_date == date(2024, 9, 30)
        assert s.get(Task, period).deadline_kind == "period"
        # first occurrence after the document date (01/03/2024): 31/03
        assert s.get(Task, monthly).due_date == date(2024, 3, 31)
        assert s.get(Task, none).due_date is None


def test_recurring_due_moves_after_a_progress_report(db):
    today = date.today()
    start = today - timedelta(days=70)
    with db.transaction("cv") as s:
        office = make_office(s)
        unit = make_unit(s, "Ủy ban nhân dân xã Yên Bình")
        d = make_directive(s, office, start, doc_date=start)
        task_id = make_task(s, d, unit, deadline_kind=DeadlineKind.RECURRING, recurrence=Recurrence.MONTHLY,
                            recurrence_day=15)
        first_due = s.get(Task, task_id).due_date
        assert first_due == next_occurrence(Recurrence.MONTHLY, 15, None, start)
    with db.transaction("cv") as s:
        add_progress(s, task_id, first_due, "Đã báo cáo kỳ này.", "Chuyên viên")
    with db.transaction() as s:
        task = s.get(Task, task_id)
        assert task.due_date == next_occurrence(Recurrence.MONTHLY, 15, None, first_due)
        assert task.due_date > first_due
        assert task.started_on == first_due
