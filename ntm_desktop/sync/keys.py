"""Which key may sign for which office: checking a package's signer, and learning keys from packages.

A package is trusted when the key that signed its manifest is the origin's key known here. A key becomes
known when a clerk confirms its fingerprint (the first package of an office, or a changed key, after a
warning), when the office above lists it in its signed key list (for an office this installation knew no key
of), or when the office's known key signed the hand-over to it (rotation). The office above can revoke a
key; the revocation travels in key lists, and packages made with a revoked or replaced key from the time it
stopped being valid are refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.errors import UserError
from ntm_desktop.models import Unit, utcnow
from ntm_desktop.models.sync_keys import SyncKey
from ntm_desktop.services import access, settings
from ntm_desktop.services.dates import format_vn_datetime
from ntm_desktop.sync import signing
from ntm_desktop.sync.manifest import Manifest
from ntm_desktop.sync.package_zip import ASK_AGAIN, PackageRefused

STATUS_LABELS = {"active": "Đang dùng", "pending": "Chờ xác nhận", "replaced": "Đã thay bằng khóa mới",
                 "revoked": "Đã thu hồi"}
SIGNATURE_MEMBER = "signature.json"


class KeyNotConfirmed(PackageRefused):
    """The package is signed by a key this installation does not know for its origin: a clerk must compare the
    fingerprint with the one the sender printed ("Phiếu xác nhận khóa") before anything else is read."""

    def __init__(self, message: str, origin_code: str, origin_label: str, fingerprint: str, changed: bool,
                 known: tuple[str, ...] = ()):
        super().__init__(message)
        self.origin_code = origin_code
        self.origin_label = origin_label
        self.fingerprint = fingerprint
        self.changed = changed  # a key was already known for this office: the warning case
        self.known = known  # fingerprints of the keys known for it


@dataclass
class Trust:
    """Why the signer of a package is trusted, and what applying it teaches this installation."""

    signer: str
    how: str  # "known" / "confirmed" (by the clerk now) / "rotation" (signed by the known key)
    rotation: dict | None = None
    replaces: list[int] = field(default_factory=list)  # rows of the origin's keys that the signer replaces


def _now() -> datetime:
    """UTC now to the second, as a package's creation time is written: a package made in the second a key
    stops being valid is on the refused side."""
    return utcnow().replace(microsecond=0)


def data_root(session: Session) -> Path:
    """The data folder: the folder of the database file (DataFolder.database)."""
    return Path(session.get_bind().url.database).parent


# On the office's server every PC signs with the office's one key, kept in the database beside the data it signs
# (the server's backups carry it, as the SQLite office's backups carry its key file).
SERVER_KEY_SETTING = "signing_key_pem"


def _on_server(session: Session) -> bool:
    return session.get_bind().dialect.name != "sqlite"


def _load_key(session: Session) -> signing.SigningKey | None:
    if not _on_server(session):
        return signing.load(data_root(session))
    from ntm_desktop.models import Setting

    pem = session.scalar(select(Setting.value).where(Setting.key == SERVER_KEY_SETTING))  # as stored, not as cached
    if not pem:
        return None
    try:
        return signing.SigningKey.from_pem(pem.encode("ascii"))
    except (ValueError, TypeError, UnicodeEncodeError) as error:
        raise signing.KeyFileError(
            "Không đọc được khóa ký của cơ quan lưu trên máy chủ (dữ liệu khóa bị hỏng). Chưa lập gói nào. Hãy "
            "khôi phục cơ sở dữ liệu từ bản sao lưu gần nhất của máy chủ, hoặc tạo khóa mới (Trao đổi dữ liệu → "
            "Khóa → Tạo khóa mới) và báo các đơn vị nhận đối chiếu mã khóa mới trên phiếu xác nhận khóa."
        ) from error


def _store_key(session: Session, key: signing.SigningKey, replace: bool) -> None:
    """Server: the office's key in the database; without `replace` a key another PC stored first is kept."""
    from sqlalchemy.dialects.postgresql import insert

    from ntm_desktop.models import Setting

    session.flush()
    statement = insert(Setting.__table__).values(key=SERVER_KEY_SETTING, value=key.pem().decode("ascii"))
    statement = (statement.on_conflict_do_update(index_elements=["key"], set_={"value": statement.excluded.value})
                 if replace else statement.on_conflict_do_nothing(index_elements=["key"]))
    session.execute(statement)


