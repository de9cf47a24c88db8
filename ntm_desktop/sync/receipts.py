"""Receipts: the receiver tells the sender which packages it applied (and what it rejected).

The sender then knows what the destination holds: the next delta starts from
the last acknowledged package, and unacknowledged packages are listed.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.errors import UserError
from ntm_desktop.models import ExportLog, ImportLedger, Receipt, Unit, utcnow
from ntm_desktop.services import access
from ntm_desktop.models.base import new_id
from ntm_desktop.sync import keys, ledger
from ntm_desktop.sync.export import destination_by_code, next_sequence, office_unit
from ntm_desktop.sync.identifiers import file_part, is_uuid
from ntm_desktop.sync.manifest import EXTENSION, FileEntry, Manifest, schema_head


def export_receipt(session: Session, to_code: str, out: Path | None, out_dir: Path | None = None, user: str = "") -> Path:
    access.require(session, access.Permission.SYNC)
    origin = office_unit(session)
    destination = destination_by_code(session, to_code)
    applied = list(session.scalars(select(ImportLedger).where(
        ImportLedger.origin_unit_id == destination.id, ImportLedger.result == "applied",
        ImportLedger.kind.in_(("delta", "full"))).order_by(ImportLedger.sequence)))
    if not applied:
        raise UserError(f"Chưa nhận gói nào từ {destination.name}, nên chưa có gì để báo đã nhận.")
    lines = []
    for entry in applied:
        summary = json.loads(entry.summary or "{}")
        lines.append({"package_id": entry.package_id, "sequence": entry.sequence,
                      "applied_at": entry.at.isoformat(timespec="seconds"), "rejected": summary.get("rejected", [])})
    data = b"".join(json.dumps(x, ensure_ascii=False, sort_keys=True).encode() + b"\n" for x in lines)
    now = datetime.now(timezone.utc)
    sequence = next_sequence(session, destination.id)
    manifest = Manifest(
        package_id=new_id(), kind="receipt", origin_unit_id=origin.id, origin_code=origin.code,
        origin_installation=session.info.get("installation_id", ""), origin_user=user,
        destination_unit_id=destination.id, destination_code=destination.code,
        created_utc=now.isoformat(timespec="seconds"), sequence=sequence, schema_version=schema_head(),
        origin_name=origin.name, destination_name=destination.name, files=[FileEntry("data/receipt.ndjson", "receipt", len(lines), len(data), hashlib.sha256(data).hexdigest())],
    )
    manifest_json, signature = keys.sign_manifest(session, manifest)
    name = f"{file_part(origin.code)}_bao-nhan_{file_part(destination.code)}_{now:%Y%m%d}_so{sequence:04d}{EXTENSION}"
    target = Path(out) if out else Path(out_dir or ".") / name
    tmp = target.with_name(target.name + ".dang-ghi")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("manifest.json", manifest_json)
            zf.writestr(keys.SIGNATURE_MEMBER, signature)
            zf.writestr("README.txt", (f"GIẤY BÁO ĐÃ NHẬN DỮ LIỆU\r\n{origin.name} báo cho {destination.name}: đã "
                                       f"nhập {len(lines)} gói, gói mới nhất số {lines[-1]['sequence']}.\r\n"
                                       ).encode("utf-8"))
            zf.writestr("data/receipt.ndjson", data)
        os.replace(tmp, target)
    except OSError as error:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # a read-only or removed stick: the first error is the one to tell
            pass
        raise UserError(f"Không ghi được giấy báo đã nhận vào “{target}”: {error.strerror or error}. Chưa gửi gì. "
                        "Hãy chọn thư mục khác, bỏ chế độ chỉ đọc (khóa ghi) của USB, hoặc kiểm tra USB còn chỗ "
                        "trống.") from error
    session.add(ExportLog(package_id=manifest.package_id, kind="receipt", destination_unit_id=destination.id,
                          sequence=sequence, user=user, file_name=target.name, audit_watermark=0,
                          summary=json.dumps({"receipt": len(lines)})))
    return target


def check_line(line) -> str | None:
    """Why one receipt line is not of the form export_receipt writes (Vietnamese), or None."""
    if not isinstance(line, dict) or not is_uuid(line.get("package_id")):
        return "mỗi dòng phải có mã gói (package_id) dạng UUID"
    sequence = line.get("sequence", 0)
    if type(sequence) is not int or not 0 <= sequence < 2 ** 31:
        return "số thứ tự gói (sequence) phải là số nguyên không âm"
    if not isinstance(line.get("applied_at", ""), str) or len(line.get("applied_at", "")) > 40:
        return "thời điểm nhập (applied_at) phải là ngày giờ"
    rejected = line.get("rejected", [])
    if not isinstance(rejected, list) or len(rejected) > 1_000_000 or not all(
            isinstance(r, dict) and len(r) <= 3 and all(type(k) is str and type(v) is str and len(v) <= 2000
                                                        for k, v in r.items()) for r in rejected):
        return "danh sách bản ghi bị từ chối (rejected) không đúng dạng"
    return None


def apply_receipt(session: Session, package, user: str):
    from ntm_desktop.sync.apply import ApplyResult, storable

    m = package.manifest
    package.trust = keys.check_signer(session, m, package.confirmed_key)  # still trusted inside the transaction
    acknowledged = 0
    for line in package.records.get("receipt", []):
        sent = session.scalar(select(ExportLog).where(
            ExportLog.package_id == line["package_id"], ExportLog.destination_unit_id == m.origin_unit_id))
        if sent is None:
            continue
        if sent.acknowledged_at is None:
            sent.acknowledged_at = utcnow()
            acknowledged += 1
        session.add(Receipt(receipt_package_id=m.package_id, from_unit_id=m.origin_unit_id,
                            package_id=line["package_id"], applied_at=str(line.get("applied_at", "")),
                            rejected=json.dumps(line.get("rejected", []), ensure_ascii=False)))
    keys.learn(session, m, package.trust, user)
    ledger.record(session, package_id=m.package_id, sha256=package.sha256, kind="receipt",
                  origin_unit_id=m.origin_unit_id, origin_code=m.origin_code, sequence=m.sequence,
                  created_utc=m.created_utc, user=user, file_name=storable(package.path.name)[:300], result="applied",
                  summary={"acknowledged": acknowledged})
    return ApplyResult(m.package_id, "receipt", f"{m.origin_code} xác nhận đã nhận {acknowledged} gói mới.")


@dataclass(frozen=True)
class DestinationStatus:
    unit_id: str
    unit_name: str
    acknowledged_sequence: int | None
    acknowledged_created: datetime | None
    unacknowledged: list[int]

    @property
    def text(self) -> str:
        if self.acknowledged_sequence is None:
            return f"{self.unit_name} chưa báo đã nhận gói nào."
        return (f"{self.unit_name} đã có dữ liệu của đơn vị ta đến gói số {self.acknowledged_sequence} "
                f"(lập ngày {self.acknowledged_created:%d/%m/%Y}).")


def destination_status(session: Session) -> list[DestinationStatus]:
    rows = list(session.scalars(select(ExportLog).where(ExportLog.kind != "receipt").order_by(ExportLog.sequence)))
    by_dest: dict[str, list[ExportLog]] = {}
    for row in rows:
        by_dest.setdefault(row.destination_unit_id, []).append(row)
    result = []
    for dest, logs in by_dest.items():
        unit = session.get(Unit, dest)
        acked = [r for r in logs if r.acknowledged_at]
        last = acked[-1] if acked else None
        result.append(DestinationStatus(
            dest, unit.name if unit else dest, last.sequence if last else None, last.created_at if last else None,
            [r.sequence for r in logs if not r.acknowledged_at],
        ))
    return result


def _is_below(session: Session, unit_id: str, ancestor_id: str) -> bool:
    seen = set()
    current = session.scalar(select(Unit.parent_id).where(Unit.id == unit_id))
    while current and current not in seen:
        if current == ancestor_id:
            return True
        seen.add(current)
        current = session.scalar(select(Unit.parent_id).where(Unit.id == current))
    return False


def usual_destination(session: Session, office_id: str | None) -> str | None:
    """Where this office usually sends: the last destination of a data package, else the office whose data
    packages it last applied (the one that set it up), else the unit above it."""
    last = session.scalar(select(ExportLog.destination_unit_id).where(ExportLog.kind.in_(("delta", "full")))
                          .order_by(ExportLog.id.desc()).limit(1))
    if last:
        return last
    origins = session.scalars(select(ImportLedger.origin_unit_id).where(
        ImportLedger.result == "applied", ImportLedger.kind.in_(("delta", "full"))).order_by(ImportLedger.id.desc()).limit(50))
    for origin in origins:
        if office_id and not _is_below(session, origin, office_id):  # a unit below reports to us: not where we send
            return origin
    return session.scalar(select(Unit.parent_id).where(Unit.id == office_id)) if office_id else None
