"""Every bad package is refused whole, with a message that says what to do, and changes nothing."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from ntm_desktop.models import ImportLedger, Task, Unit
from ntm_desktop.services import units
from ntm_desktop.sync.apply import apply_file, preview_file
from ntm_desktop.sync.reader import Limits, PackageRefused, read_package
from signing_helpers import resign_as_sender
from test_sync_world import build_district, join_commune, send, state


@pytest.fixture
def world(tmp_path):
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "boot")
    with district.db.transaction() as s:  # something new for the commune
        task = s.scalars(select(Task)).first()
        task.notes = "Ưu tiên hoàn thành trước mùa mưa"
    package = send(district, "XA-A", tmp_path / "out")
    yield district, commune, package
    commune.close()
    district.close()


def rebuild(src: Path, dst: Path, replace: dict | None = None, extra: dict | None = None,
            manifest_edit=None, fix_checksums=False) -> Path:
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    for name, data in (replace or {}).items():
        members[name] = data
    if fix_checksums:
        for entry in manifest["files"]:
            data = members[entry["path"]]
            entry["bytes"], entry["sha256"] = len(data), hashlib.sha256(data).hexdigest()
    if manifest_edit:
        manifest_edit(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    members.update(extra or {})
    resign_as_sender(members, src.parent.parent, dst.parent)  # the sender itself made the package so
    with zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return dst


def refused(ws, path: Path, *words: str) -> str:
    before = state(ws)
    with pytest.raises(PackageRefused) as info:
        apply_file(ws, path, user="cán bộ xã")
    message = str(info.value)
    for word in words:
        assert word in message
    assert state(ws) == before, "a refused package changed data"
    with ws.db.transaction() as s:
        last = s.scalars(select(ImportLedger).order_by(ImportLedger.id.desc())).first()
        assert last.result == "refused" and last.summary == message
    return message


def test_good_package_applies_and_reimport_is_a_noop(world):
    district, commune, package = world
    first = apply_file(commune, package)
    assert first.status == "applied"
    with commune.db.transaction() as s:
        assert "Ưu tiên hoàn thành trước mùa mưa" in s.scalars(select(Task.notes)).all()
    snapshot = state(commune)
    again = apply_file(commune, package)
    assert again.status == "already" and "đã được nhập ngày" in again.message
    assert state(commune) == snapshot


def test_truncated_zip(world, tmp_path):
    _, commune, package = world
    cut = tmp_path / "cut.ntmsync"
    cut.write_bytes(package.read_bytes()[: package.stat().st_size // 2])
    refused(commune, cut, "chép chưa hết")


def test_corrupt_zip_bytes(world, tmp_path):
    _, commune, package = world
    data = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as zf:
        info = zf.getinfo("data/tasks.ndjson")
    start = info.header_offset + 30 + len(info.filename) + 5
    for i in range(start, start + 20):
        data[i] ^= 0xFF
    bad = tmp_path / "bad.ntmsync"
    bad.write_bytes(bytes(data))
    refused(commune, bad, "hỏng")


def test_a_data_file_packed_by_an_unknown_method(world, tmp_path):
    """Not a package NTM Desktop made: told as damage while the apply reads it, and nothing is written."""
    _, commune, package = world
    data = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as zf:
        info = zf.getinfo("data/tasks.ndjson")
    name = info.filename.encode()
    central = data.index(b"PK\x01\x02")  # the central directory's first entry
    while data[central + 46:central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    for at in (info.header_offset + 8, central + 10):  # the method, in the local header and the directory
        data[at:at + 2] = (97).to_bytes(2, "little")
    bad = tmp_path / "method.ntmsync"
    bad.write_bytes(bytes(data))
    refused(commune, bad, "bị hỏng", "gửi lại")


def test_checksum_mismatch(world, tmp_path):
    _, commune, package = world
    with zipfile.ZipFile(package) as zf:
        tasks = zf.read("data/tasks.ndjson")
    edited = tasks.replace("mùa mưa".encode(), "mùa khô".encode())
    assert edited != tasks
    bad = rebuild(package, tmp_path / "sum.ntmsync", replace={"data/tasks.ndjson": edited})
    refused(commune, bad, "Mã kiểm tra", "gửi lại")


@pytest.mark.parametrize("name", ["../ngoai.txt", "/etc/passwd", "data/../../x.ndjson", "C:\\Windows\\x"])
def test_unsafe_member_names(world, tmp_path, name):
    _, commune, package = world
    bad = rebuild(package, tmp_path / "path.ntmsync", extra={name: b"x"})
    refused(commune, bad, "không an toàn" if ".." in name or name.startswith(("/", "C:")) else "lạ")


def test_too_many_members(world, tmp_path):
    _, commune, package = world
    extra = {f"files/{i:064x}": b"" for i in range(20_001)}
    bad = rebuild(package, tmp_path / "many.ntmsync", extra=extra)
    refused(commune, bad, "quá nhiều tệp")


def test_zip_bomb_ratio(world, tmp_path):
    _, commune, package = world
    bomb = b"\0" * (40 * 1024 ** 2)
    bad = rebuild(package, tmp_path / "bomb.ntmsync", extra={f"files/{hashlib.sha256(bomb).hexdigest()}": bomb})
    refused(commune, bad, "bom nén")


def test_huge_uncompressed_size(world, tmp_path):
    _, commune, package = world
    with commune.db.transaction() as s:
        with pytest.raises(PackageRefused, match="quá lớn"):
            read_package(s, package, Limits(max_total_bytes=1000))


def test_package_for_another_destination(world, tmp_path):
    district, commune, _ = world
    other = send(district, "XA-B", tmp_path / "other")
    refused(commune, other, "XA-B", "đúng đơn vị nhận")


@pytest.mark.parametrize("edit, words", [
    (lambda m: m.update(format_version=99), ("mới hơn", "cập nhật")),
    (lambda m: m.update(schema_version="9999"), ("mới hơn", "cập nhật")),
])
def test_newer_format_or_schema(world, tmp_path, edit, words):
    _, commune, package = world
    refused(commune, rebuild(package, tmp_path / "new.ntmsync", manifest_edit=edit), *words)


def test_unknown_origin(world, tmp_path):
    _, commune, package = world
    edit = lambda m: m.update(origin_unit_id="00000000-0000-0000-0000-000000000000", origin_code="LA")  # noqa: E731
    refused(commune, rebuild(package, tmp_path / "who.ntmsync", manifest_edit=edit), "chưa có trong danh mục")


def test_same_package_id_with_different_bytes(world, tmp_path):
    _, commune, package = world
    apply_file(commune, package)
    twin = rebuild(package, tmp_path / "twin.ntmsync", extra={"README.txt": "Đã sửa".encode()})
    refused(commune, twin, "bị sửa")


def test_ndjson_line_not_json(world, tmp_path):
    _, commune, package = world
    with zipfile.ZipFile(package) as zf:
        tasks = zf.read("data/tasks.ndjson")
    broken = tasks + b'{"id": "abc", \n'
    bad = rebuild(package, tmp_path / "json.ntmsync", replace={"data/tasks.ndjson": broken}, fix_checksums=True)
    refused(commune, bad, "data/tasks.ndjson, dòng", "không phải JSON")


def test_ndjson_record_failing_validation(world, tmp_path):
    _, commune, package = world
    with zipfile.ZipFile(package) as zf:
        lines = zf.read("data/tasks.ndjson").decode().splitlines()
    record = json.loads(lines[0])
    record["due_date"] = "30/06/2025"
    lines[0] = json.dumps(record, ensure_ascii=False)
    data = ("\n".join(lines) + "\n").encode()
    bad = rebuild(package, tmp_path / "val.ntmsync", replace={"data/tasks.ndjson": data}, fix_checksums=True)
    refused(commune, bad, "“Hạn xử lý”", "ngày (YYYY-MM-DD)")


def test_commune_cannot_change_another_communes_data(world, tmp_path):
    district, commune, _ = world
    with commune.db.transaction() as s:
        other = units.find_by_code(s, "XA-B")
        other.name = "Ủy ban nhân dân xã B (sửa trái phép)"
        mine = units.find_by_code(s, "XA-A")
        mine.short_name = "UBND xã A"
    package = send(commune, "HUYEN", tmp_path / "up")
    plan = preview_file(district, package)
    rejected = plan.rejections()
    assert [(e, r) for e, _, r in rejected if e == "units"] and all("không được sửa dữ liệu" in r for *_, r in rejected)
    apply_file(district, package)
    with district.db.transaction() as s:
        assert units.find_by_code(s, "XA-B").name == "Ủy ban nhân dân xã B"
        assert units.find_by_code(s, "XA-A").short_name == "UBND xã A"


def test_unit_code_clash_is_rejected_with_reason(world, tmp_path):
    district, commune, _ = world
    with commune.db.transaction() as s:  # the commune invents a unit the district also invents
        units.create_unit(s, code="THON-1", name="Thôn Một", level_code="thon", parent_id=units.find_by_code(s, "XA-A").id)
    with district.db.transaction() as s:
        units.create_unit(s, code="THON-1", name="Thôn 1", level_code="thon",
                          parent_id=units.find_by_code(s, "XA-A").id, owner_unit_id=units.find_by_code(s, "XA-A").id)
    plan = preview_file(district, send(commune, "HUYEN", tmp_path / "up"))
    assert any("đã dùng cho một đơn vị khác" in reason for _, _, reason in plan.rejections())


def test_preview_changes_nothing(world):
    _, commune, package = world
    before = state(commune)
    plan = preview_file(commune, package)
    assert plan.counts()["tasks"]["updated"] == 1
    assert state(commune) == before
    with commune.db.transaction() as s:
        assert s.scalar(select(ImportLedger).where(ImportLedger.result == "applied", ImportLedger.package_id ==
                                                   plan.package.manifest.package_id)) is None