def _load_or_create_key(session: Session) -> signing.SigningKey:
    if not _on_server(session):
        return signing.load_or_create(data_root(session))
    key = _load_key(session)
    if key is None:
        _store_key(session, signing.SigningKey.generate(), replace=False)
        key = _load_key(session)
    return key


def _utc(text: str) -> datetime | None:
    if not text:
        return None
    when = datetime.fromisoformat(text)
    return when.astimezone(timezone.utc).replace(tzinfo=None) if when.tzinfo else when


def _iso(when: datetime | None) -> str:
    return when.replace(tzinfo=timezone.utc).isoformat(timespec="seconds") if when else ""


def _label(session: Session, unit_id: str, code: str, name: str = "") -> str:
    unit = session.get(Unit, unit_id)
    name = unit.name if unit is not None and unit.code == code else name
    return f"“{code} – {name}”" if name else f"mã “{code}”"


def _rows(session: Session, unit_id: str) -> list[SyncKey]:
    return list(session.scalars(select(SyncKey).where(SyncKey.unit_id == unit_id).order_by(SyncKey.id)))


def _is_above(session: Session, upper: str, lower: str) -> bool:
    """True when `upper` is an ancestor of `lower` in the unit tree here."""
    seen = set()
    current = session.scalar(select(Unit.parent_id).where(Unit.id == lower))
    while current and current not in seen:
        if current == upper:
            return True
        seen.add(current)
        current = session.scalar(select(Unit.parent_id).where(Unit.id == current))
    return False


# --- this installation's own key -------------------------------------------------------------------------------

def own_key(session: Session) -> signing.SigningKey:
    """The key this office signs with (made the first time), noted among the known keys as its own."""
    key = _load_or_create_key(session)
    office_id = settings.office_unit_id(session)
    if office_id is None:
        return key
    rows = _rows(session, office_id)
    mine = next((r for r in rows if r.public_key == key.public_key), None)
    if mine is not None and mine.status == "revoked":
        raise UserError(
            f"Khóa ký của đơn vị này đã bị thu hồi ({mine.revoked_by or 'đơn vị cấp trên'}, "
            f"{format_vn_datetime(mine.revoked_at)}), nên gói ký bằng khóa này sẽ bị mọi đơn vị từ chối. Chưa lập "
            "gói nào. Hãy tạo khóa mới (Trao đổi dữ liệu → Khóa → Tạo khóa mới), in “Phiếu xác nhận khóa” và báo "
            "đơn vị cấp trên đối chiếu mã khóa mới."
        )
    if mine is None:
        unit = session.get(Unit, office_id)
        for row in rows:  # the key file was made anew (lost or deleted): the keys before it are not in use
            if row.status == "active":
                row.status, row.revoked_at, row.note = "replaced", _now(), "Máy này đã tạo khóa khác thay thế."
        session.add(SyncKey(unit_id=office_id, unit_code=unit.code if unit else "", public_key=key.public_key,
                            fingerprint=key.fingerprint, status="active", source="Khóa của chính máy này",
                            confirmed_by="", confirmed_at=utcnow()))
        session.flush()
    return key


def rotate(session: Session, user: str) -> signing.SigningKey:
    """A new key for this office, announced in its next packages as signed over by the current one."""
    access.require(session, access.Permission.SYNC)
    office_id = settings.office_unit_id(session)
    if office_id is None:
        raise UserError("Máy này chưa có đơn vị sử dụng, nên chưa có khóa để thay.")
    old = _load_key(session)
    new = signing.SigningKey.generate()
    now = _now()
    rotated_at = _iso(now)
    rows = _rows(session, office_id)
    old_row = next((r for r in rows if old is not None and r.public_key == old.public_key), None)
    proof = old is not None and (old_row is None or old_row.status != "revoked")
    for row in rows:
        if row.status == "active":
            row.status, row.revoked_at, row.note = "replaced", now, f"Thay bằng khóa {new.fingerprint}."
    unit = session.get(Unit, office_id)
    session.add(SyncKey(
        unit_id=office_id, unit_code=unit.code if unit else "", public_key=new.public_key,
        fingerprint=new.fingerprint, status="active", source="Khóa mới của chính máy này",
        previous_key=old.public_key if proof else "", rotated_at=rotated_at if proof else "",
        rotation_signature=old.sign(signing.rotation_message(office_id, new.public_key, rotated_at)) if proof else "",
        confirmed_by=user, confirmed_at=now))
    session.flush()
    if _on_server(session):
        _store_key(session, new, replace=True)
    else:
        signing.write_key(data_root(session), new, replace=True)
    return new


