"""Qt's own buttons, menus and dialogs speak Vietnamese (Qt ships no Vietnamese qtbase translation)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMessageBox, QPlainTextEdit

from ntm_desktop.resources import resource
from ntm_desktop.ui.app import make_application

SB = QMessageBox.StandardButton


@pytest.fixture
def app(qapp):
    return make_application()


def _plain(text: str) -> str:
    return text.replace("&", "").split("\t")[0]


def test_question_boxes_answer_co_or_khong(app):
    box = QMessageBox(QMessageBox.Icon.Question, "NTM Desktop", "Xóa nhiệm vụ đã chọn?", SB.Yes | SB.No)
    assert _plain(box.button(SB.Yes).text()) == "Có"
    assert _plain(box.button(SB.No).text()) == "Không"
    box = QMessageBox(QMessageBox.Icon.Warning, "NTM Desktop", "…", SB.Ok | SB.Cancel | SB.Save | SB.Close)
    assert [_plain(box.button(b).text()) for b in (SB.Ok, SB.Cancel, SB.Save, SB.Close)] == \
        ["Đồng ý", "Hủy", "Lưu", "Đóng"]
    box.setDetailedText("chi tiết")
    assert any(_plain(b.text()) == "Xem chi tiết..." for b in box.buttons())


def test_dialog_buttons_and_text_menus(app):
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert sorted(_plain(b.text()) for b in buttons.buttons()) == ["Hủy", "Đồng ý"]
    for editor in (QLineEdit(), QPlainTextEdit()):
        menu = editor.createStandardContextMenu()
        words = [_plain(a.text()) for a in menu.actions() if a.text()]
        assert {"Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xóa", "Chọn tất cả"} <= set(words), words
        menu.deleteLater()


def test_the_shipped_translation_matches_its_source(app):
    """Every message of qtbase_vi.ts is in the compiled qtbase_vi.qm the app loads (recompile after editing)."""
    tree = ET.parse(resource("translations", "qtbase_vi.ts"))
    checked = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source, wanted = message.findtext("source"), message.findtext("translation")
            assert QCoreApplication.translate(name, source) == wanted, (name, source)
            checked += 1
    assert checked > 100
