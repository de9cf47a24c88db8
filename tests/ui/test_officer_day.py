"""An officer's day at the province office, driven by keys and clicks as a person drives it.

Register a directive by typing every field (Vietnamese text, dates as dd/mm/yyyy in their usual spellings),
add a task with a typed deadline from the register form, save it, reopen it, record progress, mark it
complete with a typed date, close the dialogs with their buttons and with Esc; then the database holds
exactly what was typed.
"""

from __future__ import annotations

from datetime import date, timedelta

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton, QWidget
from sqlalchemy import select
from typing_helpers import focus, focused, press, replace_text, type_text

from ntm_desktop.models import Directive, ProgressUpdate, Task, Unit
from ntm_desktop.ui.register.form import DirectiveForm
from ntm_desktop.ui.register.page import RegisterPage
from ntm_desktop.ui.tasks.editor import TaskEditor

SUBJECT = "Về việc đẩy nhanh tiến độ xây dựng xã đạt chuẩn nông thôn mới nâng cao năm 2026"
TASK = "Rà soát, đánh giá tiêu chí số 17 (Môi trường) của các xã đăng ký đạt chuẩn; báo cáo UBND tỉnh"
PROGRESS = "Đã kiểm tra thực địa 6/9 xã, đang tổng hợp số liệu"


def _button(parent: QWidget, text: str) -> QPushButton:
    return next(b for b in parent.findChildren(QPushButton) if b.text() == text and b.isVisible())


