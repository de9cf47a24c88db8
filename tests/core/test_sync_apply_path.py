"""The fast write path of an import: rows as the app itself would store them, a safety backup, a kept copy."""

from __future__ import annotations

import json
import unicodedata
import zipfile

from sqlalchemy import select

from ntm_desktop.backup import BackupKind, list_backups
from ntm_desktop.backup.restore import restore_backup
from ntm_desktop.models import Directive, Task
from ntm_desktop.server.backup import list_server_backups, restore_server
from ntm_desktop.services import register
from ntm_desktop.sync.apply import apply_file
from ntm_desktop.sync.entities import ENTITIES
from ntm_desktop.sync.inbox import process_folder
from ntm_desktop.sync.reader import PackageRefused
from ntm_desktop.workspace import open_workspace
from test_sync_bad_input import rebuild, refused, world  # noqa: F401  (fixture)
from test_sync_world import build_district, join_commune, send


def _stored(ws) -> dict[str, set[tuple]]:
    """Every synced row as the database holds it (SQLite's stored text, or the server's values)."""
    with ws.db.engine.connect() as con:
        return {spec.name: {tuple(r) for r in con.exec_driver_sql(f"SELECT * FROM {spec.name}")} for spec in ENTITIES}


def _safety_backups(ws) -> list:
    """The backups made before imports: the data folder's, or the server's (pg_dump or the own export), each
    listed as one made before an import."""
    if ws.db.is_server:
        return [b.path for b in list_server_backups(ws.folder.backups) if b.kind is BackupKind.BEFORE_SYNC
                and b.kind_label() == "Trước khi nhập gói dữ liệu"]
    return [b.path for b in list_backups(ws.folder.backups) if b.manifest.kind is BackupKind.BEFORE_SYNC]


def test_imported_rows_are_stored_exactly_as_local_saves(tmp_path):
    """Every column (dates, flags, version vectors, folded and sort copies) byte for byte as the sender has it."""
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "out")
    sent, received = _stored(district), _stored(commune)
    assert sent["directives"] and sent["tasks"] and sent["units"]
    for spec in ENTITIES:
        assert received[spec.name] == sent[spec.name], spec.name


def test_incoming_text_is_normalized_and_searchable(world, tmp_path):
    """A sender's NFD text with đ is stored in NFC, and the register finds it without diacritics."""
    _, commune, package = world
    with zipfile.ZipFile(package) as zf:
        lines = zf.read("data/directives.ndjson").decode().splitlines() if "data/directives.ndjson" in zf.namelist() else []
    assert lines, "the delta should carry the directive (its task changed)"
    record = json.loads(lines[0])
    subject = "Kế hoạch làm đường giao thông nội đồng"
    record["subject"] = unicodedata.normalize("NFD", subject) + "  "
    record["version"] = {k: v + 1 for k, v in record["version"].items()}
    lines[0] = json.dumps(record, ensure_ascii=False)
    changed = rebuild(package, tmp_path / "nfd.ntmsync", fix_checksums=True,
                      replace={"data/directives.ndjson": ("\n".join(lines) + "\n").encode()})
    assert apply_file(commune, changed).status == "applied"
    with commune.db.transaction() as s:
        stored = s.get(Directive, record["id"])
        assert stored.subject == subject
        office = stored.office_unit_id
        found = register.page(s, register.RegisterFilter(office_unit_id=office, search="duong noi dong"), 0, 10)
        assert [row.id for row in found] == [record["id"]]


def test_two_records_with_one_id_are_refused(world, tmp_path):
    _, commune, package = world
    with zipfile.ZipFile(package) as zf:
        lines = zf.read("data/tasks.ndjson").decode().splitlines()
    doubled = ("\n".join(lines + lines[:1]) + "\n").encode()

    def count_one_more(manifest):
        for entry in manifest["files"]:
            if entry["path"] == "data/tasks.ndjson":
                entry["count"] += 1

    bad = rebuild(package, tmp_path / "twice.ntmsync", replace={"data/tasks.ndjson": doubled},
                  fix_checksums=True, manifest_edit=count_one_more)
    refused(commune, bad, "trùng mã")


