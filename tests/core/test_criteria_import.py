"""Importing a province's criteria set from Excel: a valid file and each kind of bad file."""

import unicodedata

import pytest
from openpyxl import Workbook, load_workbook

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import CriteriaSet, Indicator
from ntm_desktop.services.criteria import catalogue
from ntm_desktop.services.criteria.xlsx_import import import_set
from ntm_desktop.services.criteria.xlsx_template import write_template

KEYS = ["Nhóm 1", "Nhóm 2", "Nhóm 3"]


def build(path, *, criteria=None, indicators=None, indicator_header=None, info=None):
    book = Workbook()
    sheet = book.active
    sheet.title = "Bộ tiêu chí"
    sheet.append(["Thông tin", "Giá trị"])
    values = {"Mã bộ tiêu chí": "lc-xa-ntm-2026-2030", "Tên bộ tiêu chí": "Bộ tiêu chí xã NTM tỉnh Lào Cai",
              "Cấp áp dụng": "xã", "Hạng (nông thôn mới / nâng cao / kiểu mẫu)": "nông thôn mới",
              "Từ năm": 2026, "Đến năm": 2030, "Danh sách vùng/nhóm xã (cách nhau bằng dấu ;)": "; ".join(KEYS)}
    values.update(info or {})
    for label, value in values.items():
        sheet.append([label, value])
    sheet = book.create_sheet("Tiêu chí")
    sheet.append(["Số TT", "Mã tiêu chí", "Tên tiêu chí", "Nhóm tiêu chí"])
    for row in criteria or [[1, "1", "Quy hoạch", ""], [8, "8", "Môi trường và cảnh quan nông thôn", ""]]:
        sheet.append(row)
    sheet = book.create_sheet("Chỉ tiêu")
    sheet.append(indicator_header or ["Mã tiêu chí", "Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Kiểu (số/chữ)",
                                      "So sánh", *KEYS])
    for row in indicators or [
        ["8", "8.3", "Tỷ lệ hộ có nhà tiêu hợp vệ sinh", "%", "số", ">=", 90, "85", "70,5"],
        ["1", "1.1", "Có quy hoạch chung xây dựng xã", "", "chữ", "=", "Đạt", "Đạt", "Đạt"],
    ]:
        sheet.append(row)
    book.save(path)
    return path


def test_valid_file_becomes_a_set_with_targets_per_group(db, tmp_path):
    with db.transaction() as s:
        result = import_set(s, build(tmp_path / "ok.xlsx"))
        assert (result.criteria, result.indicators, result.version) == (2, 2, 1)
        indicator = next(i for i in catalogue.indicators_of(s, result.set_id) if i.code == "8.3")
        assert indicator.targets == {"Nhóm 1": "90", "Nhóm 2": "85", "Nhóm 3": "70.5"}
        assert (indicator.kind, indicator.comparison, indicator.unit_of_measure) == ("number", ">=", "%")
    with db.transaction() as s:  # the same file again: a second version, the first untouched
        again = import_set(s, build(tmp_path / "ok.xlsx"))
        assert again.version == 2 and again.set_id != result.set_id
        assert s.get(CriteriaSet, result.set_id).set_version == 1


def test_template_round_trips(db, tmp_path):
    path = write_template(tmp_path / "mau.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Bộ tiêu chí", "Tiêu chí", "Chỉ tiêu", "Hướng dẫn"]
    book["Bộ tiêu chí"]["B2"] = "mau-thu"
    book["Bộ tiêu chí"]["B3"] = "Bộ thử"
    book.save(path)
    with db.transaction() as s:
        result = import_set(s, path)
        assert (result.criteria, result.indicators) == (1, 1)


def _refused(db, path, *fragments):
    with pytest.raises(ValidationError) as raised:
        with db.transaction() as s:
            import_set(s, path)
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message, message
    with db.transaction() as s:  # nothing imported
        assert s.query(CriteriaSet).count() == 0 and s.query(Indicator).count() == 0
    return message


def test_missing_column_is_named(db, tmp_path):
    header = ["Mã tiêu chí", "Mã chỉ tiêu", "Tên chỉ tiêu", "Kiểu (số/chữ)", "So sánh", *KEYS]
    path = build(tmp_path / "f.xlsx", indicator_header=header, indicators=[["8", "8.3", "Tỷ lệ", "số", ">=", 1, 2, 3]])
    _refused(db, path, "Trang “Chỉ tiêu”", "dòng 1", "thiếu cột “Đơn vị tính”")


def test_missing_group_column_is_named(db, tmp_path):
    header = ["Mã tiêu chí", "Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Kiểu (số/chữ)", "So sánh", "Nhóm 1", "Nhóm 2"]
    _refused(db, build(tmp_path / "f.xlsx", indicator_header=header), "thiếu cột chỉ tiêu cho “Nhóm 3”")


def test_duplicate_criterion_code_is_named(db, tmp_path):
    criteria = [[1, "1", "Quy hoạch", ""], [2, "8", "Hạ tầng", ""], [8, "8", "Môi trường", ""]]
    _refused(db, build(tmp_path / "f.xlsx", criteria=criteria),
             "Trang “Tiêu chí”, dòng 4, cột B (“Mã tiêu chí”)", "mã tiêu chí “8” bị trùng với dòng 3")


def test_target_that_is_not_a_number_is_named(db, tmp_path):
    rows = [["8", "8.3", "Tỷ lệ hộ có nhà tiêu hợp vệ sinh", "%", "số", ">=", 90, "khoảng 85", 70]]
    _refused(db, build(tmp_path / "f.xlsx", indicators=rows),
             "Trang “Chỉ tiêu”, dòng 2, cột H (“Nhóm 2”)", "“khoảng 85” không phải là số")


def test_every_problem_is_listed_at_once(db, tmp_path):
    rows = [["8", "8.3", "Tỷ lệ", "%", "số", ">=", "x", 1, 2], ["99", "99.1", "Lạ", "", "chữ", "=", "", "", ""]]
    message = _refused(db, build(tmp_path / "f.xlsx", indicators=rows, info={"Từ năm": "năm sau"}),
                       "“x” không phải là số", "mã tiêu chí “99” không có", "“Từ năm” phải là năm")
    assert message.count("\n- ") == 3


def test_not_an_excel_file(db, tmp_path):
    path = tmp_path / "f.xlsx"
    path.write_text("không phải excel")
    _refused(db, path, "không phải là tệp Excel")


def test_nfd_text_is_normalised_and_reported(db, tmp_path):
    nfd = unicodedata.normalize("NFD", "Môi trường và cảnh quan nông thôn")
    path = build(tmp_path / "nfd.xlsx", criteria=[[1, "1", "Quy hoạch", ""], [8, "8", nfd, ""]])
    with db.transaction() as s:
        result = import_set(s, path)
        names = [c.name for c in catalogue.criteria_of(s, result.set_id)]
    assert names[1] == unicodedata.normalize("NFC", nfd) and names[1] != nfd
    assert any("Trang “Tiêu chí”, dòng 3, cột C" in n and "NFC" in n for n in result.notices)
