"""Open a package safely: every check passes before anything is read into the database.

Refused whole, each with a message saying what to do: a truncated or corrupt
zip, unsafe member names, too many members, a zip bomb, a checksum mismatch,
another destination, a newer format or schema, an unknown origin, the same
package id with different bytes, a manifest value not of its form (ids are
UUIDs, hashes hex digests, codes unit codes, numbers in range, times ISO), a
line that is not valid JSON, nested too deep, too long, or fails validation.
Members are streamed (`package_zip`): attachments are only hashed here and
copied at apply time, so memory stays bounded whatever the zip declares.

Records are not held whole either: the unit tree and the criteria catalogue
(small, and needed to plan everything else) are kept, every other entity's
file is checked here line by line and read again, a batch at a time, by the
plan and the apply (`Package.batches`), so a package of any size fits in a
bounded memory. An apply that was not previewed parses each line once: its
read checks the manifest, the signature and every member's hash, and the
lines are checked as they are read for the apply, inside its one transaction.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.errors import UserError
from ntm_desktop.models import ImportLedger, Unit
from ntm_desktop.services import settings
from ntm_desktop.sync import catalogue_edition
from ntm_desktop.sync.entities import BY_NAME, validate_records
from ntm_desktop.sync.identifiers import is_unit_code
from ntm_desktop.sync.keys import SIGNATURE_MEMBER, Trust, check_signature, check_signer
from ntm_desktop.sync.manifest import (FORMAT_NAME, FORMAT_VERSION, KINDS, UNSIGNED_VERSION, FileEntry, Manifest,
                                       ManifestError, known_schemas, newer_than_this_app)
from ntm_desktop.sync.package_zip import (DEFAULT_LIMITS, Limits, PackageRefused, check_members, hash_member,
                                          line_batches, lines as member_lines, load_json, load_lines, read_small)

if TYPE_CHECKING:
    from ntm_desktop.sync.catalogue_edition import CarriedEdition
    from ntm_desktop.sync.identity import Adoption

UPDATE_FIRST = "Hãy cập nhật NTM Desktop lên phiên bản mới nhất trước, rồi mở lại gói này."
ASK_AGAIN = "Hãy đề nghị đơn vị gửi lập và gửi lại gói."


__all__ = ["DEFAULT_LIMITS", "Limits", "Package", "PackageRefused", "peek_manifest", "read_package", "recheck"]

# Entities kept whole once read: small, and what planning the others needs (the tree, the catalogue).
HELD = frozenset({"units", "criteria_sets", "criteria", "indicators"})
BATCH = 5000  # records of one entity planned and written together
CHANGED = "Tệp gói đã thay đổi từ lúc xem trước. Hãy mở lại gói."


@dataclass
class Package:
    path: Path
    sha256: str
    manifest: Manifest
    records: dict[str, list[dict]] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)  # attachments in the zip: sha256 -> size (not read yet)
    # Each record's JSON line as it arrived (entity -> id -> line): stored as the merge base as is.
    lines: dict[str, dict[str, str]] = field(default_factory=dict)
    previous: ImportLedger | None = None  # already imported with the same bytes
    # A package that sets up this installation's office: there is none yet, or it was made by hand here and
    # takes the package's identity (`adoption`). Its destination becomes the office; its tree is taken as it comes.
    bootstrap: bool = False
    adoption: "Adoption | None" = None  # hand-made units here that take the package's identities
    # Entered at this office on a unit's behalf (a filled Excel template): written with this office's rights.
    entered_here: bool = False
    trust: Trust | None = None  # why the signer is trusted (sync/keys.py); what applying it teaches
    confirmed_key: str | None = None  # the fingerprint the clerk compared with the sender's key slip
    # Entities checked but not held (read again by `batches`): entity -> its manifest entry.
    streamed: dict[str, FileEntry] = field(default_factory=dict)
    live: dict[str, int] = field(default_factory=dict)  # entity -> records that are not deletions
    # False: the streamed entities' lines were not read yet (`read_package(check_lines=False)`): the first
    # `batches` read checks them, and `live` is not known.
    lines_checked: bool = True
    limits: Limits = DEFAULT_LIMITS
    catalogue_edition: "CarriedEdition | None" = None  # the unit catalogue's edition it carries (catalogue_edition.py)

    @property
    def already_imported(self) -> bool:
        return self.previous is not None

    def entities(self) -> list[str]:
        """Entities the package brings records of (held or streamed)."""
        return [name for name in BY_NAME if self.records.get(name) or name in self.streamed]

    def live_counts(self) -> dict[str, int]:
        """Records per entity that are not deletions."""
        held = {e: sum(1 for r in rs if not r.get("deleted")) for e, rs in self.records.items() if e in BY_NAME}
        return {**held, **self.live}

    def batches(self, entity: str, size: int | None = None) -> Iterator[tuple[list[dict], dict[str, str]]]:
        """The entity's records and their lines as they arrived, `size` (default `BATCH`) records at a time;
        an entity held (the unit tree, the catalogue, what a workbook brings) in one batch.

        A streamed entity is read again from the zip and checked as the first read did; its bytes must still
        have the hash the manifest gives (the file may have been replaced since)."""
        if entity not in self.streamed:  # held: whole (units point at units, in any order)
            if self.records.get(entity):
                yield self.records[entity], self.lines.get(entity) or {}
            return
        size = size or BATCH
        entry = self.streamed[entity]
        digest = hashlib.sha256()
        seen: set[str] = set()
        count = 0
        try:
            with zipfile.ZipFile(self.path) as zf:
                info = zf.getinfo(entry.path)
                if info.file_size != entry.bytes:
                    raise PackageRefused(CHANGED)
                for records, lines in _parsed_batches(zf, info, entry.path, entity, self.limits, size, digest):
                    count += len(records)
                    seen.update(lines)
                    if len(seen) != count:
                        raise PackageRefused(_twice(entry.path))
                    yield records, lines
        except (zipfile.BadZipFile, KeyError, EOFError, OSError, NotImplementedError, zlib_error()) as error:
            if isinstance(error, PackageRefused):
                raise
            if self.lines_checked:  # the first read went through this file whole
                raise PackageRefused(CHANGED) from None
            raise PackageRefused(_BAD_ZIP if isinstance(error, zipfile.BadZipFile) else _UNREADABLE) from None
        if digest.hexdigest() != entry.sha256:  # not hashed by the first read, or changed since
            raise PackageRefused(CHANGED if self.lines_checked else _not_its_hash(entry.path))
        if count != entry.count:
            raise PackageRefused(_miscounted(entry.path))


_BAD_ZIP = ("Tệp gói bị hỏng hoặc chép chưa hết (không đọc được tệp nén). Hãy chép lại tệp từ USB/email, "
            f"hoặc {ASK_AGAIN[0].lower() + ASK_AGAIN[1:]}")
_UNREADABLE = f"Tệp gói bị hỏng, không đọc hết được. {ASK_AGAIN}"


def _not_its_hash(path: str) -> str:
    return f"Mã kiểm tra của {path} không khớp: gói bị hỏng hoặc bị sửa trên đường gửi. {ASK_AGAIN}"


def _twice(path: str) -> str:
    return f"{path} có hai bản ghi trùng mã (id): gói bị lỗi. {ASK_AGAIN}"


def _miscounted(path: str) -> str:
    return f"Số bản ghi trong {path} không khớp phần mô tả. {ASK_AGAIN}"


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _unit_label(code: str, name: str) -> str:
    return f"“{code} – {name}”" if name else f"mã “{code}”"


def _check_manifest(session: Session, manifest: Manifest, incoming_name=None) -> str:
    """Format, schema, destination and origin.

    Returns "" for a package for this office, "bootstrap" for a full package setting up an installation
    with no office yet, "adopt" for a package made for this office's code while this office's unit was
    created by hand here (its identity is adopted from the package, see sync/identity.py).
    `incoming_name(unit_id)`: the name of a unit as the package brings it, for messages."""
    if manifest.format != FORMAT_NAME:
        raise PackageRefused("Tệp không phải gói dữ liệu của NTM Desktop.")
    if not isinstance(manifest.format_version, int) or manifest.format_version > FORMAT_VERSION:
        raise PackageRefused(f"Gói được lập bằng phiên bản NTM Desktop mới hơn (định dạng {manifest.format_version}). {UPDATE_FIRST}")
    if manifest.schema_version not in known_schemas():
        raise PackageRefused(
            f"Gói được lập bằng phiên bản NTM Desktop có cấu trúc dữ liệu mới hơn (“{manifest.schema_version}”). {UPDATE_FIRST}"
        )
    if manifest.kind not in KINDS:
        raise PackageRefused(f"Loại gói “{manifest.kind}” không được hỗ trợ. {UPDATE_FIRST}")
    office_id = settings.office_unit_id(session)
    if office_id is None:
        if manifest.kind == "full":
            return "bootstrap"
        raise PackageRefused(
            f"Máy này chưa có đơn vị sử dụng, và gói này ({_KIND_WORDS.get(manifest.kind, manifest.kind)}) "
            "không đủ để cài đặt máy. Hãy đề nghị đơn vị cấp trên lập gói “toàn bộ dữ liệu” cho đơn vị mình "
            "(Trao đổi dữ liệu → Gửi, đánh dấu “Gửi toàn bộ dữ liệu”), rồi nhận gói đó."
        )
    if manifest.destination_unit_id != office_id:
        from ntm_desktop.sync.identity import born_here

        ours = session.get(Unit, office_id)
        if ours is not None and ours.code == manifest.destination_code and manifest.kind != "receipt" \
                and born_here(session, ours):
            return "adopt"
        destination = session.get(Unit, manifest.destination_unit_id)
        name = destination.name if destination else (manifest.destination_name or (
            incoming_name(manifest.destination_unit_id) if incoming_name else ""))
        theirs = _unit_label(manifest.destination_code, name)
        mine = _unit_label(ours.code, ours.name) if ours else f"mã định danh {office_id}"
        if ours is not None and ours.code == manifest.destination_code:
            raise PackageRefused(
                f"Gói này gửi cho {theirs}, cùng mã với đơn vị của máy này ({mine}) nhưng là một đơn vị khác "
                "trong danh mục (mã định danh khác: đơn vị của máy này đã nhận từ một gói trước). Không nhập gói này; "
                f"hãy đề nghị {manifest.origin_code} kiểm tra danh mục đơn vị và lập lại gói cho đúng đơn vị."
            )
        raise PackageRefused(
            f"Gói này gửi cho {theirs}, không phải đơn vị của máy này ({mine}). Không nhập gói này; hãy chuyển "
            f"gói cho đúng đơn vị nhận, hoặc đề nghị {manifest.origin_code} lập gói gửi đơn vị mã “{ours.code if ours else ''}”."
        )
    return _check_origin(session, manifest, office_id)


_KIND_WORDS = {"delta": "chỉ có phần dữ liệu thay đổi", "receipt": "giấy báo đã nhận", "catalogue": "danh mục"}


def _check_origin(session: Session, manifest: Manifest, office_id: str, incoming: list[dict] | None = None) -> str:
    """The origin is a unit known here with the same code (or, when adopting, one the package brings)."""
    origin = session.get(Unit, manifest.origin_unit_id)
    arriving = incoming is not None and any(
        r["id"] == manifest.origin_unit_id and r["code"] == manifest.origin_code for r in incoming)
    if not arriving and (origin is None or origin.deleted or origin.code != manifest.origin_code):
        raise PackageRefused(
            f"Gói đến từ đơn vị mã “{manifest.origin_code}” chưa có trong danh mục đơn vị của máy này "
            "(hoặc mã không khớp). Hãy nhận danh mục đơn vị từ cấp trên trước, hoặc liên hệ đơn vị gửi."
        )
    if manifest.origin_unit_id == office_id:
        raise PackageRefused("Đây là gói do chính đơn vị này lập; không cần nhận lại.")
    return ""


def _check_setup(session: Session, package: "Package", mode: str) -> None:
    """A set-up or adopting package brings the destination unit; the hand-made units it replaces are noted."""
    from ntm_desktop.sync.identity import plan_adoption

    manifest = package.manifest
    incoming = package.records.get("units", [])
    if not any(r["id"] == manifest.destination_unit_id and r["code"] == manifest.destination_code
               and not r["deleted"] for r in incoming):
        raise PackageRefused(
            f"Gói không mang thông tin đơn vị nhận (mã “{manifest.destination_code}”), nên không dùng để cài đặt "
            "đơn vị của máy này được. Hãy đề nghị đơn vị cấp trên lập gói “toàn bộ dữ liệu” cho đơn vị mình."
        )
    if mode == "adopt":
        _check_origin(session, manifest, manifest.destination_unit_id, incoming)
    package.adoption = plan_adoption(session, package.records, manifest.destination_code)


def _incoming_unit_name(zf: zipfile.ZipFile, names: dict, unit_id: str) -> str:
    """A unit's name as the package brings it (for a refusal message only; "" when not readable)."""
    info = names.get("data/units.ndjson")
    if info is None:
        return ""
    try:
        with zf.open(info) as fh:
            lines = [raw.decode("utf-8") for raw in fh if unit_id.encode() in raw]
        for line in lines:
            if unit_id in line:
                record = json.loads(line)
                if record.get("id") == unit_id:
                    return str(record.get("name") or "")
    except Exception:  # a damaged package: the message names the code only
        return ""
    return ""


