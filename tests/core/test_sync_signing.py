"""Forged, replayed and tampered packages are refused whole, and the receiving database is left as it was.

Each test plays one attack in a world of three installations (province TINH, communes XA-A and XA-B, each
with its own key; see signing_world.py) and compares a dump of every table before and after.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from ntm_desktop.errors import UserError
from ntm_desktop.models import ExportLog, ProgressUpdate
from ntm_desktop.models.sync_keys import SyncKey
from ntm_desktop.sync import keys, signing
from ntm_desktop.sync.apply import apply_file, preview_file
from ntm_desktop.sync.keys import KeyNotConfirmed
from ntm_desktop.sync.reader import PackageRefused

from signing_world import address, build, claim, dump, forge, fresh, members, send, write_zip


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build(tmp_path_factory.mktemp("signing-world"))


def refused_whole(ws, package, *words: str, exception=PackageRefused) -> str:
    """Applying `package` at `ws` is refused with a message holding `words`; no table changed."""
    before = dump(ws.folder.database)
    with pytest.raises(exception) as info:
        apply_file(ws, package, user="Văn thư")
    message = str(info.value)
    for word in words:
        assert word in message, message
    assert dump(ws.folder.database) == before, "a refused package changed the data"
    return message


def reports(ws) -> list[str]:
    with ws.db.transaction() as s:
        return sorted(s.scalars(select(ProgressUpdate.text)))


def test_the_genuine_next_report_applies(world, tmp_path):
    province = fresh(world, "TINH", tmp_path)
    assert apply_file(province, world.a_next).status == "applied"
    assert "XA-A: đã rà soát thêm 2 tiêu chí" in reports(province)
    province.close()


@pytest.mark.parametrize("signer", ["XA-A's own key", "a key made for the forgery"])
def test_a_commune_forging_a_package_from_the_province(world, tmp_path, signer):
    """XA-A takes the province's package that set it up, readdresses it to XA-B, changes the province's tasks
    and signs it: XA-B knows the province's key, and XA-A's."""
    commune_b = fresh(world, "XA-B", tmp_path)
    key = world.key("XA-A") if signer == "XA-A's own key" else signing.SigningKey.generate()

    def edit(rows):
        for row in rows:
            row["summary"] = "Không cần rà soát tiêu chí nữa"
        return rows

    forged = forge(world.boot_a, tmp_path / "gia-tinh.ntmsync", key, address(world, "XA-B"), "tasks", edit)
    if signer == "XA-A's own key":
        refused_whole(commune_b, forged, "TINH", "ký bằng khóa của “XA-A", "giả mạo", "Không nhập gói này")
    else:
        refused_whole(commune_b, forged, "CẢNH BÁO", "TINH", key.fingerprint, world.fingerprints["TINH"],
                      exception=KeyNotConfirmed)
    commune_b.close()


def test_a_commune_forging_a_package_from_another_commune(world, tmp_path):
    """XA-B sends the province a report that says it comes from XA-A, signed with XA-B's key."""
    province = fresh(world, "TINH", tmp_path)

    def edit(rows):
        for row in rows:
            row["text"] = "XA-A: đã đạt đủ 19 tiêu chí"
        return rows

    forged = forge(world.b_first, tmp_path / "gia-xa-a.ntmsync", world.key("XA-B"), claim(world, "XA-A"),
                   "progress_updates", edit)
    message = refused_whole(province, forged, "XA-A", "XA-B", "giả mạo", "gọi điện")
    assert "XA-A: đã đạt đủ 19 tiêu chí" not in reports(province)
    assert "Không nhập gói này" in message
    province.close()


def test_a_package_re_signed_with_a_key_of_the_right_name_but_not_the_known_one(world, tmp_path):
    """A new key that says it is XA-A's, even with a key list that vouches for it, is not XA-A's known key."""
    province = fresh(world, "TINH", tmp_path)
    impostor = signing.SigningKey.generate()

    def vouch(manifest):
        manifest["keys"].append({"unit_id": world.ids["XA-A"], "unit_code": "XA-A", "public_key": impostor.public_key,
                                 "status": "active", "revoked_at": "", "previous_key": world.key("XA-A").public_key,
                                 "rotated_at": manifest["created_utc"], "rotation_signature": impostor.sign(b"x")})

    forged = forge(world.a_next, tmp_path / "khoa-khac.ntmsync", impostor, vouch)
    message = refused_whole(province, forged, "CẢNH BÁO", "XA-A", impostor.fingerprint, world.fingerprints["XA-A"],
                            exception=KeyNotConfirmed)
    assert "Phiếu xác nhận khóa" in message and "gọi điện" in message
    province.close()


