"""The register form lists an attachment that came in a package by a safe name: no folders, no hidden characters."""

from __future__ import annotations

import hashlib
from datetime import date

from PySide6.QtCore import Qt

from ntm_desktop.models import Attachment
from ntm_desktop.services import attachments, directives
from ntm_desktop.ui.register.form import DirectiveForm
from screenshots import SHOTS


def _directive_with(ws, name: str, content: bytes) -> str:
    """A directive whose attachment record holds `name` as a package wrote it (the file itself is genuine)."""
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


def test_a_name_with_folders_and_hidden_characters_is_listed_by_its_safe_name(qtbot, demo_workspace):
    hostile = "../../../victim\\Báo cáo\u202e tiến độ\x07.pdf"
    directive_id = _directive_with(demo_workspace, hostile, b"%PDF-1.4 bao cao cua xa")
    form = DirectiveForm(demo_workspace, directive_id)
    qtbot.addWidget(form)
    form.show()
    form.tabs.setCurrentIndex(2)  # Tệp đính kèm
    qtbot.waitExposed(form)
    shown = [form.files.item(i).text() for i in range(form.files.count())]
    assert shown == ["Báo cáo tiến độ.pdf (1 KB)"], shown
    assert not any(ch in shown[0] for ch in "/\\\u202e\x07")
    form.grab().save(str(SHOTS / "attachment-safe-name.png"))
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()
