"""An office whose data is on the PostgreSQL server exchanges packages and Excel workbooks with its communes
exactly as an office on its SQLite file does: records, links and attachments arrive once, in both directions,
and a package imported again changes nothing.

The district runs on the server with two PCs (two data folders, one database); its communes on SQLite files.
Skipped when NTM_TEST_DATABASE_URL names no server.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from ntm_desktop.models import Attachment, Directive, ProgressUpdate, Task, Unit, task_cooperators
from ntm_desktop.models.stored_files import StoredFile
from ntm_desktop.services import attachments, settings, tasks, units
from ntm_desktop.services.directives import DirectiveInput, create_directive
from ntm_desktop.services.tasks import TaskInput, create_task
from ntm_desktop.sync.apply import apply_file
from ntm_desktop.sync.excel_template import SHEET, export_template, import_template
from ntm_desktop.workspace import open_workspace

import server_db
from test_sync_world import fingerprint, know_key, send, state

pytestmark = pytest.mark.skipif(not server_db.SERVER, reason=server_db.NO_SERVER)

SCAN = b"%PDF-1.4\n% bien ban kiem tra\n" + bytes(range(256)) * 40
REPORT = b"%PDF-1.4\n% bao cao xa\n" + bytes(range(255, -1, -1)) * 30


def _district_data(ws) -> None:
    with ws.db.transaction("Văn thư huyện") as s:
        province = units.create_unit(s, code="TINH", name="Ủy ban nhân dân tỉnh Tuyên Quang", level_code="tinh")
        district = units.create_unit(s, code="HUYEN", name="Văn phòng Điều phối nông thôn mới huyện Hàm Yên",
                                     level_code="phong", parent_id=province)
        ids = [units.create_unit(s, code=c, name=f"Ủy ban nhân dân xã {c[-1]}", level_code="xa",
                                 parent_id=district) for c in ("XA-A", "XA-B")]
        settings.put(s, settings.OFFICE_UNIT, district)
        directive = create_directive(s, district, DirectiveInput(
            arrival_date=date(2025, 3, 3), arrival_number=1, issuer_unit_id=province, number_symbol="15/KH-UBND",
            doc_date=date(2025, 3, 1), doc_type="KH", subject="Kế hoạch xây dựng nông thôn mới năm 2025"))
        for n, unit_id in enumerate(ids, start=1):
            create_task(s, TaskInput(directive_id=directive, summary=f"Rà soát tiêu chí số {n}",
                                     lead_unit_id=unit_id, deadline_text="trước ngày 30/6/2025",
                                     cooperating_unit_ids=tuple(i for i in ids if i != unit_id)))


@pytest.fixture
def offices(tmp_path):
    """The district on the server (PCs 1 and 2, each with its own data folder) and commune XA-A on SQLite,
    set up from the district's full package."""
    url = server_db.new_server_database("sync")
    opened = []
    try:
        pc1 = open_workspace(tmp_path / "huyen-may-1", database_url=url)
        opened.append(pc1)
        _district_data(pc1)
        pc2 = open_workspace(tmp_path / "huyen-may-2", database_url=url)
        opened.append(pc2)
        yield pc1, pc2, opened, tmp_path
    finally:
        for ws in opened:
            ws.close()
        server_db.drop_server_database(url)