def test_a_replayed_old_package_changes_nothing(world, tmp_path):
    """XA-A's first report, already applied, comes again after the second: nothing changes; sent to XA-B
    instead, it is not XA-B's."""
    province = fresh(world, "TINH", tmp_path)
    apply_file(province, world.a_next)
    before = dump(province.folder.database)
    again = apply_file(province, world.a_first)
    assert again.status == "already" and "đã được nhập ngày" in again.message
    assert dump(province.folder.database) == before
    province.close()
    commune_b = fresh(world, "XA-B", tmp_path)
    refused_whole(commune_b, world.a_first, "không phải đơn vị của máy này")
    commune_b.close()


@pytest.mark.parametrize("signer", ["XA-B's key", "a key made for the forgery"])
def test_a_forged_receipt(world, tmp_path, signer):
    """XA-B tells the province, as XA-A, that XA-A holds every package the province sent it: the province's
    next delta to XA-A would then leave out what XA-A never got."""
    province = fresh(world, "TINH", tmp_path)
    with province.db.transaction() as s:
        sent = [r.package_id for r in s.scalars(select(ExportLog).where(ExportLog.destination_unit_id == world.ids["XA-A"]))]
        acknowledged = [r.acknowledged_at for r in s.scalars(select(ExportLog))]
    commune_b = fresh(world, "XA-B", tmp_path)
    with commune_b.db.transaction() as s:
        from ntm_desktop.sync.receipts import export_receipt

        genuine = export_receipt(s, "TINH", tmp_path / "bao-nhan-b.ntmsync")
    commune_b.close()
    lines = [{"package_id": p, "sequence": n, "applied_at": "2026-12-01T08:00:00", "rejected": []}
             for n, p in enumerate(sent, start=1)]
    body = "".join(json.dumps(x) + "\n" for x in lines).encode()
    staged = write_zip(tmp_path / "goc.ntmsync", {**members(genuine), "data/receipt.ndjson": body})
    key = world.key("XA-B") if signer == "XA-B's key" else signing.SigningKey.generate()
    forged = forge(staged, tmp_path / "bao-nhan-gia.ntmsync", key, claim(world, "XA-A"))
    refused_whole(province, forged, "XA-A", exception=PackageRefused)
    with province.db.transaction() as s:
        assert [r.acknowledged_at for r in s.scalars(select(ExportLog))] == acknowledged
    province.close()


def test_a_tampered_record_with_recomputed_file_hashes(world, tmp_path):
    """Every file's hash recomputed by hand: the manifest then differs from the one XA-A signed."""
    province = fresh(world, "TINH", tmp_path)

    def edit(rows):
        for row in rows:
            row["text"] = "XA-A: đã đạt đủ 19 tiêu chí"
        return rows

    tampered = forge(world.a_next, tmp_path / "sua.ntmsync", None, entity="progress_updates", edit=edit)
    refused_whole(province, tampered, "Chữ ký số của gói không đúng", "XA-A", "gửi lại")
    assert "XA-A: đã đạt đủ 19 tiêu chí" not in reports(province)
    province.close()


