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
from ntm_desktop.services.assignment import UnitTree
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
        known, tree, office = paste.known_units(s), UnitTree.read(s), settings.office_unit_id(s)
    proposal = parse_directive(text, known_units=known)
    return paste.match_draft_units(paste.draft_from_proposal(proposal, text), tree, office, date(2026, 11, 22))


def _plan(ws, draft: DirectiveDraft):
    with ws.db.transaction() as s:
        return paste.plan(UnitTree.read(s), draft, date(2026, 11, 22), settings.office_unit_id(s))


def test_fixture_becomes_directive_and_tasks(demo_workspace):
    ws = demo_workspace
    draft = _draft(ws, "laocai-14")
    plans = _plan(ws, draft)
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
        saved = iter(s.scalars(select(Task).where(Task.directive_id == directive_id).order_by(Task.seq)))
        for proposed, plan in zip(draft.tasks, plans):
            leads = [c.unit_id for c in plan.leads] or [office]  # nobody listable: the office follows it up
            for lead in leads:
                task = next(saved)
                assert task.lead_unit_id == lead and task.summary == proposed.summary
                if proposed.recurrence:
                    assert task.deadline_kind == DeadlineKind.RECURRING.value and task.due_date is not None
                elif proposed.deadline:
                    assert task.due_date == proposed.deadline
                else:
                    assert task.deadline_kind == DeadlineKind.NONE.value and task.due_date is None
        assert next(saved, None) is None
    created = sum(max(1, len(p.leads)) for p in plans)
    assert created > len(draft.tasks)  # "Ủy ban nhân dân các xã, phường": one task per commune and ward
    assert _counts(ws) == (before[0] + 1, before[1] + created, before[2])  # every unit was in the tree


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
    ("UBND phường Cam Đường", "phuong"), ("UBND các xã, phường", "khac"), ("Công an tỉnh", "so"),
    ("Thanh tra tỉnh Lào Cai", "so"), ("Công ty Điện lực Lào Cai", "khac"), ("UBND thị xã Sa Pa", "khac"),
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
        TaskDraft("Đơn vị đã bị xóa", UnitChoice("Sở Tài chính", "no-such-unit")),
    )
    before = _counts(ws)
    with pytest.raises(ValidationError, match="Nhiệm vụ 2"):
        with ws.db.transaction("t") as s:
            paste.save_draft(s, DirectiveDraft(**{**base.__dict__, "tasks": tasks}), date(2026, 11, 22))
    assert _counts(ws) == before


def test_old_deadlines_warn_and_do_not_block(demo_workspace):
    """An old letter registered late keeps its deadlines; the warning names the date compared with."""
    ws = demo_workspace
    base = _draft(ws, "laocai-13")  # dated 21/07/2026
    tasks = (
        TaskDraft("Trước ngày văn bản", UnitChoice("Sở Tài chính"), deadline=date(2026, 7, 1)),
        TaskDraft("Đã qua khi đến", UnitChoice("Sở Tài chính"), deadline=date(2026, 10, 30)),
        TaskDraft("Còn hạn", UnitChoice("Sở Tài chính"), deadline=date(2026, 12, 31)),
    )
    draft = DirectiveDraft(**{**base.__dict__, "tasks": tasks})
    assert paste.deadline_warnings(draft, date(2026, 12, 2)) == [
        "Nhiệm vụ 1: hạn xử lý 01/07/2026 trước ngày văn bản 21/07/2026.",
        "Nhiệm vụ 2: hạn xử lý 30/10/2026 đã qua trước ngày đến 02/12/2026; nhiệm vụ sẽ tính là quá hạn.",
    ]
    undated = DirectiveDraft(**{**draft.__dict__, "doc_date": "2023-10"})  # "ngày … tháng 10 năm 2023"
    assert paste.deadline_warnings(undated, date(2026, 12, 2))[0] == (
        "Nhiệm vụ 1: hạn xử lý 01/07/2026 đã qua trước ngày đến 02/12/2026 (văn bản không ghi đủ ngày tháng); "
        "nhiệm vụ sẽ tính là quá hạn.")
    for version in (draft, undated):
        with ws.db.transaction("t") as s:
            directive_id = paste.save_draft(s, version, date(2026, 12, 2))
        with ws.db.transaction() as s:
            dues = [t.due_date for t in s.scalars(select(Task).where(Task.directive_id == directive_id)
                                                  .order_by(Task.seq))]
        assert dues == [date(2026, 7, 1), date(2026, 10, 30), date(2026, 12, 31)]


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


def test_a_stamped_secret_directive_is_drafted_as_secret_and_refused_whole(demo_workspace):
    """The stamp read from the header reaches the register's Độ mật: a secret document is refused with the reason,
    its tasks and new units too; the same letter without the stamp is registered as Thường."""
    ws = demo_workspace
    text = (FIXTURES / "laocai-13.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if "Số: 7432" in line)
    stamped = "\n".join(lines[:at + 1] + ["TUYỆT MẬT"] + lines[at + 1:])
    draft = paste.draft_from_proposal(parse_directive(stamped), stamped)
    assert draft.secrecy == "tuyet_mat" and len(draft.tasks) == 5
    before = _counts(ws)
    with pytest.raises(ValidationError, match="sổ đăng ký văn bản mật riêng") as error:
        with ws.db.transaction("t") as s:
            paste.save_draft(s, draft, date(2026, 11, 22))
    assert error.value.field == "secrecy" and _counts(ws) == before
    plain = _draft(ws, "laocai-13")
    assert plain.secrecy == ""
    with ws.db.transaction("t") as s:
        directive_id = paste.save_draft(s, plain, date(2026, 11, 22))
    with ws.db.transaction() as s:
        assert s.get(Directive, directive_id).secrecy == ""
