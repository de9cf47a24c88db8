"""Backups that are hostile, foreign or too big for the disk: refused before anything is replaced."""

from __future__ import annotations

import errno
import json
import shutil
import sqlite3
import zipfile
from collections import namedtuple
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st
from sqlalchemy import select

from ntm_desktop.backup import BackupKind, NotABackupError, create_backup, list_backups, restore_backup
from ntm_desktop.backup import restore as restore_module
from ntm_desktop.backup import store as store_module
from ntm_desktop.backup.manifest import MANIFEST_NAME, Manifest
from ntm_desktop.backup.office_check import OtherOfficeError
from ntm_desktop.backup.store import NewerBackupError
from ntm_desktop.errors import DiskFullError
from ntm_desktop.models import Unit
from ntm_desktop.services import attachments, settings

from hostile_helpers import data_digest, tree

pytestmark = pytest.mark.sqlite_only  # backups of the SQLite file (.ntmbak) and their restore

NOW = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def backed_up(demo_workspace, tmp_path):
    """The demo district with one attachment, backed up; the workspace is closed (as a restore needs)."""
    ws = demo_workspace
    scan = tmp_path / "cong-van.pdf"
    scan.write_bytes(b"%PDF-1.4 cong van quet")
    with ws.db.transaction() as s:
        from ntm_desktop.models import Directive

        directive_id = s.scalars(select(Directive.id)).first()
        attachments.attach(s, ws.folder.files, directive_id, scan)
    info = create_backup(ws.folder, BackupKind.MANUAL, NOW).info
    ws.close()
    return ws.folder, info.path


def _rewrite_manifest(source: Path, target: Path, change) -> Path:
    """A copy of a genuine backup whose manifest was edited with a text editor."""
    with zipfile.ZipFile(source) as zf:
        manifest = json.loads(zf.read(MANIFEST_NAME))
        database = zf.read("ntm.sqlite3")
    text = change(manifest)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr(MANIFEST_NAME, text if isinstance(text, str) else json.dumps(manifest))
        zf.writestr("ntm.sqlite3", database)
    return target


def _assert_untouched(folder, before_digest: str, before_tree: dict, parent: Path) -> None:
    assert data_digest(folder.database) == before_digest  # the same rows in every table
    assert tree(parent) == before_tree  # no file created or changed anywhere around the data folder
    assert not list(folder.root.glob(".restore-*"))


def _set(manifest: dict, **values) -> None:
    manifest.update(values)


HOSTILE_MANIFESTS = {
    "attachment is a path": lambda m: m["attachments"].append("../../../victim/evil.pdf"),
    "attachment is the database": lambda m: m["attachments"].append("./../ntm.sqlite3"),
    "attachment upper-case hex": lambda m: m["attachments"].append("A" * 64),
    "attachment a number": lambda m: m["attachments"].append(12),
    "attachments an object": lambda m: _set(m, attachments={"a": 1}),
    "attachments a text": lambda m: _set(m, attachments="../../x"),
    "counts of text": lambda m: _set(m, counts={"directives": "nhiều"}),
    "counts a list": lambda m: _set(m, counts=[1, 2]),
    "format_version text": lambda m: _set(m, format_version="2"),
    "format_version a list": lambda m: _set(m, format_version=[2]),
    "created_at a number": lambda m: _set(m, created_at=2026),
    "created_at nonsense": lambda m: _set(m, created_at="hôm qua"),
    "kind unknown": lambda m: _set(m, kind="la"),
    "manifest a list": lambda m: "[1, 2, 3]",
    "manifest deeply nested": lambda m: "[" * 100_000 + "]" * 100_000,
    "manifest not json": lambda m: "{format: ntm",
}