def _scan(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _counts(ws) -> dict[str, int]:
    with ws.db.transaction() as s:
        return {name: s.scalar(select(func.count()).select_from(table)) for name, table in (
            ("units", Unit.__table__), ("directives", Directive.__table__), ("tasks", Task.__table__),
            ("cooperators", task_cooperators), ("attachments", Attachment.__table__),
            ("progress", ProgressUpdate.__table__))}


def _copies(ws) -> list[Path]:
    """The attachments' copies kept in this PC's data folder."""
    return [p for p in ws.folder.files.rglob("*") if p.is_file()] if ws.folder.files.exists() else []


def _opened_bytes(ws, attachment_id: str) -> bytes:
    with ws.db.transaction() as s:
        return attachments.open_path(s, ws.folder.files, attachment_id).read_bytes()


def _join_commune(district_pc, tmp_path: Path, code: str = "XA-A"):
    ws = open_workspace(tmp_path / code)
    apply_file(ws, send(district_pc, code, tmp_path / "xuong", full=True), user="cán bộ xã",
               confirmed_key=fingerprint(district_pc))
    know_key(district_pc, ws)
    return ws


def test_a_package_from_the_server_reaches_a_commune_with_its_attachment(offices):
    pc1, pc2, opened, tmp_path = offices
    with pc1.db.transaction("Văn thư huyện") as s:
        directive_id = s.scalar(select(Directive.id))
        attachment_id = attachments.attach(s, pc1.folder.files, directive_id, _scan(tmp_path, "kh-15.pdf", SCAN))
    assert fingerprint(pc2) == fingerprint(pc1)  # one office, one key, whichever PC signs
    # PC 2 never opened the file: its package takes the bytes from the server.
    assert _copies(pc2) == []
    package = send(pc2, "XA-A", tmp_path / "xuong", full=True)
    assert not any(ws.folder.root.joinpath("signing-key.pem").exists() for ws in (pc1, pc2))
    commune = open_workspace(tmp_path / "XA-A")
    opened.append(commune)
    assert apply_file(commune, package, user="cán bộ xã", confirmed_key=fingerprint(pc2)).status == "applied"
    with commune.db.transaction() as s:
        task = s.scalar(select(Task).where(Task.summary == "Rà soát tiêu chí số 1"))
        assert [u.code for u in task.cooperating_units] == ["XA-B"]
        assert s.get(Attachment, attachment_id).file_name == "kh-15.pdf"
    assert _opened_bytes(commune, attachment_id) == SCAN
    before, counts = state(commune), _counts(commune)
    assert counts["attachments"] == 1 and counts["tasks"] == 2 and counts["cooperators"] == 2
    again = apply_file(commune, package, user="cán bộ xã")
    assert again.status == "already"
    assert state(commune) == before and _counts(commune) == counts


def test_a_commune_package_reaches_every_pc_of_the_office_on_the_server(offices):
    pc1, pc2, opened, tmp_path = offices
    commune = _join_commune(pc1, tmp_path)
    opened.append(commune)
    with commune.db.transaction("Cán bộ xã") as s:
        office = settings.office_unit_id(s)
        other = s.scalar(select(Unit.id).where(Unit.code == "XA-B"))
        district_task = s.scalar(select(Task.id).where(Task.lead_unit_id == office))
        progress_id = tasks.add_progress(s, district_task, date(2025, 6, 15), "Đã rà soát xong 19 tiêu chí",
                                         "UBND xã")
        own = create_directive(s, office, DirectiveInput(
            arrival_date=date(2025, 4, 2), arrival_number=7, issuer_unit_id=office, number_symbol="07/KH-UBND",
            doc_date=date(2025, 4, 1), doc_type="KH", subject="Kế hoạch của xã về đường giao thông nội đồng"))
        own_task = create_task(s, TaskInput(directive_id=own, summary="Bê tông hóa đường nội đồng thôn Đồng Tâm",
                                            lead_unit_id=office, deadline_text="trước ngày 30/9/2025",
                                            cooperating_unit_ids=(other,)))
        attachment_id = attachments.attach(s, commune.folder.files, own, _scan(tmp_path, "bao-cao.pdf", REPORT))
    package = send(commune, "HUYEN", tmp_path / "len")
    before = _counts(pc1)
    assert apply_file(pc1, package, user="Văn thư huyện").status == "applied"
    after = _counts(pc1)
    assert {k: after[k] - before[k] for k in after} == {
        "units": 0, "directives": 1, "tasks": 1, "cooperators": 1, "attachments": 1, "progress": 1}
    with pc2.db.transaction() as s:  # the other PC reads what PC 1 imported
        assert s.get(ProgressUpdate, progress_id).text.startswith("Đã rà soát xong 19 tiêu chí")
        task = s.get(Task, own_task)
        assert [u.code for u in task.cooperating_units] == ["XA-B"]
        sha = s.get(Attachment, attachment_id).sha256
        stored = s.get(StoredFile, sha)
        assert stored is not None and bytes(stored.content) == REPORT
    assert sha == hashlib.sha256(REPORT).hexdigest()
    assert _opened_bytes(pc2, attachment_id) == REPORT  # PC 2 had no copy: fetched from the server
    snapshot = state(pc2)
    assert apply_file(pc2, package, user="Văn thư huyện").status == "already"
    # The commune sends everything again in a new package: nothing doubles.
    assert apply_file(pc2, send(commune, "HUYEN", tmp_path / "lan-2", full=True), user="Văn thư huyện").status \
        == "applied"
    assert state(pc2) == snapshot and _counts(pc1) == after
    with pc1.db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(StoredFile)) == 1


