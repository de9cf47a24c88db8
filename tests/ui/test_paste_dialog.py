"""The "Dán văn bản" dialog: paste a real directive, review, accept; and the `parse` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt
from sqlalchemy import func, select

from ntm_desktop.models import Directive, Task, Unit
from ntm_desktop.ui.paste_dialog import COL_COOP, COL_DEADLINE_TEXT, COL_DUE, COL_KEEP, COL_LEAD, COL_SUMMARY, PasteDialog

FIXTURES = Path(__file__).parents[1] / "fixtures" / "directives"
SHOTS = Path(__file__).parents[2] / "build" / "screenshots"


def _text(name: str) -> str:
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")


def _dialog(qtbot, ws) -> PasteDialog:
    dialog = PasteDialog(ws)
    qtbot.addWidget(dialog)
    return dialog


def _paste(dialog: PasteDialog, text: str) -> None:
    """What Ctrl+V does: insert the clipboard's text (the dialog analyses it at once)."""
    mime = QMimeData()
    mime.setText(text)
    dialog.text_edit.insertFromMimeData(mime)


def _count(ws, model) -> int:
    with ws.db.transaction() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False)))


def test_pasting_a_directive_proposes_fields_and_tasks(qtbot, demo_workspace):
    dialog = _dialog(qtbot, demo_workspace)
    expected = json.loads((FIXTURES / "laocai-13.json").read_text(encoding="utf-8"))
    _paste(dialog, _text("laocai-13"))
    assert dialog.number_symbol.text() == expected["number_symbol"]
    assert dialog.doc_date.text() == "21/07/2026"
    assert dialog.doc_type.currentData() == "CV"
    assert dialog.issuer.currentText() == expected["issuer"]
    assert dialog.subject.toPlainText() == expected["subject"]
    assert expected["signer"] in dialog.signer.text()
    assert dialog.task_table.rowCount() == len(expected["tasks"])
    assert dialog.accept_button.isEnabled()
    dialog.show()
    qtbot.waitExposed(dialog)
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.number_symbol.setFocus()
    dialog.grab().save(str(SHOTS / "paste_dialog.png"))


def test_source_highlight_follows_focus(qtbot, demo_workspace):
    dialog = _dialog(qtbot, demo_workspace)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_text(_text("laocai-13"))
    sources = dialog._proposal.sources
    dialog.number_symbol.setFocus()
    qtbot.waitUntil(lambda: dialog.highlighted_line() == sources["number_symbol"][0])
    dialog.subject.setFocus()
    qtbot.waitUntil(lambda: dialog.highlighted_line() == sources["subject"][0])
    assert sources["subject"][0] != sources["number_symbol"][0]
    # A task row: the line its instruction starts on.
    dialog.task_table.setFocus()
    dialog.task_table.setCurrentCell(2, COL_SUMMARY)
    line = dialog._proposal.tasks[2].source[0]
    assert dialog.highlighted_line() == line
    lines = dialog.text_edit.toPlainText().split("\n")
    assert dialog._proposal.tasks[2].summary.split()[0].lower() in lines[line].lower()


def test_accept_registers_directive_and_tasks_in_one_step(qtbot, demo_workspace, messages):
    ws = demo_workspace
    directives_before, tasks_before = _count(ws, Directive), _count(ws, Task)
    dialog = _dialog(qtbot, ws)
    dialog.set_text(_text("laocai-13"))
    rows = dialog.task_table.rowCount()
    # The officer drops the last task and corrects one lead unit to a unit of the tree.
    dialog.task_table.item(rows - 1, COL_KEEP).setCheckState(Qt.CheckState.Unchecked)
    lead = dialog.task_table.cellWidget(0, COL_LEAD)
    lead.setCurrentIndex(lead.findText("Sở Nông nghiệp và Môi trường"))
    expected_leads = [dialog.task_table.cellWidget(r, COL_LEAD).currentText() for r in range(rows - 1)]
    expected_due = [dialog.task_table.item(r, COL_DUE).text() for r in range(rows - 1)]
    with qtbot.waitSignal(dialog.accepted_directive) as signal:
        dialog.accept_button.click()
    assert any("Có thể trùng" in m or "đã vào sổ" in m for m in messages)  # the demo holds this letter already
    directive_id = signal.args[0]
    assert _count(ws, Directive) == directives_before + 1
    assert _count(ws, Task) == tasks_before + rows - 1
    with ws.db.transaction() as s:
        d = s.get(Directive, directive_id)
        assert d.doc_date == date(2026, 7, 21) and d.arrival_date == date.today()
        assert d.full_text.strip() == _text("laocai-13").strip()
        saved = list(s.scalars(select(Task).where(Task.directive_id == directive_id).order_by(Task.seq)))
        assert [s.get(Unit, t.lead_unit_id).name for t in saved] == expected_leads
        assert [t.due_date.strftime("%d/%m/%Y") if t.due_date else "" for t in saved] == expected_due
        assert saved[0].lead_unit_id != saved[1].lead_unit_id or expected_leads[0] == expected_leads[1]
        assert date(2028, 7, 1) in [t.due_date for t in saved]