@pytest.mark.parametrize("change", HOSTILE_MANIFESTS.values(), ids=HOSTILE_MANIFESTS.keys())
def test_a_hostile_manifest_is_refused_before_anything_is_replaced(backed_up, tmp_path, change):
    folder, genuine = backed_up
    usb = tmp_path / "usb"
    hostile = _rewrite_manifest(genuine, usb / "ban-sao.ntmbak", change)
    # the attacker also places the file the path points at, beside the backup folder
    (usb / "files").mkdir()
    (tmp_path / "victim").mkdir()
    (tmp_path / "victim" / "evil.pdf").write_bytes(b"MZ not a pdf")
    digest, before = data_digest(folder.database), tree(tmp_path)
    with pytest.raises(NotABackupError) as refused:
        restore_backup(folder, hostile, NOW)
    assert "không phải là bản sao lưu của NTM Desktop" in str(refused.value)
    _assert_untouched(folder, digest, before, tmp_path)
    assert len(list_backups(folder.backups)) == 1  # not even the copy of the current state was needed


def test_a_newer_backup_format_says_to_update_the_app(backed_up, tmp_path):
    folder, genuine = backed_up
    newer = _rewrite_manifest(genuine, tmp_path / "moi.ntmbak", lambda m: _set(m, format_version=2, extra={"x": 1}))
    digest, before = data_digest(folder.database), tree(tmp_path)
    with pytest.raises(NewerBackupError) as refused:
        restore_backup(folder, newer, NOW)
    assert "Bản sao lưu này do phiên bản mới hơn tạo ra; hãy cập nhật phần mềm" in str(refused.value)
    assert "không phải là bản sao lưu" not in str(refused.value)
    _assert_untouched(folder, digest, before, tmp_path)


# --- another office's backup


def _work_as(folder, code: str) -> str:
    """Make this installation another office of the demo tree (as if it were that office's PC)."""
    con = sqlite3.connect(folder.database)
    try:
        unit_id, name = con.execute("SELECT id, name FROM units WHERE code = ?", (code,)).fetchone()
        con.execute("UPDATE settings SET value = ? WHERE key = ?", (unit_id, settings.OFFICE_UNIT))
        con.commit()
    finally:
        con.close()
    return name


def _a_commune_code(folder) -> str:
    con = sqlite3.connect(folder.database)
    try:
        return con.execute("SELECT code FROM units WHERE level_code = 'xa' ORDER BY code").fetchone()[0]
    finally:
        con.close()


def _office_code(folder) -> str:
    from ntm_desktop.backup.office_check import office_of

    return office_of(folder.database).code


def test_another_offices_backup_is_refused_naming_both_offices(backed_up, tmp_path):
    folder, district_backup = backed_up
    con = sqlite3.connect(folder.database)
    district_name = con.execute(
        "SELECT u.name FROM units u JOIN settings s ON s.value = u.id WHERE s.key = 'office_unit_id'").fetchone()[0]
    con.close()
    commune = _a_commune_code(folder)
    commune_name = _work_as(folder, commune)  # this PC is the commune's
    digest, before = data_digest(folder.database), tree(tmp_path)
    with pytest.raises(OtherOfficeError) as refused:
        restore_backup(folder, district_backup, NOW)
    message = str(refused.value)
    assert district_name in message and commune_name in message and commune in message
    assert "Chưa có gì thay đổi" in message
    _assert_untouched(folder, digest, before, tmp_path)
    assert _office_code(folder) == commune  # still the commune

    result = restore_backup(folder, district_backup, NOW, accept_other_office=True)
    assert result.office_changed and result.office_before.code == commune
    assert _office_code(folder) != commune  # explicitly accepted: now the district's data
    assert result.safety_backup is not None  # and the commune's data was kept first


def test_own_backup_and_a_new_pc_restore_without_a_question(backed_up, tmp_path):
    folder, backup = backed_up
    result = restore_backup(folder, backup, NOW)  # the same office
    assert not result.office_changed
    fresh = store_module.DataFolder(tmp_path / "may-moi")
    result = restore_backup(fresh, backup, NOW)  # a new PC: no office yet, nothing to compare
    assert result.office_before is None and not result.office_changed


