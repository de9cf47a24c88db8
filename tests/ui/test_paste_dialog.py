"""The "Dán văn bản" dialog: paste a real directive, review, accept; and the `parse` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from ntm_desktop.models import Directive, Task, Unit
from ntm_desktop.ui.paste_dialog import COL_COOP, COL_DEADLINE_TEXT, COL_DUE, COL_KEEP, COL_SUMMARY, PasteDialog

from typing_helpers import focus, press, replace_text

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


def _active_in_lao_cai(ws, levels) -> set[str]:
    with ws.db.transaction() as s:
        province = s.scalar(select(Unit.id).where(Unit.code == "LC"))
        return {u.id for u in s.scalars(select(Unit).where(Unit.parent_id == province, Unit.level_code.in_(levels),
                                                           Unit.deleted.is_(False)))
                if u.is_active(date.today())}


def test_accept_registers_directive_and_tasks_in_one_step(qtbot, demo_workspace, messages):
    ws = demo_workspace
    directives_before, tasks_before = _count(ws, Directive), _count(ws, Task)
    dialog = _dialog(qtbot, ws)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_text(_text("laocai-13"))
    rows = dialog.task_table.rowCount()
    assert rows == 5
    # Row 1 addresses "Công an tỉnh, các sở, ban, ngành, đoàn thể tỉnh và Ủy ban nhân dân các xã, phường":
    # each of those units gets its own task, and the cell says so.
    group = _active_in_lao_cai(ws, ["so"]) | _active_in_lao_cai(ws, ["xa", "phuong"])
    plan = dialog.task_table.cellWidget(1, 2).plan_label.text()
    assert plan.startswith(f"→ {len(group)} nhiệm vụ, mỗi đơn vị một")
    # The officer drops the last task and types another lead unit for the first, without diacritics.
    dialog.task_table.item(rows - 1, COL_KEEP).setCheckState(Qt.CheckState.Unchecked)
    replace_text("nong nghiep lao cai", dialog.lead_combo(0))
    press(Qt.Key.Key_Return)
    assert dialog.lead_combo(0).currentText() == "Sở Nông nghiệp và Môi trường — Tỉnh Lào Cai"
    expected_due = [dialog.task_table.item(r, COL_DUE).text() for r in range(rows - 1)]
    with qtbot.waitSignal(dialog.accepted_directive) as signal:
        dialog.accept_button.click()
    assert any("Có thể trùng" in m or "đã vào sổ" in m for m in messages)  # the demo holds this letter already
    directive_id = signal.args[0]
    assert _count(ws, Directive) == directives_before + 1
    assert _count(ws, Task) == tasks_before + 1 + len(group) + 2
    with ws.db.transaction() as s:
        d = s.get(Directive, directive_id)
        assert d.doc_date == date(2026, 7, 21) and d.arrival_date == date.today()
        assert d.full_text.strip() == _text("laocai-13").strip()
        saved = list(s.scalars(select(Task).where(Task.directive_id == directive_id).order_by(Task.seq)))
        leads = [s.get(Unit, t.lead_unit_id) for t in saved]
        assert (leads[0].code, leads[-1].name, leads[-2].name) == ("LC-SNNMT", "Sở Xây dựng", "Sở Xây dựng")
        assert {u.id for u in leads[1:-2]} == group
        dues = [t.due_date.strftime("%d/%m/%Y") if t.due_date else "" for t in saved]
        assert dues == [expected_due[0]] + [expected_due[1]] * len(group) + expected_due[2:]
        assert date(2028, 7, 1) in [t.due_date for t in saved]


def test_a_list_of_units_is_never_one_unit(qtbot, demo_workspace, messages):
    """"Sở Tài chính, Sở Kế hoạch và Đầu tư" (a real Tuyên Quang letter): a lead and a cooperating unit."""
    ws = demo_workspace
    units_before = _count(ws, Unit)
    dialog = _dialog(qtbot, ws)
    dialog.set_text(_text("seed-001_964fed9a49677812"))
    rows = [r for r in range(dialog.task_table.rowCount())
            if dialog.lead_combo(r).currentText() == "Sở Tài chính, Sở Kế hoạch và Đầu tư"]
    assert len(rows) == 1
    cell = dialog.task_table.cellWidget(rows[0], 2)
    assert cell.plan_label.text().startswith("→ Chủ trì: Sở Tài chính")
    for r in range(dialog.task_table.rowCount()):
        if r != rows[0]:
            dialog.task_table.item(r, COL_KEEP).setCheckState(Qt.CheckState.Unchecked)
    with qtbot.waitSignal(dialog.accepted_directive) as signal:
        dialog.accept_button.click()
    with ws.db.transaction() as s:
        task = s.scalar(select(Task).where(Task.directive_id == signal.args[0]))
        lead = s.get(Unit, task.lead_unit_id)
        assert (lead.name, s.get(Unit, lead.parent_id).code) == ("Sở Tài chính", "TQ")
        assert "Giao theo văn bản: Sở Tài chính, Sở Kế hoạch và Đầu tư" in task.notes
    assert _count(ws, Unit) == units_before


def test_new_units_and_edited_deadline(qtbot, demo_workspace, messages):
    ws = demo_workspace
    dialog = _dialog(qtbot, ws)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_text(_text("laocai-13"))
    for row in range(1, dialog.task_table.rowCount()):
        dialog.task_table.item(row, COL_KEEP).setCheckState(Qt.CheckState.Unchecked)
    replace_text("Ủy ban nhân dân xã Tân Hợp", dialog.lead_combo(0))  # not in the tree: created as a commune
    assert "đơn vị mới" in dialog.task_table.cellWidget(0, 2).plan_label.text().lower()
    dialog.task_table.item(0, COL_COOP).setText("Sở Tài chính; các cơ quan có liên quan")
    dialog.task_table.item(0, COL_DEADLINE_TEXT).setText("hoàn thành trong Quý IV năm 2027")
    assert dialog.task_table.item(0, COL_DUE).text() == "31/12/2027"
    with qtbot.waitSignal(dialog.accepted_directive) as signal:
        dialog.accept_button.click()
    with ws.db.transaction() as s:
        task = s.scalar(select(Task).where(Task.directive_id == signal.args[0]))
        unit = s.get(Unit, task.lead_unit_id)
        assert unit.name == "Ủy ban nhân dân xã Tân Hợp" and unit.level_code == "xa"
        assert [(u.name, u.code) for u in task.cooperating_units] == [("Sở Tài chính", "LC-STC")]
        assert "các cơ quan có liên quan" in task.notes
        assert task.deadline_kind == "period" and task.due_date == date(2027, 12, 31)


def test_bad_review_shows_message_and_saves_nothing(qtbot, demo_workspace, messages):
    ws = demo_workspace
    before = (_count(ws, Directive), _count(ws, Task), _count(ws, Unit))
    dialog = _dialog(qtbot, ws)
    dialog.set_text(_text("laocai-13"))
    dialog.lead_combo(2).setEditText("Sở Văn hóa mới lập")  # a new unit, created first...
    dialog.task_table.item(2, COL_DUE).setText("31/02/2027")  # ...then a date that does not exist
    dialog.accept_button.click()
    assert any("31/02/2027" in m for m in messages)
    assert (_count(ws, Directive), _count(ws, Task), _count(ws, Unit)) == before
    assert dialog.isVisible() or dialog.result() == 0  # still open for correction
    assert dialog.task_table.item(2, COL_DUE).text() == "31/02/2027"  # nothing the officer typed is lost


def test_deadline_before_the_document_date_warns_and_the_officer_decides(qtbot, demo_workspace, messages):
    ws = demo_workspace
    before = (_count(ws, Directive), _count(ws, Task))
    dialog = _dialog(qtbot, ws)
    dialog.set_text(_text("laocai-13"))
    dialog.task_table.item(2, COL_DUE).setText("01/01/2020")  # before the document's date, 21/07/2026
    messages.answers.append(QMessageBox.StandardButton.No)
    dialog.accept_button.click()
    assert "Nhiệm vụ 3: hạn xử lý 01/01/2020 trước ngày văn bản 21/07/2026." in messages[-1]
    assert (_count(ws, Directive), _count(ws, Task)) == before and dialog.result() == 0
    messages.clear()
    with qtbot.waitSignal(dialog.accepted_directive) as signal:
        dialog.accept_button.click()  # answered "Có" this time (then "Có" to the duplicate question)
    with ws.db.transaction() as s:
        dues = [t.due_date for t in s.scalars(select(Task).where(Task.directive_id == signal.args[0]))]
    assert date(2020, 1, 1) in dues


def test_an_old_directive_arriving_late_is_registered_with_a_warning(qtbot, demo_workspace, messages):
    """"Hạn xử lý 30/10/2023 trước ngày văn bản 02/12/2026" blocked it: the date was the arrival date."""
    ws = demo_workspace
    dialog = _dialog(qtbot, ws)
    dialog.set_text(_text("seed-000_83c67e811cb9ee0b"))  # Tuyên Quang, "tháng 10 năm 2023", no day
    assert dialog.doc_date.text() == "10/2023"
    with qtbot.waitSignal(dialog.accepted_directive) as signal:
        dialog.accept_button.click()
    warning = messages[0]
    assert "hạn xử lý 30/10/2023 đã qua trước ngày đến" in warning and "văn bản không ghi đủ ngày tháng" in warning
    assert "trước ngày văn bản" not in warning
    with ws.db.transaction() as s:
        saved = list(s.scalars(select(Task).where(Task.directive_id == signal.args[0])))
    assert date(2023, 10, 30) in [t.due_date for t in saved]


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
    assert set(data) == set(fixture) - {"source", "text_complete", "notes"} | {"urgency", "secrecy"}
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
    assert bad.returncode == 2 and "không đọc được" in bad.stderr.decode("utf-8")  # a damaged PDF, said so


def test_an_urgent_letter_is_proposed_and_registered_as_hoa_toc(qtbot, demo_workspace, messages):
    """The "HỎA TỐC" stamp under the number is the register's Độ khẩn, not a word of the subject."""
    ws = demo_workspace
    text = (FIXTURES.parent / "directive_styles" / "cv-hoa-toc-kinh-gui.txt").read_text(encoding="utf-8")
    dialog = _dialog(qtbot, ws)
    dialog.set_text(text)
    assert dialog.urgency.currentText() == "Hỏa tốc"
    assert not dialog.subject.toPlainText().endswith("TỐC")
    assert dialog.signer.text() == "Phó Giám đốc Nguyễn Văn Thắng"
    with qtbot.waitSignal(dialog.accepted_directive) as signal:
        dialog.accept_button.click()
    with ws.db.transaction() as s:
        assert s.get(Directive, signal.args[0]).urgency == "hoa_toc"
    plain = _dialog(qtbot, ws)
    plain.set_text(_text("laocai-13"))
    assert plain.urgency.currentText() == "Thường"


