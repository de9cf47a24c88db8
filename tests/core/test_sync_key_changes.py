"""Keys that change: a rotation signed by the old key, a changed key confirmed by a clerk, a key arriving in a
key list for an office already known; and the caps a package may not exceed (attachments, disk space)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from ntm_desktop.errors import DiskFullError
from ntm_desktop.models import Directive
from ntm_desktop.models.sync_keys import SyncKey
from ntm_desktop.services import attachments, settings
from ntm_desktop.sync import keys, signing
from ntm_desktop.sync.apply import apply_file
from ntm_desktop.sync.keys import KeyNotConfirmed
from ntm_desktop.sync.package_zip import MAX_ATTACHMENT_BYTES_SETTING, MAX_ATTACHMENTS_SETTING, Limits
from ntm_desktop.sync.reader import PackageRefused

from signing_world import build, dump, forge, fresh, members, report, send
from test_sync_signing import refused_whole


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build(tmp_path_factory.mktemp("key-world"))


def key_rows(ws, code: str) -> list[tuple[str, str]]:
    with ws.db.transaction() as s:
        return [(r.fingerprint, r.status) for r in s.scalars(select(SyncKey).where(SyncKey.unit_code == code)
                                                               .order_by(SyncKey.id))]


def test_a_rotated_key_is_taken_when_the_old_key_signed_it_over(world, tmp_path):
    commune_a = fresh(world, "XA-A", tmp_path)
    old = world.key("XA-A")
    with commune_a.db.transaction("Cán bộ xã") as s:
        new = keys.rotate(s, "Cán bộ xã")
    assert signing.load(commune_a.folder.root).public_key == new.public_key != old.public_key
    report(commune_a, world.ids["task XA-A"], "XA-A: báo cáo ký bằng khóa mới")
    rotated = send(commune_a, "TINH", tmp_path / "moi")
    commune_a.close()
    province = fresh(world, "TINH", tmp_path)
    assert apply_file(province, rotated).status == "applied"
    assert key_rows(province, "XA-A") == [(old.fingerprint, "replaced"), (new.fingerprint, "active")]
    # The old key, taken from the PC, signs a package after the hand-over: refused.
    stale = forge(world.a_next, tmp_path / "khoa-cu.ntmsync", old,
                  lambda m: m.update(created_utc=json.loads(members(rotated)["manifest.json"])["created_utc"],
                                     package_id="0f0f0f0f-0000-4000-8000-000000000001"))
    refused_whole(province, stale, "XA-A", "khóa cũ", "thay bằng khóa mới")
    # The province's next package brings XA-A's new key to XA-B, which knew the old one.
    commune_b = fresh(world, "XA-B", tmp_path)
    apply_file(commune_b, send(province, "XA-B", tmp_path / "xuong"))
    assert key_rows(commune_b, "XA-A") == [(old.fingerprint, "replaced"), (new.fingerprint, "active")]
    province.close()
    commune_b.close()


def test_a_new_key_without_the_old_ones_signature_needs_the_clerk_and_a_warning(world, tmp_path):
    """XA-A's PC was reinstalled and its key file lost: a new key, nothing to prove it but the key slip."""
    commune_a = fresh(world, "XA-A", tmp_path)
    (commune_a.folder.root / signing.KEY_FILE).unlink()
    report(commune_a, world.ids["task XA-A"], "XA-A: báo cáo sau khi cài lại máy")
    package = send(commune_a, "TINH", tmp_path / "cai-lai")
    new = signing.load(commune_a.folder.root)
    commune_a.close()
    province = fresh(world, "TINH", tmp_path)
    message = refused_whole(province, package, "CẢNH BÁO", new.fingerprint, world.fingerprints["XA-A"],
                            exception=KeyNotConfirmed)
    assert "KHÁC" in message
    assert apply_file(province, package, confirmed_key=new.fingerprint).status == "applied"
    assert key_rows(province, "XA-A") == [(world.fingerprints["XA-A"], "replaced"), (new.fingerprint, "active")]
    province.close()


def test_a_key_list_naming_another_key_for_a_known_office_waits_for_the_clerk(world, tmp_path):
    """The province lists a key for XA-A that XA-B does not know and that XA-A's key did not sign over:
    XA-B keeps XA-A's key, notes the other as waiting, and takes it only when its clerk confirms it."""
    province = fresh(world, "TINH", tmp_path)
    other = signing.SigningKey.generate()
    with province.db.transaction() as s:
        keys.trust_key(s, world.ids["XA-A"], "XA-A", other.public_key, "Văn thư tỉnh", "Cán bộ xác nhận")
    down = send(province, "XA-B", tmp_path / "xuong")
    province.close()
    commune_b = fresh(world, "XA-B", tmp_path)
    apply_file(commune_b, down)
    assert key_rows(commune_b, "XA-A") == [(world.fingerprints["XA-A"], "active"), (other.fingerprint, "pending")]
    with commune_b.db.transaction("Cán bộ xã") as s:
        pending = s.scalar(select(SyncKey).where(SyncKey.status == "pending"))
        keys.confirm_pending(s, pending.id, "Cán bộ xã")
    assert key_rows(commune_b, "XA-A") == [(world.fingerprints["XA-A"], "replaced"), (other.fingerprint, "active")]
    commune_b.close()


