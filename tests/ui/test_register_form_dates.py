"""Dates typed into the register form: saved as typed, refused with a message when impossible, clearable."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from sqlalchemy import func, select
from typing_helpers import focus, press, replace_text, type_text

from ntm_desktop.models import Directive
from ntm_desktop.ui.register.form import DirectiveForm


def _form(qtbot, ws, directive_id=None) -> DirectiveForm:
    form = DirectiveForm(ws, directive_id)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    return form


def _fill(form: DirectiveForm) -> None:
    focus(form.issuer)
    type_text("Ủy ban nhân dân tỉnh Lào Cai")
    replace_text("812/UBND-NLN", form.number_symbol)
    focus(form.subject)
    type_text("Về việc tổng kết 5 năm thực hiện Chương trình xây dựng nông thôn mới")


def _count(ws) -> int:
    with ws.db.transaction() as s:
        return s.scalar(select(func.count()).select_from(Directive).where(Directive.deleted.is_(False)))


def test_an_impossible_date_stops_the_save_with_a_message(qtbot, demo_workspace, messages):
    form = _form(qtbot, demo_workspace)
    _fill(form)
    replace_text("31/02/2026", form.doc_date)
    press(Qt.Key.Key_Tab)
    assert form.doc_date.line_edit.text() == "31/02/2026"  # left as typed, marked
    before = _count(demo_workspace)
    assert not form.save()
    assert messages == ["Ngày văn bản 31/02/2026 không có trên lịch. Hãy kiểm tra lại ngày và tháng."]
    assert _count(demo_workspace) == before and form.directive_id is None


def test_a_wrong_arrival_date_is_refused_too(qtbot, demo_workspace, messages):
    form = _form(qtbot, demo_workspace)
    _fill(form)
    replace_text("1022026", form.arrival_date)
    press(Qt.Key.Key_Return)  # Enter saves: refused, nothing written
    assert form.directive_id is None
    assert messages and "Ngày đến “1022026”" in messages[-1]


def test_optional_dates_are_saved_as_typed_and_cleared(qtbot, demo_workspace, messages):
    today = date.today()
    doc_day, transfer = today - timedelta(days=6), today  # a transfer cannot precede the arrival (today)
    form = _form(qtbot, demo_workspace)
    _fill(form)
    replace_text(doc_day.strftime("%d/%m/%y"), form.doc_date)
    replace_text(transfer.strftime("%d%m%Y"), form.transfer_date)
    press(Qt.Key.Key_Tab)
    assert form.save(), messages
    with demo_workspace.db.transaction() as s:
        d = s.get(Directive, form.directive_id)
        assert (d.doc_date, d.transfer_date) == (doc_day, transfer)
    form.close()
    again = _form(qtbot, demo_workspace, form.directive_id)
    assert again.transfer_date.line_edit.text() == transfer.strftime("%d/%m/%Y")
    replace_text("", again.transfer_date)
    press(Qt.Key.Key_Tab)
    assert again.save(), messages
    with demo_workspace.db.transaction() as s:
        d = s.get(Directive, form.directive_id)
        assert (d.doc_date, d.transfer_date) == (doc_day, None)


def test_a_typed_arrival_date_renumbers_for_its_year(qtbot, demo_workspace, messages):
    """The arrival number follows the year of the typed arrival date (one sequence per office and year)."""
    form = _form(qtbot, demo_workspace)
    this_year = form.arrival_number.value()
    replace_text(f"15/06/{date.today().year - 3}", form.arrival_date)
    press(Qt.Key.Key_Tab)
    assert form.arrival_number.value() == 1
    replace_text(date.today().strftime("%d/%m/%Y"), form.arrival_date)
    press(Qt.Key.Key_Tab)
    assert form.arrival_number.value() == this_year
