"""Saving on the office's server when the connection is lost, as the officer sees it: the task editor and the register
form stay open with everything typed, the message says the connection was lost and nothing was saved, and saving
again once the server is back goes through, once. Then the copy on this PC opened read-only: every save refused.
The server cases run on NTM_TEST_DATABASE_URL's server (skipped without it)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import create_engine, event, func, select, text

from ntm_desktop.changes import written_table
from ntm_desktop.models import AuditEntry, Directive, Task
from ntm_desktop.ui.register.form import DirectiveForm
from ntm_desktop.ui.tasks.editor import TaskEditor
from ntm_desktop.workspace import Workspace, open_workspace
from tests.core.server_db import NO_SERVER, SERVER, drop_server_database, new_server_database, open_server_pc
from typing_helpers import focus, press, replace_text
from screenshots import SHOTS

LOST = "Mất kết nối với máy chủ"

server_only = pytest.mark.skipif(not SERVER, reason=NO_SERVER)


@pytest.fixture
def office_on_server(demo_workspace):
    """The demo office moved onto a fresh server database: (data folder, server address)."""
    from ntm_desktop.server.move import move_office

    folder = demo_workspace.folder
    demo_workspace.close()
    url = new_server_database("saves")
    move_office(folder, url)
    yield folder, url
    drop_server_database(url)


@pytest.fixture
def pc(office_on_server):
    """A PC on the server, its connections as tests.core.server_db opens them."""
    folder, url = office_on_server
    ws = Workspace(folder=folder, db=open_server_pc(url))
    yield ws
    ws.close()


def _cut_connections(url) -> int:
    """What the server does when the network drops: every connection to the office's database ended."""
    admin = create_engine(make_admin(url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            return len(conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d "
                                         "AND pid <> pg_backend_pid()"), {"d": url.database}).all())
    finally:
        admin.dispose()


def make_admin(url):
    return url.set(database="postgres")


def _first_open_task(ws) -> Task:
    with ws.db.transaction() as s:
        return s.scalar(select(Task).where(Task.deleted.is_(False), Task.completed_on.is_(None)).order_by(Task.id)
                        .limit(1))


def _audit_rows(ws) -> int:
    with ws.db.transaction() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def _press_save(dialog, shot: str = "") -> list[str]:
    """Press “Lưu” from the keyboard; each message box that comes up is read (“title: text”), the first one
    photographed, and closed with Esc, as the officer would."""
    seen: list[str] = []
    state = {"saving": True}

    def watch() -> None:
        if not state["saving"]:  # a look scheduled before the save ended: not this save's boxes
            return
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        for box in boxes:
            seen.append(f"{box.windowTitle()}: {box.text()}")
            if shot and len(seen) == 1:
                box.grab().save(str(SHOTS / shot))
                dialog.grab().save(str(SHOTS / shot.replace(".png", "-dialog.png")))
            press(Qt.Key.Key_Escape, box)
        QTimer.singleShot(30, watch)

    QTimer.singleShot(0, watch)
    try:
        got = focus(dialog.save_button)
        assert got is dialog.save_button, got
        press(Qt.Key.Key_Space)
    finally:
        state["saving"] = False
    return seen


def _save_seeing_the_message(dialog, shot: str = "") -> str:
    [shown] = _press_save(dialog, shot)
    return shown