def test_both_ways_and_back_the_records_converge(offices):
    """The district answers on the commune's task (a server package back down): both sides hold the same."""
    pc1, pc2, opened, tmp_path = offices
    commune = _join_commune(pc1, tmp_path)
    opened.append(commune)
    with commune.db.transaction("Cán bộ xã") as s:
        office = settings.office_unit_id(s)
        task_id = s.scalar(select(Task.id).where(Task.lead_unit_id == office))
        tasks.add_progress(s, task_id, date(2025, 6, 15), "Xã báo cáo lần 1", "UBND xã")
    apply_file(pc1, send(commune, "HUYEN", tmp_path / "len"), user="Văn thư huyện")
    with pc2.db.transaction("Văn thư huyện") as s:
        directive_id = s.scalar(select(Directive.id))
        attachments.attach(s, pc2.folder.files, directive_id, _scan(tmp_path, "huong-dan.pdf", SCAN))
        s.get(Task, task_id).summary = "Rà soát tiêu chí số 1 (bổ sung hồ sơ)"
    down = send(pc1, "XA-A", tmp_path / "xuong-2")  # PC 1 has no copy of PC 2's file
    assert apply_file(commune, down, user="cán bộ xã").status == "applied"
    with commune.db.transaction() as s:
        assert s.get(Task, task_id).summary == "Rà soát tiêu chí số 1 (bổ sung hồ sơ)"
        [attachment] = s.scalars(select(Attachment)).all()
        attachment_id = attachment.id
    assert _opened_bytes(commune, attachment_id) == SCAN
    shared = {k: v for k, v in state(commune).items() if k in ("directives", "tasks", "attachments")}
    assert shared == {k: v for k, v in state(pc1).items() if k in shared}
    counts = _counts(commune)
    assert apply_file(commune, down, user="cán bộ xã").status == "already"
    assert _counts(commune) == counts


def test_a_filled_workbook_enters_the_office_on_the_server_once(offices):
    pc1, pc2, opened, tmp_path = offices
    with pc1.db.transaction() as s:
        path = export_template(s, "XA-A", 2025, tmp_path / "bieu-mau-XA-A-2025.xlsx")
    book = load_workbook(path)
    sheet = book[SHEET]
    assert sheet["C4"].value == "Rà soát tiêu chí số 1"
    sheet["E4"], sheet["F4"], sheet["G4"], sheet["H4"] = "15/06/2025", "Đã rà soát xong 19 tiêu chí", \
        "20/06/2025", "45/BC-UBND"
    book.save(path)
    result = import_template(pc2, path, "XA-A", 2025, user="Văn thư huyện")
    assert result.status == "applied" and result.message.startswith("Đã áp dụng biểu mẫu Excel của XA-A: 1 mới")
    with pc1.db.transaction() as s:
        [update] = s.scalars(select(ProgressUpdate)).all()
        assert "Đã rà soát xong 19 tiêu chí" in update.text and update.reported_on == date(2025, 6, 15)
        task = s.get(Task, update.task_id)
        assert task.started_on == date(2025, 6, 15)
    before = state(pc1)
    assert import_template(pc1, path, "XA-A", 2025).status == "already"
    assert state(pc1) == before


