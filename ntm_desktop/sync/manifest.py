"""The package manifest: who sent what to whom, and each file's size and SHA-256."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import lru_cache

from ntm_desktop import __version__
from ntm_desktop.errors import UserError
from ntm_desktop.sync.identifiers import is_sha256, is_unit_code, is_uuid
from ntm_desktop.sync.signing import is_public_key, is_signature

FORMAT_NAME = "ntm-sync"
FORMAT_VERSION = 2  # 2: every package is signed (signature.json over manifest.json)
UNSIGNED_VERSION = 1  # packages of apps before signing
EXTENSION = ".ntmsync"
KINDS = ("delta", "full", "catalogue", "receipt")


@lru_cache(maxsize=1)
def schema_head() -> str:
    """The Alembic head this app's code knows: the schema version a package is written in."""
    from alembic.script import ScriptDirectory

    from ntm_desktop.db import _alembic_config

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


@lru_cache(maxsize=1)
def known_schemas() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    from ntm_desktop.db import _alembic_config

    return frozenset(rev.revision for rev in ScriptDirectory.from_config(_alembic_config()).walk_revisions())


@dataclass
class FileEntry:
    path: str
    entity: str
    count: int
    bytes: int
    sha256: str


@dataclass
class Manifest:
    package_id: str
    kind: str
    origin_unit_id: str
    origin_code: str
    origin_installation: str
    origin_user: str
    destination_unit_id: str
    destination_code: str
    created_utc: str
    sequence: int
    files: list[FileEntry] = field(default_factory=list)
    format: str = FORMAT_NAME
    format_version: int = FORMAT_VERSION
    app_version: str = __version__
    schema_version: str = ""
    catalogue_version: str = ""
    origin_name: str = ""
    destination_name: str = ""
    signer_key: str = ""  # the origin's public key that signed this manifest (base64)
    keys: list[dict] = field(default_factory=list)  # the keys the origin knows (see sync/keys.py)

    def to_json(self) -> bytes:
        data = asdict(self)
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def from_dict(cls, data) -> "Manifest":
        """A manifest whose every value has been checked (`ManifestError` says which one is wrong)."""
        return parse(data)

    def counts(self) -> dict[str, int]:
        return {f.entity: f.count for f in self.files if f.entity}


class ManifestError(UserError):
    """A manifest value that is missing, of the wrong type, or not of its form; nothing of it was used."""


MAX_FILES = 20_000  # what the format can list; the limits a package may not exceed are in package_zip.Limits
MAX_KEYS = 20_000
KEY_ENTRY = ("unit_id", "unit_code", "public_key", "status", "revoked_at", "previous_key", "rotated_at",
             "rotation_signature")
KEY_STATUSES = ("active", "replaced", "revoked")
_INT_MAX = 2 ** 31  # sequence, counts, sizes: 0 <= n < 2**31
_MEMBER_PATH_CHARS = 80


def _text(data: dict, key: str, most: int, empty: bool = True) -> str:
    value = data.get(key, "" if empty else None)
    if type(value) is not str or len(value) > most or (not empty and not value) or \
            any(ord(ch) < 32 for ch in value):
        raise ManifestError(f"trường “{key}” phải là chữ, tối đa {most} ký tự")
    return value


def _count(data: dict, key: str) -> int:
    value = data.get(key)
    if type(value) is not int or not 0 <= value < _INT_MAX:
        raise ManifestError(f"trường “{key}” phải là số nguyên từ 0 đến {_INT_MAX - 1}")
    return value


def _check(ok: bool, key: str, form: str) -> None:
    if not ok:
        raise ManifestError(f"trường “{key}” phải là {form}")


def _time(data: dict, key: str, empty: bool) -> str:
    value = _text(data, key, 40, empty=empty)
    if value:
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            raise ManifestError(f"trường “{key}” phải là ngày giờ dạng ISO (ví dụ 2026-01-31T08:00:00+00:00)") from None
        if when.tzinfo is None:
            raise ManifestError(f"trường “{key}” phải ghi múi giờ (ví dụ 2026-01-31T08:00:00+00:00)")
    return value


