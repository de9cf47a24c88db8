"""Driving the register form as a clerk would: numbering, duplicates, bad input, attachments."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from ntm_desktop.models import Attachment, Directive
from ntm_desktop.ui.register.form import DirectiveForm


def _fill(form: DirectiveForm, number: str = "4316/UBND-KTN", subject: str = "Về việc đẩy nhanh tiến độ xây dựng nông thôn mới"):
    form.issuer.setEditText("Ủy ban nhân dân tỉnh Lào Cai")
    form.number_symbol.setText(number)
    form.doc_date.set_date(date.today())
    form.subject.setPlainText(subject)


def _count(ws) -> int:
    with ws.db.transaction() as s:
        return s.scalar(select(func.count()).select_from(Directive).where(Directive.deleted.is_(False)))


def test_form_proposes_next_number_and_saves(qtbot, demo_workspace, messages):
    before = _count(demo_workspace)
    form = DirectiveForm(demo_workspace)
    qtbot.addWidget(form)
    proposed = form.arrival_number.value()
    assert proposed == before + 1  # demo numbers 1..9 this year
    _fill(form)
    assert form.save(), messages
    assert _count(demo_workspace) == before + 1
    with demo_workspace.db.transaction() as s:
        d = s.get(Directive, form.directive_id)
        assert d.arrival_number == proposed
        assert d.issuer_name == "Ủy ban nhân dân tỉnh Lào Cai"
    # After saving, the tasks tab opens up for splitting the directive into tasks.
    assert form.tabs.isTabEnabled(form.tasks_tab)


def test_duplicate_is_flagged_and_can_be_declined(qtbot, demo_workspace, messages):
    form = DirectiveForm(demo_workspace)
    qtbot.addWidget(form)
    _fill(form, number="5973/UBND-KT")  # already in the demo register from the same issuer
    form.number_symbol.editingFinished.emit()
    assert "Có thể trùng" in form.duplicate_label.text()
    messages.answers.append(QMessageBox.StandardButton.No)
    before = _count(demo_workspace)
    assert not form.save()
    assert _count(demo_workspace) == before
    assert any("đã vào sổ" in m for m in messages)


def test_empty_subject_is_refused_with_a_message(qtbot, demo_workspace, messages):
    form = DirectiveForm(demo_workspace)
    qtbot.addWidget(form)
    _fill(form, subject="   ")
    before = _count(demo_workspace)
    assert not form.save()
    assert _count(demo_workspace) == before
    assert "Trích yếu" in messages[-1]


def test_used_arrival_number_is_refused(qtbot, demo_workspace, messages):
    form = DirectiveForm(demo_workspace)
    qtbot.addWidget(form)
    _fill(form, number="99/KH-UBND")
    form.arrival_number.setValue(1)
    assert not form.save()
    assert "đã được dùng" in messages[-1]


def test_missing_attachment_saves_nothing(qtbot, demo_workspace, messages, tmp_path):
    form = DirectiveForm(demo_workspace)
    qtbot.addWidget(form)
    _fill(form, number="12/TB-UBND")
    form.add_files([tmp_path / "khong-co.pdf"])
    before = _count(demo_workspace)
    assert not form.save()
    assert _count(demo_workspace) == before  # the directive was not half-saved without its file
    assert "Không tìm thấy tệp" in messages[-1]


def test_attachment_is_stored_under_its_hash(qtbot, demo_workspace, messages, tmp_path):
    scan = tmp_path / "cong-van.pdf"
    scan.write_bytes(b"%PDF-1.4 ban quet")
    form = DirectiveForm(demo_workspace)
    qtbot.addWidget(form)
    _fill(form, number="13/TB-UBND")
    form.add_files([scan])
    assert form.save(), messages
    with demo_workspace.db.transaction() as s:
        attachment = s.scalar(select(Attachment).where(Attachment.directive_id == form.directive_id))
    stored = demo_workspace.folder.files / attachment.sha256[:2] / attachment.sha256
    assert stored.read_bytes() == scan.read_bytes()
    assert form.files.count() == 1
