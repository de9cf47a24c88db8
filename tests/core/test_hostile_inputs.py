"""Hostile packages, each built from a genuine one and applied at a fresh installation.

Each is refused whole with a Vietnamese reason, or the offending record is rejected with its reason while the
rest applies; nothing outside the receiving data folder is created or changed, a refusal leaves every data
table as it was, and memory and disk stay within the caps.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tracemalloc
import uuid
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ntm_desktop.errors import DatabaseLockedError, DiskFullError, UserError, ValidationError
from ntm_desktop.models import Attachment, Directive, ImportLedger, ProgressUpdate, Task, Unit
from ntm_desktop.services import attachments, register
from ntm_desktop.services.directives import next_arrival_number
from ntm_desktop.sync.apply import apply_file, preview_file
from ntm_desktop.sync.export import export_package
from ntm_desktop.sync.inbox import process_folder
from ntm_desktop.sync.reader import PackageRefused

from hostile_packages import (PDF, build_world, disk_state, edit_record, files_in, fresh, members, nested, records,
                              tables_digest, tamper, write_zip)

MiB = 1024 ** 2


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build_world(tmp_path_factory.mktemp("world"))


@pytest.fixture
def commune(world, tmp_path):
    ws = fresh(world.commune_folder, tmp_path / "xa")
    yield ws
    ws.close()


@pytest.fixture
def district(world, tmp_path):
    ws = fresh(world.district_folder, tmp_path / "huyen")
    yield ws
    ws.close()


def refused(ws, package: Path, *words: str) -> str:
    """Applies `package`, which must be refused whole: the reason says `words`, is noted in the ledger, and
    neither the data nor any file outside the data folder changed."""
    outside, data = disk_state(ws.folder.root.parent.parent, skip=ws.folder.root), tables_digest(ws.folder.database)
    kept = files_in(ws.folder.received) | files_in(ws.folder.files)
    with pytest.raises(PackageRefused) as info:
        apply_file(ws, package, user="cán bộ", backup=False)
    message = str(info.value)
    for word in words:
        assert word in message, message
    assert disk_state(ws.folder.root.parent.parent, skip=ws.folder.root) == outside
    assert tables_digest(ws.folder.database) == data
    assert files_in(ws.folder.received) | files_in(ws.folder.files) == kept
    with ws.db.transaction() as s:
        last = s.scalars(select(ImportLedger).order_by(ImportLedger.id.desc())).first()
        assert last.result == "refused" and last.summary == message
    return message


def applied_with_rejection(ws, package: Path, entity: str, record_id: str, *words: str):
    """Applies `package`: the record is rejected with a reason saying `words`, nothing outside the data folder
    changes, and the preview said the same beforehand."""
    plan = preview_file(ws, package)
    reasons = {(e, i): r for e, i, r in plan.rejections()}
    assert (entity, record_id) in reasons, plan.rejections()
    outside = disk_state(ws.folder.root.parent.parent, skip=ws.folder.root)
    result = apply_file(ws, package, user="cán bộ", backup=False)
    assert result.status == "applied"
    assert disk_state(ws.folder.root.parent.parent, skip=ws.folder.root) == outside
    reason = {(r["entity"], r["id"]): r["reason"] for r in result.summary["rejected"]}[(entity, record_id)]
    assert reason == reasons[(entity, record_id)]
    for word in words:
        assert word in reason, reason
    return result


def manifest_of(package: Path) -> dict:
    return json.loads(members(package)["manifest.json"])


# --- 1. a package id (or any manifest value) that would become a path -----------------------------------------

@pytest.mark.parametrize("field, value", [
    ("package_id", "../../../../victim"),
    ("package_id", "x/../../../../victim.ntmsync"),
    ("package_id", "a" * 36),
    ("origin_code", "../../../victim"),
    ("origin_code", "XA A"),
    ("destination_code", "C:\\Windows"),
    ("origin_unit_id", "../x"),
    ("origin_installation", "../../etc"),
    ("sequence", "7/../../x"),
    ("sequence", 10 ** 30),
    ("sequence", -1),
    ("sequence", True),
    ("sequence", 1.5),
    ("created_utc", "hôm qua"),
    ("created_utc", 20250101),
    ("kind", None),
    ("origin_user", "x" * 5000),
    ("files", {"path": "data/tasks.ndjson"}),
    ("files", "data/tasks.ndjson"),
])
def test_a_manifest_value_not_of_its_form_is_refused_whole(world, commune, tmp_path, field, value):
    bad = tamper(world.down, tmp_path / "goi.ntmsync", manifest_edit=lambda m: m.update({field: value}))
    message = refused(commune, bad, "manifest.json", "không hợp lệ", "Hãy đề nghị đơn vị gửi")
    assert field in message
    assert not any((tmp_path.parent / "victim").parent.glob("victim*"))


def test_a_file_hash_in_the_manifest_must_be_a_hash(world, commune, tmp_path):
    def edit(m):
        m["files"][0]["sha256"] = "../../../etc/hostname"
    refused(commune, tamper(world.down, tmp_path / "goi.ntmsync", manifest_edit=edit), "sha256", "SHA-256")


def test_the_kept_copy_is_named_from_checked_parts_only(world, commune):
    before = set(commune.folder.received.iterdir())
    result = apply_file(commune, world.down, backup=False)
    assert result.status == "applied"
    kept = set(commune.folder.received.iterdir()) - before
    assert [p.name for p in kept] == [f"HUYEN-00002-{manifest_of(world.down)['package_id']}.ntmsync"]


def test_a_package_refused_for_its_id_leaves_no_copy_anywhere(world, commune, tmp_path):
    """Before: the copy was kept as received/"{code}-{seq}-{package_id}": `/../..` wrote it where chosen."""
    victim = tmp_path / "victim"
    target = os.path.relpath(victim, commune.folder.received)
    bad = tamper(world.down, tmp_path / "goi.ntmsync", manifest_edit=lambda m: m.update(package_id=f"x/{target}"))
    refused(commune, bad, "package_id", "UUID")
    assert not victim.exists() and not list(tmp_path.glob("victim*"))


# --- 3. an attachment's hash that is a path ---------------------------------------------------------------------

@pytest.mark.parametrize("sha", ["./../ntm.sqlite3", "../../../etc/hostname", "A" * 64, "0" * 63 + "\n", ""])
def test_an_attachment_whose_hash_is_a_path_is_rejected_and_never_exported(world, district, tmp_path, sha):
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "attachments", edit_record(world.ids["attachment"], sha256=sha))
    applied_with_rejection(district, bad, "attachments", world.ids["attachment"], "SHA-256")
    with district.db.transaction() as s:
        assert s.get(Attachment, world.ids["attachment"]) is None
        exported = export_package(s, district.folder.files, "TINH", None, out_dir=tmp_path / "usb", full=True)
    names = set(members(exported.path))
    assert not [n for n in names if n.startswith("files/")]
    assert members(exported.path).keys() == names and exported.files == 0


def test_an_export_never_reads_outside_the_files_folder(world, district, tmp_path):
    """A record with a path for a hash, stored before this check existed: the export leaves its file out."""
    with district.db.transaction() as s:
        directive = s.scalars(select(Directive)).first()
        for sha in ("./../ntm.sqlite3", "../../../../../../etc/hostname"):
            s.add(Attachment(directive_id=directive.id, file_name="bao-cao.pdf", sha256=sha, size=1,
                             owner_unit_id=directive.owner_unit_id))
    with district.db.transaction() as s:
        exported = export_package(s, district.folder.files, "TINH", None, out_dir=tmp_path / "usb", full=True)
    content = members(exported.path)
    assert not [n for n in content if n.startswith("files/")]
    database = district.folder.database.read_bytes()[:16]
    assert not any(database in data for data in content.values())


def test_a_stored_hash_is_never_made_a_path(district):
    with pytest.raises(ValidationError, match="SHA-256"):
        attachments.stored_path(district.folder.files, "../../ntm.sqlite3")
    assert attachments.stored_path(district.folder.files, "ab" * 32).parent.name == "ab"


# --- 2. attachment types an office does not exchange ------------------------------------------------------------

@pytest.mark.parametrize("name", ["Bao cao.pdf.bat", "setup.exe", "lien-ket.lnk", "x.ps1", "bang.xlsm", "khong-duoi"])
def test_an_executable_or_script_attachment_is_rejected_and_its_file_not_written(world, district, tmp_path, name):
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "attachments", edit_record(world.ids["attachment"], file_name=name))
    applied_with_rejection(district, bad, "attachments", world.ids["attachment"], "tệp chạy được")
    assert files_in(district.folder.files) == set()
    with district.db.transaction() as s:
        assert s.get(Directive, world.ids["directive"]) is not None  # the rest of the package applied


def test_a_genuine_pdf_attachment_arrives(world, district):
    result = apply_file(district, world.up, backup=False)
    assert result.summary["rejected"] == []
    assert files_in(district.folder.files) == {hashlib.sha256(PDF).hexdigest()}


# --- 4. a commune changing the district's data as itself -----------------------------------------------------

def test_a_new_unit_placed_directly_under_the_province_is_rejected(world, district, tmp_path):
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "units",
                 edit_record(world.ids["hamlet"], parent_id=world.ids["TINH"]))
    applied_with_rejection(district, bad, "units", world.ids["hamlet"], "đặt", "dưới")
    with district.db.transaction() as s:
        assert s.get(Unit, world.ids["hamlet"]) is None
        assert s.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == world.ids["TINH"])) == 1


def test_a_commune_may_not_move_itself_under_the_province(world, district, tmp_path):
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "units",
                 edit_record(world.ids["XA-A"], parent_id=world.ids["TINH"], version={"x": 99}))
    applied_with_rejection(district, bad, "units", world.ids["XA-A"], "chuyển")
    with district.db.transaction() as s:
        assert s.get(Unit, world.ids["XA-A"]).parent_id == world.ids["HUYEN"]


def test_a_hamlet_under_the_commune_itself_is_accepted(world, district):
    apply_file(district, world.up, backup=False)
    with district.db.transaction() as s:
        assert s.get(Unit, world.ids["hamlet"]).parent_id == world.ids["XA-A"]


def test_ownerless_directives_and_tasks_are_rejected(world, district, tmp_path):
    """Before: accepted, and the district's next arrival number jumped to 56."""
    def ownerless(rows):
        for row in rows:
            if row["id"] == world.ids["directive"]:
                row.update(owner_unit_id=None, office_unit_id=world.ids["HUYEN"], arrival_number=55)
        return rows
    step = tamper(world.up, tmp_path / "a.ntmsync", "directives", ownerless)
    bad = tamper(step, tmp_path / "b.ntmsync", "tasks", edit_record(world.ids["task"], owner_unit_id=None))
    with district.db.transaction() as s:
        number = next_arrival_number(s, world.ids["HUYEN"], date.today().year)
    result = applied_with_rejection(district, bad, "directives", world.ids["directive"], "không có đơn vị sở hữu")
    assert {(r["entity"], r["id"]) for r in result.summary["rejected"]} >= {("tasks", world.ids["task"])}
    with district.db.transaction() as s:
        assert next_arrival_number(s, world.ids["HUYEN"], date.today().year) == number
        assert s.get(Task, world.ids["task"]) is None