def test_an_office_set_up_by_hand_on_the_server_adopts_the_package_identity(tmp_path):
    """The hand-made units are merged into the package's ones inside the apply transaction (references move
    before the package's unit rows are written: the server checks foreign keys at the commit)."""
    from ntm_desktop.services.criteria import catalogue
    from ntm_desktop.sync.apply import preview_file
    from test_sync_setup import COMMUNE, TASK, build_province, office_of, package_for, task_summaries

    province = build_province(tmp_path)
    package = package_for(province, COMMUNE, tmp_path / "usb")
    url = server_db.new_server_database("adopt")
    commune = open_workspace(tmp_path / "xa-may-chu", database_url=url)
    try:
        with commune.db.transaction("Cán bộ xã") as s:
            catalogue.install_shipped_sets(s)
            province_here = units.create_unit(s, code="LC", name="Tỉnh Lào Cai", level_code="tinh")
            hand_made = units.create_unit(s, code=COMMUNE, name="Xã Hợp Thành", level_code="xa",
                                          parent_id=province_here)
            settings.put(s, settings.OFFICE_UNIT, hand_made)
            create_directive(s, hand_made, DirectiveInput(
                arrival_date=date(2026, 3, 5), arrival_number=1, issuer_unit_id=province_here,
                number_symbol="12/UBND-NN", doc_date=date(2026, 3, 4), doc_type="CV",
                subject="Về việc báo cáo tiến độ nông thôn mới"))
        plan = preview_file(commune, package, confirmed_key=fingerprint(province))
        assert plan.package.adoption.lines()[0].startswith("Đơn vị của máy này “LC-XHOPTHANH – Xã Hợp Thành”")
        assert plan.total("rejected") == 0
        assert office_of(commune).id == hand_made  # previewing changed nothing
        assert apply_file(commune, package, user="Cán bộ xã", confirmed_key=fingerprint(province)).status \
            == "applied"
        office = office_of(commune)
        with province.db.transaction() as s:
            assert office.id == s.scalar(select(Unit.id).where(Unit.code == COMMUNE)) != hand_made
        with commune.db.transaction() as s:
            assert s.get(Unit, hand_made) is None
            assert s.scalar(select(func.count()).select_from(Unit).where(Unit.code == "LC")) == 1
            own = s.scalar(select(Directive).where(Directive.number_symbol == "12/UBND-NN"))
            assert (own.office_unit_id, own.owner_unit_id) == (office.id, office.id)
        assert task_summaries(commune) == [TASK]
    finally:
        commune.close()
        province.close()
        server_db.drop_server_database(url)


def test_every_foreign_key_on_the_server_waits_for_the_commit_when_asked(tmp_path):
    """A package's records point at each other in any order: its transaction defers the checks, so each foreign
    key of the server's schema must be DEFERRABLE (and checked at once in every other transaction)."""
    from sqlalchemy import text

    url = server_db.new_server_database("fk")
    ws = open_workspace(tmp_path / "may-chu", database_url=url)
    try:
        with ws.db.transaction() as s:
            keys = s.execute(text("SELECT conrelid::regclass::text, conname, condeferrable, condeferred "
                                  "FROM pg_constraint WHERE contype = 'f'")).all()
        assert len(keys) > 20
        assert [k for k in keys if not k.condeferrable or k.condeferred] == []
    finally:
        ws.close()
        server_db.drop_server_database(url)


def test_one_package_applied_on_two_pcs_at_once_is_applied_once(offices, monkeypatch):
    """Two clerks of the office apply the commune's package at the same moment: one applies it, the other is told
    it was already applied; nothing doubles and nobody sees an error."""
    import threading

    import ntm_desktop.sync.apply as apply_module
    from ntm_desktop.models import ImportLedger

    pc1, pc2, opened, tmp_path = offices
    commune = _join_commune(pc1, tmp_path)
    opened.append(commune)
    with commune.db.transaction("Cán bộ xã") as s:
        task_id = s.scalar(select(Task.id).where(Task.lead_unit_id == settings.office_unit_id(s)))
        tasks.add_progress(s, task_id, date(2025, 6, 15), "Xã báo cáo cùng lúc", "UBND xã")
    package = send(commune, "HUYEN", tmp_path / "len")
    before = _counts(pc1)
    both_checked = threading.Barrier(2, timeout=3)
    real_recheck = apply_module.recheck

    def recheck_then_meet(session, package):  # both PCs have checked the ledger before either writes
        checked = real_recheck(session, package)
        try:
            both_checked.wait()
        except threading.BrokenBarrierError:
            pass  # the other PC waits for this one's commit
        return checked

    monkeypatch.setattr(apply_module, "recheck", recheck_then_meet)
    results: dict[str, object] = {}

    def apply_on(name, ws):
        try:
            results[name] = apply_file(ws, package, user=f"Văn thư {name}").status
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[name] = error

    threads = [threading.Thread(target=apply_on, args=(name, ws)) for name, ws in (("PC 1", pc1), ("PC 2", pc2))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(map(str, results.values())) == ["already", "applied"]
    after = _counts(pc1)
    assert {k: after[k] - before[k] for k in after}["progress"] == 1
    with pc1.db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(ImportLedger).where(
            ImportLedger.result == "applied", ImportLedger.origin_code == "XA-A")) == 1


