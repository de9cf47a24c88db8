"""Unit lists as an officer uses them: typed without diacritics, namesakes told apart, ended units out of the way."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy import select

from ntm_desktop.models import Directive, Task, Unit
from ntm_desktop.services import units
from ntm_desktop.services.deadlines import DeadlineKind
from ntm_desktop.ui.tasks.editor import TaskEditor
from ntm_desktop.ui.unit_combo import UnitCombo
from ntm_desktop.ui.units.page import UnitsPage

from typing_helpers import focus, press, type_text


def _ids(ws, *codes):
    with ws.db.transaction() as s:
        return [s.scalar(select(Unit.id).where(Unit.code == code)) for code in codes]


def _suggestions(combo: UnitCombo) -> list[str]:
    model = combo.completer().completionModel()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def _editor(qtbot, ws) -> TaskEditor:
    with ws.db.transaction() as s:
        directive_id = s.scalar(select(Directive.id).order_by(Directive.arrival_number.desc()))
    editor = TaskEditor(ws, directive_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def test_lead_box_finds_nong_nghiep_typed_without_diacritics(qtbot, demo_workspace, messages):
    editor = _editor(qtbot, demo_workspace)
    editor.summary.setPlainText("Rà soát tiêu chí môi trường")
    editor.kind.setCurrentIndex(editor.kind.findData(DeadlineKind.NONE.value))
    focus(editor.lead)
    type_text("nong nghiep")
    assert editor.lead.completer().popup().isVisible()
    # three provinces each have one; the department merged away in 2025 is not offered
    assert _suggestions(editor.lead) == ["Sở Nông nghiệp và Môi trường — Tỉnh Bắc Ninh",
                                         "Sở Nông nghiệp và Môi trường — Tỉnh Lào Cai",
                                         "Sở Nông nghiệp và Môi trường — Tỉnh Tuyên Quang"]
    type_text(" lao cai")
    assert _suggestions(editor.lead) == ["Sở Nông nghiệp và Môi trường — Tỉnh Lào Cai"]
    press(Qt.Key.Key_Return)
    lead, = _ids(demo_workspace, "LC-SNNMT")
    assert editor.lead.unit_id() == lead
    assert editor.save(), messages
    with demo_workspace.db.transaction() as s:
        assert s.get(Task, editor.task_id).lead_unit_id == lead
    press(Qt.Key.Key_Escape, editor)
    assert not editor.isVisible()


def test_lead_box_takes_a_down_arrow_pick_and_a_full_name(qtbot, demo_workspace, messages):
    editor = _editor(qtbot, demo_workspace)
    focus(editor.lead)
    type_text("cong an")  # "Công an tỉnh" first; "công trình ... dự án" holds both words apart
    assert _suggestions(editor.lead)[:2] == ["Công an tỉnh Lào Cai",
                                             "Ban Quản lý dự án đầu tư xây dựng công trình giao thông tỉnh"]
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Return)
    assert editor.lead.unit_id() == _ids(demo_workspace, "LC-CA")[0]
    editor.lead.setEditText("thanh tra tinh lao cai")  # a full name typed (folded) without picking it
    assert editor.lead.unit_id() == _ids(demo_workspace, "LC-TTR")[0]
    editor.lead.setEditText("so tai chinh")  # two units of that name: none is guessed
    assert editor.lead.unit_id() is None


def test_ended_units_are_hidden_unless_set_or_asked_for(qtbot, demo_workspace):
    with demo_workspace.db.transaction() as s:
        rows = units.all_units(s)
    combo = UnitCombo(rows, allow_empty=True)
    qtbot.addWidget(combo)
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert not any("huyện" in t for t in texts)  # no district after 30/6/2025
    assert "Sở Nông nghiệp và Phát triển nông thôn" not in " ".join(texts)
    ended = sum(not r.is_active(date.today()) for r in rows)
    assert texts[-1] == f"Hiện cả đơn vị hết hiệu lực ({ended})"
    # a value already set that has ended is shown, marked
    ham_yen, = _ids(demo_workspace, "TQ-HAMYEN")
    combo.set_unit_id(ham_yen)
    assert combo.currentText() == "Ủy ban nhân dân huyện Hàm Yên (hết hiệu lực)" and combo.unit_id() == ham_yen
    # the last line of the list shows them all, and hides them again
    combo.showPopup()
    toggle = combo.model().index(combo.count() - 1, 0)
    combo.view().pressed.emit(toggle)
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "Ủy ban nhân dân huyện Sơn Dương (hết hiệu lực)" in texts and texts[-1] == "Ẩn đơn vị hết hiệu lực"
    assert combo.unit_id() == ham_yen
    combo.hidePopup()


def test_cooperating_list_tells_namesakes_apart_and_hides_ended_units(qtbot, demo_workspace, messages):
    editor = _editor(qtbot, demo_workspace)
    focus(editor.cooperating_filter)
    type_text("tai chinh")
    shown = [editor.cooperating.item(i).text() for i in range(editor.cooperating.count())
             if not editor.cooperating.item(i).isHidden()]
    assert shown == ["Sở Tài chính — Tỉnh Lào Cai", "Sở Tài chính — Tỉnh Tuyên Quang"]
    with demo_workspace.db.transaction() as s:
        rows = units.all_units(s)
    ended = {r.id for r in rows if not r.is_active(date.today())}
    editor.cooperating_filter.clear()
    visible = {editor.cooperating.item(i).data(Qt.ItemDataRole.UserRole) for i in range(editor.cooperating.count())
               if not editor.cooperating.item(i).isHidden()}
    assert visible and not visible & ended
    old_district, = _ids(demo_workspace, "TQ-HAMYEN")
    editor.set_cooperating([old_district])  # a task recorded with it keeps showing it
    item = next(editor.cooperating.item(i) for i in range(editor.cooperating.count())
                if editor.cooperating.item(i).data(Qt.ItemDataRole.UserRole) == old_district)
    assert not item.isHidden() and item.checkState() == Qt.CheckState.Checked


def test_parent_list_offers_neither_the_unit_nor_its_units_below(qtbot, demo_workspace, messages):
    page = UnitsPage(demo_workspace)
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.show()
    qtbot.waitExposed(page)
    province, commune = _ids(demo_workspace, "LC", "LC-XHOPTHANH")
    page.editor.show_unit(province)
    parent_ids = {page.editor.parent_unit.itemData(i) for i in range(page.editor.parent_unit.count())}
    with demo_workspace.db.transaction() as s:
        below = units.descendants(s, province)
    assert commune in below and province not in parent_ids and not parent_ids & below
    assert province not in {page.editor.successor.itemData(i) for i in range(page.editor.successor.count())}
    # the level column shows the longest level name whole
    page.tree.expandAll()
    metrics = page.tree.fontMetrics()
    widest = max(metrics.horizontalAdvance(item.text(2)) for item in _items(page.tree))
    assert page.tree.header().sectionSize(2) >= widest


def _items(tree):
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    found, it = [], QTreeWidgetItemIterator(tree)
    while it.value():
        found.append(it.value())
        it += 1
    return found