def test_a_communes_directive_does_not_enter_the_districts_register(world, district, tmp_path):
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "directives",
                 edit_record(world.ids["directive"], office_unit_id=world.ids["HUYEN"], arrival_number=55))
    with district.db.transaction() as s:
        before = register.count(s, register.RegisterFilter(office_unit_id=world.ids["HUYEN"]))
    applied_with_rejection(district, bad, "directives", world.ids["directive"], "sổ văn bản đến")
    with district.db.transaction() as s:
        assert register.count(s, register.RegisterFilter(office_unit_id=world.ids["HUYEN"])) == before


def test_a_communes_task_on_the_districts_directive_is_rejected(world, district, tmp_path):
    with district.db.transaction() as s:
        theirs = s.scalars(select(Directive).where(Directive.office_unit_id == world.ids["HUYEN"])).first().id
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "tasks", edit_record(world.ids["task"], directive_id=theirs))
    applied_with_rejection(district, bad, "tasks", world.ids["task"], "văn bản của đơn vị khác")


@pytest.mark.parametrize("day, words", [
    (date(2099, 12, 31), ("31/12/2099", "ngoài khoảng năm")),
    (date.today() + timedelta(days=5), ("ở tương lai",)),
])
def test_a_report_dated_in_the_future_does_not_move_the_districts_recurring_task(world, district, tmp_path, day,
                                                                                   words):
    """Before: a report dated 2099-12-31 moved the district's monthly task to 2100-01-25."""
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "progress_updates",
                 edit_record(world.ids["report"], reported_on=day.isoformat()))
    applied_with_rejection(district, bad, "progress_updates", world.ids["report"], *words)
    with district.db.transaction() as s:
        assert s.get(Task, world.ids["monthly"]).due_date.isoformat() == world.ids["monthly_due"]
        assert s.get(ProgressUpdate, world.ids["report"]) is None


