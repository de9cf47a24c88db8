"""Two PCs on one database, as the officers see it: the task editor and the register form open on PC B while PC A
saves the same record, a registration on PC A appearing on PC B's register page, an arrival number proposed on
both PCs."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton
from sqlalchemy import select

from modal import while_modal
from ntm_desktop.models import AuditEntry, Directive, Task
from ntm_desktop.services import directives, settings, tasks
from ntm_desktop.services.directives import DirectiveInput
from ntm_desktop.ui.register.form import DirectiveForm
from ntm_desktop.ui.tasks.editor import TaskEditor
from ntm_desktop.workspace import open_workspace
from typing_helpers import replace_text

SHOTS = Path(os.environ.get("NTM_SCREENSHOTS", "")) if os.environ.get("NTM_SCREENSHOTS") else None


@pytest.fixture
def pc_b(demo_workspace):
    """A second PC on the demo office's database (PC A is `demo_workspace`)."""
    ws = open_workspace(demo_workspace.folder.root)
    yield ws
    ws.close()


def _open_task(ws) -> Task:
    with ws.db.transaction() as s:
        return s.scalar(select(Task).where(Task.deleted.is_(False), Task.completed_on.is_(None))
                        .order_by(Task.id).limit(1))


def _buttons(box: QMessageBox) -> dict[str, QPushButton]:
    return {b.text(): b for b in box.buttons()}


def _shot(widget, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / name))


def test_task_editor_on_pc_b_is_refused_after_pc_a_saves_and_keeps_the_typing(qtbot, demo_workspace, pc_b):
    task = _open_task(demo_workspace)
    editor = TaskEditor(pc_b, task.directive_id, task.id)  # B opens the task
    qtbot.addWidget(editor)
    editor.show()
    with demo_workspace.db.transaction("an.nv") as s:  # meanwhile A saves it
        data = tasks.input_from(s.get(Task, task.id))
        tasks.update_task(s, task.id, replace(data, summary="Tổng hợp kết quả rà soát tiêu chí của các xã"),
                          revision=task.revision)
    replace_text("Bản nội dung do máy B nhập", editor.summary)
    replace_text("Ghi chú của máy B", editor.notes)

    shown = {}

    def keep_typing(box):
        shown["text"] = box.text() + "\n" + box.informativeText()
        shown["buttons"] = sorted(_buttons(box))
        _shot(box, "saved-elsewhere-task.png")
        _buttons(box)["Giữ nội dung đang nhập"].click()

    result = {}
    while_modal(lambda: result.setdefault("saved", editor.save()), keep_typing)
    assert result["saved"] is False
    assert "Nhiệm vụ này đã được an.nv lưu lúc" in shown["text"]
    assert "• Nội dung nhiệm vụ:" in shown["text"] and "→ “Tổng hợp kết quả rà soát tiêu chí của các xã”" \
        in shown["text"]
    assert shown["buttons"] == ["Giữ nội dung đang nhập", "Tải lại bản mới nhất"]
    assert editor.summary.toPlainText() == "Bản nội dung do máy B nhập"  # what B typed is still there
    assert editor.notes.text() == "Ghi chú của máy B"
    with pc_b.db.transaction() as s:
        assert s.get(Task, task.id).summary == "Tổng hợp kết quả rà soát tiêu chí của các xã"  # A's save kept
        assert s.get(Task, task.id).notes == data.notes

    # saving again without reloading is still refused; "Tải lại" shows A's version, then B's save goes through
    while_modal(editor.save, lambda box: _buttons(box)["Tải lại bản mới nhất"].click())
    assert editor.summary.toPlainText() == "Tổng hợp kết quả rà soát tiêu chí của các xã"
    replace_text("Ghi chú của máy B", editor.notes)
    assert editor.save()
    with demo_workspace.db.transaction() as s:
        saved = s.get(Task, task.id)
        assert saved.summary == "Tổng hợp kết quả rà soát tiêu chí của các xã"
        assert saved.notes == "Ghi chú của máy B"