def test_only_the_office_above_revokes_a_key(world, tmp_path):
    commune_b = fresh(world, "XA-B", tmp_path)
    with commune_b.db.transaction("Cán bộ xã") as s:
        row = s.scalar(select(SyncKey).where(SyncKey.unit_code == "XA-A"))
        with pytest.raises(Exception, match="Chỉ đơn vị cấp trên của XA-A"):
            keys.revoke(s, row.id, "Cán bộ xã")
    commune_b.close()


# --- limits -----------------------------------------------------------------------------------------------------

@pytest.fixture
def with_attachments(world, tmp_path):
    """XA-A's genuine report with three scanned documents attached, and a copy of the province to receive it."""
    commune_a = fresh(world, "XA-A", tmp_path)
    with commune_a.db.transaction("Cán bộ xã") as s:
        directive = s.scalars(select(Directive)).first().id
        for n in range(3):
            scan = tmp_path / f"bien-ban-{n}.pdf"
            scan.write_bytes(b"%PDF-1.4\n" + bytes([n]) * 5000)
            attachments.attach(s, commune_a.folder.files, directive, scan)
    package = send(commune_a, "TINH", tmp_path / "kem-tep")
    commune_a.close()
    return package, fresh(world, "TINH", tmp_path)


def test_the_default_limits_fit_a_year_of_a_communes_work(world, tmp_path):
    province = fresh(world, "TINH", tmp_path)
    with province.db.transaction() as s:
        limits = Limits.from_settings(s)
    assert (limits.max_attachments, limits.max_attachment_bytes) == (2000, 2 * 1024 ** 3)
    province.close()


@pytest.mark.parametrize("setting, value, words", [
    (MAX_ATTACHMENTS_SETTING, "2", ("quá nhiều tệp đính kèm", "tối đa 2 tệp")),
    (MAX_ATTACHMENT_BYTES_SETTING, "10000", ("lớn hơn giới hạn", "9 KB")),
])
def test_a_package_over_a_limit_is_refused_whole(with_attachments, setting, value, words):
    package, province = with_attachments
    with province.db.transaction() as s:
        settings.put(s, setting, value)
    files = set(p.name for p in province.folder.files.rglob("*") if p.is_file())
    message = refused_whole(province, package, *words)
    assert "ntm-desktop sync limits" in message
    assert set(p.name for p in province.folder.files.rglob("*") if p.is_file()) == files
    with province.db.transaction() as s:
        settings.put(s, setting, str(int(value) + 10 ** 6))
    assert apply_file(province, package).status == "applied"  # within the limits, the same package applies
    province.close()


def test_a_package_that_would_not_fit_on_the_disk(with_attachments, monkeypatch):
    """Free space is checked first: no backup, no kept copy, no attachment written; the message says how much."""
    package, province = with_attachments
    from ntm_desktop.backup import space

    monkeypatch.setattr(space, "free_bytes", lambda where: 1024 ** 2)
    before = dump(province.folder.database)
    backups, kept = sorted(province.folder.backups.rglob("*")), sorted(province.folder.received.glob("*"))
    with pytest.raises(DiskFullError) as info:
        apply_file(province, package)
    message = str(info.value)
    assert "XA-A" in message and "chỉ còn 1,0 MB trống" in message and "sao lưu" in message
    with pytest.raises(DiskFullError, match="không đủ để nhập gói"):
        apply_file(province, package, backup=False)  # an inbox run, its one backup already made
    assert dump(province.folder.database) == before
    assert sorted(province.folder.backups.rglob("*")) == backups
    assert sorted(province.folder.received.glob("*")) == kept
    monkeypatch.undo()
    assert apply_file(province, package).status == "applied"
    province.close()


def test_an_inbox_run_refuses_a_first_key_and_says_where_to_confirm_it(world, tmp_path):
    from ntm_desktop.sync.inbox import process_folder

    commune_a = fresh(world, "XA-A", tmp_path)
    (commune_a.folder.root / signing.KEY_FILE).unlink()
    report(commune_a, world.ids["task XA-A"], "XA-A: báo cáo sau khi cài lại máy")
    folder = tmp_path / "hop-thu"
    send(commune_a, "TINH", folder)
    commune_a.close()
    province = fresh(world, "TINH", tmp_path)
    before = dump(province.folder.database)
    [outcome] = process_folder(province, folder)
    assert outcome.status == "refused" and "CẢNH BÁO" in outcome.message and "mục Trao đổi dữ liệu → Nhận" in outcome.message
    assert dump(province.folder.database) == before
    province.close()
