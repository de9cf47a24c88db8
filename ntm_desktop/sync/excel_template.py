"""Communes without the app: an Excel workbook for one commune and year, filled and brought back.

Two sheets: the commune's tasks (it writes progress, the completion date and
the reply document) and its criteria assessment for the year (measured values,
statuses, notes). A very hidden sheet names the template, its version, the
unit, the period and the criteria set. Importing it builds the same package
the app would send and goes through the same preview and apply: progress
reports owned by the commune, ids derived from the file so a second import
changes nothing; assessments computed by the same rules as the assessment
screen (indicator against target, criterion rolled up from its indicators),
entered by this office on the commune's behalf. Refused: a workbook for
another unit, period or criteria set, a formula where a value belongs, a row
that is not this commune's, the same task or criterion on two rows, merged
cells where values are read, a hidden sheet whose numbers were edited into
text, a status that is not Đạt / Cơ bản đạt / Chưa đạt.

Every text the template holds (task summaries, directive subjects, criteria
names) is written by the reports' safe writer: always a text cell, never a
formula, whatever it begins with.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ntm_desktop.errors import UserError, ValidationError
from ntm_desktop.models import Directive, ProgressUpdate, Task, Unit, task_cooperators
from ntm_desktop.reports.xlsx_layout import write as write_cell
from ntm_desktop.services import access
from ntm_desktop.services.dates import parse_vn_date
from ntm_desktop.services.field_limits import column_problem
from ntm_desktop.services.criteria import assessments
from ntm_desktop.services.criteria.statuses import STATUS_LABELS, status_from_text
from ntm_desktop.sync.entities import BY_NAME, load_rows
from ntm_desktop.sync.export import office_unit
from ntm_desktop.sync.manifest import Manifest, schema_head
from ntm_desktop.sync.reader import Package, PackageRefused

TEMPLATE_ID = "ntm-xa-tien-do"
TEMPLATE_VERSION = 2  # 2: the criteria sheet
ID_SHEET = "_ntm"
SHEET = "Tiến độ nhiệm vụ"
CRITERIA_SHEET = "Đánh giá tiêu chí"
CRITERIA_HEADERS = ["Mã (không sửa)", "Loại", "Số", "Tên tiêu chí, chỉ tiêu", "Mục tiêu", "Đơn vị tính",
                    "Kết quả đạt được", "Đánh giá (Đạt / Cơ bản đạt / Chưa đạt)", "Ghi chú"]
VALUE_COL, STATUS_COL, NOTE_COL = 7, 8, 9  # G, H, I (1-based)
HEADERS = ["Mã (không sửa)", "Văn bản", "Nhiệm vụ", "Hạn", "Ngày báo cáo", "Nội dung tiến độ",
           "Ngày hoàn thành", "Số, ký hiệu văn bản trả lời"]
FILL_FROM = 5  # columns E.. are filled by the commune
NAMESPACE = uuid.UUID("6f1d1c9e-5b0e-4a53-9a43-1b7c0c3f5e21")
FIRST_ROW = 4  # rows 1-3: title, instructions, headers
TASK_COLUMNS_READ = (1, 5, 6, 7, 8)  # A and the columns the commune fills
CRITERIA_COLUMNS_READ = (1, VALUE_COL, STATUS_COL, NOTE_COL)
PLAIN = Font()
TITLE = Font(bold=True, size=13)
BOLD = Font(bold=True)
TOP = Alignment(wrap_text=True, vertical="top")
NO_WRAP = Alignment()


def _put_row(sheet, row: int, values: list, font: Font = PLAIN, align: Alignment = TOP) -> None:
    """One row through the safe writer: text stays text (never a formula), numbers stay numbers."""
    for col, value in enumerate(values, start=1):
        write_cell(sheet, row, col, value, font, align)


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
    access.require(session, access.Permission.SYNC)
    unit = _unit(session, unit_code)
    office = office_unit(session)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    _put_row(sheet, 1, [f"{unit.name}: báo cáo tiến độ nhiệm vụ năm {year}"], TITLE, NO_WRAP)
    _put_row(sheet, 2, ["Chỉ điền các cột có nền vàng; ngày ghi dạng ngày/tháng/năm; không sửa cột Mã, "
                        "không dùng công thức, không gộp ô."], PLAIN, NO_WRAP)
    _put_row(sheet, 3, HEADERS, BOLD, NO_WRAP)
    yellow = PatternFill("solid", fgColor="FFF4C2")
    row = FIRST_ROW
    for task in commune_tasks(session, unit.id, year):
        directive = session.get(Directive, task.directive_id)
        _put_row(sheet, row, [
            task.id, f"{directive.number_symbol} {directive.subject}"[:300], task.summary,
            task.due_date.strftime("%d/%m/%Y") if task.due_date else task.deadline_text, None, None,
            task.completed_on.strftime("%d/%m/%Y") if task.completed_on else None, task.reply_number or None])
        for cell in sheet[row][FILL_FROM - 1:]:
            cell.fill = yellow
        row += 1
    for letter, width in zip("ABCDEFGH", (12, 40, 50, 14, 14, 50, 16, 24)):
        sheet.column_dimensions[letter].width = width
    grid = _grid(session, unit.id, year)
    if grid is not None:
        _criteria_sheet(book, grid, unit, year, yellow)
    ident = book.create_sheet(ID_SHEET)
    for n, pair in enumerate([("template_id", TEMPLATE_ID), ("template_version", TEMPLATE_VERSION),
                              ("unit_code", unit.code), ("unit_id", unit.id), ("year", int(year)),
                              ("office_code", office.code), ("office_id", office.id),
                              ("criteria_set_id", grid.set_id if grid else "")], start=1):
        _put_row(ident, n, list(pair), PLAIN, NO_WRAP)
    ident.sheet_state = "veryHidden"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".dang-ghi")
    book.save(tmp)
    tmp.replace(out)
    return out


def _grid(session: Session, unit_id: str, year: int) -> "assessments.Grid | None":
    """The commune's assessment grid for the year, read without leaving anything behind (None: no criteria set)."""
    savepoint = session.begin_nested()  # load_grid may make the year's profile: not kept
    try:
        return assessments.load_grid(session, unit_id, year)
    except UserError:
        return None
    finally:
        savepoint.rollback()


