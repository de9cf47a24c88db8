"""Opening an attachment that came in a package: a script is refused with a message, a document opens as a copy."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QPushButton

from ntm_desktop.models import Attachment
from ntm_desktop.services import attachments, directives
from ntm_desktop.ui.register.form import DirectiveForm
from screenshots import SHOTS


@pytest.fixture
def opened(monkeypatch):
    """Every URL the form hands to the system, instead of opening it."""
    urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: urls.append(url.toLocalFile()) or True))
    return urls


def _directive_with(ws, name: str, content: bytes) -> str:
    sha = hashlib.sha256(content).hexdigest()
    stored = attachments.stored_path(ws.folder.files, sha)
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(content)
    with ws.db.transaction("goi") as s:
        office = ws.office_unit_id()
        directive_id = directives.create_directive(s, office, directives.DirectiveInput(
            arrival_date=date.today(), arrival_number=directives.next_arrival_number(s, office, date.today().year),
            subject="Về việc báo cáo kết quả xây dựng nông thôn mới", issuer_name="UBND xã Phúc Lợi"))
        s.add(Attachment(directive_id=directive_id, file_name=name, sha256=sha, size=len(content)))
    return directive_id


def _open_first_file(qtbot, form: DirectiveForm) -> None:
    form.show()
    form.tabs.setCurrentIndex(2)  # Tệp đính kèm
    qtbot.waitExposed(form)
    item = form.files.item(0)
    form.files.setCurrentItem(item)
    button = next(b for b in form.findChildren(QPushButton) if b.text() == "Mở tệp")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() and not p.name.startswith("ntm.sqlite3")}


def test_a_batch_file_disguised_as_pdf_is_refused_and_not_opened(qtbot, demo_workspace, messages, opened):
    directive_id = _directive_with(demo_workspace, "Bao cao.pdf.bat", b"@echo off\r\ndel /q C:\\*\r\n")
    form = DirectiveForm(demo_workspace, directive_id)
    qtbot.addWidget(form)
    before = _files_under(demo_workspace.folder.root.parent)
    _open_first_file(qtbot, form)
    assert opened == []  # nothing handed to the system
    assert messages and "Bao cao.pdf.bat" in messages[-1] and "Không mở tệp" in messages[-1]
    assert _files_under(demo_workspace.folder.root.parent) == before
    form.grab().save(str(SHOTS / "attachment-refused.png"))
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()


def test_a_pdf_named_with_a_path_opens_as_a_copy_inside_a_private_folder(qtbot, demo_workspace, messages, opened):
    directive_id = _directive_with(demo_workspace, "../../x.pdf", b"%PDF-1.4 bao cao cua xa")
    form = DirectiveForm(demo_workspace, directive_id)
    qtbot.addWidget(form)
    parent = demo_workspace.folder.root.parent
    before = _files_under(parent)
    _open_first_file(qtbot, form)
    assert messages == []
    assert len(opened) == 1
    copy = Path(opened[0])
    view_root = demo_workspace.folder.root / "tmp"
    assert copy.parent.parent == view_root and copy.suffix == ".pdf" and copy.name != "x.pdf"
    assert _files_under(parent) - before == {copy}  # the only file written
    assert not (parent.parent / "x.pdf").exists() and not (parent / "x.pdf").exists()
    assert copy.read_bytes() == b"%PDF-1.4 bao cao cua xa"
    qtbot.keyClick(form, Qt.Key.Key_Escape)


def test_attaching_a_script_is_refused_at_once_and_the_rest_is_kept(qtbot, demo_workspace, messages, tmp_path):
    from ntm_desktop.ui.register.form import DirectiveForm as Form

    script, scan = tmp_path / "Bao cao.pdf.bat", tmp_path / "cong-van.pdf"
    script.write_bytes(b"@echo off")
    scan.write_bytes(b"%PDF-1.4 ban quet")
    form = Form(demo_workspace)
    qtbot.addWidget(form)
    form.add_files([script, scan])
    assert messages and ".bat" in messages[-1] and "không được nhận" in messages[-1]
    assert [form.files.item(i).text() for i in range(form.files.count())] == ["cong-van.pdf (chưa lưu)"]