def test_apply_leaves_a_restorable_backup_and_a_copy_of_the_package(world):
    _, commune, package = world
    result = apply_file(commune, package)
    assert result.status == "applied"
    kept = [p.read_bytes() for p in commune.folder.received.iterdir()]
    assert package.read_bytes() in kept  # beside the district's first (full) package
    assert result.backup in _safety_backups(commune)  # beside the one made when the commune joined
    commune.close()
    if commune.db.is_server:
        restore_server(commune.db.url, result.backup)
    else:
        restore_backup(commune.folder, result.backup)
    again = open_workspace(commune.folder.root)
    try:
        with again.db.transaction() as s:
            assert "Ưu tiên hoàn thành trước mùa mưa" not in s.scalars(select(Task.notes)).all()
    finally:
        again.close()


def test_an_inbox_run_makes_one_backup_for_all_packages(tmp_path):
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "boot")
    inbox = tmp_path / "inbox"
    for n in range(3):
        with district.db.transaction() as s:
            s.scalars(select(Task)).first().notes = f"Lần nhắc thứ {n + 1}"
        send(district, "XA-A", inbox)
    before, kept = len(_safety_backups(commune)), len(list(commune.folder.received.iterdir()))
    outcomes = process_folder(commune, inbox, user="cán bộ xã")
    assert [o.status for o in outcomes] == ["applied"] * 3
    assert len(_safety_backups(commune)) == before + 1
    assert len(list(commune.folder.received.iterdir())) == kept + 3


def test_nothing_is_applied_when_the_package_cannot_be_kept(world, monkeypatch):
    """A full disk while keeping the copy: the user is told, and no record changes."""
    import shutil

    from test_sync_world import state

    _, commune, package = world
    before = state(commune)

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", disk_full)
    try:
        apply_file(commune, package)
    except Exception as error:  # noqa: BLE001 - the message is what the user sees
        message = str(error)
    else:
        raise AssertionError("the import went on without its copy")
    assert "ổ đĩa đầy" in message and "Chưa nhập gì" in message
    assert state(commune) == before
    assert not isinstance(message, PackageRefused)


def test_updates_are_audited_field_by_field_like_local_saves_and_revert(tmp_path):
    """An update arriving in a package: one audit row per changed field, in the same form as the sender's own
    save wrote it; reverting the package puts every field back."""
    from datetime import date

    from ntm_desktop.models import AuditEntry, Unit
    from ntm_desktop.sync.revert import revert_package

    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "boot")
    with district.db.transaction("Văn thư huyện") as s:
        task = s.scalars(select(Task).order_by(Task.summary)).first()
        task_id, before_due = task.id, task.due_date
        task.notes = "Đôn đốc lần 2"
        task.due_date = date(2025, 7, 31)
        task.cooperating_units = [s.scalar(select(Unit).where(Unit.code == "XA-B"))]
    with district.db.transaction() as s:
        sent = {(a.field, a.old, a.new) for a in s.scalars(select(AuditEntry).where(
            AuditEntry.record_id == task_id, AuditEntry.field != "*"))}
    result = apply_file(commune, send(district, "XA-A", tmp_path / "out"))
    assert result.summary["counts"]["tasks"]["updated"] == 1
    with commune.db.transaction() as s:
        got = {(a.field, a.old, a.new) for a in s.scalars(select(AuditEntry).where(
            AuditEntry.record_id == task_id, AuditEntry.package_id == result.package_id))}
        updated = s.get(Task, task_id)
        assert updated.notes == "Đôn đốc lần 2" and [u.code for u in updated.cooperating_units] == ["XA-B"]
    assert {f for f, _, _ in got} == {"notes", "due_date", "cooperating_units"}
    assert got == sent
    with commune.db.transaction("cán bộ xã") as s:
        assert revert_package(s, result.package_id) == 3
    with commune.db.transaction() as s:
        back = s.get(Task, task_id)
        assert back.due_date == before_due and back.notes != "Đôn đốc lần 2" and back.cooperating_units == []
