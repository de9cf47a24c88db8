"""Communes without the app: an Excel workbook for one commune and year, filled and brought back.

The workbook lists the commune's tasks; the commune writes progress, the
completion date and the reply document. A very hidden sheet names the
template, its version, the unit and the period. Importing it builds the same
package the app would send (progress reports owned by the commune, ids derived
from the file so a second import changes nothing) and goes through the same
preview and apply. Refused: a workbook for another unit or period, a formula
where a value belongs, a task that is not this commune's.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Directive, Task, Unit, task_cooperators
from ntm_desktop.services.dates import parse_vn_date
from ntm_desktop.sync.export import office_unit
from ntm_desktop.sync.manifest import Manifest, schema_head
from ntm_desktop.sync.reader import Package, PackageRefused

TEMPLATE_ID = "ntm-xa-tien-do"
TEMPLATE_VERSION = 1
ID_SHEET = "_ntm"
SHEET = "Tiến độ nhiệm vụ"
HEADERS = ["Mã (không sửa)", "Văn bản", "Nhiệm vụ", "Hạn", "Ngày báo cáo", "Nội dung tiến độ",
           "Ngày hoàn thành", "Số, ký hiệu văn bản trả lời"]
FILL_FROM = 5  # columns E.. are filled by the commune
NAMESPACE = uuid.UUID("6f1d1c9e-5b0e-4a53-9a43-1b7c0c3f5e21")


def _unit(session: Session, code: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == code.strip().upper()))
    if unit is None:
        raise ValidationError(f"Không có đơn vị mã “{code}”.")
    return unit


def commune_tasks(session: Session, unit_id: str, year: int) -> list[Task]:
    cooperating = select(task_cooperators.c.task_id).where(task_cooperators.c.unit_id == unit_id)
    query = (select(Task).join(Directive, Directive.id == Task.directive_id)
             .where(Task.deleted.is_(False), or_(Task.lead_unit_id == unit_id, Task.id.in_(cooperating)),
                    Directive.arrival_year <= year, or_(Task.completed_on.is_(None), Task.completed_on >= date(year, 1, 1)))
             .order_by(Directive.arrival_date, Task.seq))
    return list(session.scalars(query))


def export_template(session: Session, unit_code: str, year: int, out: Path) -> Path:
    unit = _unit(session, unit_code)
    office = office_unit(session)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([f"{unit.name}: báo cáo tiến độ nhiệm vụ năm {year}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(["Chỉ điền các cột có nền vàng; ngày ghi dạng ngày/tháng/năm; không sửa cột Mã, không dùng công thức."])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    yellow = PatternFill("solid", fgColor="FFF4C2")
    for task in commune_tasks(session, unit.id, year):
        directive = session.get(Directive, task.directive_id)
        sheet.append([task.id, f"{directive.number_symbol} {directive.subject}"[:300], task.summary,
                      task.due_date.strftime("%d/%m/%Y") if task.due_date else task.deadline_text, None, None,
                      task.completed_on.strftime("%d/%m/%Y") if task.completed_on else None, task.reply_number or None])
        for cell in sheet[sheet.max_row][FILL_FROM - 1:]:
            cell.fill = yellow
    for letter, width in zip("ABCDEFGH", (12, 40, 50, 14, 14, 50, 16, 24)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ident = book.create_sheet(ID_SHEET)
    for key, value in [("template_id", TEMPLATE_ID), ("template_version", TEMPLATE_VERSION), ("unit_code", unit.code),
                       ("unit_id", unit.id), ("year", year), ("office_code", office.code), ("office_id", office.id)]:
        ident.append([key, value])
    ident.sheet_state = "veryHidden"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".dang-ghi")
    book.save(tmp)
    tmp.replace(out)
    return out


def _value(cell, label: str):
    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
        raise PackageRefused(f"Ô {cell.coordinate} ({label}) chứa công thức; hãy ghi giá trị (gõ trực tiếp) rồi gửi lại tệp.")
    return cell.value


def _date(value, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return parse_vn_date(str(value).strip(), label=f"Ngày ở ô {where}")
    except ValidationError as error:
        raise PackageRefused(f"{error} Hãy sửa trong tệp Excel rồi nhập lại.") from None


def read_template(session: Session, path: Path, unit_code: str, year: int) -> Package:
    """The filled workbook as a package from the commune; refused whole on any mismatch."""
    path = Path(path)
    try:
        book = load_workbook(path, data_only=False)
    except Exception:
        raise PackageRefused("Không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx). Hãy lưu lại dạng .xlsx.") from None
    if ID_SHEET not in book.sheetnames or SHEET not in book.sheetnames:
        raise PackageRefused("Tệp Excel không phải biểu mẫu của NTM Desktop. Hãy dùng đúng biểu mẫu đã gửi cho xã.")
    ident = {row[0].value: row[1].value for row in book[ID_SHEET].iter_rows(max_col=2)}
    if ident.get("template_id") != TEMPLATE_ID or int(ident.get("template_version") or 0) > TEMPLATE_VERSION:
        raise PackageRefused("Biểu mẫu thuộc phiên bản mới hơn. Hãy cập nhật NTM Desktop trước.")
    unit = _unit(session, unit_code)
    if ident.get("unit_code") != unit.code or ident.get("unit_id") != unit.id:
        raise PackageRefused(f"Biểu mẫu này của đơn vị “{ident.get('unit_code')}”, không phải “{unit.code}”. "
                             "Hãy chọn đúng tệp của xã.")
    if int(ident.get("year") or 0) != int(year):
        raise PackageRefused(f"Biểu mẫu này của năm {ident.get('year')}, không phải năm {year}. Hãy chọn đúng tệp.")
    office = office_unit(session)
    allowed = {t.id: t for t in commune_tasks(session, unit.id, int(year))}
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    installation = f"excel-{unit.code}"
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    records = []
    for row in book[SHEET].iter_rows(min_row=4):
        task_id = _value(row[0], "Mã")
        if not task_id:
            continue
        values = [_value(c, HEADERS[i]) for i, c in enumerate(row[:len(HEADERS)])]
        if task_id not in allowed:
            raise PackageRefused(f"Dòng {row[0].row}: nhiệm vụ không thuộc {unit.name} (cột Mã bị sửa?). Hãy dùng biểu mẫu gốc.")
        reported = _date(values[4], row[4].coordinate)
        text = str(values[5] or "").strip()
        done = _date(values[6], row[6].coordinate)
        reply = str(values[7] or "").strip()
        task = allowed[task_id]
        if not text and done == task.completed_on and reply == (task.reply_number or ""):
            continue
        parts = [text] if text else []
        if done and done != task.completed_on:
            parts.append(f"Đã hoàn thành ngày {done:%d/%m/%Y}")
        if reply and reply != (task.reply_number or ""):
            parts.append(f"văn bản trả lời số {reply}")
        records.append({
            "id": str(uuid.uuid5(NAMESPACE, f"{sha}:{task_id}")), "task_id": task_id,
            "reported_on": (reported or done or now.date()).isoformat(), "text": "; ".join(parts),
            "reported_by": f"{unit.name} (biểu mẫu Excel)", "owner_unit_id": unit.id,
            "version": {installation: 1}, "updated_at": now.isoformat(timespec="microseconds"), "deleted": False,
        })
    manifest = Manifest(
        package_id=str(uuid.uuid5(NAMESPACE, sha)), kind="delta", origin_unit_id=unit.id, origin_code=unit.code,
        origin_installation=installation, origin_user=unit.name, destination_unit_id=office.id,
        destination_code=office.code, created_utc=now.isoformat(timespec="seconds"), sequence=0,
        schema_version=schema_head(),
    )
    from ntm_desktop.models import ImportLedger

    previous = session.scalar(select(ImportLedger).where(
        ImportLedger.package_id == manifest.package_id, ImportLedger.result == "applied"))
    return Package(path=path, sha256=sha, manifest=manifest, records={"progress_updates": records}, previous=previous)


def import_template(workspace, path: Path, unit_code: str, year: int, user: str = ""):
    """Preview-then-apply path for a filled workbook: same plan, same one transaction, same ledger."""
    from ntm_desktop.sync import ledger
    from ntm_desktop.sync.apply import ApplyResult, apply_package

    with workspace.db.transaction(user) as session:
        package = read_template(session, path, unit_code, year)
    if package.already_imported:
        return ApplyResult(package.manifest.package_id, "already", ledger.imported_on_text(package.previous))
    return apply_package(workspace, package, user or workspace.user(),
                         reread=lambda session: read_template(session, path, unit_code, year))


def preview_template(workspace, path: Path, unit_code: str, year: int):
    from ntm_desktop.sync.preview import plan_package

    session = workspace.db.sessions()
    try:
        return plan_package(session, read_template(session, path, unit_code, year))
    finally:
        session.rollback()
        session.close()
