"""Registering a reviewed pasted directive: one transaction, new units, deadline forms, partial dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Directive, Task, Unit
from ntm_desktop.parsing import parse_directive
from ntm_desktop.services import paste, settings
from ntm_desktop.services.deadlines import DeadlineKind, Recurrence
from ntm_desktop.services.paste import DirectiveDraft, TaskDraft, UnitChoice

FIXTURES = Path(__file__).parents[1] / "fixtures" / "directives"


def _counts(ws):
    with ws.db.transaction() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m).where(m.deleted.is_(False))) for m in (Directive, Task, Unit)
        )


def _draft(ws, name: str) -> DirectiveDraft:
    text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    with ws.db.transaction() as s:
        known = paste.known_units(s)
    proposal = parse_directive(text, known_units=known)
    return paste.match_draft_units(paste.draft_from_proposal(proposal, text), known)


def test_fixture_becomes_directive_and_tasks(demo_workspace):
    ws = demo_workspace
    draft = _draft(ws, "laocai-14")
    before = _counts(ws)
    with ws.db.transaction("t") as s:
        office = settings.office_unit_id(s)
        expected_number = paste.directives.next_arrival_number(s, office, 2026)
        directive_id = paste.save_draft(s, draft, date(2026, 11, 22))
    with ws.db.transaction() as s:
        d = s.get(Directive, directive_id)
        assert d.arrival_number == expected_number and d.arrival_date == date(2026, 11, 22)
        assert d.doc_date == date(2026, 6, 11) and d.doc_type == "CV"
        assert d.full_text == draft.full_text.strip() and d.subject == draft.subject
        saved = list(s.scalars(select(Task).where(Task.directive_id == directive_id).order_by(Task.seq)))
        assert len(saved) == len(draft.tasks) > 0
        for task, proposed in zip(saved, draft.tasks):
            lead = s.get(Unit, task.lead_unit_id)
            assert lead.id == proposed.lead.unit_id or lead.name == proposed.lead.name
            if proposed.recurrence:
                assert task.deadline_kind == DeadlineKind.RECURRING.value and task.due_date is not None
            elif proposed.deadline:
                assert task.due_date == proposed.deadline
            else:
                assert task.deadline_kind == DeadlineKind.NONE.value and task.due_date is None
    assert _counts(ws)[:2] == (before[0] + 1, before[1] + len(draft.tasks))


def test_partial_date_is_kept_in_notes_and_doc_type_mapped(demo_workspace):
    ws = demo_workspace
    draft = _draft(ws, "laocai-15")  # a Kế hoạch dated only "năm 2026"
    assert draft.doc_type == "KH" and draft.doc_date == "2026"
    with ws.db.transaction("t") as s:
        directive_id = paste.save_draft(s, draft, date(2026, 11, 22))
    with ws.db.transaction() as s:
        d = s.get(Directive, directive_id)
        assert d.doc_date is None and "2026" in d.notes and d.doc_type == "KH"
    assert paste.parse_doc_date("2026-06") == (None, "Ngày văn bản chưa ghi ngày: tháng 6/2026.")


def test_new_units_are_created_once_with_a_guessed_level(demo_workspace):
    ws = demo_workspace
    base = _draft(ws, "laocai-13")
    new = UnitChoice("Ủy ban nhân dân xã Nậm Chày")
    tasks = (
        TaskDraft("Rà soát hiện trạng", new, deadline=date(2027, 3, 31), deadline_text="trước ngày 31/3/2027"),
        TaskDraft("Báo cáo kết quả", new, (UnitChoice("Sở Khoa học và Công nghệ mới"),)),
    )
    with ws.db.transaction("t") as s:
        directive_id = paste.save_draft(s, DirectiveDraft(**{**base.__dict__, "tasks": tasks}), date(2026, 11, 22))
    with ws.db.transaction() as s:
        created = list(s.scalars(select(Unit).where(Unit.name == "Ủy ban nhân dân xã Nậm Chày")))
        assert len(created) == 1 and created[0].level_code == "xa"
        office = s.get(Unit, settings.office_unit_id(s))
        assert created[0].parent_id == office.parent_id
        saved = list(s.scalars(select(Task).where(Task.directive_id == directive_id).order_by(Task.seq)))
        assert {t.lead_unit_id for t in saved} == {created[0].id}
        assert saved[1].cooperating_units[0].level_code == "so"


@pytest.mark.parametrize("name, level", [
    ("Sở Tài chính", "so"), ("UBND huyện Bảo Yên", "huyen"), ("Ủy ban nhân dân xã Cốc San", "xa"),
    ("UBND phường Cam Đường", "phuong"), ("UBND các xã, phường", "khac"), ("Công an tỉnh", "khac"),
    ("UBND thị xã Sa Pa", "khac"),
])
def test_level_guess(name, level):
    assert paste.guess_level(name) == level


@pytest.mark.parametrize("text, deadline, recurrence, kind, extra", [
    ("trước ngày 15/9/2025", date(2025, 9, 15), None, DeadlineKind.DATE, {}),
    ("xong trong Quý II/2026", date(2026, 6, 30), None, DeadlineKind.PERIOD, {"period_text": "Quý II/2026"}),
    ("hoàn thành trong tháng 9 năm 2026", date(2026, 9, 30), None, DeadlineKind.PERIOD, {"period_text": "tháng 9/2026"}),
    ("định kỳ hàng năm (trước ngày 10/12)", None, "yearly", DeadlineKind.RECURRING,
     {"recurrence_day": 10, "recurrence_month": 12, "recurrence": Recurrence.YEARLY}),
    ("Định kỳ hằng quý", None, "quarterly", DeadlineKind.RECURRING, {"recurrence_day": 15}),
    ("Thường xuyên", None, None, DeadlineKind.NONE, {}),
])
def test_deadline_forms(text, deadline, recurrence, kind, extra):
    fields = paste.deadline_fields(TaskDraft("x", UnitChoice("Sở Tài chính"), deadline=deadline,
                                             deadline_text=text, recurrence=recurrence))
    assert fields["deadline_kind"] == kind and fields["deadline_text"] == text
    for key, value in extra.items():
        assert fields[key] == value


def test_any_failure_saves_nothing(demo_workspace):
    ws = demo_workspace
    base = _draft(ws, "laocai-13")
    tasks = (
        TaskDraft("Nhiệm vụ hợp lệ", UnitChoice("Ban Quản lý dự án hoàn toàn mới")),
        TaskDraft("Hạn trước ngày văn bản", UnitChoice("Sở Tài chính"), deadline=date(2020, 1, 1),
                  deadline_text="trước ngày 01/01/2020"),
    )
    before = _counts(ws)
    with pytest.raises(ValidationError, match="Nhiệm vụ 2"):
        with ws.db.transaction("t") as s:
            paste.save_draft(s, DirectiveDraft(**{**base.__dict__, "tasks": tasks}), date(2026, 11, 22))
    assert _counts(ws) == before


def test_empty_lead_and_subject_are_refused(demo_workspace):
    ws = demo_workspace
    base = _draft(ws, "laocai-13")
    with pytest.raises(ValidationError, match="đơn vị chủ trì"):
        with ws.db.transaction("t") as s:
            paste.save_draft(s, DirectiveDraft(**{**base.__dict__, "tasks": (TaskDraft("x", UnitChoice(" ")),)}),
                             date(2026, 11, 22))
    with pytest.raises(ValidationError, match="Trích yếu"):
        with ws.db.transaction("t") as s:
            paste.save_draft(s, DirectiveDraft(**{**base.__dict__, "subject": "  "}), date(2026, 11, 22))


def test_doc_type_names_map_to_codes():
    assert paste.doc_type_code("Thông báo") == "TB"
    assert paste.doc_type_code("Quyết định") == "QĐ"
    assert paste.doc_type_code("Công văn") == "CV"
    assert paste.doc_type_code(None) == "CV"