def _stamped(stamp: str) -> str:
    """The Lào Cai letter with a stamp printed under its number, as the document system's PDF has it."""
    lines = _text("laocai-13").split("\n")
    at = next(i for i, line in enumerate(lines) if "Số: 7432" in line)
    return "\n".join(lines[:at + 1] + [stamp] + lines[at + 1:])


def test_a_secret_directive_s_stamp_is_proposed_shown_at_its_source_and_the_directive_is_not_kept(
        qtbot, demo_workspace, messages):
    """"TỐI MẬT" under the number is the proposal's Độ mật; a secret document goes in the separate register of secret
    documents, so accepting says so, registers nothing and keeps the review as the officer left it."""
    ws = demo_workspace
    before = (_count(ws, Directive), _count(ws, Task))
    dialog = _dialog(qtbot, ws)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_text(_stamped("TỐI MẬT"))
    assert dialog.secrecy.currentText() == "Tối mật" and dialog.secrecy.currentData() == "toi_mat"
    assert dialog.secrecy_note.isVisible() and "không lưu văn bản mật" in dialog.secrecy_note.text()
    assert dialog.number_symbol.text() == "7432/UBND-XD" and "MẬT" not in dialog.subject.toPlainText()
    dialog.secrecy.setFocus()
    line = dialog._proposal.sources["secrecy"][0]
    qtbot.waitUntil(lambda: dialog.highlighted_line() == line)
    assert dialog.text_edit.document().findBlockByNumber(line).text().strip() == "TỐI MẬT"
    dialog.grab().save(str(SHOTS / "paste_dialog_secret.png"))
    dialog.number_symbol.setFocus()
    dialog.accept_button.click()
    assert len(messages) == 1 and "văn bản mật" in messages[0]  # said before any question on deadlines
    assert (_count(ws, Directive), _count(ws, Task)) == before
    assert dialog.result() == 0 and dialog.isVisible()
    assert dialog.secrecy.hasFocus() and dialog.task_table.rowCount() == 5  # nothing the officer reviewed is lost