@pytest.mark.parametrize("entity, record, field, value, words", [
    ("tasks", "task", "due_date", "2100-01-25", ("2100", "1945")),
    ("directives", "directive", "arrival_date", "1900-01-01", ("1900",)),
    ("directives", "directive", "arrival_year", 99999, ("99999",)),
    ("units", "hamlet", "code", "../THON", ("mã đơn vị",)),
])
def test_dates_years_and_codes_outside_the_forms_limits_are_rejected(world, district, tmp_path, entity, record,
                                                                       field, value, words):
    bad = tamper(world.up, tmp_path / "goi.ntmsync", entity, edit_record(world.ids[record], **{field: value}))
    applied_with_rejection(district, bad, entity, world.ids[record], *words)


# --- 5. a small package with a huge cost ------------------------------------------------------------------------

def test_files_no_record_refers_to_are_not_written(world, district, tmp_path):
    """Before: every file of the package was written, referenced or not."""
    junk = {f"files/{hashlib.sha256(data).hexdigest()}": data for data in (os.urandom(64 * 1024) for _ in range(20))}
    bad = tamper(world.up, tmp_path / "goi.ntmsync", extra=junk)
    result = apply_file(district, bad, backup=False)
    assert result.status == "applied"
    assert files_in(district.folder.files) == {hashlib.sha256(PDF).hexdigest()}