def _modal(qtbot, kind):
    """The dialog of type `kind` that has just opened (window-modal, through open())."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind) and
                    QApplication.activeModalWidget().isVisible())
    dialog = QApplication.activeModalWidget()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.focusWidget().window() is dialog)
    return dialog


def _closed(dialog: QWidget) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()  # a closed editor deletes itself


def _tab_to(widget: QWidget) -> None:
    """Press Tab, and check that the focus went to `widget` (the order a person follows down the form)."""
    press(Qt.Key.Key_Tab)
    target = widget.focusProxy() or widget
    assert focused() is target or target.isAncestorOf(focused()), (focused(), widget)


def _vn(day: date, style: str) -> str:
    return day.strftime(style)


def test_register_a_directive_assign_a_task_and_complete_it(qtbot, demo_workspace, messages, monkeypatch):
    file_dialogs = []  # Enter once opened "Đính kèm tệp…" instead of saving: fail, do not wait for a person
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: (file_dialogs.append(a), ([], ""))[1]))
    today = date.today()
    arrival, doc_day, transfer = today - timedelta(days=9), today - timedelta(days=12), today - timedelta(days=8)
    deadline, progress_day, completed = today + timedelta(days=20), today - timedelta(days=2), today - timedelta(days=1)
    with demo_workspace.db.transaction() as s:
        lead = s.scalar(select(Unit).where(Unit.name == "Văn phòng Ủy ban nhân dân tỉnh Lào Cai"))
        issuer = s.scalar(select(Unit).where(Unit.name == "Ủy ban nhân dân tỉnh Lào Cai"))
        lead_id, issuer_id = lead.id, issuer.id

    page = RegisterPage(demo_workspace)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    qtbot.mouseClick(_button(page, "Vào sổ văn bản mới"), Qt.MouseButton.LeftButton)

    # --- the register form, field after field with Tab
    form = _modal(qtbot, DirectiveForm)
    assert focused() is form.arrival_date.line_edit
    proposed = form.arrival_number.value()
    press(Qt.Key.Key_A, modifier=Qt.KeyboardModifier.ControlModifier)
    type_text(_vn(arrival, "%d/%m/%Y"))
    _tab_to(form.arrival_number)
    assert form.arrival_date.line_edit.text() == _vn(arrival, "%d/%m/%Y")
    _tab_to(form.issuer)
    type_text("Ủy ban nhân dân tỉnh Lào Cai")
    _tab_to(form.number_symbol)
    type_text("4521/UBND-NLN")
    _tab_to(form.doc_date)
    type_text(_vn(doc_day, "%d%m%Y"))  # run together: 8 digits
    _tab_to(form.doc_type)
    assert form.doc_date.line_edit.text() == _vn(doc_day, "%d/%m/%Y")
    _tab_to(form.subject)
    type_text(SUBJECT)
    _tab_to(form.signer)
    type_text("Hoàng Quốc Khánh")
    _tab_to(form.urgency)
    _tab_to(form.secrecy)
    _tab_to(form.recipients)
    type_text("Sở Nông nghiệp và Môi trường; Văn phòng Điều phối")
    _tab_to(form.transfer_date)
    type_text(_vn(transfer, "%d-%m-%y"))  # dashes, two-digit year
    _tab_to(form.notes)
    assert form.transfer_date.line_edit.text() == _vn(transfer, "%d/%m/%Y")
    type_text("Đ/c Hường theo dõi")
    press(Qt.Key.Key_Return)  # "Lưu" is the default button
    assert file_dialogs == []
    assert form.directive_id is not None, messages
    assert form.tabs.isTabEnabled(form.tasks_tab)

    # --- a task from the form, with a typed deadline, saved with "Lưu"
    form.tabs.setCurrentIndex(form.tasks_tab)
    qtbot.mouseClick(_button(form.task_panel, "Thêm nhiệm vụ"), Qt.MouseButton.LeftButton)
    editor = _modal(qtbot, TaskEditor)
    assert focused() is editor.summary
    type_text(TASK)
    _tab_to(editor.lead)
    type_text("Văn phòng Ủy ban nhân dân tỉnh Lào Cai")
    _tab_to(editor.cooperating_filter)
    type_text("van phong dieu phoi nong thon moi tinh lao cai")  # without diacritics
    visible = [editor.cooperating.item(i) for i in range(editor.cooperating.count())
               if not editor.cooperating.item(i).isHidden()]
    assert [item.text() for item in visible] == ["Văn phòng Điều phối nông thôn mới tỉnh Lào Cai"]
    qtbot.mouseClick(editor.cooperating.viewport(), Qt.MouseButton.LeftButton,
                     pos=editor.cooperating.visualItemRect(visible[0]).center())
    press(Qt.Key.Key_Space)  # ticks the unit
    assert visible[0].checkState() == Qt.CheckState.Checked
    focus(editor.kind)
    assert editor.kind.currentText() == "Trước một ngày cụ thể"
    _tab_to(editor.deadline_date)
    type_text(_vn(deadline, "%d/%m/%Y"))
    _tab_to(editor.deadline_text)
    type_text(f"Trước ngày {_vn(deadline, '%d/%m/%Y')}")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)  # crashed the app before
    qtbot.waitUntil(lambda: _closed(editor))
    assert form.task_panel.model.rowCount() == 1

    # --- reopen it (double click), record progress, then complete it and save
    view = form.task_panel.view
    row = view.visualRect(form.task_panel.model.index(0, 1)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row)  # a double click: click, then
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row)  # the second press
    editor = _modal(qtbot, TaskEditor)
    assert editor.summary.toPlainText() == TASK
    replace_text(_vn(progress_day, "%d/%m/%y"), editor.progress_date)
    _tab_to(editor.progress_text)
    type_text(PROGRESS)
    _tab_to(editor.progress_who)
    type_text("Nguyễn Thị Hường")
    qtbot.mouseClick(editor.add_progress_button, Qt.MouseButton.LeftButton)
    assert editor.progress_list.count() == 1, messages
    qtbot.mouseClick(editor.completed_check, Qt.MouseButton.LeftButton)
    assert editor.completed_check.isChecked() and editor.completed_on.isEnabled()
    replace_text(_vn(completed, "%d.%m.%Y"), editor.completed_on)
    _tab_to(editor.reply_number)
    type_text("118/BC-SNNMT")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _closed(editor))

    # --- look at it once more and leave with Esc, then with "Đóng"; nothing changes
    for leave in ("esc", "button"):
        form.task_panel.view.selectRow(0)
        qtbot.mouseClick(_button(form.task_panel, "Sửa / cập nhật tiến độ"), Qt.MouseButton.LeftButton)
        editor = _modal(qtbot, TaskEditor)
        assert "Hoàn thành đúng hạn" in editor.status_label.text()
        if leave == "esc":
            press(Qt.Key.Key_Escape)
        else:
            qtbot.mouseClick(_button(editor, "Đóng"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: _closed(editor))
    assert QApplication.activeModalWidget() is form
    focus(form.tabs.tabBar())  # the window system hands the form the keyboard again (offscreen: by hand)
    press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: _closed(form))
    assert messages == []

    # --- the database holds what was typed
    with demo_workspace.db.transaction() as s:
        d = s.get(Directive, form.directive_id)
        assert (d.arrival_date, d.arrival_number, d.arrival_year) == (arrival, proposed, arrival.year)
        assert (d.issuer_unit_id, d.issuer_name) == (issuer_id, "Ủy ban nhân dân tỉnh Lào Cai")
        assert (d.number_symbol, d.doc_date, d.doc_type) == ("4521/UBND-NLN", doc_day, "CV")
        assert (d.subject, d.signer) == (SUBJECT, "Hoàng Quốc Khánh")
        assert d.recipients == "Sở Nông nghiệp và Môi trường; Văn phòng Điều phối"
        assert (d.transfer_date, d.notes) == (transfer, "Đ/c Hường theo dõi")
        tasks = list(s.scalars(select(Task).where(Task.directive_id == d.id)))
        assert len(tasks) == 1
        task = tasks[0]
        assert (task.summary, task.lead_unit_id) == (TASK, lead_id)
        assert [u.name for u in task.cooperating_units] == ["Văn phòng Điều phối nông thôn mới tỉnh Lào Cai"]
        assert (task.deadline_kind, task.due_date) == ("date", deadline)
        assert task.deadline_text == f"Trước ngày {_vn(deadline, '%d/%m/%Y')}"
        assert (task.completed_on, task.reply_number) == (completed, "118/BC-SNNMT")
        reports = list(s.scalars(select(ProgressUpdate).where(ProgressUpdate.task_id == task.id)))
        assert [(p.reported_on, p.text, p.reported_by) for p in reports] == [
            (progress_day, PROGRESS, "Nguyễn Thị Hường")]
