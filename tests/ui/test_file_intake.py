"""Register a directive from its file: drop or open it, review beside the page picture, accept."""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton
from sqlalchemy import func, select

from ntm_desktop.models import Attachment, Directive
from ntm_desktop.services.attachments import stored_path
from ntm_desktop.ui.background import run_stoppable
from ntm_desktop.ui.file_intake import read_file
from ntm_desktop.ui.paste_dialog import COL_SUMMARY, PasteDialog
from ntm_desktop.ui.register.form import DirectiveForm
from ntm_desktop.ui.register.page import RegisterPage

from typing_helpers import press, type_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from directive_documents import FIXTURES, layout_from_text, write_pdf  # noqa: E402

SHOTS = Path(__file__).parents[2] / "build" / "screenshots"
SHOTS.mkdir(parents=True, exist_ok=True)  # pictures of the dialog to look at (build/ is not committed)


def _count(ws, model) -> int:
    with ws.db.transaction() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False)))


def _fixture_pdf(tmp_path: Path, name: str = "laocai-13", repeat: int = 1) -> Path:
    layout = layout_from_text((FIXTURES / f"{name}.txt").read_text(encoding="utf-8"))
    return write_pdf(layout, tmp_path / f"{name}.pdf", repeat_body=repeat)


def _drop(widget, path: Path) -> None:
    """What dragging a file from Explorer onto the widget and letting go does."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos = QPoint(widget.width() // 2, widget.height() // 2)
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos.toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)


def _open_dialogs() -> list[PasteDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, PasteDialog) and w.isVisible()]


def _page(qtbot, ws) -> RegisterPage:
    page = RegisterPage(ws)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_a_pdf_dropped_on_the_register_page_is_reviewed_beside_its_page_and_registered_with_it(
        qtbot, demo_workspace, messages, tmp_path):
    ws = demo_workspace
    pdf = _fixture_pdf(tmp_path)
    before = _count(ws, Directive), _count(ws, Attachment)
    page = _page(qtbot, ws)
    _drop(page, pdf)
    qtbot.waitUntil(lambda: bool(_open_dialogs()))
    dialog = _open_dialogs()[0]
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    view = dialog.page_view()
    assert view is not None and view.isVisible() and view.page_count == 2
    assert view.rendered_pages == [0]  # only the page on screen was drawn
    assert dialog.number_symbol.text() == "7432/UBND-XD" and dialog.doc_date.text() == "21/07/2026"
    assert dialog.subject.toPlainText().endswith("không bảo đảm yêu cầu về phòng cháy và chữa cháy")
    assert dialog.task_table.rowCount() == 5
    # The focused field's source: the line in the text, and its place on the page.
    dialog.subject.setFocus()
    qtbot.waitUntil(lambda: bool(view.marks()))
    _page_index, x0, top, x1, bottom = view.marks()[0]
    assert view.current_page() == 0 and 80 < top < 200 and x1 < 300  # the V/v lines, in the left block
    dialog.show()
    dialog.grab().save(str(SHOTS / "file_dialog_pdf.png"))
    # A task on page 2: the view turns to it.
    dialog.task_table.setFocus()
    dialog.task_table.setCurrentCell(3, COL_SUMMARY)
    qtbot.waitUntil(lambda: view.current_page() == 1)
    assert view.marks() and view.marks()[0][0] == 1 and view.rendered_pages[-1] == 1
    dialog.grab().save(str(SHOTS / "file_dialog_pdf_task.png"))
    with qtbot.waitSignal(dialog.accepted_directive) as signal:
        dialog.accept_button.click()
    directive_id = signal.args[0]
    assert (_count(ws, Directive), _count(ws, Attachment)) == (before[0] + 1, before[1] + 1)
    with ws.db.transaction() as s:
        attachment = s.scalars(select(Attachment).where(Attachment.directive_id == directive_id)).one()
        assert attachment.file_name == "laocai-13.pdf"
        assert attachment.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
        assert stored_path(ws.folder.files, attachment.sha256).read_bytes() == pdf.read_bytes()
        assert s.get(Directive, directive_id).number_symbol == "7432/UBND-XD"
    assert page.model.total == before[0] + 1  # the register shows it at once


def test_a_file_that_cannot_be_read_says_why_and_registers_nothing(qtbot, demo_workspace, messages, tmp_path):
    ws = demo_workspace
    bad = tmp_path / "cong-van.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    before = _count(ws, Directive), _count(ws, Attachment)
    page = _page(qtbot, ws)
    _drop(page, bad)
    assert any("bị hỏng hoặc chưa chép xong" in m for m in messages)
    assert not _open_dialogs()
    assert (_count(ws, Directive), _count(ws, Attachment)) == before
    assert not any(ws.folder.files.rglob("*")) or all(p.is_dir() for p in ws.folder.files.rglob("*"))


def test_a_scan_shows_the_page_beside_an_empty_form_and_the_officer_types_from_it(
        qtbot, demo_workspace, messages, tmp_path):
    from PIL import Image, ImageDraw

    ws = demo_workspace
    scan = tmp_path / "ban-quet.png"
    image = Image.new("RGB", (1240, 1754), "white")
    ImageDraw.Draw(image).rectangle((150, 150, 1090, 200), fill="black")
    image.save(scan)
    dialog = read_and_open(qtbot, ws, scan)
    view = dialog.page_view()
    assert view.scan_label.isVisible() and view.rendered_pages == [0]
    assert dialog.accept_button.isEnabled() and dialog.subject.toPlainText() == ""
    assert "không có lớp chữ" in dialog.status_label.text()
    dialog.grab().save(str(SHOTS / "file_dialog_scan.png"))
    type_text("15/UBND-VP", dialog.number_symbol)
    type_text("Về việc rà soát tiêu chí nông thôn mới", dialog.subject)
    type_text("Ban Quản lý dự án số 9", dialog.issuer.lineEdit())
    with qtbot.waitSignal(dialog.accepted_directive) as signal:
        dialog.accept_button.click()
    with ws.db.transaction() as s:
        d = s.get(Directive, signal.args[0])
        assert d.number_symbol == "15/UBND-VP" and d.subject == "Về việc rà soát tiêu chí nông thôn mới"
        assert [a.file_name for a in d.attachments] == ["ban-quet.png"]


def read_and_open(qtbot, ws, path: Path) -> PasteDialog:
    page = _page(qtbot, ws)
    dialog = page.open_file(path)
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_a_60_page_pdf_draws_only_the_page_shown(qtbot, demo_workspace, messages, tmp_path):
    pdf = _fixture_pdf(tmp_path, "laocai-14", repeat=12)
    dialog = read_and_open(qtbot, demo_workspace, pdf)
    view = dialog.page_view()
    assert view.page_count >= 60
    assert view.rendered_pages == [0]
    view.next_button.click()
    view.next_button.click()
    assert view.current_page() == 2 and view.rendered_pages == [0, 1, 2]
    assert view.page_label.text() == f"Trang 3/{view.page_count}"


def test_esc_closes_the_review_and_registers_nothing(qtbot, demo_workspace, messages, tmp_path):
    ws = demo_workspace
    before = _count(ws, Directive), _count(ws, Attachment)
    dialog = read_and_open(qtbot, ws, _fixture_pdf(tmp_path))
    press(Qt.Key.Key_Escape, dialog.number_symbol)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert (_count(ws, Directive), _count(ws, Attachment)) == before


def test_a_file_dropped_on_a_new_register_form_opens_the_review(qtbot, demo_workspace, messages, tmp_path):
    page = _page(qtbot, demo_workspace)
    form = DirectiveForm(demo_workspace, None, page)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    _drop(form, _fixture_pdf(tmp_path))
    qtbot.waitUntil(lambda: bool(_open_dialogs()))
    dialog = _open_dialogs()[0]
    qtbot.addWidget(dialog)
    assert dialog.source_file().name == "laocai-13.pdf" and dialog.task_table.rowCount() == 5
    with qtbot.waitSignal(dialog.accepted_directive):
        dialog.accept_button.click()
    qtbot.waitUntil(lambda: not form.isVisible())  # the review registered it: the empty form closes


def test_reading_runs_off_the_gui_thread_and_can_be_stopped(qtbot, demo_workspace):
    page = _page(qtbot, demo_workspace)
    ticks, said = [], []
    timer = QTimer(page, interval=50)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()

    def stop_when_shown():
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QProgressDialog) and w.isVisible():
                said.append(w.labelText())
                stop = next(b for b in w.findChildren(QPushButton) if b.text() == "Dừng")
                stop.click()
                return
        QTimer.singleShot(50, stop_when_shown)

    QTimer.singleShot(100, stop_when_shown)

    def slow(say, stopped):
        say("Đang đọc chữ trang 1/60…")
        while not stopped():
            time.sleep(0.02)
        return "stopped"

    started = time.perf_counter()
    assert run_stoppable(page, "Đang đọc “dai.pdf”…", slow) == "stopped"
    assert time.perf_counter() - started < 5
    assert len(ticks) >= 5  # the window kept painting and answering while the file was read
    assert said == ["Đang đọc chữ trang 1/60…"]


def test_a_stopped_reading_opens_nothing(qtbot, demo_workspace, monkeypatch, tmp_path):
    from ntm_desktop.intake import Cancelled

    page = _page(qtbot, demo_workspace)

    def cancelled(*_a, **_k):
        raise Cancelled()

    monkeypatch.setattr("ntm_desktop.ui.file_intake.extract_file", cancelled)
    assert read_file(page, tmp_path / "x.pdf") is None


def _scanned_pdf(tmp_path: Path, name: str = "laocai-13") -> Path:
    from directive_documents import write_scan

    return write_scan(_fixture_pdf(tmp_path, name), tmp_path / f"{name}-ban-quet.pdf")


def test_a_scanned_pdf_offers_ocr_and_the_recognised_words_fill_the_proposal(qtbot, demo_workspace, messages,
                                                                             tmp_path):
    import pytest

    from ntm_desktop.intake.ocr import engine

    if engine() is None:
        pytest.skip("no Tesseract with its Vietnamese model on this computer (apt-get install tesseract-ocr-vie)")
    ws = demo_workspace
    dialog = read_and_open(qtbot, ws, _scanned_pdf(tmp_path))
    view = dialog.page_view()
    assert view.scan_label.text() == "Trang này là ảnh quét, chưa có chữ. Nhận dạng chữ (OCR)?"
    assert view.ocr_button.isVisible() and dialog.number_symbol.text() == ""
    dialog.grab().save(str(SHOTS / "file_dialog_ocr_offer.png"))
    qtbot.mouseClick(view.ocr_button, Qt.MouseButton.LeftButton)  # read off the GUI thread, behind "Dừng"
    qtbot.waitUntil(lambda: dialog.number_symbol.text() != "", timeout=60_000)
    assert dialog.number_symbol.text() == "7432/UBND-XD"
    assert dialog.task_table.rowCount() == 5
    assert not view.ocr_button.isVisible() and view.scan_label.text().startswith("Chữ trang này do máy nhận dạng")
    assert "nhận dạng (OCR)" in dialog.status_label.text()
    qtbot.wait(100)  # the scan bar lays out again without the button
    dialog.grab().save(str(SHOTS / "file_dialog_ocr_done.png"))
    with qtbot.waitSignal(dialog.accepted_directive) as signal:
        dialog.accept_button.click()
    with ws.db.transaction() as s:
        d = s.get(Directive, signal.args[0])
        assert d.number_symbol == "7432/UBND-XD"
        assert [a.file_name for a in d.attachments] == ["laocai-13-ban-quet.pdf"]


def test_without_the_vietnamese_model_a_scan_says_so_beside_the_empty_form(qtbot, demo_workspace, messages,
                                                                          tmp_path, monkeypatch):
    monkeypatch.setenv("NTM_TESSDATA", str(tmp_path / "khong-co"))  # where this office keeps no model
    dialog = read_and_open(qtbot, demo_workspace, _scanned_pdf(tmp_path))
    view = dialog.page_view()
    assert view.scan_label.isVisible() and not view.ocr_button.isVisible()
    assert "vie.traineddata" in view.scan_label.text() and "gõ thông tin" in view.scan_label.text()
    assert dialog.number_symbol.text() == "" and dialog.accept_button.isEnabled()
