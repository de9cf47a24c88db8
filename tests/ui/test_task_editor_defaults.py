"""What the task editor assumes on its own: a deadline is asked for, a past one is questioned, the reporter remembered."""

from __future__ import annotations

import getpass
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select
from typing_helpers import focus, press, replace_text, type_text

from ntm_desktop.models import Directive, ProgressUpdate, Task, Unit
from ntm_desktop.services.deadlines import DeadlineKind
from ntm_desktop.services.status import TaskStatus, derive_status
from ntm_desktop.ui.tasks.editor import TaskEditor


def _directive(ws):
    """The newest demo directive and two departments; its date is a few days before today."""
    with ws.db.transaction() as s:
        directive = s.scalar(select(Directive).order_by(Directive.arrival_number.desc()))
        units = [u.id for u in s.scalars(select(Unit).where(Unit.level_code == "so").limit(2))]
        return directive.id, directive.doc_date, units


def _editor(qtbot, ws, directive_id, task_id=None) -> TaskEditor:
    editor = TaskEditor(ws, directive_id, task_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def _fill(editor: TaskEditor, lead: str, deadline: str) -> None:
    focus(editor.summary)
    type_text("Rà soát tiêu chí số 17 về môi trường")
    editor.lead.set_unit_id(lead)
    replace_text(deadline, editor.deadline_date)
    press(Qt.Key.Key_Tab)


def _tasks(ws, directive_id) -> list[Task]:
    with ws.db.transaction() as s:
        return list(s.scalars(select(Task).where(Task.directive_id == directive_id, Task.deleted.is_(False))))


def test_a_new_task_asks_for_its_deadline_date(qtbot, demo_workspace, messages):
    directive_id, _doc_date, units = _directive(demo_workspace)
    editor = _editor(qtbot, demo_workspace, directive_id)
    assert editor.kind.currentData() == DeadlineKind.DATE.value  # never "Thường xuyên" unless chosen
    assert editor.deadline_date.line_edit.text() == ""
    before = len(_tasks(demo_workspace, directive_id))
    focus(editor.summary)
    type_text("Báo cáo kết quả thực hiện")
    editor.lead.set_unit_id(units[0])
    assert not editor.save()
    assert "hạn xử lý" in messages[-1]
    assert len(_tasks(demo_workspace, directive_id)) == before


def test_a_past_deadline_is_questioned_and_can_be_corrected(qtbot, demo_workspace, messages):
    directive_id, doc_date, units = _directive(demo_workspace)
    past = doc_date + timedelta(days=1)
    assert past < date.today()
    editor = _editor(qtbot, demo_workspace, directive_id)
    _fill(editor, units[0], past.strftime("%d/%m/%Y"))
    before = len(_tasks(demo_workspace, directive_id))
    messages.answers.append(QMessageBox.StandardButton.No)
    assert not editor.save()
    assert f"Hạn xử lý {past:%d/%m/%Y} đã qua" in messages[-1]
    assert len(_tasks(demo_workspace, directive_id)) == before
    assert editor.deadline_date.line_edit.hasFocus()  # back to the date to correct it
    # Confirmed: saved as typed, and overdue from the start.
    messages.answers.append(QMessageBox.StandardButton.Yes)
    assert editor.save(), messages
    with demo_workspace.db.transaction() as s:
        task = s.get(Task, editor.task_id)
        assert task.due_date == past
        assert derive_status(task.due_date, task.completed_on, task.started_on, date.today()) == \
            TaskStatus.IN_PROGRESS_OVERDUE


def test_a_future_deadline_is_not_questioned(qtbot, demo_workspace, messages):
    directive_id, _doc_date, units = _directive(demo_workspace)
    editor = _editor(qtbot, demo_workspace, directive_id)
    _fill(editor, units[0], (date.today() + timedelta(days=10)).strftime("%d%m%Y"))
    assert editor.save(), messages
    assert messages == []


def test_an_old_task_saved_again_is_not_questioned(qtbot, demo_workspace, messages):
    """An overdue task whose deadline did not change: recording its completion asks nothing."""
    with demo_workspace.db.transaction() as s:
        task = s.scalar(select(Task).where(Task.deadline_kind == DeadlineKind.DATE.value, Task.due_date < date.today(),
                                           Task.completed_on.is_(None), Task.deleted.is_(False)))
        task_id, directive_id = task.id, task.directive_id
    editor = _editor(qtbot, demo_workspace, directive_id, task_id)
    editor.completed_check.click()
    replace_text(date.today().strftime("%d/%m/%Y"), editor.completed_on)
    assert editor.save(), messages
    assert messages == []
    with demo_workspace.db.transaction() as s:
        assert s.get(Task, task_id).completed_on == date.today()


def test_the_reporter_is_the_last_one_who_reported_here_never_the_login(qtbot, demo_workspace, messages):
    with demo_workspace.db.transaction() as s:
        task = s.scalar(select(Task).where(Task.completed_on.is_(None), Task.deleted.is_(False)))
        task_id, directive_id = task.id, task.directive_id
    editor = _editor(qtbot, demo_workspace, directive_id, task_id)
    assert editor.progress_who.text() == ""  # nobody has reported on this computer yet
    assert editor.progress_who.text() != getpass.getuser()
    focus(editor.progress_text)
    type_text("Đã họp với các xã để thống nhất kế hoạch")
    replace_text("Nguyễn Thị Hường", editor.progress_who)
    assert editor.add_progress(), messages
    press(Qt.Key.Key_Escape)
    assert not editor.isVisible()
    again = _editor(qtbot, demo_workspace, directive_id, task_id)
    assert again.progress_who.text() == "Nguyễn Thị Hường"
    with demo_workspace.db.transaction() as s:
        report = s.scalar(select(ProgressUpdate).where(ProgressUpdate.text == "Đã họp với các xã để thống nhất kế hoạch"))
        assert report.reported_by == "Nguyễn Thị Hường"
