"""The Excel template a province's criteria set is imported from, and the blank file to fill in.

Sheets (names and headers are matched ignoring case and diacritics):

- "Bộ tiêu chí": two columns "Thông tin" | "Giá trị", one row per item of SET_FIELDS:
  code, name, level, tier (nông thôn mới / nâng cao / kiểu mẫu), first and last year,
  legal basis, version (blank: next version), what targets vary by, and the list of
  regions or commune groups separated by ";" (each becomes a target column); optionally the
  day the decision takes effect, the number of indicators it declares, and the summary bands
  by criteria met ("10; 7-9; 5-6; 3-4; dưới 3").
- "Tiêu chí": Số TT | Mã tiêu chí | Tên tiêu chí | Nhóm tiêu chí — one row per criterion.
- "Chỉ tiêu": Mã tiêu chí | Mã chỉ tiêu | Tên chỉ tiêu | Đơn vị tính | Kiểu (số/chữ) |
  So sánh (>=, <=, =) | then one column per region or group, holding its target, and
  optionally "Đã xác nhận" (có/không: "không" marks a text or target not checked yet).
  A target of kind "số" must be a number.
- "Hướng dẫn": these instructions for the person filling in the file.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from ntm_desktop.reports.xlsx_layout import write as write_cell

SET_SHEET, CRITERIA_SHEET, INDICATOR_SHEET, HELP_SHEET = "Bộ tiêu chí", "Tiêu chí", "Chỉ tiêu", "Hướng dẫn"

# (key, label in the sheet, required)
SET_FIELDS = (
    ("code", "Mã bộ tiêu chí", True),
    ("name", "Tên bộ tiêu chí", True),
    ("level", "Cấp áp dụng", False),
    ("tier", "Hạng (nông thôn mới / nâng cao / kiểu mẫu)", False),
    ("period_start", "Từ năm", True),
    ("period_end", "Đến năm", True),
    ("legal_basis", "Căn cứ pháp lý", False),
    ("version", "Phiên bản", False),
    ("targets_vary_by", "Chỉ tiêu khác nhau theo", False),
    ("target_keys", "Danh sách vùng/nhóm xã (cách nhau bằng dấu ;)", False),
    ("in_force_from", "Ngày có hiệu lực (ngày/tháng/năm)", False),
    ("indicator_count", "Số chỉ tiêu theo quyết định", False),
    ("summary_bands", "Nhóm tổng hợp theo số tiêu chí đạt (cách nhau bằng dấu ;)", False),
)
CONFIRMED_HEADER = "Đã xác nhận"
YES_WORDS = {"", "co", "x", "dung", "yes", "1", "da xac nhan"}
NO_WORDS = {"khong", "chua", "no", "0", "chua xac nhan"}
CRITERIA_COLUMNS = (("number", "Số TT"), ("code", "Mã tiêu chí"), ("name", "Tên tiêu chí"),
                    ("group_name", "Nhóm tiêu chí"))
INDICATOR_COLUMNS = (("criterion_code", "Mã tiêu chí"), ("code", "Mã chỉ tiêu"), ("name", "Tên chỉ tiêu"),
                     ("unit_of_measure", "Đơn vị tính"), ("kind", "Kiểu (số/chữ)"), ("comparison", "So sánh"))
KIND_WORDS = {"so": "number", "number": "number", "": "number", "chu": "text", "text": "text", "van ban": "text"}
TIER_WORDS = {"": "ntm", "nong thon moi": "ntm", "ntm": "ntm", "nang cao": "nang_cao",
              "nong thon moi nang cao": "nang_cao", "kieu mau": "kieu_mau", "nong thon moi kieu mau": "kieu_mau"}

HELP_TEXT = (
    "Mẫu nhập bộ tiêu chí xã nông thôn mới của tỉnh vào NTM Desktop.",
    "1. Trang “Bộ tiêu chí”: điền cột “Giá trị” cho từng dòng. Mã bộ tiêu chí trùng với bộ đã có thì tệp được "
    "nhập thành phiên bản mới; kết quả đánh giá theo phiên bản cũ được giữ nguyên.",
    "2. Trang “Tiêu chí”: mỗi dòng một tiêu chí; mã tiêu chí (ví dụ 17) không được trùng.",
    "3. Trang “Chỉ tiêu”: mỗi dòng một chỉ tiêu (ví dụ 17.3) của một tiêu chí đã có ở trang “Tiêu chí”. "
    "Sau cột “So sánh” là một cột cho mỗi vùng hoặc nhóm xã, tên cột đúng như danh sách ở trang “Bộ tiêu chí”.",
    "4. Kiểu “số”: chỉ tiêu phải là một số (ví dụ 95 hoặc 95,5); So sánh “>=” là đạt khi giá trị đo không nhỏ "
    "hơn chỉ tiêu, “<=” là đạt khi không lớn hơn. Kiểu “chữ”: chỉ tiêu ghi bằng lời (ví dụ Đạt).",
    "Cột “Đã xác nhận” (không bắt buộc): ghi “không” cho chỉ tiêu mà nội dung hoặc mức chỉ tiêu chưa được đối "
    "chiếu với quyết định; phần mềm hiển thị “chưa xác nhận” bên cạnh chỉ tiêu đó.",
    "Nhóm tổng hợp theo số tiêu chí đạt (không bắt buộc): các mức từ cao xuống thấp, ví dụ "
    "“10; 7-9; 5-6; 3-4; dưới 3”; để trống thì phần mềm tự chia theo số tiêu chí.",
    "5. Không đổi tên trang và tên cột. Tệp chỉ được nhập khi mọi dòng đều hợp lệ; nếu có lỗi, phần mềm báo "
    "trang, dòng và cột cần sửa.",
)


def _append(sheet, values: list) -> None:
    """One row through the reports' safe writer: a group name like "=1" stays text, never a formula."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet["A1"].value is not None else 1
    for col, value in enumerate(values, start=1):
        write_cell(sheet, row, col, value, Font(), Alignment())