def _shown_with(qtbot, ws, text: str):
    """The review dialog on screen with `text` pasted into it."""
    dialog = _dialog(qtbot, ws)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_text(text)
    return dialog


def test_the_officer_s_choice_of_secrecy_is_what_is_saved(qtbot, demo_workspace, messages):
    """A stamp proposed wrongly is set back to "Thường" with the keyboard and the directive is registered as such;
    a stamp the proposal missed, chosen by the officer, is refused as the stamp read would be."""
    ws = demo_workspace
    dialog = _shown_with(qtbot, ws, _stamped("MẬT"))
    assert dialog.secrecy.currentText() == "Mật"
    assert focus(dialog.secrecy) is dialog.secrecy
    press(Qt.Key.Key_Up)
    assert dialog.secrecy.currentText() == "Thường" and not dialog.secrecy_note.isVisible()
    with qtbot.waitSignal(dialog.accepted_directive) as signal:
        dialog.accept_button.click()
    with ws.db.transaction() as s:
        saved = s.get(Directive, signal.args[0])
        assert (saved.secrecy, saved.number_symbol) == ("", "7432/UBND-XD")
    before = _count(ws, Directive)
    missed = _shown_with(qtbot, ws, _text("laocai-13"))
    assert missed.secrecy.currentText() == "Thường"
    assert focus(missed.secrecy) is missed.secrecy
    press(Qt.Key.Key_Down)
    assert missed.secrecy.currentData() == "mat"
    messages.clear()
    missed.accept_button.click()
    assert any("văn bản mật" in m for m in messages) and _count(ws, Directive) == before


def test_secret_words_in_the_text_are_no_stamp_and_the_directive_is_saved_as_thuong(qtbot, demo_workspace, messages):
    ws = demo_workspace
    text = _text("laocai-13").replace("Nơi nhận:", (
        "Các đơn vị giữ bí mật thông tin cá nhân của người dân; mật độ kiểm tra tăng ở các xã vùng cao.\n\n"
        "Nơi nhận:"), 1)
    dialog = _dialog(qtbot, ws)
    dialog.set_text(text)
    assert "giữ bí mật thông tin" in dialog.text_edit.toPlainText()
    assert dialog.secrecy.currentText() == "Thường" and not dialog.secrecy_note.isVisible()
    with qtbot.waitSignal(dialog.accepted_directive) as signal:
        dialog.accept_button.click()
    with ws.db.transaction() as s:
        assert s.get(Directive, signal.args[0]).secrecy == ""