def test_register_form_on_pc_b_is_refused_after_pc_a_saves_the_directive(qtbot, demo_workspace, pc_b):
    with demo_workspace.db.transaction() as s:
        directive = s.scalar(select(Directive).where(Directive.deleted.is_(False)).order_by(Directive.id).limit(1))
    form = DirectiveForm(pc_b, directive.id)
    qtbot.addWidget(form)
    form.show()
    with demo_workspace.db.transaction("van.thu.a") as s:
        data = directives.input_from(s.get(Directive, directive.id))
        directives.update_directive(s, directive.id, replace(data, signer="Nguyễn Văn Sơn"),
                                    revision=directive.revision)
    replace_text("Lê Thị Hoa", form.signer)
    shown = {}

    def keep(box):
        shown["text"] = box.text() + "\n" + box.informativeText()
        _shot(box, "saved-elsewhere-directive.png")
        _buttons(box)["Giữ nội dung đang nhập"].click()

    while_modal(lambda: shown.setdefault("saved", form.save()), keep)
    assert shown["saved"] is False
    assert "Văn bản này đã được van.thu.a lưu lúc" in shown["text"]
    assert f"• Người ký: {'(trống)' if not data.signer else '“' + data.signer + '”'} → “Nguyễn Văn Sơn”" \
        in shown["text"]
    assert form.signer.text() == "Lê Thị Hoa"
    with pc_b.db.transaction() as s:
        assert s.get(Directive, directive.id).signer == "Nguyễn Văn Sơn"
        assert not s.scalars(select(AuditEntry).where(AuditEntry.field == "signer",
                                                      AuditEntry.new == "Lê Thị Hoa")).all()


def test_the_number_proposed_on_both_pcs_goes_to_the_first_and_the_second_gets_the_next(
        qtbot, demo_workspace, pc_b, messages):
    form = DirectiveForm(pc_b, None)  # B's clerk opens the form: a number is proposed
    qtbot.addWidget(form)
    form.show()
    proposed = form.arrival_number.value()
    with demo_workspace.db.transaction("van.thu.a") as s:  # A's clerk registers first, with that number
        office = settings.office_unit_id(s)
        directives.create_directive(s, office, DirectiveInput(
            arrival_date=date.today(), arrival_number=None, subject="Công văn đôn đốc thu gom rác thải",
            issuer_name="Ủy ban nhân dân tỉnh Tuyên Quang"))
    replace_text("Ủy ban nhân dân tỉnh Tuyên Quang", form.issuer.lineEdit())
    replace_text("Kế hoạch kiểm tra tiêu chí môi trường năm nay", form.subject)
    assert form.save(), messages
    assert form.arrival_number.value() == proposed + 1
    assert messages[-1] == (f"Số đến {proposed} vừa được vào sổ ở máy khác, nên văn bản này được vào sổ với số đến "
                            f"{proposed + 1}/{date.today().year}.")
    with pc_b.db.transaction() as s:
        numbers = s.scalars(select(Directive.arrival_number).where(
            Directive.arrival_year == date.today().year, Directive.arrival_number >= proposed)).all()
    assert sorted(numbers) == [proposed, proposed + 1]


def test_a_registration_on_pc_a_appears_on_pc_b_register_page(qtbot, demo_workspace, pc_b):
    from ntm_desktop.ui.main_window import MainWindow

    window = MainWindow(pc_b)
    qtbot.addWidget(window)
    page = window.show_page("register")
    before = page.model.total
    with demo_workspace.db.transaction("van.thu.a") as s:
        directives.create_directive(s, settings.office_unit_id(s), DirectiveInput(
            arrival_date=date.today(), arrival_number=None, subject="Thông báo kết luận về chương trình OCOP",
            issuer_name="Ủy ban nhân dân tỉnh Tuyên Quang"))
    qtbot.waitUntil(lambda: page.model.total == before + 1, timeout=5000)  # B's timer heard of it
    subjects = [page.model.row_at(r).subject for r in range(page.model.rowCount())]
    assert "Thông báo kết luận về chương trình OCOP" in subjects