def _criteria_sheet(book: Workbook, grid, unit: Unit, year: int, yellow: PatternFill) -> None:
    """The year's criteria as the set in force that year has them (19 for 2021-2025, 10 for 2026-2030), with
    the targets of the commune's group or region and the set's notes on what its data lacks."""
    sheet = book.create_sheet(CRITERIA_SHEET)
    criteria = sum(1 for row in grid.rows if row.kind == "criterion")
    group = f"; vùng/nhóm xã: {grid.target_key}" if grid.target_key else ""
    _put_row(sheet, 1, [f"{unit.name}: đánh giá {criteria} tiêu chí nông thôn mới năm {year} "
                        f"({grid.set_name}{group})"], TITLE, NO_WRAP)
    notes = "".join(f" Lưu ý: {note}" for note in grid.notes)
    _put_row(sheet, 2, ["Ghi kết quả của chỉ tiêu vào cột G; cột H chọn Đạt, Cơ bản đạt hoặc Chưa đạt (chỉ tiêu tính "
                        "được từ kết quả thì phần mềm tự đánh giá; tiêu chí có chỉ tiêu thì tự tổng hợp). Không sửa "
                        "cột Mã, không gộp ô." + notes], PLAIN, NO_WRAP)
    _put_row(sheet, 3, CRITERIA_HEADERS, BOLD, NO_WRAP)
    choices = DataValidation(type="list", formula1='"' + ",".join(STATUS_LABELS.values()) + '"', allow_blank=True,
                             showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                             error="Chọn Đạt, Cơ bản đạt hoặc Chưa đạt.")
    sheet.add_data_validation(choices)
    for number, row in enumerate(grid.rows, start=FIRST_ROW):
        indicator = row.kind == "indicator"
        _put_row(sheet, number, [
            row.target_id, "Chỉ tiêu" if indicator else "Tiêu chí", row.code, row.shown_name, row.target or None,
            row.unit_of_measure or None, row.measured_value or None,
            STATUS_LABELS.get(row.status) if row.status else None, row.note or None])
        current = sheet[number]
        if not indicator:
            for cell in current[:6]:
                cell.font = BOLD
        fill = [NOTE_COL] + ([VALUE_COL, STATUS_COL] if indicator else [] if row.derived else [STATUS_COL])
        for col in fill:
            current[col - 1].fill = yellow
        if STATUS_COL in fill:
            choices.add(current[STATUS_COL - 1])
    for letter, width in zip("ABCDEFGHI", (12, 10, 7, 60, 14, 12, 16, 20, 36)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A4"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _criteria_cells(book, grid, unit: Unit) -> list:
    """What the commune changed on the criteria sheet, as the assessment screen's cell inputs."""
    if CRITERIA_SHEET not in book.sheetnames or grid is None:
        return []
    rows = {r.target_id: r for r in grid.rows}
    cells = []
    sheet = book[CRITERIA_SHEET]
    _refuse_merged(sheet, CRITERIA_COLUMNS_READ)
    seen: dict[str, int] = {}
    for line in sheet.iter_rows(min_row=FIRST_ROW, max_col=len(CRITERIA_HEADERS)):
        target_id = _text(_value(line[0], "Mã"))
        if not target_id:
            continue
        _once(seen, target_id, line[0].row, CRITERIA_SHEET, "tiêu chí, chỉ tiêu")
        row = rows.get(target_id)
        if row is None:
            raise PackageRefused(f"Dòng {line[0].row} (sheet “{CRITERIA_SHEET}”): không thuộc bộ tiêu chí của "
                                 f"{unit.name} năm nay (cột Mã bị sửa?). Hãy dùng biểu mẫu gốc.")
        value = _text(_value(line[VALUE_COL - 1], CRITERIA_HEADERS[VALUE_COL - 1]))
        status_text = _text(_value(line[STATUS_COL - 1], CRITERIA_HEADERS[STATUS_COL - 1]))
        note = _text(_value(line[NOTE_COL - 1], CRITERIA_HEADERS[NOTE_COL - 1]))
        status = status_from_text(status_text)
        if status_text and status is None:
            raise PackageRefused(f"Ô {line[STATUS_COL - 1].coordinate}: “{status_text}” không phải Đạt, Cơ bản đạt "
                                 "hay Chưa đạt. Hãy sửa trong tệp Excel rồi nhập lại.")
        if row.kind == "indicator":
            if value == (row.measured_value or "") and status == row.status and note == (row.note or ""):
                continue
        elif (row.derived or status == row.status) and note == (row.note or ""):
            continue
        cells.append(assessments.CellInput(row.kind, row.target_id, None if row.derived else status, value, note))
    return cells


_ASSESSMENT_ENTITIES = ("commune_profiles", "criterion_assessments", "indicator_assessments")


def _unit_year_records(session: Session, unit_id: str, year: int) -> dict[str, dict[str, dict]]:
    found = {}
    for name in _ASSESSMENT_ENTITIES:
        table = BY_NAME[name].table
        ids = list(session.scalars(select(table.c.id).where(table.c.unit_id == unit_id, table.c.year == year)))
        found[name] = {r["id"]: r for r in load_rows(session, BY_NAME[name], ids)}
    return found


def _assessment_records(session: Session, unit: Unit, year: int, cells: list) -> dict[str, list[dict]]:
    """The records the assessment screen would write for these cells, computed and then rolled back."""
    savepoint = session.begin_nested()
    try:
        before = _unit_year_records(session, unit.id, year)
        assessments.save_grid(session, unit.id, year, cells, assessing_unit_id=unit.id, assessed_on=date.today())
        after = _unit_year_records(session, unit.id, year)
    except ValidationError as error:
        raise PackageRefused(f"{error} Hãy sửa trong tệp Excel rồi nhập lại.") from None
    finally:
        savepoint.rollback()
    return {name: [r for i, r in after[name].items() if before[name].get(i) != r] for name in _ASSESSMENT_ENTITIES}


def _value(cell, label: str):
    """A cell's value; a formula is refused (text that merely begins with "=" is text, as the template writes it)."""
    if cell.data_type == "f":
        raise PackageRefused(f"Ô {cell.coordinate} ({label}) chứa công thức; hãy ghi giá trị (gõ trực tiếp) rồi gửi lại tệp.")
    return cell.value


def _refuse_merged(sheet, columns: tuple[int, ...]) -> None:
    """Merged cells hide every value but the first: refused when they cover a cell that is read."""
    for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if merged.max_row < FIRST_ROW or not any(merged.min_col <= c <= merged.max_col for c in columns):
            continue
        raise PackageRefused(
            f"Các ô {merged.coord} (sheet “{sheet.title}”) đang được gộp (Merge), nên chỉ đọc được giá trị của ô đầu "
            "và các dòng còn lại sẽ bị bỏ sót. Hãy bỏ gộp ô (Unmerge Cells), ghi giá trị vào từng ô của từng dòng "
            "rồi nhập lại."
        )


def _once(seen: dict[str, int], key: str, row: int, sheet: str, what: str) -> None:
    if key in seen:
        raise PackageRefused(
            f"Dòng {row} (sheet “{sheet}”): {what} này đã có ở dòng {seen[key]} (cùng mã ở cột A). Mỗi {what} chỉ "
            "ghi trên một dòng; hãy gộp nội dung vào một dòng, xóa dòng chép thừa rồi nhập lại."
        )
    seen[key] = row


def _ident_number(ident: dict, key: str) -> int:
    """A number of the hidden sheet (year, version); refused when it was edited into something else."""
    value = ident.get(key)
    if isinstance(value, bool):
        value = None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not 0 <= value <= 9999:
        raise PackageRefused(
            f"Trang ẩn của biểu mẫu đã bị sửa (“{key}” là “{str(value)[:40]}”, không phải một số), nên không biết "
            "biểu mẫu của năm nào. Hãy dùng đúng tệp biểu mẫu đã xuất cho xã, hoặc xuất biểu mẫu mới."
        )
    return value


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


def _fits(model, column: str, value, cell) -> None:
    """A cell's value within the forms' limits (length, date range, no report or completion in the future)."""
    found = column_problem(model, column, value)
    if found:
        raise PackageRefused(f"Ô {cell.coordinate}: {found}. Hãy sửa trong tệp Excel rồi nhập lại.")


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
    if ident.get("template_id") != TEMPLATE_ID or _ident_number(ident, "template_version") > TEMPLATE_VERSION:
        raise PackageRefused("Biểu mẫu thuộc phiên bản mới hơn. Hãy cập nhật NTM Desktop trước.")
    unit = _unit(session, unit_code)
    if ident.get("unit_code") != unit.code or ident.get("unit_id") != unit.id:
        raise PackageRefused(f"Biểu mẫu này của đơn vị “{ident.get('unit_code')}”, không phải “{unit.code}”. "
                             "Hãy chọn đúng tệp của xã.")
    if _ident_number(ident, "year") != int(year):
        raise PackageRefused(f"Biểu mẫu này của năm {ident.get('year')}, không phải năm {year}. Hãy chọn đúng tệp.")
    office = office_unit(session)
    grid = _grid(session, unit.id, int(year)) if CRITERIA_SHEET in book.sheetnames else None
    if grid is not None and ident.get("criteria_set_id") and ident.get("criteria_set_id") != grid.set_id:
        raise PackageRefused("Biểu mẫu lập theo một bộ tiêu chí khác bộ xã đang áp dụng năm này. "
                             "Hãy xuất biểu mẫu mới và gửi lại cho xã.")
    allowed = {t.id: t for t in commune_tasks(session, unit.id, int(year))}
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    installation = f"excel-{unit.code}"
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    records = []
    sheet = book[SHEET]
    _refuse_merged(sheet, TASK_COLUMNS_READ)
    seen: dict[str, int] = {}
    for row in sheet.iter_rows(min_row=FIRST_ROW, max_col=len(HEADERS)):
        task_id = _text(_value(row[0], "Mã"))
        if not task_id:
            continue
        _once(seen, task_id, row[0].row, SHEET, "nhiệm vụ")
        values = {i - 1: _value(row[i - 1], HEADERS[i - 1]) for i in TASK_COLUMNS_READ}
        if task_id not in allowed:
            raise PackageRefused(f"Dòng {row[0].row}: nhiệm vụ không thuộc {unit.name} (cột Mã bị sửa?). Hãy dùng biểu mẫu gốc.")
        reported = _date(values[4], row[4].coordinate)
        text = str(values[5] or "").strip()
        done = _date(values[6], row[6].coordinate)
        reply = str(values[7] or "").strip()
        for model, column, value, cell in ((ProgressUpdate, "reported_on", reported, row[4]),
                                           (ProgressUpdate, "text", text, row[5]),
                                           (Task, "completed_on", done, row[6]), (Task, "reply_number", reply, row[7])):
            _fits(model, column, value, cell)
        task = allowed[task_id]
        if not text and done == task.completed_on and reply == (task.reply_number or ""):
            continue
        parts = [text] if text else []
        if done and done != task.completed_on:
            parts.append(f"Đã hoàn thành ngày {done:%d/%m/%Y}")
        if reply and reply != (task.reply_number or ""):
            parts.append(f"văn bản trả lời số {reply}")
        _fits(ProgressUpdate, "text", "; ".join(parts), row[5])
        records.append({
            "id": str(uuid.uuid5(NAMESPACE, f"{sha}:{task_id}")), "task_id": task_id,
            "reported_on": (reported or done or now.date()).isoformat(), "text": "; ".join(parts),
            "reported_by": f"{unit.name} (biểu mẫu Excel)", "owner_unit_id": unit.id,
            "version": {installation: 1}, "updated_at": now.isoformat(timespec="microseconds"), "deleted": False,
        })
    cells = _criteria_cells(book, grid, unit)
    entered = _assessment_records(session, unit, int(year), cells) if cells else {}
    manifest = Manifest(
        package_id=str(uuid.uuid5(NAMESPACE, sha)), kind="delta", origin_unit_id=unit.id, origin_code=unit.code,
        origin_installation=installation, origin_user=unit.name, destination_unit_id=office.id,
        destination_code=office.code, created_utc=now.isoformat(timespec="seconds"), sequence=0,
        schema_version=schema_head(),
    )
    from ntm_desktop.models import ImportLedger

    previous = session.scalar(select(ImportLedger).where(
        ImportLedger.package_id == manifest.package_id, ImportLedger.result == "applied"))
    found = {"progress_updates": records, **{name: rows for name, rows in entered.items() if rows}}
    return Package(path=path, sha256=sha, manifest=manifest, records={k: v for k, v in found.items() if v},
                   previous=previous, entered_here=True)


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
    from ntm_desktop.sync import ledger
    from ntm_desktop.sync.preview import plan_package

    session = workspace.db.sessions()
    try:
        package = read_template(session, path, unit_code, year)
        plan = plan_package(session, package)
        if package.already_imported:
            plan.already = ledger.imported_on_text(package.previous).replace("Gói này", "Biểu mẫu này")
        return plan
    finally:
        session.rollback()
        session.close()
