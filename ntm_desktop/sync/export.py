"""Write a package for one destination: what changed since its last receipt, or everything.

Exporting changes nothing in the data; it takes the next outgoing sequence
number for the destination and notes each record's state as the base of a
later merge. The zip is written under a temporary name and renamed when whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ntm_desktop.errors import UserError, ValidationError
from ntm_desktop.models import AuditEntry, ExportLog, Unit
from ntm_desktop.models.base import new_id
from ntm_desktop.server import files as server_files
from ntm_desktop.services import access, settings
from ntm_desktop.services.attachments import stored_path
from ntm_desktop.sync import catalogue_edition, keys, ledger, snapshots
from ntm_desktop.sync.bulk import collector_paused, driver_sql
from ntm_desktop.sync.identifiers import file_part, is_sha256
from ntm_desktop.sync.entities import ENTITIES, to_json_value, load_rows
from ntm_desktop.sync.manifest import EXTENSION, FileEntry, Manifest, schema_head


@dataclass(frozen=True)
class ExportResult:
    path: Path
    manifest: Manifest
    counts: dict[str, int]  # entity -> records
    files: int


def office_unit(session: Session) -> Unit:
    office_id = settings.office_unit_id(session)
    unit = session.get(Unit, office_id) if office_id else None
    if unit is None:
        raise UserError("Chưa chọn đơn vị của cơ quan này. Hãy mở phần mềm và chọn cơ quan ở hộp “Bắt đầu sử dụng NTM Desktop” trước khi gửi dữ liệu.")
    return unit


def destination_by_code(session: Session, code: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == code.strip().upper()))
    if unit is None or unit.deleted:
        raise ValidationError(f"Không có đơn vị mã “{code}”. Hãy kiểm tra lại mã đơn vị nhận.", "destination")
    return unit


def last_acknowledged_watermark(session: Session, destination_id: str) -> int:
    return session.scalar(
        select(func.max(ExportLog.audit_watermark)).where(
            ExportLog.destination_unit_id == destination_id, ExportLog.acknowledged_at.is_not(None)
        )
    ) or 0


def next_sequence(session: Session, destination_id: str) -> int:
    return (session.scalar(
        select(func.max(ExportLog.sequence)).where(ExportLog.destination_unit_id == destination_id)
    ) or 0) + 1


def changed_ids(session: Session, entity: str, after: int, upto: int) -> list[str]:
    return list(session.scalars(
        select(AuditEntry.record_id).where(
            AuditEntry.entity == entity, AuditEntry.id > after, AuditEntry.id <= upto
        ).distinct()
    ))


def package_file_name(origin: Unit, destination: Unit, when: datetime, sequence: int) -> str:
    """Unit codes arrive in packages too: only their plain letters, digits, "-" and "_" reach the name."""
    return f"{file_part(origin.code)}_gui_{file_part(destination.code)}_{when:%Y%m%d}_so{sequence:04d}{EXTENSION}"


def _attachment_file(files_dir: Path, sha: str) -> tuple[Path, int] | None:
    """The stored copy of an attachment, if `sha` is a hash, the copy is inside files/ and its content still has
    that hash; None otherwise (the record then travels without its file, as when the copy is missing)."""
    if not is_sha256(sha):
        return None
    root = Path(files_dir).resolve()
    source = stored_path(root, sha)
    try:
        real = source.resolve(strict=True)
        if not real.is_relative_to(root) or not real.is_file():
            return None
        digest, size = hashlib.sha256(), 0
        with real.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return None
    return (real, size) if digest.hexdigest() == sha else None


BATCH = 5000  # records read, written and let go together


# A record's line: compact JSON, sorted keys (the form snapshots keep too); one encoder for every line.
_LINE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def _lines(records: list[dict]) -> dict[str, str]:
    """Each record's line, in order of id."""
    records.sort(key=_ID)
    return {r["id"]: _LINE(r) for r in records}


def _ID(record: dict) -> str:
    return record["id"]


def _json_reader(column, dialect):
    """A function from a column's values as the driver gives them to their JSON values, the same as
    `entities.load_rows` gives them (SQLAlchemy's result conversion, then `to_json_value`), chosen once per
    column: the text SQLite holds for a date or a time is its JSON form already, up to the "T"."""
    from datetime import date, datetime

    from sqlalchemy import Date, DateTime

    from ntm_desktop.models.base import VersionVector

    process = column.type.dialect_impl(dialect).result_processor(dialect, None)
    kind = column.type
    if isinstance(kind, DateTime):
        iso = lambda v: None if v is None else (process(v) if process else v).isoformat(timespec="microseconds")  # noqa: E731
        if process is None or process("2026-12-02 03:05:20.123456") != datetime(2026, 12, 2, 3, 5, 20, 123456):
            return lambda values: list(map(iso, values))
        return lambda values: [
            v[:10] + "T" + v[11:] if type(v) is str and len(v) == 26 and v[4] == v[7] == "-" and v[10] == " "
            and v[13] == v[16] == ":" and v[19] == "." else iso(v) for v in values]
    if isinstance(kind, Date):
        day = lambda v: None if v is None else (process(v) if process else v).isoformat()  # noqa: E731
        if process is None or process("2026-12-02") != date(2026, 12, 2):
            return lambda values: list(map(day, values))
        return lambda values: [v if type(v) is str and len(v) == 10 and v[4] == v[7] == "-" else day(v)
                               for v in values]
    if isinstance(kind, VersionVector):  # a few vectors repeat over a whole table: each text parsed once
        def vectors(values: list) -> list:
            parsed: dict = {}
            out = []
            for v in values:
                found = parsed.get(v)
                if found is None:
                    found = parsed[v] = process(v) if process else v
                out.append(dict(found) if type(found) is dict else found)
            return out
        return vectors

    def plain(values: list) -> list:
        if process:
            values = list(map(process, values))
        return values if set(map(type, values)) <= _PLAIN else list(map(to_json_value, values))
    return plain