@pytest.mark.parametrize("use_pg_dump", [True, False], ids=["pg_dump", "own-export"])
def test_the_servers_backup_carries_the_offices_key(offices, use_pg_dump):
    """The key every PC signs with is part of the office's data on the server: its backup carries it, and a
    restore brings it back after a new key was made."""
    import shutil

    from ntm_desktop.server.backup import backup_server, restore_server
    from ntm_desktop.sync import keys

    if use_pg_dump and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore not on the PATH")
    pc1, pc2, opened, tmp_path = offices
    printed = fingerprint(pc1)
    backup = backup_server(pc1.db.url, tmp_path / "sao-luu", use_pg_dump=use_pg_dump)
    with pc2.db.transaction("Quản trị") as s:
        new = keys.rotate(s, "Quản trị")
    assert fingerprint(pc1) == new.fingerprint != printed  # the other PC signs with the new key at once
    for ws in (pc1, pc2):
        ws.db.engine.dispose()  # idle connections let the restore replace the tables
    restore_server(pc1.db.url, backup.path)
    assert fingerprint(pc1) == fingerprint(pc2) == printed


def test_two_pcs_sending_to_one_commune_at_once_take_two_numbers(offices, monkeypatch):
    """Each package to XA-A has its own sequence number, whichever PC of the office makes it, even at one moment
    (the commune would otherwise see a package twice numbered and a gap)."""
    import threading

    import ntm_desktop.sync.export as export_module
    from ntm_desktop.models import ExportLog

    pc1, pc2, opened, tmp_path = offices
    both_numbered = threading.Barrier(2, timeout=3)
    real_next = export_module.next_sequence

    def number_then_meet(session, destination_id):
        number = real_next(session, destination_id)
        try:
            both_numbered.wait()
        except threading.BrokenBarrierError:
            pass  # the other PC waits for this one's commit
        return number

    monkeypatch.setattr(export_module, "next_sequence", number_then_meet)
    results: dict[str, object] = {}

    def send_from(name, ws):
        try:
            results[name] = send(ws, "XA-A", tmp_path / name, full=True)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[name] = error

    threads = [threading.Thread(target=send_from, args=(name, ws)) for name, ws in (("may-1", pc1), ("may-2", pc2))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(isinstance(r, Path) for r in results.values()), results
    with pc1.db.transaction() as s:
        assert sorted(s.scalars(select(ExportLog.sequence))) == [1, 2]


def test_the_free_space_asked_before_an_import_counts_the_servers_backup(offices, monkeypatch):
    """The backup made before the import lands on this PC's disk: the free space asked for counts the server's
    database (the records themselves go to the server)."""
    from sqlalchemy import text

    from ntm_desktop.backup import space

    pc1, pc2, opened, tmp_path = offices
    commune = _join_commune(pc1, tmp_path)
    opened.append(commune)
    with commune.db.transaction("Cán bộ xã") as s:
        directive = create_directive(s, settings.office_unit_id(s), DirectiveInput(
            arrival_date=date(2025, 4, 2), arrival_number=8, issuer_unit_id=settings.office_unit_id(s),
            number_symbol="08/BC-UBND", doc_date=date(2025, 4, 1), doc_type="BC", subject="Báo cáo của xã"))
        attachments.attach(s, commune.folder.files, directive, _scan(tmp_path, "bao-cao.pdf", REPORT))
    package = send(commune, "HUYEN", tmp_path / "len")
    asked = []
    real = space.require_free_space
    monkeypatch.setattr(space, "require_free_space", lambda folder, needed, doing: (asked.append(needed),
                                                                                      real(folder, needed, doing)))
    with pc1.db.transaction() as s:
        database = s.scalar(text("SELECT pg_database_size(current_database())"))  # before the import
    assert apply_file(pc2, package, user="Văn thư huyện").status == "applied"
    [needed] = asked
    assert database + len(REPORT) <= needed <= database * 1.2 + len(REPORT) + package.stat().st_size