def test_new_units_and_edited_deadline(qtbot, demo_workspace, messages):
    ws = demo_workspace
    dialog = _dialog(qtbot, ws)
    dialog.set_text(_text("laocai-13"))
    for row in range(1, dialog.task_table.rowCount()):
        dialog.task_table.item(row, COL_KEEP).setCheckState(Qt.CheckState.Unchecked)
    lead = dialog.task_table.cellWidget(0, COL_LEAD)
    lead.setEditText("Ủy ban nhân dân xã Tân Hợp")  # not in the tree: created as a commune
    dialog.task_table.item(0, COL_COOP).setText("Sở Tài chính; các cơ quan có liên quan")
    dialog.task_table.item(0, COL_DEADLINE_TEXT).setText("hoàn thành trong Quý IV năm 2027")
    assert dialog.task_table.item(0, COL_DUE).text() == "31/12/2027"
    with qtbot.waitSignal(dialog.accepted_directive) as signal:
        dialog.accept_button.click()
    with ws.db.transaction() as s:
        task = s.scalar(select(Task).where(Task.directive_id == signal.args[0]))
        unit = s.get(Unit, task.lead_unit_id)
        assert unit.name == "Ủy ban nhân dân xã Tân Hợp" and unit.level_code == "xa"
        assert [u.name for u in task.cooperating_units] == ["Sở Tài chính"]
        assert "các cơ quan có liên quan" in task.notes
        assert task.deadline_kind == "period" and task.due_date == date(2027, 12, 31)


def test_bad_review_shows_message_and_saves_nothing(qtbot, demo_workspace, messages):
    ws = demo_workspace
    before = (_count(ws, Directive), _count(ws, Task), _count(ws, Unit))
    dialog = _dialog(qtbot, ws)
    dialog.set_text(_text("laocai-13"))
    dialog.task_table.cellWidget(1, COL_LEAD).setEditText("Sở Văn hóa mới lập")  # a new unit, created first...
    dialog.task_table.item(2, COL_DUE).setText("31/02/2027")  # ...then a date that does not exist
    dialog.accept_button.click()
    assert any("31/02/2027" in m for m in messages)
    messages.clear()
    dialog.task_table.item(2, COL_DUE).setText("01/01/2020")  # before the document's date
    dialog.accept_button.click()
    assert any("Nhiệm vụ 3" in m and "trước ngày văn bản" in m for m in messages)
    assert (_count(ws, Directive), _count(ws, Task), _count(ws, Unit)) == before
    assert dialog.isVisible() or dialog.result() == 0  # still open for correction
    assert dialog.task_table.item(2, COL_DUE).text() == "01/01/2020"  # nothing the officer typed is lost


def test_text_without_tasks_registers_directive_alone(qtbot, demo_workspace, messages):
    ws = demo_workspace
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 812/UBND-VX\nLào Cai, ngày 03 tháng 11 năm 2026\n"
        "V/v tham dự hội nghị tổng kết chương trình nông thôn mới\n"
        "Kính gửi: Văn phòng Điều phối nông thôn mới tỉnh.\n"
        "Ủy ban nhân dân tỉnh thông báo thời gian tổ chức hội nghị tổng kết vào ngày 20/11/2026 tại Hội trường tỉnh.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn A\n"
    )
    tasks_before = _count(ws, Task)
    dialog = _dialog(qtbot, ws)
    dialog.set_text(text)
    assert dialog.task_table.rowCount() == 0
    assert "Không tìm thấy nhiệm vụ" in dialog.status_label.text()
    with qtbot.waitSignal(dialog.accepted_directive) as signal:
        dialog.accept_button.click()
    assert _count(ws, Task) == tasks_before
    with ws.db.transaction() as s:
        d = s.get(Directive, signal.args[0])
        assert d.number_symbol == "812/UBND-VX" and d.doc_date == date(2026, 11, 3)


def test_empty_text_is_not_analysed(qtbot, demo_workspace):
    dialog = _dialog(qtbot, demo_workspace)
    dialog.set_text("   \n ")
    assert not dialog.accept_button.isEnabled()
    assert "Chưa có văn bản" in dialog.status_label.text()


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "ntm_desktop", *args], capture_output=True, env=env, timeout=60)


def test_parse_command_prints_fixture_keys():
    fixture = json.loads((FIXTURES / "laocai-12.json").read_text(encoding="utf-8"))
    result = _run_cli("parse", str(FIXTURES / "laocai-12.txt"), "--json")
    assert result.returncode == 0, result.stderr.decode("utf-8")
    data = json.loads(result.stdout.decode("utf-8"))
    assert set(data) == set(fixture) - {"source", "text_complete", "notes"}
    task_keys = set().union(*(t.keys() for t in fixture["tasks"])) - {"where"}
    assert data["tasks"] and all(set(t) == task_keys for t in data["tasks"])
    assert data["number_symbol"] == fixture["number_symbol"]


def test_parse_command_summary_and_missing_file(tmp_path):
    result = _run_cli("parse", str(FIXTURES / "laocai-13.txt"))
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0 and "Số, ký hiệu:" in out and "Nhiệm vụ: " in out
    missing = _run_cli("parse", str(tmp_path / "khong-co.txt"), "--json")
    assert missing.returncode == 2
    assert "Không tìm thấy tệp" in missing.stderr.decode("utf-8")
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.4\n\xff\xfe\x00\x81\x82 binary")
    bad = _run_cli("parse", str(binary))
    assert bad.returncode == 2 and "UTF-8" in bad.stderr.decode("utf-8")