_PLAIN = frozenset({str, int, float, bool, type(None), dict, list})


def _all_records(session: Session, spec):
    """Every record of the entity, `BATCH` at a time in order of id, read through the driver's own cursor (by
    id, from the last one read; its links by the same range of ids) and made a column at a time with readers
    chosen once."""
    connection = session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    names = spec.columns
    readers = [_json_reader(spec.table.c[name], dialect) for name in names]
    select_ = f"SELECT {', '.join(map(quote, names))} FROM {quote(spec.table.name)}"
    first = f"{select_} ORDER BY id LIMIT {BATCH}"
    after = driver_sql(dialect, f"{select_} WHERE id > ? ORDER BY id LIMIT {BATCH}")
    links = [(link, driver_sql(dialect, f"SELECT {quote(link.own_column)}, {quote(link.other_column)} FROM "
                                        f"{quote(link.table.name)} WHERE {quote(link.own_column)} > ? AND "
                                        f"{quote(link.own_column)} <= ?")) for link in spec.links]
    at = names.index("id")
    cursor = connection.connection.cursor()  # the session's own connection, in its transaction
    try:
        last = None
        while True:
            if last is None:
                cursor.execute(first)
            else:
                cursor.execute(after, (last,))
            rows = cursor.fetchall()
            if not rows:
                return
            since, last = last, rows[-1][at]
            columns = [read(list(values)) for read, values in zip(readers, zip(*rows))]
            records = [dict(zip(names, values)) for values in zip(*columns)]
            for link, query in links:  # every link of these records: their ids are all those in the range
                cursor.execute(query, (since or "", last))
                found: dict[str, list[str]] = {}
                for own, other in cursor.fetchall():
                    found.setdefault(own, []).append(other)
                for record, rid in zip(records, columns[at]):
                    record[link.name] = sorted(found.get(rid, ()))
            yield records
            if len(rows) < BATCH:
                return
    finally:
        cursor.close()


def _batches(session: Session, spec, ids: list[str] | None):
    """The records to send, `BATCH` at a time, in order of id: all of them (None) or those of `ids`."""
    if ids is None:
        yield from _all_records(session, spec)
        return
    ids = sorted(ids)
    for i in range(0, len(ids), BATCH):
        yield load_rows(session, spec, ids[i:i + BATCH])


def _write_entity(zf: zipfile.ZipFile, session: Session, spec, ids: list[str] | None, shas: set[str]):
    """Stream one entity's file into the zip; its manifest entry (None when there is nothing to send)."""
    path = f"data/{spec.name}.ndjson"
    digest, size, count, member = hashlib.sha256(), 0, 0, None
    try:
        for records in _batches(session, spec, ids):
            if not records:
                continue
            if spec.file_column:
                shas.update(r[spec.file_column] for r in records if not r["deleted"])
            lines = _lines(records)
            data = "".join(line + "\n" for line in lines.values()).encode("utf-8")
            if member is None:
                member = zf.open(path, "w")
            member.write(data)
            digest.update(data)
            size += len(data)
            count += len(records)
            snapshots.remember(session, spec.name, records, lines)
    finally:
        if member is not None:
            member.close()
    return FileEntry(path, spec.name, count, size, digest.hexdigest()) if count else None


def _not_written(target: Path, error: OSError) -> UserError:
    return UserError(
        f"Không ghi được gói dữ liệu vào “{target}”: {error.strerror or error}. Chưa gửi gì. Hãy chọn thư mục "
        "khác, bỏ chế độ chỉ đọc (khóa ghi) của USB, hoặc kiểm tra USB còn chỗ trống.")


