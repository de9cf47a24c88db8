"""An inbox folder of packages from many offices: apply each in order, then a board per unit.

Each package is applied in its own transaction, in order of origin and
sequence; a refused file is noted with its reason and the others go on.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ntm_desktop.errors import UserError
from ntm_desktop.models import ImportLedger, SyncConflict, Unit
from ntm_desktop.services import access
from ntm_desktop.sync import ledger
from ntm_desktop.sync.keys import KeyNotConfirmed
from ntm_desktop.sync.manifest import EXTENSION
from ntm_desktop.sync.reader import peek_manifest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InboxOutcome:
    file_name: str
    origin_code: str
    sequence: int
    status: str  # applied / already / receipt / refused
    message: str


@dataclass
class BoardRow:
    unit_id: str
    unit_code: str
    unit_name: str
    last_sequence: int | None = None
    last_created: str = ""
    last_applied_at: datetime | None = None
    gaps: list[int] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    conflicts_waiting: int = 0


def process_folder(workspace, folder: Path, user: str = "", progress=None) -> list[InboxOutcome]:
    from ntm_desktop.sync.apply import apply_file

    access.require_on(workspace.db, access.Permission.SYNC)  # before the backup made for the whole folder
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"Không tìm thấy thư mục “{folder}”. Hãy chọn lại thư mục hộp thư.")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == EXTENSION)

    def order(path: Path):
        m = peek_manifest(path)
        return (m.origin_code if m else "~", m.sequence if m and isinstance(m.sequence, int) else 0, path.name)

    outcomes = []
    if files:
        from ntm_desktop.sync.apply import safety_backup

        safety_backup(workspace)  # one backup before the whole run, not one per package
    for n, path in enumerate(sorted(files, key=order), start=1):
        if progress:
            progress(n, len(files), path.name)
        m = peek_manifest(path)
        try:
            result = apply_file(workspace, path, user=user, backup=False)
            outcomes.append(InboxOutcome(path.name, m.origin_code if m else "", m.sequence if m else 0,
                                         result.status, result.message))
        except UserError as error:
            message = str(error)
            if isinstance(error, KeyNotConfirmed):  # the clerk compares the key where the package can be opened
                message += (" Hộp thư không hỏi xác nhận khóa: hãy mở tệp này ở mục Trao đổi dữ liệu → Nhận để đối "
                            "chiếu mã khóa, rồi nhận lại hộp thư.")
            outcomes.append(InboxOutcome(path.name, m.origin_code if m else "", m.sequence if m else 0,
                                         "refused", message))
        except Exception as error:  # noqa: BLE001 - one file that breaks a rule nobody foresaw stops only itself
            log.exception("inbox: %s could not be applied", path.name)
            message = (f"Gói không nhập được do một lỗi chưa lường trước ({type(error).__name__}); không có gì "
                       "từ gói này được ghi. Hãy gửi tệp gói và tệp nhật ký cho bộ phận hỗ trợ; các gói khác vẫn "
                       "được nhập.")
            _note_refusal(workspace, path, message, user)
            outcomes.append(InboxOutcome(path.name, m.origin_code if m else "", m.sequence if m else 0,
                                         "refused", message))
    return outcomes


def _note_refusal(workspace, path: Path, message: str, user: str) -> None:
    from ntm_desktop.sync.apply import record_refusal

    try:
        record_refusal(workspace, path, message, user)
    except Exception:  # noqa: BLE001 - the outcome list still says it
        log.exception("inbox: the refusal of %s could not be recorded", path.name)


def board(session: Session) -> list[BoardRow]:
    rows: dict[str, BoardRow] = {}
    # Every unit and every origin's numbers in one query each: a province hears from thousands of communes.
    units = {uid: (code, name) for uid, code, name in session.execute(select(Unit.id, Unit.code, Unit.name))}
    sequences: dict[str, set[int]] = {}
    for origin, sequence in session.execute(select(ImportLedger.origin_unit_id, ImportLedger.sequence).where(
            ImportLedger.result.in_(("applied", "reverted")))):
        sequences.setdefault(origin, set()).add(sequence)

    def row_for(unit_id: str, code: str) -> BoardRow:
        key = unit_id or code or "?"
        if key not in rows:
            unit = units.get(unit_id) if unit_id else None
            rows[key] = BoardRow(unit_id, unit[0] if unit else code or "?",
                                 unit[1] if unit else (code or "Không rõ đơn vị gửi"))
        return rows[key]

    entries = session.execute(select(  # columns, not records: tens of thousands of packages for a province
        ImportLedger.origin_unit_id, ImportLedger.origin_code, ImportLedger.result, ImportLedger.file_name,
        case((ImportLedger.result == "refused", ImportLedger.summary)).label("summary"),  # why, if refused
        ImportLedger.package_id, ImportLedger.sequence, ImportLedger.created_utc,
        ImportLedger.at).where(ImportLedger.kind != "receipt").order_by(ImportLedger.id))
    package_origin: dict[str, str] = {}
    for origin_id, origin_code, result, file_name, summary, package_id, sequence, created, applied_at in entries:
        row = rows.get(origin_id or origin_code or "?") or row_for(origin_id, origin_code)
        if result == "refused":
            row.refused.append((file_name, summary))
            continue
        package_origin[package_id] = row.unit_id
        if row.last_sequence is None or sequence >= row.last_sequence:
            row.last_sequence, row.last_created, row.last_applied_at = sequence, created, applied_at
    for row in rows.values():
        if row.unit_id:
            row.gaps = ledger.gaps(sorted(sequences.get(row.unit_id, ())))  # as ledger.applied_sequences
    waiting = session.execute(select(SyncConflict.package_id, func.count()).where(
        SyncConflict.resolved.is_(False)).group_by(SyncConflict.package_id))
    for package_id, count in waiting:
        origin = package_origin.get(package_id)
        if origin in rows:
            rows[origin].conflicts_waiting += count
    return sorted(rows.values(), key=lambda r: r.unit_code)


def board_json(session: Session) -> str:
    return json.dumps([{
        "unit": r.unit_code, "name": r.unit_name, "last_sequence": r.last_sequence, "last_created": r.last_created,
        "gaps": r.gaps, "refused": [{"file": f, "reason": why} for f, why in r.refused],
        "conflicts_waiting": r.conflicts_waiting,
    } for r in board(session)], ensure_ascii=False, indent=1)