def test_many_small_highly_compressed_members_are_a_bomb(world, district, tmp_path):
    """Before: the ratio rule covered members over 1 MiB only; 40 members just under it wrote 40 MiB."""
    zeros = [bytes(MiB - 1 - n) for n in range(40)]
    bad = tamper(world.up, tmp_path / "goi.ntmsync", extra={f"files/{hashlib.sha256(z).hexdigest()}": z for z in zeros})
    assert bad.stat().st_size < 2 * MiB
    refused(district, bad, "bom nén")
    assert files_in(district.folder.files) == set()


@pytest.mark.parametrize("field, size, label", [("full_text", 1_000_001, "Toàn văn"), ("subject", 10_001, "Trích yếu"),
                                               ("notes", 100_001, "Ghi chú của văn bản")])
def test_a_text_field_over_its_cap_is_rejected(world, district, tmp_path, field, size, label):
    text = (uuid.uuid4().hex * (size // 32 + 1))[:size]
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "directives", edit_record(world.ids["directive"], **{field: text}))
    result = applied_with_rejection(district, bad, "directives", world.ids["directive"], label, "quá giới hạn")
    assert field not in {r["id"]: r["reason"] for r in result.summary["rejected"]}[world.ids["directive"]]


def test_a_line_longer_than_any_record_is_refused_without_reading_it_whole(world, district, tmp_path):
    """Before: a 3.1 MB package added a 500 MB text field; the member was read whole into memory."""
    text = os.urandom(9 * MiB // 2).hex()  # compresses about 2:1, so it is no bomb: only its length refuses it
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "directives", edit_record(world.ids["directive"], notes=text))
    refused(district, bad, "dài hơn 8 MB")


def test_memory_stays_bounded_for_a_large_attachment_and_a_huge_field(world, district, tmp_path):
    big = os.urandom(24 * MiB)
    sha = hashlib.sha256(big).hexdigest()

    def swap(rows):
        for row in rows:
            if row["id"] == world.ids["attachment"]:
                row.update(sha256=sha, size=len(big))
        return rows
    package = tamper(world.up, tmp_path / "lon.ntmsync", "attachments", swap, extra={f"files/{sha}": big},
                     compression=zipfile.ZIP_STORED)
    del big
    tracemalloc.start()
    try:
        result = apply_file(district, package, backup=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.summary["rejected"] == []
    assert attachments.stored_path(district.folder.files, sha).stat().st_size == 24 * MiB
    assert peak < 12 * MiB, f"{peak / MiB:.1f} MiB"


# --- 8. one bad file does not stop the inbox --------------------------------------------------------------------

def test_a_deeply_nested_package_is_refused_and_the_next_one_still_applied(world, district, tmp_path):
    inbox = tmp_path / "hop-thu"
    inbox.mkdir()
    deep = nested(200_000)
    tamper(world.up, inbox / "A-long-nhau.ntmsync", "tasks", lambda rows: rows[:-1] + [
        json.dumps(rows[-1])[:-1] + f', "x": {deep}}}'])
    (inbox / "B-hop-le.ntmsync").write_bytes(world.up.read_bytes())
    outcomes = {o.file_name: o for o in process_folder(district, inbox, user="cán bộ")}
    assert outcomes["A-long-nhau.ntmsync"].status == "refused"
    assert "lồng nhau quá sâu" in outcomes["A-long-nhau.ntmsync"].message
    assert outcomes["B-hop-le.ntmsync"].status == "applied"
    with district.db.transaction() as s:
        results = {e.file_name: e.result for e in s.scalars(select(ImportLedger))}
    assert results["A-long-nhau.ntmsync"] == "refused" and results["B-hop-le.ntmsync"] == "applied"


# --- 10. messages, not tracebacks ------------------------------------------------------------------------------

@pytest.mark.parametrize("manifest", [b"[]", b'"ntm-sync"', b"5", b"null", nested(100_000).encode(),
                                      b'{"format": "ntm-sync", "format_version": 1, "x": ' + nested(50).encode() + b"}",
                                      b"\xff\xfe", b'{"format": NaN}'])
def test_a_manifest_that_is_not_an_object_is_refused(world, commune, tmp_path, manifest):
    refused(commune, tamper(world.down, tmp_path / "goi.ntmsync", raw_manifest=manifest), "manifest.json")


@pytest.mark.parametrize("line", ["[1, 2]", '"chuỗi"', "42", "null", nested(100_000), '{"id": ' + "9" * 5000 + "}"])
def test_a_record_that_is_not_an_object_is_refused(world, commune, tmp_path, line):
    bad = tamper(world.down, tmp_path / "goi.ntmsync", "tasks", lambda rows: rows + [line])
    refused(commune, bad, "data/tasks.ndjson, dòng")


def test_a_deep_receipt_is_refused(world, district, tmp_path):
    receipt = {"package_id": str(uuid.uuid4()), "sequence": 1, "applied_at": "", "rejected": json.loads(nested(60))}
    data = json.dumps(receipt).encode() + b"\n"

    def as_receipt(m):
        m.update(kind="receipt", files=[{"path": "data/receipt.ndjson", "entity": "receipt", "count": 1,
                                         "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}])
    content = members(tamper(world.up, tmp_path / "a.ntmsync", manifest_edit=as_receipt))
    content = {k: v for k, v in content.items() if not k.startswith(("data/", "files/"))}
    content["data/receipt.ndjson"] = data
    refused(district, write_zip(tmp_path / "bao-nhan.ntmsync", content), "lồng nhau")


def test_the_losing_apply_of_two_says_someone_else_is_importing(world, tmp_path, monkeypatch):
    import sqlite3

    import ntm_desktop.db as db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    district = fresh(world.district_folder, tmp_path / "huyen")
    data = tables_digest(district.folder.database)
    other = sqlite3.connect(district.folder.database)
    other.execute("BEGIN IMMEDIATE")  # the other window's import, mid-transaction
    try:
        with pytest.raises(DatabaseLockedError) as info:
            apply_file(district, world.up)
    finally:
        other.rollback()
        other.close()
    assert "nhập gói khác" in str(info.value) and "thử lại" in str(info.value)
    assert tables_digest(district.folder.database) == data
    assert apply_file(district, world.up, backup=False).status == "applied"  # once the other is done
    district.close()


_APPLY = """
import sys
from ntm_desktop.errors import UserError
from ntm_desktop.sync.apply import apply_file
from ntm_desktop.workspace import open_workspace
ws = open_workspace(sys.argv[1])
try:
    print(apply_file(ws, sys.argv[2], backup=False).status)
except UserError as error:
    print("message:", error)
"""


def test_two_processes_applying_at_once_each_end_with_a_result_or_a_message(world, tmp_path):
    folder = tmp_path / "huyen"
    fresh(world.district_folder, folder).close()
    runs = [subprocess.Popen([sys.executable, "-c", _APPLY, str(folder), str(world.up)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all("Traceback" not in err for _, err in outputs), outputs
    said = sorted(out.strip() for out, _ in outputs)
    assert "applied" in said and said != ["applied", "applied"], said


def test_a_full_disk_while_copying_attachments_applies_nothing(world, district, monkeypatch):
    import ntm_desktop.sync.apply as apply_module

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(apply_module, "copy_member", disk_full)
    data = tables_digest(district.folder.database)
    with pytest.raises(DiskFullError, match="ổ đĩa đã đầy"):
        apply_file(district, world.up, backup=False)
    assert tables_digest(district.folder.database) == data
    assert files_in(district.folder.files) == set()


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a 1 MB file system (tmpfs; needs root), unmounted afterwards."""
    mount = tmp_path / "nho"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("a small file system needs root (mount -t tmpfs)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_applying_with_little_free_space_gives_a_message_and_changes_nothing(world, small_disk):
    """Under 400 KB free: the backup says it has no room; without a backup, the apply either completes or says
    the disk is full, and then nothing was applied (before: a traceback)."""
    import shutil

    from ntm_desktop.workspace import open_workspace

    shutil.copytree(world.district_folder, small_disk / "huyen")
    district = open_workspace(small_disk / "huyen")
    filler = small_disk / "tep-khac"  # another program's file takes the rest of the disk
    messages = []
    try:
        data = tables_digest(district.folder.database)
        for backup, free in ((True, 300), (False, 0), (False, 8), (False, 40), (False, 300)):
            filler.unlink(missing_ok=True)
            filler.write_bytes(bytes(max(shutil.disk_usage(small_disk).free - free * 1024, 0)))
            assert shutil.disk_usage(small_disk).free < 400 * 1024
            try:
                result = apply_file(district, world.up, backup=backup)
            except UserError as error:
                messages.append(str(error))
                assert "ổ đĩa" in str(error).lower() and "nhập" in str(error), str(error)
                assert tables_digest(district.folder.database) == data
            else:
                assert result.status == "applied" and result.summary["rejected"] == []
                break
        assert len(messages) >= 2 and "sao lưu" in messages[0]
    finally:
        district.close()


@pytest.fixture
def read_only_stick(tmp_path):
    stick = tmp_path / "usb"
    stick.mkdir()
    if os.geteuid() == 0:
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(stick)],
                          capture_output=True).returncode != 0:
            pytest.skip("a read-only stick needs mount as root")
        yield stick
        subprocess.run(["umount", "-l", str(stick)], check=False)
    else:
        stick.chmod(0o555)
        yield stick
        stick.chmod(0o755)


def test_export_to_a_read_only_stick_says_so_once(district, read_only_stick):
    with pytest.raises(UserError) as info:
        with district.db.transaction() as s:
            export_package(s, district.folder.files, "TINH", None, out_dir=read_only_stick / "gui-tinh", full=True)
    message = str(info.value)
    assert "Không ghi được gói dữ liệu" in message and "chỉ đọc" in message
    assert info.value.__context__ is None or isinstance(info.value.__cause__, OSError)
    with district.db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(ImportLedger)) >= 0  # the database is still usable


def test_a_receipt_to_a_read_only_stick_says_so_once(commune, read_only_stick):
    from ntm_desktop.sync.receipts import export_receipt

    with pytest.raises(UserError) as info:
        with commune.db.transaction() as s:
            export_receipt(s, "HUYEN", None, out_dir=read_only_stick / "bao-nhan")
    assert "Không ghi được giấy báo đã nhận" in str(info.value) and "chỉ đọc" in str(info.value)


def test_a_file_listed_twice_in_the_manifest_is_refused(world, commune, tmp_path):
    bad = tamper(world.down, tmp_path / "goi.ntmsync", manifest_edit=lambda m: m.update(files=m["files"] * 2))
    refused(commune, bad, "files", "không trùng")


@pytest.mark.skipif(sys.platform == "win32", reason="file names that are not valid UTF-8 exist on Linux only")
def test_file_names_the_system_cannot_decode_are_noted_not_crashed_on(world, district, tmp_path):
    inbox = tmp_path / "hop-thu"
    inbox.mkdir()
    good = os.fsdecode(b"goi-\xff.ntmsync")
    bad = os.fsdecode(b"hong-\xfe.ntmsync")
    (inbox / good).write_bytes(world.up.read_bytes())
    (inbox / bad).write_bytes(b"khong phai goi")
    outcomes = {o.file_name: o.status for o in process_folder(district, inbox, user="cán bộ")}
    assert outcomes == {good: "applied", bad: "refused"}
    with district.db.transaction() as s:
        assert sorted(e.result for e in s.scalars(select(ImportLedger))) == ["applied", "refused"]