# --- signing a manifest ----------------------------------------------------------------------------------------

def _entry(row: SyncKey) -> dict:
    return {"unit_id": row.unit_id, "unit_code": row.unit_code, "public_key": row.public_key, "status": row.status,
            "revoked_at": _iso(row.revoked_at), "previous_key": row.previous_key, "rotated_at": row.rotated_at,
            "rotation_signature": row.rotation_signature}


def sign_manifest(session: Session, manifest: Manifest) -> tuple[bytes, bytes]:
    """Fill in the signer and the key list, and return (manifest.json, signature.json) as written in the zip."""
    key = own_key(session)
    manifest.signer_key = key.public_key
    rows = session.scalars(select(SyncKey).where(SyncKey.status != "pending").order_by(SyncKey.unit_code, SyncKey.id))
    manifest.keys = [_entry(r) for r in rows if signing.is_public_key(r.public_key)]
    data = manifest.to_json()
    signature = json.dumps({"algorithm": "Ed25519", "signature": key.sign(data)}).encode("ascii")
    return data, signature


# --- checking a package's signer -------------------------------------------------------------------------------

def check_signature(manifest: Manifest, manifest_bytes: bytes, signature) -> None:
    """The manifest's bytes are signed by the key it names (who that key belongs to is `check_signer`'s)."""
    value = signature.get("signature") if isinstance(signature, dict) else None
    if not (isinstance(signature, dict) and signature.get("algorithm") == "Ed25519"
            and signing.verify(manifest.signer_key, value, manifest_bytes)):
        raise PackageRefused(
            f"Chữ ký số của gói không đúng: gói ghi là của đơn vị mã “{manifest.origin_code}” nhưng không phải do "
            "đơn vị đó lập, hoặc đã bị sửa sau khi ký. Không nhập gói này; hãy gọi điện cho "
            f"{manifest.origin_code} báo việc này và đề nghị lập, gửi lại gói."
        )


def _valid_rotation(session: Session, unit_id: str, entry: dict, rows: list[SyncKey]) -> SyncKey | None:
    """The known key that signed the hand-over to `entry`'s key while it was still valid, or None."""
    if not entry.get("previous_key") or not entry.get("rotation_signature"):
        return None
    old = next((r for r in rows if r.public_key == entry["previous_key"] and r.status != "pending"), None)
    if old is None:
        return None
    when = _utc(entry["rotated_at"])
    if when is None or (old.status != "active" and (old.revoked_at is None or old.revoked_at <= when)):
        return None
    message = signing.rotation_message(unit_id, entry["public_key"], entry["rotated_at"])
    return old if signing.verify(old.public_key, entry["rotation_signature"], message) else None