def _key_entry(entry) -> dict:
    _check(isinstance(entry, dict) and set(entry) == set(KEY_ENTRY), "keys",
           "danh sách khóa, mỗi khóa có " + ", ".join(KEY_ENTRY))
    _check(is_uuid(entry["unit_id"]), "keys.unit_id", "mã định danh (UUID)")
    _check(is_unit_code(entry["unit_code"]), "keys.unit_code", "mã đơn vị")
    _check(is_public_key(entry["public_key"]), "keys.public_key", "khóa công khai Ed25519 (base64)")
    _check(entry["status"] in KEY_STATUSES, "keys.status", "một trong " + ", ".join(KEY_STATUSES))
    _check(entry["previous_key"] == "" or is_public_key(entry["previous_key"]), "keys.previous_key",
           "khóa công khai Ed25519 (base64)")
    _check(entry["rotation_signature"] == "" or is_signature(entry["rotation_signature"]),
           "keys.rotation_signature", "chữ ký Ed25519 (base64)")
    return {**entry, "revoked_at": _time(entry, "revoked_at", True), "rotated_at": _time(entry, "rotated_at", True)}


def newer_than_this_app(data) -> str | None:
    """What is newer in a package made by a later version ("" or None when nothing is), checked first:
    a later format may name its fields differently, and "update the app" is then the only useful answer."""
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        return None
    version = data.get("format_version")
    if type(version) is int and version > FORMAT_VERSION:
        return f"định dạng {min(version, _INT_MAX)}"
    schema = data.get("schema_version")
    if type(schema) is str and len(schema) <= 40 and schema not in known_schemas():
        return f"cấu trúc dữ liệu “{schema}”"
    return None


def parse(data) -> Manifest:
    """Check every value of a manifest as it arrived (a JSON object) and build the Manifest."""
    if not isinstance(data, dict):
        raise ManifestError("phần mô tả không phải một đối tượng JSON {…}")
    if data.get("format") != FORMAT_NAME:
        raise ManifestError("tệp không phải gói dữ liệu của NTM Desktop")
    _check(type(data.get("format_version")) is int and data["format_version"] == FORMAT_VERSION,
           "format_version", f"số định dạng {FORMAT_VERSION}")
    _check(data.get("kind") in KINDS, "kind", "một trong " + ", ".join(KINDS))
    for key in ("package_id", "origin_unit_id", "destination_unit_id"):
        _check(is_uuid(data.get(key)), key, "mã định danh (UUID)")
    installation = data.get("origin_installation", "")
    _check(installation == "" or is_uuid(installation), "origin_installation", "mã định danh (UUID)")
    for key in ("origin_code", "destination_code"):
        _check(is_unit_code(data.get(key)), key, "mã đơn vị (không có khoảng trắng, dấu / \\ : * ? \" < > |)")
    created = _time(data, "created_utc", empty=False)
    _check(is_public_key(data.get("signer_key")), "signer_key", "khóa công khai Ed25519 (base64)")
    entries = data.get("keys", [])
    _check(isinstance(entries, list) and len(entries) <= MAX_KEYS, "keys", f"danh sách tối đa {MAX_KEYS} khóa")
    keys = [_key_entry(entry) for entry in entries]
    entries = data.get("files", [])
    _check(isinstance(entries, list) and len(entries) <= MAX_FILES, "files", f"danh sách tối đa {MAX_FILES} tệp")
    files = []
    for entry in entries:
        _check(isinstance(entry, dict) and set(entry) == set(FileEntry.__dataclass_fields__), "files",
               "danh sách tệp, mỗi tệp có path, entity, count, bytes, sha256")
        _check(is_sha256(entry["sha256"]), "files.sha256", "mã SHA-256 (64 chữ số hệ 16)")
        files.append(FileEntry(path=_text(entry, "path", _MEMBER_PATH_CHARS, empty=False),
                               entity=_text(entry, "entity", 60), count=_count(entry, "count"),
                               bytes=_count(entry, "bytes"), sha256=entry["sha256"]))
    _check(len({f.path for f in files}) == len(files), "files", "danh sách tệp không trùng tên")
    return Manifest(
        package_id=data["package_id"], kind=data["kind"], origin_unit_id=data["origin_unit_id"],
        origin_code=data["origin_code"], origin_installation=installation,
        origin_user=_text(data, "origin_user", 300), destination_unit_id=data["destination_unit_id"],
        destination_code=data["destination_code"], created_utc=created, sequence=_count(data, "sequence"),
        files=files, format=FORMAT_NAME, format_version=data["format_version"],
        app_version=_text(data, "app_version", 40), schema_version=_text(data, "schema_version", 40),
        catalogue_version=_text(data, "catalogue_version", 100), origin_name=_text(data, "origin_name", 300),
        destination_name=_text(data, "destination_name", 300), signer_key=data["signer_key"], keys=keys,
    )
