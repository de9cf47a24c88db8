"""Restoring another office's backup from the backup dialog: a warning naming both offices, No by default."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from ntm_desktop.backup import BackupKind, create_backup
from ntm_desktop.backup.office_check import office_of
from ntm_desktop.services import settings
from ntm_desktop.ui.backup_dialog import BackupDialog
from screenshots import SHOTS


class Boxes:
    """Answers the message boxes the dialog opens, in order, as a person would (keys and clicks)."""

    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.actions: list = []
        self.texts: list[str] = []
        self._answered: set[int] = set()

    def then(self, action) -> "Boxes":
        self.actions.append(action)
        return self

    def start(self) -> None:
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible() and id(box) not in self._answered:
            self._answered.add(id(box))
            self.texts.append(box.text())
            self.actions.pop(0)(self.qtbot, box)
        if self.actions:
            QTimer.singleShot(20, self._poll)


def click(label: str):
    def act(qtbot, box):
        button = next(b for b in box.findChildren(QPushButton) if b.text() == label)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return act


def key(which):
    def act(qtbot, box):
        box.grab().save(str(SHOTS / "restore-other-office.png"))
        qtbot.keyClick(box, which)
    return act


@pytest.fixture
def commune_pc(demo_workspace):
    """The district's backup, and this PC set up as one of its communes."""
    ws = demo_workspace
    backup = create_backup(ws.folder, BackupKind.MANUAL).info.path
    district = office_of(ws.folder.database)
    with ws.db.transaction() as s:
        from sqlalchemy import select

        from ntm_desktop.models import Unit

        commune = s.scalars(select(Unit).where(Unit.level_code == "xa").order_by(Unit.code)).first()
        settings.put(s, settings.OFFICE_UNIT, commune.id)
        commune_code, commune_name = commune.code, commune.name
    return ws, backup, district, commune_code, commune_name


def _office_code(ws) -> str:
    return office_of(ws.folder.database).code


def _open(qtbot, ws) -> BackupDialog:
    dialog = BackupDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.mark.parametrize("answer", [key(Qt.Key.Key_Return), key(Qt.Key.Key_Escape), click("Không khôi phục")],
                         ids=["enter", "escape", "no"])
def test_enter_escape_or_no_keep_this_office(qtbot, commune_pc, answer):
    ws, backup, district, commune_code, commune_name = commune_pc
    dialog = _open(qtbot, ws)
    boxes = Boxes(qtbot).then(click("Khôi phục")).then(answer)
    boxes.start()
    dialog.restore_selected()
    assert len(boxes.texts) == 2, boxes.texts
    warning = boxes.texts[1]
    assert district.name in warning and commune_name in warning and commune_code in warning
    assert _office_code(ws) == commune_code  # still the commune
    assert "Chưa khôi phục" in dialog.status.text()
    assert dialog.model.rowCount() == 1  # no copy "before restore": nothing was started
    with ws.db.transaction() as s:  # the database is open again
        assert settings.office_unit_id(s)


def test_an_explicit_yes_restores_and_says_which_office_this_is_now(qtbot, commune_pc):
    ws, backup, district, commune_code, commune_name = commune_pc
    dialog = _open(qtbot, ws)
    boxes = Boxes(qtbot).then(click("Khôi phục")).then(click("Vẫn khôi phục"))
    boxes.start()
    with qtbot.waitSignal(dialog.restored, timeout=20000):
        dialog.restore_selected()
    assert _office_code(ws) == district.code
    status = dialog.status.text()
    assert "Máy này giờ làm việc với tư cách" in status and district.name in status and commune_name in status
    qtbot.wait(50)  # let the layout give the longer status its lines
    dialog.grab().save(str(SHOTS / "restore-other-office-done.png"))
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_own_backup_restores_without_the_warning(qtbot, demo_workspace):
    ws = demo_workspace
    create_backup(ws.folder, BackupKind.MANUAL)
    dialog = _open(qtbot, ws)
    boxes = Boxes(qtbot).then(click("Khôi phục"))
    boxes.start()
    with qtbot.waitSignal(dialog.restored, timeout=20000):
        dialog.restore_selected()
    assert len(boxes.texts) == 1 and "Máy này giờ" not in dialog.status.text()
    con = sqlite3.connect(ws.folder.database)
    con.close()