def test_same_office_code_under_another_id_is_the_same_office(backed_up):
    """An office set up by hand may adopt the id its parent's package gives it: still the same office."""
    folder, backup = backed_up
    con = sqlite3.connect(folder.database)
    con.execute("PRAGMA foreign_keys=OFF")
    office_id = con.execute("SELECT value FROM settings WHERE key = 'office_unit_id'").fetchone()[0]
    new_id = "11111111-2222-3333-4444-555555555555"
    con.execute("UPDATE units SET id = ? WHERE id = ?", (new_id, office_id))
    con.execute("UPDATE settings SET value = ? WHERE key = 'office_unit_id'", (new_id,))
    con.commit()
    con.close()
    assert not restore_backup(folder, backup, NOW).office_changed


# --- a full disk


def _free(amount: int):
    usage = namedtuple("usage", "total used free")
    real = shutil.disk_usage
    return lambda path: usage(real(path).total, real(path).used, amount)


def test_restore_with_under_400_kb_free_is_refused_and_changes_nothing(backed_up, tmp_path, monkeypatch):
    folder, backup = backed_up
    digest, before = data_digest(folder.database), tree(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", _free(390 * 1024))
    with pytest.raises(DiskFullError) as refused:
        restore_backup(folder, backup, NOW)
    assert "390 KB trống" in str(refused.value) and "dữ liệu hiện tại không bị thay đổi" in str(refused.value)
    _assert_untouched(folder, digest, before, tmp_path)


def test_backup_with_under_400_kb_free_is_refused_and_leaves_nothing(backed_up, tmp_path, monkeypatch):
    folder, _backup = backed_up
    before = tree(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", _free(390 * 1024))
    with pytest.raises(DiskFullError) as refused:
        create_backup(folder, BackupKind.MANUAL, NOW)
    assert "không đủ để sao lưu" in str(refused.value)
    assert tree(tmp_path) == before
    assert not list(folder.backups.glob(".tmp-*"))


def test_disk_filling_up_during_a_backup_gives_a_message_not_a_traceback(backed_up, tmp_path, monkeypatch):
    folder, _backup = backed_up
    before = tree(tmp_path)

    def full(*_a, **_k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store_module, "backup_to", full)
    with pytest.raises(DiskFullError, match="đã đầy"):
        create_backup(folder, BackupKind.MANUAL, NOW)
    assert tree(tmp_path) == before and not list(folder.backups.glob(".tmp-*"))


@pytest.mark.parametrize("where", ["unpacking", "attachments", "live database", "safety backup"])
def test_disk_filling_up_during_a_restore_leaves_the_old_data(backed_up, tmp_path, monkeypatch, where):
    folder, backup = backed_up
    sha = next(iter(list_backups(folder.backups)[0].manifest.attachments))
    attachments.stored_path(folder.files, sha).unlink()  # so the restore has an attachment to copy in
    digest, before = data_digest(folder.database), tree(tmp_path)

    def full(*_a, **_k):
        if where == "live database":
            raise sqlite3.OperationalError("database or disk is full")
        raise OSError(errno.ENOSPC, "No space left on device")

    target = {"unpacking": (restore_module.shutil, "copyfileobj"), "attachments": (restore_module.os, "replace"),
              "live database": (restore_module, "_copy_into_live"), "safety backup": (store_module, "backup_to")}[where]
    monkeypatch.setattr(*target, full)
    with pytest.raises(DiskFullError) as refused:
        restore_backup(folder, backup, NOW)
    assert "đầy" in str(refused.value) and "Dữ liệu hiện tại không bị thay đổi" in str(refused.value)
    monkeypatch.undo()
    assert data_digest(folder.database) == digest
    after = tree(tmp_path)
    assert {k for k in after if k not in before} <= {k for k in after if "truoc-khoi-phuc" in k}
    assert not attachments.stored_path(folder.files, sha).exists()  # the attachment copied in was removed
    assert not list(folder.root.glob(".restore-*")) and not list(folder.files.rglob("*.tmp"))


def test_a_damaged_attachment_in_the_backup_folder_is_not_copied_in(backed_up):
    folder, backup = backed_up
    sha = next(iter(list_backups(folder.backups)[0].manifest.attachments))
    attachments.stored_path(folder.files, sha).unlink()
    (backup.parent / "files" / sha[:2] / sha).write_bytes(b"MZ something else")
    result = restore_backup(folder, backup, NOW)
    assert result.missing_files == [sha] and not attachments.stored_path(folder.files, sha).exists()


def test_units_are_untouched_by_a_refused_restore(backed_up, tmp_path):
    """The refusal happens before the database is even opened for writing."""
    folder, genuine = backed_up
    hostile = _rewrite_manifest(genuine, tmp_path / "x.ntmbak", lambda m: m["attachments"].append("../x"))
    from ntm_desktop.workspace import open_workspace

    with pytest.raises(NotABackupError):
        restore_backup(folder, hostile, NOW)
    ws = open_workspace(folder.root)
    try:
        with ws.db.transaction() as s:
            assert s.scalars(select(Unit)).first() is not None
    finally:
        ws.close()


# --- the command line


def test_restore_command_refuses_another_office_unless_accepted(backed_up, tmp_path, capsys):
    from ntm_desktop.cli import main

    folder, district_backup = backed_up
    commune = _a_commune_code(folder)
    _work_as(folder, commune)
    digest, before = data_digest(folder.database), tree(tmp_path)
    assert main(["restore", "--data-dir", str(folder.root), str(district_backup)]) == 2
    err = capsys.readouterr().err
    assert commune in err and "--accept-other-office" in err and "Chưa có gì thay đổi" in err
    assert data_digest(folder.database) == digest
    after = tree(tmp_path)
    changed = {k for k in set(after) | set(before) if after.get(k) != before.get(k)}
    assert all(k.endswith("ntm.lock") or "/logs/" in k for k in changed), changed  # the command's lock and log

    assert main(["restore", "--data-dir", str(folder.root), "--accept-other-office", str(district_backup)]) == 0
    out = capsys.readouterr().out
    assert "Đã khôi phục" in out and "máy này giờ làm việc với tư cách" in out
    assert _office_code(folder) != commune


def test_restore_command_says_update_the_app_for_a_newer_backup(backed_up, tmp_path, capsys):
    from ntm_desktop.cli import main

    folder, genuine = backed_up
    newer = _rewrite_manifest(genuine, tmp_path / "moi.ntmbak", lambda m: _set(m, format_version=7))
    assert main(["restore", "--data-dir", str(folder.root), str(newer)]) == 2
    assert "hãy cập nhật phần mềm" in capsys.readouterr().err


# --- any manifest: a Manifest or a refusal, never a traceback

_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=70),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                     max_leaves=20)
_fields = st.fixed_dictionaries({"format": st.just("ntm-desktop-backup")}, optional={
    "format_version": _json | st.integers(-3, 3), "created_at": _json | st.just("2026-03-02T09:00:00"),
    "kind": _json | st.sampled_from(["thu-cong", "hang-ngay"]), "app_version": _json, "schema_revision": _json,
    "counts": _json | st.dictionaries(st.text(max_size=10), st.integers(-5, 10**13), max_size=3),
    "attachments": _json | st.lists(st.sampled_from(["a" * 64, "../" + "a" * 61, "A" * 64, "x"]), max_size=3),
})


@hypothesis_settings(max_examples=300, deadline=None)
@given(_fields)
def test_any_manifest_is_read_or_refused_as_not_a_backup(fields):
    try:
        manifest = Manifest.from_json(json.dumps(fields))
    except ValueError:
        return
    assert all(len(sha) == 64 and set(sha) <= set("0123456789abcdef") for sha in manifest.attachments)
    assert all(isinstance(n, int) and n >= 0 for n in manifest.counts.values())