def readme_text(manifest: Manifest, origin: Unit, destination: Unit, counts: dict[str, int]) -> str:
    from ntm_desktop.sync.entities import BY_NAME

    lines = [
        "GÓI DỮ LIỆU NTM DESKTOP",
        "",
        f"Đơn vị gửi: {origin.name} (mã {origin.code})",
        f"Đơn vị nhận: {destination.name} (mã {destination.code})",
        f"Người lập: {manifest.origin_user}",
        f"Mã khóa của đơn vị gửi (đối chiếu với Phiếu xác nhận khóa): {keys.signing.fingerprint(manifest.signer_key)}",
        f"Thời điểm lập (UTC): {manifest.created_utc}",
        f"Số thứ tự gói gửi đơn vị này: {manifest.sequence}",
        f"Loại gói: {'toàn bộ dữ liệu' if manifest.kind == 'full' else 'dữ liệu thay đổi'}",
        "",
        "Nội dung:",
    ]
    lines += [f"  - {BY_NAME[e].label}: {n} bản ghi" for e, n in counts.items() if n]
    lines += [
        "",
        "Cách dùng: mở NTM Desktop, vào mục Đồng bộ → Nhận, chọn tệp này. Phần mềm cho xem trước",
        "những gì sẽ thay đổi; không có gì thay đổi cho đến khi bấm “Áp dụng”.",
        "Không sửa, giải nén rồi nén lại tệp này: gói bị sửa sẽ bị từ chối.",
    ]
    return "\r\n".join(lines) + "\r\n"


@collector_paused()  # a full package reads every record: about a fifth of the time went in collections
def export_package(
    session: Session, files_dir: Path, destination_code: str, out: Path | None, out_dir: Path | None = None,
    full: bool = False, user: str = "",
) -> ExportResult:
    access.require(session, access.Permission.SYNC)
    ledger.one_at_a_time(session)  # the server: two PCs sending to one office at once take two numbers
    origin = office_unit(session)
    destination = destination_by_code(session, destination_code)
    if destination.id == origin.id:
        raise ValidationError("Đơn vị nhận phải khác đơn vị của cơ quan này.", "destination")
    watermark = session.scalar(select(func.max(AuditEntry.id))) or 0
    since = 0 if full else last_acknowledged_watermark(session, destination.id)
    sequence = next_sequence(session, destination.id)
    now = datetime.now(timezone.utc)
    manifest = Manifest(
        package_id=new_id(), kind="full" if full else "delta",
        origin_unit_id=origin.id, origin_code=origin.code,
        origin_installation=session.info.get("installation_id", ""), origin_user=user,
        destination_unit_id=destination.id, destination_code=destination.code,
        created_utc=now.isoformat(timespec="seconds"), sequence=sequence, schema_version=schema_head(),
        catalogue_version=settings.get(session, "catalogue_version", ""), origin_name=origin.name,
        destination_name=destination.name,
    )
    counts: dict[str, int] = {}
    shas: set[str] = set()
    name = package_file_name(origin, destination, now, sequence)
    target = Path(out) if out else Path(out_dir or ".") / name
    tmp = target.with_name(target.name + ".dang-ghi")
    # The data files are streamed into the zip a batch at a time (never held whole); the manifest, which holds
    # their hashes and is signed, is written after them.
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        zf = zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED)
    except OSError as error:
        raise _not_written(target, error) from error
    try:
        with zf:
            for spec in ENTITIES:
                ids = None if full else changed_ids(session, spec.name, since, watermark)
                entry = _write_entity(zf, session, spec, ids, shas) if ids is None or ids else None
                counts[spec.name] = entry.count if entry else 0
                if entry:
                    manifest.files.append(entry)
            edition = catalogue_edition.write(zf, session, origin, destination)  # a newer unit catalogue
            if edition:
                manifest.files.append(edition)
            attached: list[tuple[str, Path]] = []
            for sha in sorted(shas):
                try:
                    server_files.ensure_local(session, Path(files_dir), sha)  # server: a file this PC never opened, fetched
                except OSError as error:
                    raise UserError(f"Không lấy được tệp đính kèm từ máy chủ về thư mục dữ liệu của máy này "
                                    f"({error.strerror or error}). Chưa gửi gì. Hãy kiểm tra quyền ghi và chỗ trống của thư "
                                    "mục dữ liệu rồi thử lại.") from error
                found = _attachment_file(Path(files_dir), sha)
                if found:
                    attached.append((sha, found[0]))
                    manifest.files.append(FileEntry(f"files/{sha}", "", 0, found[1], sha))
            manifest_json, signature = keys.sign_manifest(session, manifest)  # every file's hash, who, to whom
            zf.writestr("manifest.json", manifest_json)
            zf.writestr(keys.SIGNATURE_MEMBER, signature)
            zf.writestr("README.txt", readme_text(manifest, origin, destination, counts).encode("utf-8"))
            for sha, source in attached:  # streamed from the store, never read whole
                zf.write(source, f"files/{sha}")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as error:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # a read-only or removed stick: the first error is the one to tell
            pass
        if isinstance(error, OSError):
            raise _not_written(target, error) from error
        raise
    session.add(ExportLog(
        package_id=manifest.package_id, kind=manifest.kind, destination_unit_id=destination.id,
        sequence=sequence, user=user, file_name=target.name, audit_watermark=watermark,
        summary=json.dumps(counts, ensure_ascii=False),
    ))
    return ExportResult(path=target, manifest=manifest, counts=counts, files=len(attached))