def write_template(path: Path, target_keys: list[str] | None = None) -> Path:
    """Write the blank template (with one example row) to `path`."""
    keys = target_keys or ["Nhóm 1", "Nhóm 2", "Nhóm 3"]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    book = Workbook()
    info = book.active
    info.title = SET_SHEET
    _append(info, ["Thông tin", "Giá trị"])
    examples = {"level": "xã", "tier": "nông thôn mới", "period_start": 2026, "period_end": 2030,
                "targets_vary_by": "nhóm xã", "target_keys": "; ".join(keys), "in_force_from": "15/02/2026",
                "indicator_count": 47, "summary_bands": "10; 7-9; 5-6; 3-4; dưới 3"}
    for key, label, _required in SET_FIELDS:
        _append(info, [label, examples.get(key, "")])
    info.column_dimensions["A"].width = 48
    info.column_dimensions["B"].width = 70

    criteria = book.create_sheet(CRITERIA_SHEET)
    _append(criteria, [label for _k, label in CRITERIA_COLUMNS])
    _append(criteria, [1, "1", "Quy hoạch", ""])
    criteria.column_dimensions["C"].width = 50

    indicators = book.create_sheet(INDICATOR_SHEET)
    _append(indicators, [label for _k, label in INDICATOR_COLUMNS] + keys + [CONFIRMED_HEADER])
    _append(indicators, ["1", "1.1", "Có quy hoạch chung xây dựng xã được phê duyệt", "", "chữ", "="]
                      + ["Đạt"] * len(keys) + ["không"])
    indicators.column_dimensions["C"].width = 60

    help_sheet = book.create_sheet(HELP_SHEET)
    for line in HELP_TEXT:
        _append(help_sheet, [line])
    help_sheet.column_dimensions["A"].width = 120
    for sheet in (info, criteria, indicators):
        for cell in sheet[1]:
            cell.font, cell.fill = bold, fill
        sheet.freeze_panes = "A2"
    path = Path(path)
    book.save(path)
    return path
