"""Attachments: copied under files/<sha[:2]>/<sha256>, stored once per content, missing files refused."""

import hashlib
from datetime import date

import pytest
from sqlalchemy import delete, func, select

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Attachment
from ntm_desktop.models.stored_files import StoredFile
from ntm_desktop.services import attachments

from core_factories import make_directive, make_office


@pytest.fixture
def directive(workspace):
    with workspace.db.transaction("cv") as s:
        return make_directive(s, make_office(s), date(2025, 3, 1), 1)


def test_attach_stores_under_sha256_once(workspace, directive, tmp_path):
    content = "Bản scan công văn 4316/UBND-KTN".encode() * 100
    first, second = tmp_path / "cong-van.pdf", tmp_path / "ban-sao.pdf"
    first.write_bytes(content)
    second.write_bytes(content)
    sha = hashlib.sha256(content).hexdigest()
    files = workspace.folder.files
    with workspace.db.transaction("cv") as s:
        a = attachments.attach(s, files, directive, first)
        b = attachments.attach(s, files, directive, second)
    stored = files / sha[:2] / sha
    assert stored.read_bytes() == content
    assert [p for p in files.rglob("*") if p.is_file()] == [stored]  # same content stored once
    with workspace.db.transaction() as s:
        rows = {r.id: r for r in s.scalars(select(Attachment))}
        assert rows[a].file_name == "cong-van.pdf" and rows[b].file_name == "ban-sao.pdf"
        assert rows[a].sha256 == sha and rows[a].size == len(content)
        assert attachments.open_path(s, files, a) == stored


def test_missing_file_is_refused_and_nothing_saved(workspace, directive, tmp_path):
    with pytest.raises(ValidationError) as error:
        with workspace.db.transaction("cv") as s:
            attachments.attach(s, workspace.folder.files, directive, tmp_path / "khong-co.pdf")
    assert "Không tìm thấy tệp" in str(error.value) and "khong-co.pdf" in str(error.value)
    with workspace.db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Attachment)) == 0
    assert not workspace.folder.files.exists() or not any(workspace.folder.files.rglob("*"))


def test_stored_copy_gone_gives_a_clear_message(workspace, directive, tmp_path):
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"%PDF-1.4 scan")
    with workspace.db.transaction("cv") as s:
        attachment_id = attachments.attach(s, workspace.folder.files, directive, source)
    sha = hashlib.sha256(b"%PDF-1.4 scan").hexdigest()
    stored = workspace.folder.files / sha[:2] / sha
    stored.unlink()
    if workspace.on_server:  # the bytes live on the server too: this PC's copy is fetched again
        with workspace.db.transaction() as s:
            assert attachments.open_path(s, workspace.folder.files, attachment_id) == stored
        assert stored.read_bytes() == b"%PDF-1.4 scan"
        stored.unlink()
        with workspace.db.transaction() as s:
            s.execute(delete(StoredFile).where(StoredFile.sha256 == sha))
    with workspace.db.transaction() as s:
        with pytest.raises(ValidationError, match="không còn trong thư mục dữ liệu"):
            attachments.open_path(s, workspace.folder.files, attachment_id)