def test_a_package_signed_by_a_revoked_key(world, tmp_path):
    """XA-A's PC is stolen: the province revokes its key; what the thief signs after that is refused at the
    province, and at XA-B once the province's next package has brought the revocation down."""
    province = fresh(world, "TINH", tmp_path)
    created = _created(world.a_next)
    with province.db.transaction("Văn thư tỉnh") as s:
        row = s.scalar(select(SyncKey).where(SyncKey.unit_id == world.ids["XA-A"], SyncKey.status == "active"))
        keys.revoke(s, row.id, "Văn thư tỉnh")
        row.revoked_at = created  # revoked the second a_next was made: a_next is on the wrong side of it
    refused_whole(province, world.a_next, "XA-A", "thu hồi", "báo ngay cho đơn vị cấp trên")
    with province.db.transaction() as s:  # a package that claims to be older than the revocation: the thief
        s.scalar(select(SyncKey).where(SyncKey.unit_id == world.ids["XA-A"])).revoked_at = created + timedelta(days=30)
    refused_whole(province, world.a_next, "XA-A", "thu hồi", "dù gói ghi ngày lập nào")  # can backdate it
    with province.db.transaction() as s:
        s.scalar(select(SyncKey).where(SyncKey.unit_id == world.ids["XA-A"])).revoked_at = created

    commune_a = fresh(world, "XA-A", tmp_path)
    to_b = send(commune_a, "XA-B", tmp_path / "tu-a")  # the thief writes to XA-B with XA-A's key
    commune_a.close()
    commune_b = fresh(world, "XA-B", tmp_path)
    assert apply_file(commune_b, send(province, "XA-B", tmp_path / "xuong")).status == "applied"
    with commune_b.db.transaction() as s:
        known = s.scalar(select(SyncKey).where(SyncKey.unit_id == world.ids["XA-A"]))
        assert (known.status, known.revoked_by, known.revoked_at) == ("revoked", "TINH", created)
    refused_whole(commune_b, to_b, "XA-A", "thu hồi")
    province.close()
    commune_b.close()


def _created(package):
    manifest = json.loads(members(package)["manifest.json"])
    return datetime.fromisoformat(manifest["created_utc"]).astimezone(timezone.utc).replace(tzinfo=None)


def test_a_package_from_an_app_before_signing_tells_the_sender_to_update(world, tmp_path):
    province = fresh(world, "TINH", tmp_path)

    def old(manifest):
        manifest["format_version"] = 1
        for key in ("signer_key", "keys", "origin_name", "destination_name"):
            manifest.pop(key)

    unsigned = forge(world.a_next, tmp_path / "cu.ntmsync", None, old)
    message = refused_whole(province, unsigned, "phiên bản NTM Desktop cũ", "chưa có chữ ký số", "XA-A", "cập nhật")
    assert "lập và gửi lại" in message
    province.close()


def test_a_package_without_its_signature_is_refused(world, tmp_path):
    province = fresh(world, "TINH", tmp_path)
    content = members(world.a_next)
    del content["signature.json"]
    bare = write_zip(tmp_path / "khong-chu-ky.ntmsync", content)
    refused_whole(province, bare, "không có chữ ký số", "XA-A")
    province.close()


def test_the_signing_key_stays_in_the_data_folder(world, tmp_path):
    """The key file is readable by its user only, and no package carries it."""
    path = world.folder("XA-A") / signing.KEY_FILE
    assert path.stat().st_mode & 0o077 == 0
    secret = world.key("XA-A").pem()
    body = b"".join(members(world.a_next).values())
    assert b"PRIVATE KEY" not in body and secret not in body
    raw = world.key("XA-A").private.private_bytes_raw()
    assert raw not in body


def test_a_commune_that_knows_no_key_asks_before_reading_anything(world, tmp_path):
    """A fresh installation given the province's full package: refused until the clerk confirms the key."""
    from ntm_desktop.workspace import open_workspace

    province = fresh(world, "TINH", tmp_path)
    package = send(province, "XA-B", tmp_path / "usb", full=True)
    province.close()
    newcomer = open_workspace(tmp_path / "xa-moi")
    with pytest.raises(KeyNotConfirmed) as info:
        preview_file(newcomer, package)
    assert info.value.fingerprint == world.fingerprints["TINH"] and not info.value.changed
    with pytest.raises(KeyNotConfirmed):
        preview_file(newcomer, package, confirmed_key="AAAA BBBB CCCC DDDD EEEE FFFF GGGG HHHH")
    assert preview_file(newcomer, package, confirmed_key=world.fingerprints["TINH"]).total("new") > 0
    with pytest.raises(UserError):
        apply_file(newcomer, package)
    assert newcomer.office_unit_id() is None
    apply_file(newcomer, package, confirmed_key=world.fingerprints["TINH"].replace(" ", "-").lower())
    with newcomer.db.transaction() as s:
        by_code = {r.unit_code: r for r in s.scalars(select(SyncKey))}
    assert by_code["TINH"].status == "active" and by_code["TINH"].confirmed_at is not None
    assert by_code["XA-A"].status == "active" and "Danh sách khóa" in by_code["XA-A"].source
    newcomer.close()
