"""A newer edition of the unit catalogue travels in the province's package and is applied with it.

The province's NTM coordination office of Lào Cai applies edition 2026.1 (Xã Tả Van joins Phường Sa Pa,
Xã Mường Bo is renamed Mường Bo Hoa); its next package to Xã Tả Van carries the edition, signed with the
rest. The commune's preview says what it will change, the apply changes it in the same transaction as the
records, and the commune's records stay on its unit, which now names its successor. An equal edition is
left aside; a hostile one refuses the package whole.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from hostile_packages import members
from ntm_desktop.catalogue import OfficeChoice, set_up_office, unit_id
from ntm_desktop.catalogue.setup import CATALOGUE_VERSION_KEY
from ntm_desktop.cli import main
from ntm_desktop.catalogue.updates import EDITION_KEY, apply_edition, current_edition, read_edition
from ntm_desktop.models import ImportLedger, ProgressUpdate, SyncConflict, Task, Unit
from ntm_desktop.services import settings, tasks
from ntm_desktop.services.directives import DirectiveInput, create_directive
from ntm_desktop.services.tasks import TaskInput
from ntm_desktop.sync import catalogue_edition
from ntm_desktop.sync.apply import apply_file, preview_file
from ntm_desktop.sync.reader import PackageRefused
from ntm_desktop.workspace import open_workspace
from signing_helpers import folder_key, resign
from test_catalogue_identity import unit_rows
from test_catalogue_updates import later_edition
from test_sync_world import know_key, send

APPLIED = "Đã cập nhật danh mục đơn vị hành chính lên phiên bản 2026.1 ngày 01/01/2027: 1 đổi tên, 1 sáp nhập."


def set_up(root, choice: OfficeChoice):
    ws = open_workspace(root)
    with ws.db.transaction("cán bộ") as s:
        set_up_office(s, choice)
    return ws


def _world(tmp_path):
    """The province and Xã Tả Van, set up from the catalogue apart; the province's task for the commune has
    reached it; then the province applies edition 2026.1 and changes the task."""
    out = tmp_path / "goi"
    province = set_up(tmp_path / "tinh", OfficeChoice("vpdp", "15"))
    commune = set_up(tmp_path / "tavan", OfficeChoice("xa", "15", "03037"))
    know_key(province, commune)
    know_key(commune, province)
    arrived = date.today() - timedelta(days=3)
    with province.db.transaction("Văn thư tỉnh") as s:
        directive = create_directive(s, settings.office_unit_id(s), DirectiveInput(
            arrival_date=arrived, arrival_number=1, issuer_unit_id=unit_id("15"), number_symbol="45/KH-UBND",
            doc_date=arrived - timedelta(days=2), doc_type="KH", subject="Kế hoạch xây dựng nông thôn mới"))
        task = tasks.create_task(s, TaskInput(directive_id=directive, summary="Rà soát tiêu chí nông thôn mới",
                                              lead_unit_id=unit_id("03037")))
    first = apply_file(commune, send(province, "03037", out), user="Cán bộ xã")
    assert first.status == "applied" and "danh mục đơn vị hành chính" not in first.message
    with commune.db.transaction("Cán bộ xã") as s:
        tasks.add_progress(s, task, date.today() - timedelta(days=1), "Đã rà soát 10 tiêu chí", "UBND xã Tả Van")
    with province.db.transaction("cán bộ") as s:
        apply_edition(s, read_edition(later_edition(tmp_path)))
        tasks.update_task(s, task, TaskInput(directive_id=directive, summary="Rà soát lại tiêu chí sau sáp nhập",
                                             lead_unit_id=unit_id("03037")))
    return province, commune, task, out


def _version(ws) -> str:
    with ws.db.transaction() as s:
        return settings.get(s, CATALOGUE_VERSION_KEY)


def test_the_provinces_newer_edition_is_applied_with_its_package(tmp_path, capsys):
    province, commune, task, out = _world(tmp_path)
    package = send(province, "03037", out)
    assert catalogue_edition.MEMBER in members(package)
    manifest = json.loads(members(package)["manifest.json"])
    listed = next(f for f in manifest["files"] if f["path"] == catalogue_edition.MEMBER)
    assert listed["sha256"] == hashlib.sha256(members(package)[catalogue_edition.MEMBER]).hexdigest()

    plan = preview_file(commune, package)  # changes nothing
    assert plan.package.catalogue_edition.preview_line() == (
        "Gói mang danh mục đơn vị hành chính phiên bản 2026.1 ngày 01/01/2027 (máy này đang dùng 2025.1). Khi áp "
        "dụng sẽ cập nhật danh mục: 1 đổi tên, 1 sáp nhập; hồ sơ của các đơn vị đó được giữ, nối với đơn vị kế thừa.")
    assert _version(commune) == "2025.1"
    assert main(["sync", "preview", "--data-dir", str(commune.folder.root), str(package)]) == 0
    assert "  Gói mang danh mục đơn vị hành chính phiên bản 2026.1 ngày 01/01/2027" in capsys.readouterr().out

    result = apply_file(commune, package, user="Cán bộ xã")
    assert result.status == "applied" and result.message.endswith(APPLIED), result.message
    assert result.summary["rejected"] == []
    assert result.summary["unit_catalogue"]["renamed"] == 1 and result.summary["unit_catalogue"]["merged"] == 1
    assert _version(commune) == "2026.1"
    with commune.db.transaction() as s:
        ta_van = s.get(Unit, unit_id("03037"))
        assert ta_van.valid_to == date(2026, 12, 31) and ta_van.successor_id == unit_id("03006")
        assert settings.office_unit_id(s) == ta_van.id  # the office keeps its unit and its records
        arrived = s.get(Task, task)
        assert arrived.summary == "Rà soát lại tiêu chí sau sáp nhập" and arrived.lead_unit_id == ta_van.id
        assert list(s.scalars(select(ProgressUpdate.text).where(ProgressUpdate.task_id == task))) == [
            "Đã rà soát 10 tiêu chí"]
        assert s.get(Unit, unit_id("03043")).name == "Ủy ban nhân dân xã Mường Bo Hoa"
        assert s.scalar(select(func.count()).select_from(SyncConflict)) == 0
        entry = s.scalar(select(ImportLedger).where(ImportLedger.package_id == result.package_id))
        assert json.loads(entry.summary)["unit_catalogue"]["message"] == APPLIED
        assert current_edition(s).version == "2026.1"  # kept, to check the next edition against and pass on
    here, there = unit_rows(commune), unit_rows(province)
    for code in ("03037", "03006", "03043", "15"):
        assert {k: v for k, v in here[code].items() if k != "updated_at"} == {
            k: v for k, v in there[code].items() if k != "updated_at"}, code

    # the same edition again: left aside, nothing said about it
    again = send(province, "03037", out)
    assert catalogue_edition.MEMBER in members(again)
    plan = preview_file(commune, again)
    assert "không mới hơn bản máy này đang dùng (2026.1): bỏ qua" in plan.package.catalogue_edition.preview_line()
    second = apply_file(commune, again, user="Cán bộ xã")
    assert second.status == "applied" and "danh mục đơn vị hành chính" not in second.message
    assert "unit_catalogue" not in second.summary
    # the commune's package up to the province does not carry it back
    up = send(commune, "15-VPDP", out)
    assert catalogue_edition.MEMBER not in members(up)
    assert apply_file(province, up, user="Văn thư tỉnh").status == "applied"
    for ws in (province, commune):
        ws.close()


def test_the_preview_counts_the_records_as_the_apply_will_after_the_edition(tmp_path, capsys):
    """The units the edition renames and merges arrive at the revision the edition brings them to: the apply puts
    the edition in first and finds them unchanged, and the preview (the window's table, `sync preview`) says
    the same, not "Cập nhật"."""
    province, commune, task, out = _world(tmp_path)
    package = send(province, "03037", out)
    plan = preview_file(commune, package)
    counts = plan.counts()
    assert counts["units"]["updated"] == 0 and counts["units"]["unchanged"] > 0
    assert counts["tasks"]["updated"] == 1  # the province's change to the task is still an update
    by_id = {a.record_id: a.outcome for a in plan.actions["units"]}
    assert by_id[unit_id("03037")] == by_id[unit_id("03043")] == "unchanged"  # merged, renamed by the edition
    assert "1 đổi tên, 1 sáp nhập" in plan.package.catalogue_edition.preview_line()
    with commune.db.transaction() as s:  # the preview changed nothing
        assert settings.get(s, CATALOGUE_VERSION_KEY) == "2025.1"
        assert s.get(Unit, unit_id("03043")).name != "Ủy ban nhân dân xã Mường Bo Hoa"
        assert s.get(Unit, unit_id("03037")).valid_to is None
    assert main(["sync", "preview", "--data-dir", str(commune.folder.root), str(package), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["counts"]

    result = apply_file(commune, package, user="Cán bộ xã")
    assert result.status == "applied" and result.message.endswith(APPLIED), result.message
    assert result.summary["counts"] == counts == shown
    assert "0 mới, 1 cập nhật, 0 xóa, 0 xung đột, 0 bị từ chối" in result.message
    for ws in (province, commune):
        ws.close()


def test_an_older_edition_in_a_package_is_left_aside(tmp_path):
    province, commune, _task, out = _world(tmp_path)
    with commune.db.transaction("cán bộ") as s:  # the commune got a later edition meanwhile
        settings.put(s, CATALOGUE_VERSION_KEY, "2027.1")
    result = apply_file(commune, send(province, "03037", out), user="Cán bộ xã")
    assert result.status == "applied" and "danh mục đơn vị hành chính" not in result.message
    assert _version(commune) == "2027.1"
    for ws in (province, commune):
        ws.close()


def _edition(tmp_path) -> dict:
    return json.loads(later_edition(tmp_path).read_text(encoding="utf-8"))


def _without_province(raw):
    raw["provinces"] = [p for p in raw["provinces"] if p[0] != "01"]
    raw["communes"] = [c for c in raw["communes"] if c[3] != "01"]
    return raw


def _into_unknown(raw):
    raw["former"][-1]["communes"][0][4] = ["99999"]
    return raw


def _loop(raw):
    raw["communes"] = [c for c in raw["communes"] if c[0] != "03006"]
    raw["former"][-1]["communes"].append(["03006", "Phường Sa Pa", "phuong", "15", ["03037"]])
    return raw


def _wrong_shape(raw):
    raw["communes"][10] = ["03100", "Xã Lạ"]
    return raw


def _huge(raw):
    raw["legal_basis"] = base64.b64encode(os.urandom(7 * 1024 ** 2)).decode("ascii")
    return raw


HOSTILE = [
    (_wrong_shape, "mục “communes”, phần tử thứ 11: phải là danh sách 4 giá trị"),
    (_into_unknown, "Xã Tả Van (mã 03037) sáp nhập vào đơn vị mã “99999” không có trong danh mục"),
    (_loop, "thành vòng tròn, không đến được đơn vị nào đang có hiệu lực: 03037 → 03006 → 03037"),
    (_without_province, "bỏ mất tỉnh, thành phố Thành phố Hà Nội (mã 01) của danh mục 2025.1"),
    (_huge, "quá lớn"),
]


def _with_edition(package, target, raw: dict | None, sender_folder, data: bytes | None = None):
    """The package with its edition replaced, the manifest's hash made to match and signed again by the
    sender's own key: a genuine province whose edition file is hostile or damaged."""
    content = members(package)
    data = data if data is not None else json.dumps(raw, ensure_ascii=False).encode("utf-8") + b"\n"
    content[catalogue_edition.MEMBER] = data
    manifest = json.loads(content["manifest.json"])
    for file in manifest["files"]:
        if file["path"] == catalogue_edition.MEMBER:
            file["bytes"], file["sha256"] = len(data), hashlib.sha256(data).hexdigest()
    content["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    if sender_folder is not None:
        content = resign(content, folder_key(sender_folder))
    import zipfile

    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, value in content.items():
            zf.writestr(name, value)
    return target


def _untouched(commune, task):
    assert _version(commune) == "2025.1"
    with commune.db.transaction() as s:
        assert s.get(Unit, unit_id("03037")).valid_to is None
        assert s.get(Unit, unit_id("03043")).name == "Ủy ban nhân dân xã Mường Bo"
        assert s.get(Task, task).summary == "Rà soát tiêu chí nông thôn mới"
        assert settings.get(s, EDITION_KEY) == ""


def test_a_hostile_edition_refuses_the_package_whole(tmp_path):
    province, commune, task, out = _world(tmp_path)
    genuine = send(province, "03037", out)
    raw = _edition(tmp_path)
    for n, (spoil, reason) in enumerate(HOSTILE):
        bad = _with_edition(genuine, tmp_path / f"xau-{n}.ntmsync", spoil(json.loads(json.dumps(raw))),
                            province.folder.root)
        for attempt in (lambda: preview_file(commune, bad), lambda: apply_file(commune, bad, user="Cán bộ xã")):
            with pytest.raises(PackageRefused) as refused:
                attempt()
            message = str(refused.value)
            assert "Danh mục đơn vị hành chính trong gói" in message and reason in message, message
            assert "Gói bị từ chối toàn bộ" in message or "quá lớn" in message, message
        _untouched(commune, task)
    # damaged JSON, nested past any catalogue
    for n, (data, reason) in enumerate(((b'{"format": 1, "version": "2026.1", \n', "JSON bị hỏng ở dòng 2, cột 1"),
                                        (b"[" * 100_000 + b"]" * 100_000, "lồng nhau quá sâu"),
                                        (b"[" * 50 + b"]" * 50, "nội dung không phải danh mục"),
                                        (json.dumps(raw, ensure_ascii=False).replace("Xã Tả Van", "Xã T\\u0000").encode(),
                                         "ký tự điều khiển"))):
        bad = _with_edition(genuine, tmp_path / f"hong-{n}.ntmsync", None, province.folder.root, data)
        with pytest.raises(PackageRefused) as refused:
            apply_file(commune, bad, user="Cán bộ xã")
        assert "Danh mục đơn vị hành chính trong gói" in str(refused.value) and reason in str(refused.value)
        _untouched(commune, task)
    # the genuine one still applies afterwards
    assert apply_file(commune, genuine, user="Cán bộ xã").message.endswith(APPLIED)
    for ws in (province, commune):
        ws.close()


def test_the_edition_is_covered_by_the_signature(tmp_path):
    province, commune, task, out = _world(tmp_path)
    genuine = send(province, "03037", out)
    raw = _edition(tmp_path)
    raw["communes"] = [c for c in raw["communes"] if c[0] != "03006"]  # a changed edition
    raw["former"][-1]["communes"].append(["03006", "Phường Sa Pa", "phuong", "15", ["03043"]])
    edited = json.dumps(raw, ensure_ascii=False).encode("utf-8") + b"\n"
    # the member changed, the signed manifest left as it was
    content = members(genuine)
    content[catalogue_edition.MEMBER] = edited
    import zipfile

    swapped = tmp_path / "doi-tep.ntmsync"
    with zipfile.ZipFile(swapped, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, value in content.items():
            zf.writestr(name, value)
    with pytest.raises(PackageRefused, match=f"Mã kiểm tra của {catalogue_edition.MEMBER} không khớp"):
        apply_file(commune, swapped, user="Cán bộ xã")
    # the manifest's hash changed too, not signed again by the province
    unsigned = _with_edition(genuine, tmp_path / "khong-ky.ntmsync", raw, None)
    with pytest.raises(PackageRefused, match="Chữ ký số của gói không đúng"):
        apply_file(commune, unsigned, user="Cán bộ xã")
    _untouched(commune, task)
    for ws in (province, commune):
        ws.close()