def _parsed_batches(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, entity: str, limits: Limits,
                    size: int | None = None, digest=None) -> Iterator[tuple[list[dict], dict[str, str]]]:
    """(records, id -> line) of a data file, `size` records at a time, each line parsed and checked (JSON,
    depth, shape, id, version, links, every field's type); the first bad line refuses the package."""
    spec = BY_NAME[entity]
    for batch in line_batches(zf, info, limits, path, digest, size or BATCH):
        where = lambda i: f"{path}, dòng {batch[i][0]}"  # noqa: E731 - named only when a line is refused
        records = load_lines([text for _, text in batch], where, limits)
        try:
            records = validate_records(spec, records, where)
        except UserError as error:
            raise PackageRefused(f"{error} Gói bị từ chối toàn bộ; {ASK_AGAIN}") from None
        yield records, dict(zip(map(_ID, records), (text for _, text in batch)))


def _ID(record: dict) -> str:
    return record["id"]


def _parse_ndjson(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, entity: str, limits: Limits,
                  hold: bool = True) -> tuple[list[dict], dict[str, str], int, int]:
    """Every line checked; returns the records and lines when `hold` (else empty), the number of records and
    of those not deletions. Two records with one id refuse the package."""
    records: list[dict] = []
    lines: dict[str, str] = {}
    seen: set[str] = set()
    count = live = 0
    for batch, texts in _parsed_batches(zf, info, path, entity, limits):
        count += len(batch)
        live += sum(1 for r in batch if not r["deleted"])
        seen.update(texts)
        if len(seen) != count:
            raise PackageRefused(_twice(path))
        if hold:
            records += batch
            lines.update(texts)
    return records, lines, count, live