def check_signer(session: Session, manifest: Manifest, confirmed: str | None = None,
                 before_confirming=None) -> Trust:
    """Whether the signer is the origin's key known here; refused (PackageRefused, KeyNotConfirmed) otherwise.

    `confirmed`: the fingerprint the clerk compared with the sender's key slip. `before_confirming()`: the
    checks that need the manifest only (destination, origin), run before asking a clerk about a key."""
    signer, origin = manifest.signer_key, manifest.origin_unit_id
    label = _label(session, origin, manifest.origin_code, manifest.origin_name)
    code = manifest.origin_code
    created = _utc(manifest.created_utc)
    rows = _rows(session, origin)
    same = next((r for r in rows if r.public_key == signer), None)
    if same is not None and same.status in ("revoked", "replaced"):
        # A revoked key may be in a thief's hands, and the creation time is what the package claims: every
        # package it signs is refused, whatever date it bears (the office re-sends with its new key; packages
        # carry whole records, so nothing is lost). A key replaced by its own office keeps what it made before.
        if same.status == "revoked" or (same.revoked_at is not None and created >= same.revoked_at):
            when = format_vn_datetime(same.revoked_at) if same.revoked_at else ""
            if same.status == "revoked":
                raise PackageRefused(
                    f"Gói ghi là của {label}, ký bằng khóa đã bị thu hồi từ {when} ({same.revoked_by or 'cấp trên'}"
                    f"). Mọi gói ký bằng khóa này đều bị từ chối, dù gói ghi ngày lập nào. Không nhập gói này; hãy gọi điện cho {code}: nếu {code} đã "
                    "có khóa mới, đề nghị lập lại gói bằng khóa mới và gửi phiếu xác nhận khóa mới; nếu không, "
                    "báo ngay cho đơn vị cấp trên (có thể máy hoặc khóa của đơn vị đó đã bị lấy mất)."
                )
            raise PackageRefused(
                f"Gói ghi là của {label}, ký bằng khóa cũ mà đơn vị đó đã thay bằng khóa mới từ {when}. Gói lập "
                f"bằng khóa cũ từ lúc đó bị từ chối. Không nhập gói này; hãy gọi điện cho {code} hỏi về gói này "
                "(có thể khóa cũ đã bị lấy mất)."
            )
        return Trust(signer, "known")
    if same is not None and same.status == "active":
        return Trust(signer, "known")
    if before_confirming is not None:
        before_confirming()
    other = session.scalar(select(SyncKey).where(SyncKey.public_key == signer, SyncKey.unit_id != origin,
                                                 SyncKey.status != "pending").limit(1))
    if other is not None:
        theirs = _label(session, other.unit_id, other.unit_code)
        raise PackageRefused(
            f"Gói ghi là của {label} nhưng được ký bằng khóa của {theirs}: gói giả mạo. Không nhập gói này; hãy "
            f"gọi điện báo cho {code} và {other.unit_code}."
        )
    active = [r for r in rows if r.status == "active"]
    entry = next((e for e in manifest.keys if e["unit_id"] == origin and e["public_key"] == signer
                  and e["status"] == "active"), None)
    if entry is not None:
        old = _valid_rotation(session, origin, entry, rows)
        if old is not None:
            return Trust(signer, "rotation", rotation=entry, replaces=[old.id])
    fingerprint = signing.fingerprint(signer)
    if signing.same_fingerprint(confirmed, signer):
        return Trust(signer, "confirmed", replaces=[r.id for r in active])
    known = tuple(r.fingerprint for r in active)
    how = (f"Nếu trùng khớp từng nhóm, bấm “Xác nhận khóa” (dòng lệnh: thêm --confirm-key \"{fingerprint}\"); "
           "nếu khác, đừng nhập gói này.")
    if known:
        raise KeyNotConfirmed(
            f"CẢNH BÁO: gói ghi là của {label} nhưng được ký bằng một khóa KHÁC với khóa máy này đã biết của đơn vị "
            f"đó (khóa đã biết: {', '.join(known)}; khóa của gói: {fingerprint}). Có thể gói bị giả mạo, hoặc {code} "
            f"đã cài lại máy mà không chuyển khóa. Chưa mở gói. Hãy gọi điện cho {code} (theo số điện thoại đã biết, "
            f"không theo số ghi trong gói) hỏi mã khóa trên “Phiếu xác nhận khóa” mới nhất. {how}",
            code, label, fingerprint, True, known)
    raise KeyNotConfirmed(
        f"Gói ghi là của {label}, ký bằng khóa có mã {fingerprint}. Máy này chưa biết khóa của đơn vị này, nên "
        f"chưa mở gói. Hãy đối chiếu mã khóa trên với “Phiếu xác nhận khóa” do {code} in ra (hoặc gọi điện để cán "
        f"bộ {code} đọc mã khóa). {how}", code, label, fingerprint, False)


