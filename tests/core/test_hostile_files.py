"""Attachments that arrived with hostile names: opened only as a private copy, never run, never written elsewhere."""

from __future__ import annotations

import hashlib
import stat
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Attachment
from ntm_desktop.services import attachments

from core_factories import make_directive, make_office
from hostile_helpers import tree


@pytest.fixture
def directive(workspace):
    with workspace.db.transaction("cv") as s:
        return make_directive(s, make_office(s), date(2025, 3, 1), 1)


def _received(workspace, directive_id: str, name: str, content: bytes = b"%PDF-1.4 bao cao") -> str:
    """An attachment as a package brings it: the name is the sender's, the content stored under its hash."""
    sha = hashlib.sha256(content).hexdigest()
    stored = attachments.stored_path(workspace.folder.files, sha)
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(content)
    with workspace.db.transaction("goi") as s:
        row = Attachment(directive_id=directive_id, file_name=name, sha256=sha, size=len(content))
        s.add(row)
        s.flush()
        return row.id


def _view_root(workspace) -> Path:
    return workspace.folder.root / "tmp"


@pytest.mark.parametrize("name", ["../../victim/bao-cao.pdf", "..\\..\\victim\\bao-cao.pdf",
                                  "/tmp/ntm-victim.pdf", "C:\\Windows\\bao-cao.pdf", "bao\x00cao.pdf"])
def test_a_path_in_the_name_writes_only_inside_a_private_folder(workspace, directive, tmp_path, name):
    attachment_id = _received(workspace, directive, name)
    before = tree(tmp_path)
    with workspace.db.transaction() as s:
        copy = attachments.prepare_for_viewing(s, workspace.folder.files, attachment_id, _view_root(workspace))
    after = tree(tmp_path)
    created = {k for k in after if k not in before}
    assert [k for k in before if before[k] != after.get(k)] == []  # nothing existing was changed
    assert created == {str(copy.relative_to(tmp_path))}
    assert copy.parent.parent == _view_root(workspace) and copy.parent.name.startswith(attachments.VIEW_PREFIX)
    assert copy.suffix == ".pdf" and len(copy.stem) == 32 and "bao" not in copy.name  # generated, not the sender's
    assert copy.read_bytes() == b"%PDF-1.4 bao cao"
    assert not Path("/tmp/ntm-victim.pdf").exists()
    if sys.platform != "win32":
        assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700  # only this user can read the copy


@pytest.mark.parametrize("name", ["Bao cao.pdf.bat", "../../../../victim/.bashrc", "setup.exe", "x.ps1",
                                  "lien-ket.lnk", "a.vbs", "trang.hta", "goi.msi", "bang.xlsm", "Bao cao.pdf.exe ",
                                  "khong-duoi"])
def test_executables_and_scripts_are_never_prepared_for_opening(workspace, directive, tmp_path, name):
    attachment_id = _received(workspace, directive, name)
    before = tree(tmp_path)
    with workspace.db.transaction() as s:
        with pytest.raises(ValidationError) as refused:
            attachments.prepare_for_viewing(s, workspace.folder.files, attachment_id, _view_root(workspace))
    assert "Không mở tệp" in str(refused.value) and "bảo vệ máy tính" in str(refused.value)
    assert "/" not in str(refused.value) and "\\" not in str(refused.value)  # only the sanitised name is shown
    assert tree(tmp_path) == before  # nothing written anywhere


def test_a_hash_that_is_a_path_is_refused(workspace, directive, tmp_path):
    attachment_id = _received(workspace, directive, "bao-cao.pdf")
    with workspace.db.transaction("goi") as s:
        s.get(Attachment, attachment_id).sha256 = "../ntm.sqlite3"
    with workspace.db.transaction() as s:
        with pytest.raises(ValidationError, match="mã băm không đúng dạng"):
            attachments.prepare_for_viewing(s, workspace.folder.files, attachment_id, _view_root(workspace))
    assert not _view_root(workspace).exists()


def test_each_opening_gets_its_own_copy_and_old_ones_are_cleared(workspace, directive):
    attachment_id = _received(workspace, directive, "bao-cao.pdf")
    with workspace.db.transaction() as s:
        first = attachments.prepare_for_viewing(s, workspace.folder.files, attachment_id, _view_root(workspace))
        second = attachments.prepare_for_viewing(s, workspace.folder.files, attachment_id, _view_root(workspace))
    assert first != second and first.parent != second.parent and first.exists() and second.exists()
    import os
    old = attachments.VIEW_KEEP_SECONDS + 60
    os.utime(first.parent, (first.parent.stat().st_atime - old, first.parent.stat().st_mtime - old))
    with workspace.db.transaction() as s:
        attachments.prepare_for_viewing(s, workspace.folder.files, attachment_id, _view_root(workspace))
    assert not first.parent.exists() and second.exists()


def test_display_name_has_no_folders(workspace, directive):
    attachment_id = _received(workspace, directive, "../../../victim/Báo cáo.pdf")
    with workspace.db.transaction() as s:
        assert attachments.display_name(s, attachment_id) == "Báo cáo.pdf"


@pytest.mark.parametrize("name", ["Bao cao.pdf.bat", "cai-dat.exe", "macro.docm"])
def test_attaching_an_executable_is_refused_and_nothing_stored(workspace, directive, tmp_path, name):
    source = tmp_path / name
    source.write_bytes(b"@echo off")
    with pytest.raises(ValidationError) as refused:
        with workspace.db.transaction("cv") as s:
            attachments.attach(s, workspace.folder.files, directive, source)
    assert "không được nhận" in str(refused.value)
    with workspace.db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Attachment)) == 0
    assert not workspace.folder.files.exists() or not any(workspace.folder.files.rglob("*"))
