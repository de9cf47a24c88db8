"""Driving the task editor: deadline forms, progress, completion, bad input."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ntm_desktop.models import Directive, Task, Unit
from ntm_desktop.services.deadlines import DeadlineKind
from ntm_desktop.ui.tasks.editor import TaskEditor


def _directive_and_units(ws):
    with ws.db.transaction() as s:
        directive = s.scalar(select(Directive).order_by(Directive.arrival_number.desc()))
        units = list(s.scalars(select(Unit).where(Unit.level_code == "so").limit(3)))
        return directive.id, directive.doc_date, [u.id for u in units]


def test_period_deadline_resolves_to_its_end(qtbot, demo_workspace, messages):
    directive_id, _doc_date, units = _directive_and_units(demo_workspace)
    year = date.today().year + 1
    editor = TaskEditor(demo_workspace, directive_id)
    qtbot.addWidget(editor)
    editor.summary.setPlainText("Hoàn thiện hồ sơ đề nghị công nhận xã đạt chuẩn nông thôn mới")
    editor.lead.set_unit_id(units[0])
    editor.set_cooperating(units[1:])
    editor.kind.setCurrentIndex(editor.kind.findData(DeadlineKind.PERIOD.value))
    editor.period.setText(f"Quý III/{year}")
    assert editor.save(), messages
    with demo_workspace.db.transaction() as s:
        task = s.get(Task, editor.task_id)
        assert task.due_date == date(year, 9, 30)
        assert {u.id for u in task.cooperating_units} == set(units[1:])
    assert "Chưa thực hiện" in editor.status_label.text()


def test_progress_and_completion(qtbot, demo_workspace, messages):
    directive_id, doc_date, units = _directive_and_units(demo_workspace)
    editor = TaskEditor(demo_workspace, directive_id)
    qtbot.addWidget(editor)
    editor.summary.setPlainText("Báo cáo kết quả thực hiện")
    editor.lead.set_unit_id(units[0])
    editor.kind.setCurrentIndex(editor.kind.findData(DeadlineKind.DATE.value))
    editor.deadline_date.set_date(date.today() + timedelta(days=3))
    assert editor.save(), messages
    editor.progress_date.set_date(date.today())
    editor.progress_text.setText("Đã tổng hợp số liệu của 8/10 xã")
    assert editor.add_progress(), messages
    assert editor.progress_list.count() == 1
    assert "Đang thực hiện trong hạn" in editor.status_label.text()
    editor.completed_check.setChecked(True)
    editor.completed_on.set_date(date.today())
    editor.reply_number.setText("125/BC-VPĐP")
    assert editor.save(), messages
    with demo_workspace.db.transaction() as s:
        task = s.get(Task, editor.task_id)
        assert task.completed_on == date.today() and task.reply_number == "125/BC-VPĐP"
    assert "Hoàn thành đúng hạn" in editor.status_label.text()


def test_deadline_before_document_date_is_refused(qtbot, demo_workspace, messages):
    directive_id, doc_date, units = _directive_and_units(demo_workspace)
    editor = TaskEditor(demo_workspace, directive_id)
    qtbot.addWidget(editor)
    editor.summary.setPlainText("Nhiệm vụ thử")
    editor.lead.set_unit_id(units[0])
    editor.kind.setCurrentIndex(editor.kind.findData(DeadlineKind.DATE.value))
    editor.deadline_date.set_date(doc_date - timedelta(days=1))
    assert not editor.save()
    assert editor.task_id is None
    assert "trước ngày văn bản" in messages[-1]


def test_missing_lead_unit_is_refused(qtbot, demo_workspace, messages):
    directive_id, _d, _units = _directive_and_units(demo_workspace)
    editor = TaskEditor(demo_workspace, directive_id)
    qtbot.addWidget(editor)
    editor.summary.setPlainText("Nhiệm vụ không có đơn vị chủ trì")
    assert not editor.save()
    assert "chủ trì" in messages[-1]


def test_another_offices_task_takes_progress_only(qtbot, demo_workspace, messages):
    """At a commune, the district's task is read-only; the commune's progress report is its own record."""
    from ntm_desktop.models import ProgressUpdate
    from ntm_desktop.services import settings

    with demo_workspace.db.transaction() as s:
        district = settings.office_unit_id(s)
        task = s.scalar(select(Task).where(Task.owner_unit_id == district, Task.completed_on.is_(None),
                                           Task.deleted.is_(False)))
        commune = s.scalar(select(Unit).where(Unit.level_code == "xa"))
        settings.put(s, settings.OFFICE_UNIT, commune.id)
        summary, version = task.summary, dict(task.version)
    editor = TaskEditor(demo_workspace, task.directive_id, task.id)
    qtbot.addWidget(editor)
    assert not editor.owner_note.isHidden() and "báo cáo tiến độ" in editor.owner_note.text()
    assert not editor.summary.isEnabled() and not editor.completed_check.isEnabled()
    assert editor.progress_box.isEnabled()
    editor.progress_date.set_date(date.today())
    editor.progress_text.setText("Xã đã hoàn thành 3/5 hạng mục")
    assert editor.add_progress(), messages
    assert editor.save(), messages
    with demo_workspace.db.transaction() as s:
        again = s.get(Task, task.id)
        assert again.summary == summary and again.version == version  # the district's record is untouched
        report = s.scalar(select(ProgressUpdate).where(ProgressUpdate.text == "Xã đã hoàn thành 3/5 hạng mục"))
        assert report.owner_unit_id == commune.id