# --- learning from an applied package --------------------------------------------------------------------------

def learn(session: Session, manifest: Manifest, trust: Trust, user: str) -> None:
    """Inside the apply transaction, after the package's records are written (its unit tree is known)."""
    now = _now()
    origin = manifest.origin_unit_id
    what = f"gói số {manifest.sequence} của {manifest.origin_code}"
    if trust.how == "confirmed":
        trust_key(session, origin, manifest.origin_code, trust.signer, user, f"Cán bộ đối chiếu mã khóa khi nhận {what}")
    elif trust.how == "rotation":
        when = min(_utc(trust.rotation["rotated_at"]), now)
        _retire(session, trust.replaces, when, f"Thay bằng khóa {signing.fingerprint(trust.signer)} ({what}).")
        _put(session, next((r for r in _rows(session, origin) if r.public_key == trust.signer), None),
             {**trust.rotation, "unit_code": manifest.origin_code}, "active",
             f"Khóa mới, được khóa cũ của {manifest.origin_code} ký chuyển giao ({what})", "", now)
    _learn_list(session, manifest, user, what, now)


def _retire(session: Session, ids: list[int], when: datetime, note: str) -> None:
    for row in session.scalars(select(SyncKey).where(SyncKey.id.in_(ids))):
        if row.status == "active":
            row.status, row.revoked_at, row.note = "replaced", when, note


def trust_key(session: Session, unit_id: str, unit_code: str, public_key: str, user: str, source: str) -> SyncKey:
    """A clerk compared this key's fingerprint with the office's key slip: it is that office's key from now on
    (a key known for it before is replaced, and packages made with that one from now on are refused)."""
    now = _now()
    rows = _rows(session, unit_id)
    _retire(session, [r.id for r in rows if r.public_key != public_key], now,
            f"Thay bằng khóa {signing.fingerprint(public_key)} (cán bộ xác nhận).")
    row = next((r for r in rows if r.public_key == public_key), None)
    if row is None:
        row = SyncKey(unit_id=unit_id, public_key=public_key, fingerprint=signing.fingerprint(public_key))
        session.add(row)
    row.unit_code, row.status, row.source, row.note = unit_code, "active", source, ""
    row.revoked_at, row.revoked_by, row.confirmed_by, row.confirmed_at = None, "", user, now
    session.flush()
    return row


def _learn_list(session: Session, manifest: Manifest, user: str, what: str, now: datetime) -> None:
    origin = manifest.origin_unit_id
    office_id = settings.office_unit_id(session) or manifest.destination_unit_id
    from_above = _is_above(session, origin, office_id)
    for entry in manifest.keys:
        unit_id, key = entry["unit_id"], entry["public_key"]
        if unit_id == origin and key == manifest.signer_key:
            continue
        rows = _rows(session, unit_id)
        row = next((r for r in rows if r.public_key == key), None)
        if entry["status"] == "revoked":
            if _is_above(session, origin, unit_id):  # only an office above the key's office revokes it
                _revoke(session, unit_id, entry, row, manifest.origin_code, now)
            continue
        if entry["status"] != "active" or unit_id == office_id:
            continue
        if row is not None and row.status != "pending":
            continue
        old = _valid_rotation(session, unit_id, entry, rows)
        if old is not None:
            old.status, old.revoked_at = "replaced", min(_utc(entry["rotated_at"]), now)
            old.note = f"Thay bằng khóa {signing.fingerprint(key)}."
            source = f"Khóa mới, được khóa cũ ký chuyển giao (trong danh sách khóa của {what})"
            _put(session, row, entry, "active", source, "", now)
            continue
        if not from_above or row is not None:
            continue
        if any(r.status == "active" for r in rows):
            _put(session, None, entry, "pending", f"Danh sách khóa của {what}", "Khác với khóa máy này đã biết của "
                 "đơn vị đó; chỉ xác nhận sau khi gọi điện đối chiếu mã khóa.", None)
        else:
            _put(session, None, entry, "active", f"Danh sách khóa của {what}", "", now)
    session.flush()