def _parse_receipt(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, limits: Limits) -> list[dict]:
    from ntm_desktop.sync.receipts import check_line

    lines = []
    for number, line in member_lines(zf, info, limits, path):
        if line.strip():
            value = load_json(line, f"{path}, dòng {number}", limits)
            problem = check_line(value)
            if problem:
                raise PackageRefused(f"{path}, dòng {number}: giấy báo nhận không đúng cấu trúc ({problem}). {ASK_AGAIN}")
            lines.append(value)
    return lines


def _read_manifest(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> tuple[Manifest, bytes]:
    data = read_small(zf, info, limits.max_manifest_bytes, "Phần mô tả (manifest.json)")
    raw = load_json(data, "Phần mô tả của gói (manifest.json)", limits)
    newer = newer_than_this_app(raw)
    if newer:
        raise PackageRefused(f"Gói được lập bằng phiên bản NTM Desktop mới hơn ({newer}). {UPDATE_FIRST}")
    if isinstance(raw, dict) and raw.get("format") == FORMAT_NAME and raw.get("format_version") == UNSIGNED_VERSION:
        code = raw.get("origin_code")
        sender = f"đơn vị mã “{code}”" if is_unit_code(code) else "đơn vị gửi"
        raise PackageRefused(
            f"Gói được lập bằng phiên bản NTM Desktop cũ, chưa có chữ ký số của {sender}, nên không biết chắc gói "
            f"do ai lập và không nhập được. Hãy đề nghị {sender} cập nhật NTM Desktop lên phiên bản mới nhất, rồi "
            "lập và gửi lại gói."
        )
    try:
        return Manifest.from_dict(raw), data
    except ManifestError as error:
        raise PackageRefused(f"Phần mô tả của gói (manifest.json) không hợp lệ: {error}. Gói bị từ chối toàn bộ. "
                             f"{ASK_AGAIN}") from None


def _verified(session: Session, zf: zipfile.ZipFile, names: dict, limits: Limits,
              confirmed: str | None) -> tuple[Manifest, Trust]:
    """The manifest, its signature, and the signer as the origin's known key: before anything else is read."""
    manifest, data = _read_manifest(zf, names["manifest.json"], limits)
    info = names.get(SIGNATURE_MEMBER)
    if info is None:
        raise PackageRefused(
            f"Gói ghi là của đơn vị mã “{manifest.origin_code}” nhưng không có chữ ký số (signature.json), nên "
            f"không biết chắc gói do ai lập. Không nhập gói này; hãy đề nghị {manifest.origin_code} lập và gửi lại gói."
        )
    signature = load_json(read_small(zf, info, 4096, "Chữ ký số (signature.json)"), "Chữ ký số của gói", limits)
    check_signature(manifest, data, signature)
    trust = check_signer(session, manifest, confirmed, before_confirming=lambda: _check_manifest(session, manifest))
    return manifest, trust


def read_package(session: Session, path: Path, limits: Limits | None = None,
                 confirmed_key: str | None = None, check_lines: bool = True) -> Package:
    """`confirmed_key`: the fingerprint a clerk compared with the sender's key slip (a key not known yet).

    `check_lines=False` (an apply that reads the package only to apply it): the manifest, signature, members
    and their hashes are checked here, the held entities line by line; the streamed entities' lines are
    checked once, as the apply reads them a batch at a time inside its one transaction (`Package.batches`
    refuses the package at the first bad line, an id twice or a count other than the manifest's, and the
    transaction is rolled back), instead of being parsed here and again there."""
    path = Path(path)
    limits = limits or Limits.from_settings(session)
    if not path.is_file():
        raise PackageRefused(f"Không tìm thấy tệp “{path}”. Có thể USB đã bị rút ra; hãy chọn lại tệp.")
    sha = _sha256_file(path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = check_members(zf, limits)
            if "manifest.json" not in names:
                raise PackageRefused("Gói không có phần mô tả (manifest.json), không phải gói của NTM Desktop.")
            manifest, trust = _verified(session, zf, names, limits, confirmed_key)
            mode = _check_manifest(session, manifest, lambda uid: _incoming_unit_name(zf, names, uid))
            previous = session.scalar(
                select(ImportLedger).where(
                    ImportLedger.package_id == manifest.package_id, ImportLedger.result == "applied"
                ).order_by(ImportLedger.id.desc()).limit(1)
            )
            if previous is not None and previous.sha256 != sha:
                raise PackageRefused(
                    "Gói có cùng mã với một gói đã nhập nhưng nội dung khác: gói đã bị sửa. "
                    f"Không nhập gói này; {ASK_AGAIN}"
                )
            package = Package(path=path, sha256=sha, manifest=manifest, previous=previous,
                              bootstrap=mode in ("bootstrap", "adopt"), trust=trust, confirmed_key=confirmed_key,
                              limits=limits)
            if previous is not None:
                return package
            listed = {f.path: f for f in manifest.files}
            extra = set(names) - set(listed) - {"manifest.json", SIGNATURE_MEMBER, "README.txt"}
            if extra:
                raise PackageRefused(f"Gói chứa tệp không được khai báo ({sorted(extra)[0]}). {ASK_AGAIN}")
            for entry in manifest.files:
                info = names.get(entry.path)
                if info is None:
                    raise PackageRefused(f"Gói thiếu tệp {entry.path} (gói chép chưa hết?). {ASK_AGAIN}")
                # A data file the apply streams is hashed as the apply reads it (`Package.batches`), not twice.
                streamed = (not check_lines and entry.entity in BY_NAME and entry.entity not in HELD
                            and entry.path == f"data/{entry.entity}.ndjson")
                if info.file_size != entry.bytes or not streamed and hash_member(zf, info) != entry.sha256:
                    raise PackageRefused(_not_its_hash(entry.path))
                if entry.path.startswith("files/"):
                    if entry.path[6:] != entry.sha256:
                        raise PackageRefused(f"Tệp đính kèm {entry.path} không khớp mã của nó. {ASK_AGAIN}")
                    package.files[entry.sha256] = entry.bytes  # copied at apply time, if a record refers to it
                    continue
                if entry.path == catalogue_edition.MEMBER:  # the unit catalogue's edition, read and checked there
                    package.catalogue_edition = catalogue_edition.read(session, zf, info, entry, limits)
                    continue
                if entry.entity == "receipt" and manifest.kind == "receipt":
                    package.records["receipt"] = _parse_receipt(zf, info, entry.path, limits)
                    continue
                if entry.entity not in BY_NAME or entry.path != f"data/{entry.entity}.ndjson":
                    raise PackageRefused(f"Gói chứa loại dữ liệu “{entry.entity[:60]}” mà phiên bản này không biết. {UPDATE_FIRST}")
                hold = entry.entity in HELD
                if not hold and not check_lines:  # checked line by line when the apply reads it, in its transaction
                    package.streamed[entry.entity], package.lines_checked = entry, False
                    continue
                records, lines, count, live = _parse_ndjson(zf, info, entry.path, entry.entity, limits, hold)
                if count != entry.count:
                    raise PackageRefused(_miscounted(entry.path))
                if hold:
                    package.records[entry.entity], package.lines[entry.entity] = records, lines
                elif count:
                    package.streamed[entry.entity], package.live[entry.entity] = entry, live
    except zipfile.BadZipFile:
        raise PackageRefused(_BAD_ZIP) from None
    except (zlib_error(), EOFError, OSError, NotImplementedError) as error:  # NotImplementedError: an unknown
        if isinstance(error, PackageRefused):  # compression method
            raise
        raise PackageRefused(_UNREADABLE) from None
    except RecursionError:  # a value nested deeper than any check expected: refused like any damage
        raise PackageRefused(f"Gói chứa dữ liệu lồng nhau quá sâu, không phải dữ liệu NTM Desktop lập ra. {ASK_AGAIN}") from None
    if mode:
        _check_setup(session, package, mode)
    return package


def zlib_error():
    import zlib

    return zlib.error


def peek_manifest(path: Path) -> Manifest | None:
    """The manifest alone, for sorting an inbox and naming the sender of a refused file; None if unreadable."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("manifest.json")
            return Manifest.from_dict(load_json(read_small(zf, info, DEFAULT_LIMITS.max_manifest_bytes, ""), ""))
    except Exception:  # any damage (a manifest value not of its form too): the full read will say what is wrong
        return None


def recheck(session: Session, package: Package) -> Package:
    """Inside the apply transaction: the file is still the one previewed, and manifest and ledger still agree."""
    if not package.path.is_file() or _sha256_file(package.path) != package.sha256:
        raise PackageRefused("Tệp gói đã thay đổi hoặc bị rút ra từ lúc xem trước. Hãy mở lại gói.")
    package.trust = check_signer(session, package.manifest, package.confirmed_key)  # a key revoked meanwhile
    mode = _check_manifest(session, package.manifest, lambda uid: next(
        (r["name"] for r in package.records.get("units", []) if r["id"] == uid), ""))
    previous = session.scalar(select(ImportLedger).where(
        ImportLedger.package_id == package.manifest.package_id, ImportLedger.result == "applied").limit(1))
    if previous is not None and previous.sha256 != package.sha256:
        raise PackageRefused(f"Gói có cùng mã với một gói đã nhập nhưng nội dung khác: gói đã bị sửa. {ASK_AGAIN}")
    package.previous, package.bootstrap = previous, mode in ("bootstrap", "adopt")
    if mode and previous is None:
        _check_setup(session, package, mode)
    return package
