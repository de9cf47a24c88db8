"""A package read, planned and written a batch at a time stores what one batch would, and refuses alike."""

from __future__ import annotations

import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from ntm_desktop.models import Unit
from ntm_desktop.services import settings
from ntm_desktop.services.directives import DirectiveInput, create_directive
from ntm_desktop.services.tasks import TaskInput, create_task
from ntm_desktop.sync import preview, reader
from ntm_desktop.sync.apply import apply_file, preview_file
from ntm_desktop.workspace import open_workspace
from test_sync_apply_path import _stored
from test_sync_bad_input import rebuild, refused
from test_sync_world import build_district, fingerprint, join_commune, send


def _busy_district(tmp_path):
    """The test district with five directives and ten tasks (several batches of two or three)."""
    district = build_district(tmp_path)
    with district.db.transaction("Văn thư huyện") as s:
        office = settings.office_unit_id(s)
        communes = list(s.scalars(select(Unit.id).where(Unit.level_code == "xa").order_by(Unit.code)))
        for n in range(2, 6):
            directive = create_directive(s, office, DirectiveInput(
                arrival_date=date(2025, 3, n), arrival_number=n, issuer_name="UBND tỉnh Tuyên Quang",
                number_symbol=f"{n}/KH-UBND",
                doc_date=date(2025, 3, 1), doc_type="KH", subject=f"Kế hoạch số {n} về nông thôn mới"))
            for unit_id in communes:
                create_task(s, TaskInput(directive_id=directive, summary=f"Báo cáo kết quả kế hoạch {n}",
                                         lead_unit_id=unit_id, deadline_text="trước ngày 30/6/2025"))
    return district


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(reader, "BATCH", 3)


def test_batches_store_every_row_as_the_sender_has_it(tmp_path, small_batches):
    district = _busy_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "out")
    sent, received = _stored(district), _stored(commune)
    assert len(sent["tasks"]) == 10 and len(sent["directives"]) == 5
    for name in sent:
        assert received[name] == sent[name], name
    commune.close()
    district.close()


def test_preview_of_a_large_package_counts_as_one_that_keeps_every_action(tmp_path, small_batches, monkeypatch):
    district = _busy_district(tmp_path)
    package = send(district, "XA-A", tmp_path / "out", full=True)
    fresh = open_workspace(tmp_path / "moi")
    kept = preview_file(fresh, package, confirmed_key=fingerprint(district))
    monkeypatch.setattr(preview, "KEEP_ACTIONS", 0)  # as for a package of more records than a preview keeps
    counted = preview_file(fresh, package, confirmed_key=fingerprint(district))
    assert kept.actions and not counted.actions
    assert counted.counts() == kept.counts() and counted.counts()["tasks"]["new"] == 10
    assert counted.rejections() == kept.rejections()
    assert counted.summary() == kept.summary()
    result = apply_file(fresh, package, user="cán bộ xã", confirmed_key=fingerprint(district))
    assert result.summary["counts"] == kept.counts()
    fresh.close()
    district.close()


def _tasks_of(package) -> list[str]:
    with zipfile.ZipFile(package) as zf:
        return zf.read("data/tasks.ndjson").decode().splitlines()


def test_a_bad_line_in_a_later_batch_names_its_own_line(tmp_path, small_batches):
    district = _busy_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "boot")
    package = send(district, "XA-A", tmp_path / "out", full=True)
    lines = _tasks_of(package)
    record = json.loads(lines[7])
    record["due_date"] = "30/06/2025"
    lines[7] = json.dumps(record, ensure_ascii=False)
    bad = rebuild(package, tmp_path / "bad.ntmsync", fix_checksums=True,
                  replace={"data/tasks.ndjson": ("\n".join(lines) + "\n").encode()})
    kept = set(commune.folder.received.iterdir())
    # Applied without a preview: the lines are checked as the apply reads them, inside its transaction.
    refused(commune, bad, "data/tasks.ndjson, dòng 8", "“Hạn xử lý”", "ngày (YYYY-MM-DD)", "từ chối toàn bộ")
    assert set(commune.folder.received.iterdir()) == kept  # a refused package is not kept
    commune.close()
    district.close()


def test_one_id_twice_in_different_batches_refuses_the_package(tmp_path, small_batches):
    district = _busy_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "boot")
    package = send(district, "XA-A", tmp_path / "out", full=True)
    lines = _tasks_of(package)
    twice = lines + [lines[0]]  # the first batch's record again, in the last batch

    def one_more(manifest):
        next(f for f in manifest["files"] if f["path"] == "data/tasks.ndjson")["count"] += 1

    bad = rebuild(package, tmp_path / "twice.ntmsync", fix_checksums=True, manifest_edit=one_more,
                  replace={"data/tasks.ndjson": ("\n".join(twice) + "\n").encode()})
    refused(commune, bad, "hai bản ghi trùng mã")
    commune.close()
    district.close()


def test_a_data_file_changed_after_the_preview_is_refused_when_read_again(tmp_path, small_batches):
    """The batches read again at apply time must be the bytes checked before (the manifest's hash)."""
    district = _busy_district(tmp_path)
    package = send(district, "XA-A", tmp_path / "out", full=True)
    fresh = open_workspace(tmp_path / "moi")
    with fresh.db.transaction() as s:
        opened = reader.read_package(s, package, confirmed_key=fingerprint(district))
    lines = _tasks_of(package)
    record = json.loads(lines[4])
    record["summary"] = "Nội dung bị thay trên đường gửi"
    lines[4] = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    rebuild(package, tmp_path / "swapped.ntmsync", replace={"data/tasks.ndjson": ("\n".join(lines) + "\n").encode()})
    (tmp_path / "swapped.ntmsync").replace(package)
    with pytest.raises(reader.PackageRefused, match="đã thay đổi"):
        for _ in opened.batches("tasks"):
            pass
    fresh.close()
    district.close()