@server_only
def test_task_editor_keeps_the_typing_when_the_connection_is_lost_and_saves_once_it_is_back(qtbot, pc,
                                                                                             office_on_server):
    _folder, url = office_on_server
    task = _first_open_task(pc)
    audit = _audit_rows(pc)
    editor = TaskEditor(pc, task.directive_id, task.id)
    qtbot.addWidget(editor)
    editor.show()
    replace_text("Rà soát lại tiêu chí môi trường ở các xã", editor.summary)
    replace_text("Gửi báo cáo trước thứ Sáu", editor.notes)
    assert _cut_connections(url) >= 1  # the PC's pooled connection is among them
    shown = _save_seeing_the_message(editor, "connection-lost-task.png")
    assert shown.startswith("Không lưu được: ") and LOST in shown and "không có gì được lưu dở dang" in shown
    assert editor.isVisible()  # the editor stays, with what was typed
    assert editor.summary.toPlainText() == "Rà soát lại tiêu chí môi trường ở các xã"
    assert editor.notes.text() == "Gửi báo cáo trước thứ Sáu"
    with pc.db.transaction() as s:
        assert s.get(Task, task.id).summary == task.summary  # nothing saved
    assert _audit_rows(pc) == audit

    assert _press_save(editor) == []  # the server is back: the same save goes through and closes the editor
    assert not editor.isVisible()
    with pc.db.transaction() as s:
        saved = s.get(Task, task.id)
        assert (saved.summary, saved.notes) == ("Rà soát lại tiêu chí môi trường ở các xã", "Gửi báo cáo trước thứ Sáu")
        assert s.scalar(select(func.count()).select_from(Task).where(Task.summary == saved.summary)) == 1
    assert _audit_rows(pc) > audit


@server_only
def test_a_new_task_lost_in_the_save_is_saved_once_when_saving_again(qtbot, pc, office_on_server):
    _folder, url = office_on_server
    task = _first_open_task(pc)
    with pc.db.transaction() as s:
        before = s.scalar(select(func.count()).select_from(Task).where(Task.directive_id == task.directive_id))
    editor = TaskEditor(pc, task.directive_id, None)
    qtbot.addWidget(editor)
    editor.show()
    replace_text("Tổng hợp danh sách hộ nghèo cần hỗ trợ nhà ở", editor.summary)
    editor.lead.set_unit_id(task.lead_unit_id)
    editor.deadline_date.set_date(date.today() + timedelta(days=3))
    _cut_connections(url)
    assert LOST in _save_seeing_the_message(editor)
    assert editor.task_id is None and editor.summary.toPlainText() == "Tổng hợp danh sách hộ nghèo cần hỗ trợ nhà ở"
    assert _press_save(editor) == []
    assert not editor.isVisible()
    with pc.db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Task).where(Task.directive_id == task.directive_id)) \
            == before + 1


@server_only
def test_register_form_keeps_the_typing_when_the_connection_is_lost(qtbot, pc, office_on_server):
    _folder, url = office_on_server
    with pc.db.transaction() as s:
        directive = s.scalar(select(Directive).where(Directive.deleted.is_(False)).order_by(Directive.id).limit(1))
    form = DirectiveForm(pc, directive.id)
    qtbot.addWidget(form)
    form.show()
    replace_text("Lê Thị Hoa", form.signer)
    replace_text("Kế hoạch kiểm tra tiêu chí môi trường năm nay", form.subject)
    _cut_connections(url)
    shown = _save_seeing_the_message(form, "connection-lost-directive.png")
    assert LOST in shown
    assert form.isVisible() and form.signer.text() == "Lê Thị Hoa"
    assert form.subject.toPlainText() == "Kế hoạch kiểm tra tiêu chí môi trường năm nay"
    with pc.db.transaction() as s:
        assert (s.get(Directive, directive.id).signer, s.get(Directive, directive.id).subject) == \
            (directive.signer, directive.subject)
    assert _press_save(form) == []
    with pc.db.transaction() as s:
        assert s.get(Directive, directive.id).signer == "Lê Thị Hoa"


