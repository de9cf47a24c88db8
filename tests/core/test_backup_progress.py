"""A backup tells how far it has gone, and stopped half-way it leaves nothing of itself behind."""

from __future__ import annotations

import os
import zipfile
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from ntm_desktop.backup import BackupKind, create_backup, list_backups, set_extra_folder, verify_backup
from ntm_desktop.backup import progress as progress_module
from ntm_desktop.backup.progress import BackupCancelled
from ntm_desktop.models import Directive
from ntm_desktop.services import attachments

from hostile_helpers import tree

pytestmark = pytest.mark.sqlite_only  # the SQLite file's backup, page by page

NOW = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def office(demo_workspace, tmp_path, monkeypatch):
    """The demo district with two scanned directives, a USB folder, and a backup made yesterday."""
    monkeypatch.setattr(progress_module, "STEP_BYTES", 64 << 10)  # many steps on a small database
    ws = demo_workspace
    with ws.db.transaction() as s:
        ids = s.scalars(select(Directive.id).order_by(Directive.arrival_number)).all()[:2]
        for n, directive_id in enumerate(ids):
            scan = tmp_path / f"cong-van-{n}.pdf"
            scan.write_bytes(b"%PDF-1.4 " + os.urandom(300_000))
            attachments.attach(s, ws.folder.files, directive_id, scan)
    usb = tmp_path / "usb"
    usb.mkdir()
    set_extra_folder(ws.folder.root, usb)
    old = create_backup(ws.folder, BackupKind.MANUAL, NOW - timedelta(days=1))
    with ws.db.transaction() as s:  # a third scan after yesterday's backup: today's has one more to copy
        scan = tmp_path / "cong-van-moi.pdf"
        scan.write_bytes(b"%PDF-1.4 " + os.urandom(300_000))
        attachments.attach(s, ws.folder.files, ids[0], scan)
    return ws, usb, old


def test_progress_rises_to_the_total_through_every_step(office, tmp_path):
    ws, usb, _old = office
    seen: list[tuple[int, int]] = []
    result = create_backup(ws.folder, BackupKind.MANUAL, NOW, progress=lambda done, total: seen.append((done, total)))
    done = [d for d, _t in seen]
    totals = {t for _d, t in seen}
    assert len(totals) == 1, "the total is known from the start"
    total = totals.pop()
    # the database twice (copy, zip), once more for the USB stick, the new scan for both folders
    assert total > 3 * ws.folder.database.stat().st_size + 2 * 300_000
    assert done == sorted(done) and done[-1] == total
    assert len(set(done)) > 50  # the bar moves all along, not in one jump at the end
    assert [d for d in done if 0 < d < total], "values in between are reported"
    assert result.copies and result.copies[0].parent == usb
    database, manifest = verify_backup(result.info.path, tmp_path)  # the zip written in steps is a sound backup
    assert database.is_file() and manifest.counts == result.info.manifest.counts


# What is being written when the officer clicks "Hủy": the file half-written in that step.
STEPS = {
    "database copy": lambda backups, usb: list(backups.glob(".tmp-*/ntm.sqlite3.tmp")),
    "attachments": lambda backups, usb: list(backups.glob("files/*/*.tmp")),
    "zip": lambda backups, usb: list(backups.glob(".tmp-*/*.ntmbak")),
    "attachments on the USB stick": lambda backups, usb: list(usb.glob("files/*/*.tmp")),
    "copy on the USB stick": lambda backups, usb: list(usb.glob("*.ntmbak.tmp")),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_backup_stopped_half_way_leaves_no_new_backup_and_no_leftovers(office, step):
    ws, usb, old = office
    before_data, before_usb = tree(ws.folder.root), tree(usb)
    listed = [b.path for b in list_backups(ws.folder.backups)]
    stopped = []

    def report(done: int, total: int) -> bool:
        if STEPS[step](ws.folder.backups, usb):
            stopped.append(done / total)
            return False
        return True

    with pytest.raises(BackupCancelled):
        create_backup(ws.folder, BackupKind.MANUAL, NOW, progress=report)
    assert stopped and 0 < stopped[0] < 1, f"stopped during the {step}"
    assert tree(ws.folder.root) == before_data, "nothing new or changed in the data folder"
    assert tree(usb) == before_usb, "nothing new or changed on the USB stick"
    for place in (ws.folder.backups, usb):
        assert not list(place.glob(".tmp-*")) and not list(place.rglob("*.tmp"))
    assert [b.path for b in list_backups(ws.folder.backups)] == listed == [old.info.path]
    with zipfile.ZipFile(old.info.path) as zf:
        assert zf.testzip() is None  # yesterday's backup is whole


def test_a_backup_after_a_stopped_one_is_whole(office):
    ws, usb, old = office
    with pytest.raises(BackupCancelled):
        create_backup(ws.folder, BackupKind.MANUAL, NOW, progress=lambda done, total: done < total / 2)
    result = create_backup(ws.folder, BackupKind.MANUAL, NOW, progress=lambda done, total: True)
    assert {b.path for b in list_backups(ws.folder.backups)} == {old.info.path, result.info.path}
    assert (usb / result.info.path.name).read_bytes() == result.info.path.read_bytes()
    for sha in result.info.manifest.attachments:
        assert (ws.folder.backups / "files" / sha[:2] / sha).is_file() and (usb / "files" / sha[:2] / sha).is_file()
