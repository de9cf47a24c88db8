"""Inbox of many offices, receipts, revert, and the command line."""

from __future__ import annotations

import json
import shutil

from sqlalchemy import select

from ntm_desktop.cli import main
from ntm_desktop.models import Task
from ntm_desktop.services import units
from ntm_desktop.sync.apply import apply_file
from ntm_desktop.sync.inbox import board, process_folder
from ntm_desktop.sync.receipts import destination_status, export_receipt
from ntm_desktop.sync.revert import revert_package
from signing_helpers import folder_key
from test_sync_world import build_district, join_commune, send, state


def test_inbox_applies_in_order_and_shows_gaps_refusals_and_conflicts(tmp_path):
    district = build_district(tmp_path)
    a = join_commune(tmp_path, district, "XA-A", tmp_path / "boot")
    b = join_commune(tmp_path, district, "XA-B", tmp_path / "boot")
    inbox = tmp_path / "hop-thu"
    inbox.mkdir()
    for n in range(3):  # commune A sends three packages; the second never arrives
        with a.db.transaction() as s:
            units.find_by_code(s, "XA-A").short_name = f"UBND xã A lần {n}"
        path = send(a, "HUYEN", tmp_path / "a")
        if n != 1:
            shutil.copy(path, inbox / path.name)
    with b.db.transaction() as s:
        units.find_by_code(s, "XA-B").short_name = "UBND xã B"
    with district.db.transaction() as s:
        units.find_by_code(s, "XA-B").short_name = "UBND xã B (huyện ghi)"
    shutil.copy(send(b, "HUYEN", tmp_path / "b"), inbox / "xa-b.ntmsync")
    (inbox / "hong.ntmsync").write_bytes(b"not a zip")
    outcomes = process_folder(district, inbox)
    assert [o.status for o in outcomes].count("applied") == 3
    assert [o.file_name for o in outcomes if o.status == "refused"] == ["hong.ntmsync"]
    a_rows = [o.sequence for o in outcomes if o.origin_code == "XA-A"]
    assert a_rows == sorted(a_rows)
    with district.db.transaction() as s:
        rows = {r.unit_code: r for r in board(s)}
        assert units.find_by_code(s, "XA-A").short_name == "UBND xã A lần 2"
    assert rows["XA-A"].last_sequence == 3 and rows["XA-A"].gaps == [2]
    assert rows["XA-B"].conflicts_waiting == 1
    assert any(name == "hong.ntmsync" and "hỏng" in why for r in rows.values() for name, why in r.refused)
    for ws in (district, a, b):
        ws.close()


def test_receipt_moves_the_delta_start_and_lists_unacknowledged(tmp_path):
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "boot")
    with commune.db.transaction() as s:
        receipt = export_receipt(s, "HUYEN", None, out_dir=tmp_path)
    assert apply_file(district, receipt).status == "receipt"
    with district.db.transaction() as s:
        [status] = destination_status(s)
        assert status.acknowledged_sequence == 1 and status.unacknowledged == []
        assert "đến gói số 1" in status.text
    with district.db.transaction() as s:
        s.scalars(select(Task)).first().notes = "Đôn đốc"
    path = send(district, "XA-A", tmp_path)
    result = apply_file(commune, path)
    assert result.summary["counts"] == {"tasks": {"new": 0, "updated": 1, "unchanged": 0, "older": 0, "deleted": 0,
                                                  "conflict": 0, "rejected": 0}}
    with district.db.transaction() as s:
        assert destination_status(s)[0].unacknowledged == [2]
    with commune.db.transaction() as s:  # the commune's next package is its number 2: no gap
        units.find_by_code(s, "XA-A").short_name = "UBND xã A"
    apply_file(district, send(commune, "HUYEN", tmp_path))
    with district.db.transaction() as s:
        row = next(r for r in board(s) if r.unit_code == "XA-A")
        assert row.last_sequence == 2 and row.gaps == []
    district.close()
    commune.close()


def test_revert_makes_new_revisions_that_travel(tmp_path):
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "boot")
    with commune.db.transaction() as s:
        units.find_by_code(s, "XA-A").short_name = "Gõ nhầm"
    result = apply_file(district, send(commune, "HUYEN", tmp_path))
    with district.db.transaction() as s:
        assert units.find_by_code(s, "XA-A").short_name == "Gõ nhầm"
        assert revert_package(s, result.package_id) == 1
    with district.db.transaction() as s:
        assert units.find_by_code(s, "XA-A").short_name is None
    apply_file(commune, send(district, "XA-A", tmp_path))  # the revert is a revision: it travels back
    with commune.db.transaction() as s:
        assert units.find_by_code(s, "XA-A").short_name is None
    assert state(commune) == state(district)
    district.close()
    commune.close()


def test_command_line_export_preview_apply(tmp_path, capsys):
    district = build_district(tmp_path)
    district.close()
    out = tmp_path / "goi.ntmsync"
    assert main(["sync", "export", "--data-dir", str(tmp_path / "huyen"), "--to", "XA-A", "--full", "--out", str(out)]) == 0
    assert "Đã lập gói số 1" in capsys.readouterr().out
    target = tmp_path / "xa"
    assert main(["sync", "apply", "--data-dir", str(target), str(out)]) == 2  # the district's key is not known yet
    refusal = capsys.readouterr().err
    key = folder_key(tmp_path / "huyen").fingerprint
    assert "Phiếu xác nhận khóa" in refusal and key in refusal and "--confirm-key" in refusal
    assert main(["sync", "preview", "--data-dir", str(target), str(out), "--json", "--confirm-key", key]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["counts"]["tasks"]["new"] == 2
    assert main(["sync", "apply", "--data-dir", str(target), str(out), "--confirm-key", key.lower()]) == 0
    assert "Đã áp dụng" in capsys.readouterr().out
    assert main(["sync", "apply", "--data-dir", str(target), str(out)]) == 0
    assert "đã được nhập ngày" in capsys.readouterr().out
    assert main(["sync", "apply", "--data-dir", str(target), str(tmp_path / "khong-co.ntmsync")]) == 2
    assert "Không tìm thấy tệp" in capsys.readouterr().err