@server_only
def test_the_connection_lost_between_two_writes_of_one_save_leaves_nothing_half_saved(qtbot, office_on_server):
    """The app's own engine (connections checked before use): the connection dies after the save's first write."""
    folder, url = office_on_server
    ws = open_workspace(folder.root, database_url=url)
    try:
        task = _first_open_task(ws)
        audit = _audit_rows(ws)
        editor = TaskEditor(ws, task.directive_id, task.id)
        qtbot.addWidget(editor)
        editor.show()
        replace_text("Nội dung mới sau khi mất mạng", editor.summary)
        writes = []

        def cut_after_first_write(conn, _cursor, statement, _params, _context, _many):
            if written_table(statement) is None:
                return
            writes.append(statement)
            if len(writes) == 2:  # the first write went to the server; the connection dies before the second
                pid = conn.connection.dbapi_connection.info.backend_pid
                admin = create_engine(make_admin(url), isolation_level="AUTOCOMMIT")
                with admin.connect() as own:
                    own.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
                admin.dispose()

        event.listen(ws.db.engine, "before_cursor_execute", cut_after_first_write)
        shown = _save_seeing_the_message(editor)
        event.remove(ws.db.engine, "before_cursor_execute", cut_after_first_write)
        assert len(writes) == 2 and LOST in shown
        with ws.db.transaction() as s:
            assert s.get(Task, task.id).summary == task.summary
            assert s.get(Task, task.id).revision == task.revision
        assert _audit_rows(ws) == audit  # the first write was undone with the rest
        assert editor.summary.toPlainText() == "Nội dung mới sau khi mất mạng"
        assert _press_save(editor) == []
        with ws.db.transaction() as s:
            assert s.get(Task, task.id).summary == "Nội dung mới sau khi mất mạng"
    finally:
        ws.close()


def test_the_copy_on_this_pc_refuses_every_save_and_keeps_the_typing(qtbot, demo_workspace):
    from ntm_desktop.server.local_copy import READ_ONLY_MESSAGE, open_local_copy

    folder = demo_workspace.folder
    demo_workspace.close()
    copy = open_local_copy(folder)
    ws = copy.workspace
    try:
        task = _first_open_task(ws)
        editor = TaskEditor(ws, task.directive_id, task.id)
        qtbot.addWidget(editor)
        editor.show()
        replace_text("Sửa trên bản sao", editor.summary)
        shown = _save_seeing_the_message(editor, "read-only-copy-save.png")
        assert shown == f"Không lưu được: {READ_ONLY_MESSAGE}"
        assert editor.isVisible() and editor.summary.toPlainText() == "Sửa trên bản sao"
        with ws.db.transaction() as s:
            assert s.get(Task, task.id).summary == task.summary
        with ws.db.transaction() as s:
            directive = s.scalar(select(Directive).where(Directive.deleted.is_(False)).limit(1))
        form = DirectiveForm(ws, directive.id)
        qtbot.addWidget(form)
        form.show()
        replace_text("Người ký mới", form.signer)
        assert _save_seeing_the_message(form) == f"Không lưu được: {READ_ONLY_MESSAGE}"
        assert form.isVisible() and form.signer.text() == "Người ký mới"
    finally:
        ws.close()


@server_only
def test_the_network_down_for_a_while_then_back_the_task_is_saved_once(qtbot, office_on_server):
    """The switch goes down while the officer edits a task: each save is refused (the editor stays, nothing saved),
    and when the network is back the same editor saves the same task, not a second one."""
    from tests.core.network_cut import NetworkCut

    folder, url = office_on_server
    network = NetworkCut(url)
    ws = open_workspace(folder.root, database_url=network.url)
    try:
        task = _first_open_task(ws)
        with ws.db.transaction() as s:
            tasks_before = s.scalar(select(func.count()).select_from(Task))
        editor = TaskEditor(ws, task.directive_id, task.id)
        qtbot.addWidget(editor)
        editor.show()
        replace_text("Báo cáo tiến độ xây dựng nhà văn hóa thôn", editor.summary)
        network.down()
        for attempt in range(2):  # still down when the officer tries again
            seen = _press_save(editor, "network-down-task.png" if attempt == 0 else "")
            [shown] = seen
            assert "Không kết nối được máy chủ 127.0.0.1" in shown or LOST in shown, shown
            assert editor.isVisible() and editor.task_id == task.id
        network.up()
        assert _press_save(editor) == []
        assert not editor.isVisible()
        with ws.db.transaction() as s:
            assert s.get(Task, task.id).summary == "Báo cáo tiến độ xây dựng nhà văn hóa thôn"
            assert s.scalar(select(func.count()).select_from(Task)) == tasks_before  # not saved as a new task
    finally:
        ws.close()
        network.close()
