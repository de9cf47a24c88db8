"""Import a province's criteria set from an Excel file in the template (see xlsx_template).

Everything is read and checked first; each problem is reported in Vietnamese
with its sheet, row and column, and nothing is stored unless the whole file is
valid. Text typed in decomposed Unicode (NFD) is normalised to NFC and listed
as a notice, so the officer knows which cells were touched. Cells merged down
one column (a criterion code spanning its indicators) are read as that value
on every row; cells merged across columns in a data row are refused with the
range named, since they would hide a value.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import CommuneProfile, CriteriaSet, Criterion, Indicator
from ntm_desktop.services.criteria import catalogue
from ntm_desktop.services.criteria.catalogue import CriterionDef, IndicatorDef, SetDefinition
from ntm_desktop.services.criteria.xlsx_template import (
    CONFIRMED_HEADER, CRITERIA_COLUMNS, CRITERIA_SHEET, INDICATOR_COLUMNS, INDICATOR_SHEET, KIND_WORDS, NO_WORDS,
    SET_FIELDS, SET_SHEET, TIER_WORDS, YES_WORDS,
)
from ntm_desktop.services.dates import parse_vn_date
from ntm_desktop.services.field_limits import column_problem, year_problem
from ntm_desktop.text import fold
from ntm_desktop.services import access
from ntm_desktop.services.access import Permission

MAX_ERRORS_SHOWN = 20


@dataclass(frozen=True)
class ImportResult:
    set_id: str
    code: str
    version: int
    criteria: int
    indicators: int
    notices: tuple[str, ...]


class _Reader:
    """Collects problems while the sheets are read."""

    def __init__(self, book):
        self.book = book
        self.errors: list[str] = []
        self.notices: list[str] = []

    def where(self, sheet: str, row: int, column: int | None = None, header: str = "") -> str:
        place = f"Trang “{sheet}”, dòng {row}"
        if column is not None:
            place += f", cột {get_column_letter(column)}" + (f" (“{header}”)" if header else "")
        return place

    def error(self, place: str, text: str) -> None:
        self.errors.append(f"{place}: {text}")

    def fits(self, model, column: str, value, place: str) -> None:
        """The value may be stored: the same limits as the forms and sync (length, date, year)."""
        found = column_problem(model, column, value)
        if found:
            self.error(place, f"{found}.")

    def text(self, value, place: str) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        normal = unicodedata.normalize("NFC", text)
        if normal != text:
            self.notices.append(f"{place}: chữ ở dạng tổ hợp (NFD) đã được chuẩn hóa về dạng dựng sẵn (NFC).")
        return " ".join(normal.split())

    def sheet(self, name: str):
        for sheet in self.book.worksheets:
            if fold(sheet.title) == fold(name):
                return sheet
        self.errors.append(f"Thiếu trang “{name}” trong tệp (đúng theo mẫu nhập bộ tiêu chí).")
        return None

    def columns(self, sheet, expected: tuple[tuple[str, str], ...]) -> tuple[dict[str, int], list[tuple[int, str]]]:
        """Map each expected column to its position; return the extra columns after them too."""
        headers = {}
        for cell in sheet[1]:
            label = self.text(cell.value, self.where(sheet.title, 1, cell.column))
            if label:
                headers[cell.column] = label
        found: dict[str, int] = {}
        for key, label in expected:
            match = next((col for col, text in headers.items() if fold(text) == fold(label)), None)
            if match is None:
                self.error(self.where(sheet.title, 1), f"thiếu cột “{label}”.")
            else:
                found[key] = match
        last = max(found.values(), default=0)
        extra = [(col, text) for col, text in sorted(headers.items()) if col > last]
        return found, extra


def _unmerge(reader: _Reader, sheet, first_row: int = 2) -> None:
    """Read merged data cells as a person sees them: a value merged down a column belongs to each of its rows.

    openpyxl keeps the value in the first cell only, so every other row would silently read as empty.
    """
    for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if merged.max_row < first_row:
            continue  # headers
        if merged.min_col != merged.max_col or merged.min_row < first_row:
            reader.error(f"Trang “{sheet.title}”, các ô {merged.coord}",
                         "đang được gộp qua nhiều cột (hoặc gộp cả dòng tiêu đề), nên sẽ mất giá trị của các ô sau. "
                         "Hãy bỏ gộp ô (Unmerge Cells) và ghi giá trị vào từng ô.")
            continue
        value = sheet.cell(merged.min_row, merged.min_col).value
        sheet.unmerge_cells(merged.coord)
        for row in range(merged.min_row + 1, merged.max_row + 1):
            sheet.cell(row, merged.min_col).value = value


def _number(text: str) -> float | None:
    cleaned = text.replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _year(reader: _Reader, text: str, place: str, label: str) -> int | None:
    if not text:
        return None
    value = _number(text)
    if value is None or not value.is_integer() or not 1000 <= value <= 9999:
        reader.error(place, f"“{label}” phải là năm có 4 chữ số (ví dụ 2026), không phải “{text}”.")
        return None
    found = year_problem(int(value), label=f"“{label}”")
    if found:
        reader.error(place, f"{found}.")
        return None
    return int(value)


def _day(reader: _Reader, text: str, place: str, label: str) -> date | None:
    if not text:
        return None
    try:
        return parse_vn_date(text, label=f"“{label}”")
    except ValidationError as error:
        reader.error(place, str(error))
        return None


def _count(reader: _Reader, text: str, place: str, label: str) -> int | None:
    if not text:
        return None
    number = _number(text)
    if number is None or not number.is_integer() or number < 1:
        reader.error(place, f"“{label}” phải là số nguyên dương, không phải “{text}”.")
        return None
    return int(number)


_BAND = re.compile(r"^(?:(dưới|duoi)\s+(\d+)|(\d+)(?:\s*[-–]\s*(\d+))?)(?:\s+(?:tiêu chí|tieu chi))?$",
                   re.IGNORECASE)


def _bands(reader: _Reader, text: str, place: str, label: str) -> list:
    """“10; 7-9; 5-6; 3-4; dưới 3” → [["10 tiêu chí", 10], ["7-9 tiêu chí", 7], ..., ["Dưới 3 tiêu chí", 0]]."""
    if not text:
        return []
    found = []
    for part in [p.strip() for p in text.split(";") if p.strip()]:
        match = _BAND.match(part)
        if match is None:
            reader.error(place, f"“{label}”: “{part}” không phải một mức như “10”, “7-9” hoặc “dưới 3”.")
            return []
        if match.group(2):
            found.append([f"Dưới {int(match.group(2))} tiêu chí", 0])
        else:
            low, high = int(match.group(3)), match.group(4)
            found.append([f"{low}-{int(high)} tiêu chí" if high else f"{low} tiêu chí", low])
    lows = [low for _label, low in found]
    if lows != sorted(lows, reverse=True) or len(set(lows)) != len(lows):
        reader.error(place, f"“{label}”: các mức phải xếp từ cao xuống thấp và không trùng nhau.")
        return []
    return found


def _read_set(reader: _Reader, sheet) -> SetDefinition | None:
    values: dict[str, tuple[str, str]] = {}
    labels = {fold(label): (key, label, required) for key, label, required in SET_FIELDS}
    for row in sheet.iter_rows(min_row=2):
        if not row or row[0].value is None:
            continue
        label = reader.text(row[0].value, reader.where(sheet.title, row[0].row, 1))
        known = labels.get(fold(label))
        if known is None:
            continue
        value_cell = row[1] if len(row) > 1 else None
        place = reader.where(sheet.title, row[0].row, 2, "Giá trị")
        values[known[0]] = (reader.text(value_cell.value if value_cell else None, place), place)
    for key, label, required in SET_FIELDS:
        if required and not values.get(key, ("", ""))[0]:
            place = values.get(key, ("", reader.where(sheet.title, 1)))[1]
            reader.error(place, f"chưa điền “{label}”.")
    get = lambda key: values.get(key, ("", reader.where(sheet.title, 1)))  # noqa: E731
    start = _year(reader, *get("period_start"), "Từ năm")
    end = _year(reader, *get("period_end"), "Đến năm")
    if start and end and end < start:
        reader.error(get("period_end")[1], "“Đến năm” phải không nhỏ hơn “Từ năm”.")
    version_text, version_place = get("version")
    version = None
    if version_text:
        number = _number(version_text)
        if number is None or not number.is_integer() or number < 1:
            reader.error(version_place, f"“Phiên bản” phải là số nguyên dương, không phải “{version_text}”.")
        else:
            version = int(number)
    tier_text, tier_place = get("tier")
    tier = TIER_WORDS.get(fold(tier_text).replace("ntm ", "nong thon moi "))
    if tier is None:
        reader.error(tier_place, f"hạng “{tier_text}” không rõ; ghi “nông thôn mới”, “nâng cao” hoặc “kiểu mẫu”.")
    keys = [k.strip() for k in get("target_keys")[0].split(";") if k.strip()]
    for key in ("code", "name", "level", "legal_basis", "targets_vary_by"):
        reader.fits(CriteriaSet, key, get(key)[0], get(key)[1])
    for target_key in keys:
        reader.fits(CommuneProfile, "target_key", target_key, get("target_keys")[1])
    in_force_from = _day(reader, *get("in_force_from"), "Ngày có hiệu lực")
    reader.fits(CriteriaSet, "in_force_from", in_force_from, get("in_force_from")[1])
    return SetDefinition(
        code=get("code")[0], name=get("name")[0], level=get("level")[0] or "xã", tier=tier or "ntm",
        period_start=start, period_end=end, legal_basis=get("legal_basis")[0],
        targets_vary_by=get("targets_vary_by")[0], target_keys=keys, version=version,
        in_force_from=in_force_from,
        indicator_count=_count(reader, *get("indicator_count"), "Số chỉ tiêu theo quyết định"),
        summary_bands=_bands(reader, *get("summary_bands"), "Nhóm tổng hợp theo số tiêu chí đạt"),
    )


def _read_criteria(reader: _Reader, sheet) -> list[CriterionDef]:
    columns, _extra = reader.columns(sheet, CRITERIA_COLUMNS)
    if len(columns) < len(CRITERIA_COLUMNS):
        return []
    labels = dict(CRITERIA_COLUMNS)
    found: list[CriterionDef] = []
    seen: dict[str, int] = {}
    for row in sheet.iter_rows(min_row=2):
        cells = {key: row[col - 1] if col - 1 < len(row) else None for key, col in columns.items()}
        raw = {key: reader.text(cell.value if cell is not None else None,
                                reader.where(sheet.title, row[0].row, columns[key], labels[key]))
               for key, cell in cells.items()}
        if not any(raw.values()):
            continue
        r = row[0].row
        place = lambda key: reader.where(sheet.title, r, columns[key], labels[key])  # noqa: E731
        if not raw["code"]:
            reader.error(place("code"), "chưa điền mã tiêu chí.")
            continue
        if not raw["name"]:
            reader.error(place("name"), f"tiêu chí “{raw['code']}” chưa có tên.")
        if raw["code"] in seen:
            reader.error(place("code"), f"mã tiêu chí “{raw['code']}” bị trùng với dòng {seen[raw['code']]}.")
            continue
        seen[raw["code"]] = r
        for key in ("code", "name", "group_name"):
            reader.fits(Criterion, key, raw[key], place(key))
        number = _number(raw["number"]) if raw["number"] else _number(raw["code"])
        if number is None or not number.is_integer():
            reader.error(place("number"), f"số thứ tự “{raw['number']}” phải là số nguyên.")
            number = len(found) + 1
        found.append(CriterionDef(code=raw["code"], number=int(number), name=raw["name"], group_name=raw["group_name"]))
    if not found and not reader.errors:
        reader.error(reader.where(sheet.title, 2), "chưa có tiêu chí nào.")
    return found


def _read_indicators(reader: _Reader, sheet, criteria: list[CriterionDef], keys: list[str]) -> None:
    columns, extra = reader.columns(sheet, INDICATOR_COLUMNS)
    if len(columns) < len(INDICATOR_COLUMNS):
        return
    target_columns: dict[str, int] = {}
    for key in keys:
        match = next((col for col, text in extra if fold(text) == fold(key)), None)
        if match is None:
            reader.error(reader.where(sheet.title, 1), f"thiếu cột chỉ tiêu cho “{key}” (vùng/nhóm xã ghi ở "
                                                       f"trang “{SET_SHEET}”).")
        else:
            target_columns[key] = match
    confirmed_column = next((col for col, text in extra if fold(text) == fold(CONFIRMED_HEADER)), None)
    extra = [(col, text) for col, text in extra if col != confirmed_column]
    if not keys:  # one target for every commune, in the first column after "So sánh"
        target_columns = {text: col for col, text in extra[:1]}
    labels = dict(INDICATOR_COLUMNS)
    by_code = {c.code: c for c in criteria}
    seen: dict[str, int] = {}
    for row in sheet.iter_rows(min_row=2):
        value = lambda col: row[col - 1].value if col - 1 < len(row) else None  # noqa: E731
        r = row[0].row
        place = lambda key: reader.where(sheet.title, r, columns[key], labels[key])  # noqa: E731
        raw = {key: reader.text(value(col), place(key)) for key, col in columns.items()}
        targets_raw = {key: reader.text(value(col), reader.where(sheet.title, r, col, key))
                       for key, col in target_columns.items()}
        if not any(raw.values()) and not any(targets_raw.values()):
            continue
        criterion = by_code.get(raw["criterion_code"])
        if criterion is None:
            reader.error(place("criterion_code"), f"mã tiêu chí “{raw['criterion_code']}” không có ở trang "
                                                  f"“{CRITERIA_SHEET}”.")
            continue
        if not raw["code"]:
            reader.error(place("code"), "chưa điền mã chỉ tiêu.")
            continue
        if raw["code"] in seen:
            reader.error(place("code"), f"mã chỉ tiêu “{raw['code']}” bị trùng với dòng {seen[raw['code']]}.")
            continue
        seen[raw["code"]] = r
        if not raw["name"]:
            reader.error(place("name"), f"chỉ tiêu “{raw['code']}” chưa có tên.")
        for key in ("code", "name", "unit_of_measure"):
            reader.fits(Indicator, key, raw[key], place(key))
        kind = KIND_WORDS.get(fold(raw["kind"]))
        if kind is None:
            reader.error(place("kind"), f"kiểu “{raw['kind']}” không rõ; ghi “số” hoặc “chữ”.")
            kind = "text"
        comparison = raw["comparison"].replace("≥", ">=").replace("≤", "<=").replace(" ", "") or ">="
        if comparison not in (">=", "<=", "="):
            reader.error(place("comparison"), f"so sánh “{raw['comparison']}” không rõ; ghi >=, <= hoặc =.")
        confirmed = True
        if confirmed_column is not None:
            word_place = reader.where(sheet.title, r, confirmed_column, CONFIRMED_HEADER)
            word = fold(reader.text(value(confirmed_column), word_place))
            if word in NO_WORDS:
                confirmed = False
            elif word not in YES_WORDS:
                reader.error(word_place, f"ghi “có” hoặc “không”, không phải “{value(confirmed_column)}”.")
        targets = {}
        for key, text in targets_raw.items():
            if kind == "number" and text:
                number = _number(text.replace("%", ""))
                if number is None:
                    reader.error(reader.where(sheet.title, r, target_columns[key], key),
                                 f"chỉ tiêu “{raw['code']}” có kiểu số nhưng giá trị “{text}” không phải là số.")
                    continue
                text = f"{number:g}"
            targets[key] = text
        criterion.indicators.append(IndicatorDef(
            code=raw["code"], name=raw["name"], unit_of_measure=raw["unit_of_measure"], kind=kind,
            comparison=comparison, targets=targets, confirmed=confirmed,
        ))


def read_workbook(path: Path) -> tuple[SetDefinition, list[str]]:
    """Read and check the whole file; raise ValidationError listing every problem."""
    path = Path(path)
    try:
        book = load_workbook(path, read_only=False, data_only=True)
    except FileNotFoundError:
        raise ValidationError(f"Không tìm thấy tệp “{path}”.") from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ValidationError(f"Tệp “{path.name}” không phải là tệp Excel (.xlsx) đọc được.") from None
    reader = _Reader(book)
    set_sheet, criteria_sheet, indicator_sheet = (reader.sheet(n) for n in (SET_SHEET, CRITERIA_SHEET, INDICATOR_SHEET))
    for sheet in (set_sheet, criteria_sheet, indicator_sheet):
        if sheet is not None:
            _unmerge(reader, sheet)
    definition = _read_set(reader, set_sheet) if set_sheet is not None else None
    criteria = _read_criteria(reader, criteria_sheet) if criteria_sheet is not None else []
    if indicator_sheet is not None and definition is not None:
        _read_indicators(reader, indicator_sheet, criteria, definition.target_keys)
    if reader.errors:
        shown = reader.errors[:MAX_ERRORS_SHOWN]
        more = len(reader.errors) - len(shown)
        raise ValidationError(
            f"Chưa nhập được bộ tiêu chí từ tệp “{path.name}”; chưa có gì được lưu. Hãy sửa:\n- "
            + "\n- ".join(shown) + (f"\n… và {more} lỗi khác." if more else "")
        )
    definition.criteria = criteria
    return definition, reader.notices


def import_set(session: Session, path: Path, owner_unit_id: str | None = None) -> ImportResult:
    """Import the file as a new version of its set (all or nothing: the caller's transaction)."""
    access.require(session, Permission.CRITERIA_SETS)
    definition, notices = read_workbook(path)
    set_id = catalogue.save_definition(session, definition, owner_unit_id, source=f"Nhập từ tệp {Path(path).name}")
    found = catalogue.get_set(session, set_id)
    return ImportResult(
        set_id=set_id, code=found.code, version=found.set_version, criteria=len(definition.criteria),
        indicators=sum(len(c.indicators) for c in definition.criteria), notices=tuple(notices),
    )