def _put(session: Session, row: SyncKey | None, entry: dict, status: str, source: str, note: str,
         confirmed_at: datetime | None) -> None:
    if row is None:
        row = SyncKey(unit_id=entry["unit_id"], public_key=entry["public_key"],
                      fingerprint=signing.fingerprint(entry["public_key"]))
        session.add(row)
    row.unit_code, row.status, row.source, row.note = entry["unit_code"], status, source, note
    row.previous_key, row.rotated_at = entry["previous_key"], entry["rotated_at"]
    row.rotation_signature, row.confirmed_at = entry["rotation_signature"], confirmed_at
    session.flush()


def _revoke(session: Session, unit_id: str, entry: dict, row: SyncKey | None, by: str, now: datetime) -> None:
    when = min(_utc(entry["revoked_at"]) or now, now)
    if row is None:
        row = SyncKey(unit_id=unit_id, unit_code=entry["unit_code"], public_key=entry["public_key"],
                      fingerprint=signing.fingerprint(entry["public_key"]), source=f"Thu hồi do {by} báo")
        session.add(row)
    if row.status != "revoked" or row.revoked_at is None or row.revoked_at > when:
        row.status, row.revoked_at, row.revoked_by = "revoked", when, row.revoked_by or by
    session.flush()
    _revoke_successors(session, unit_id, row.public_key, when, by)


def _revoke_successors(session: Session, unit_id: str, key: str, when: datetime, by: str) -> None:
    """A key handed over to by a revoked key after its revocation is revoked with it."""
    for row in _rows(session, unit_id):
        if row.previous_key == key and row.status != "revoked" and (_utc(row.rotated_at) or when) >= when:
            row.status, row.revoked_at, row.revoked_by = "revoked", when, by
            row.note = "Do một khóa đã bị thu hồi chuyển giao sau khi bị thu hồi."
            _revoke_successors(session, unit_id, row.public_key, when, by)


# --- the clerk's actions (the Khóa tab, `ntm-desktop sync keys`) -------------------------------------------------

def known_keys(session: Session) -> list[SyncKey]:
    return list(session.scalars(select(SyncKey).order_by(SyncKey.unit_code, SyncKey.id)))


def confirm_pending(session: Session, key_id: int, user: str) -> SyncKey:
    access.require(session, access.Permission.SYNC)
    row = session.get(SyncKey, key_id)
    if row is None or row.status != "pending":
        raise UserError("Chỉ xác nhận được khóa đang “chờ xác nhận”.")
    return trust_key(session, row.unit_id, row.unit_code, row.public_key, user,
                     f"{row.source}; cán bộ đối chiếu mã khóa và xác nhận")


def revoke(session: Session, key_id: int, user: str) -> SyncKey:
    """The office above revokes a key of an office below it (a stolen PC, a lost key)."""
    access.require(session, access.Permission.SYNC)
    row = session.get(SyncKey, key_id)
    if row is None:
        raise UserError("Không tìm thấy khóa này.")
    office_id = settings.office_unit_id(session)
    if row.status == "pending":
        row.status, row.revoked_at, row.revoked_by = "revoked", _now(), user
        row.note = "Cán bộ không xác nhận khóa này."
        return row
    if not office_id or not _is_above(session, office_id, row.unit_id):
        raise UserError(f"Chỉ đơn vị cấp trên của {row.unit_code} mới thu hồi được khóa của đơn vị đó. Nếu khóa "
                        f"của {row.unit_code} bị lộ, hãy báo cho đơn vị cấp trên của {row.unit_code}.")
    if row.status == "revoked":
        raise UserError("Khóa này đã bị thu hồi rồi.")
    office = session.get(Unit, office_id)
    now = _now()
    row.status, row.revoked_at, row.revoked_by = "revoked", now, office.code if office else user
    row.note = f"Thu hồi bởi {user}."
    session.flush()
    _revoke_successors(session, row.unit_id, row.public_key, now, row.revoked_by)
    return row


__all__ = ["KeyNotConfirmed", "STATUS_LABELS", "SIGNATURE_MEMBER", "Trust", "check_signature", "check_signer",
           "confirm_pending", "known_keys", "learn", "own_key", "revoke", "rotate", "sign_manifest"]
