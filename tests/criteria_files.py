"""A province's 2026-2030 criteria file, as an office receives it, for the criteria tests (core and UI)."""

from __future__ import annotations

from openpyxl import load_workbook

from ntm_desktop.services.criteria.xlsx_template import write_template

NEW_NAMES = ["Quy hoạch", "Hạ tầng kinh tế - xã hội", "Phát triển kinh tế nông thôn",
             "Đào tạo nguồn nhân lực nông thôn", "Văn hóa, giáo dục, y tế", "Giảm nghèo và an sinh xã hội",
             "Khoa học công nghệ và chuyển đổi số", "Môi trường và cảnh quan nông thôn",
             "Xây dựng hệ thống chính trị và hành chính công", "Tiếp cận pháp luật và an ninh, quốc phòng"]


def province_file_2026(tmp_path):
    """A province's 2026-2030 file: one indicator whose target differs by commune group."""
    path = write_template(tmp_path / "tinh.xlsx")
    book = load_workbook(path)
    info = book["Bộ tiêu chí"]
    values = {"Mã bộ tiêu chí": "xa-ntm-2026-2030", "Tên bộ tiêu chí": "Bộ tiêu chí xã nông thôn mới tỉnh Lào Cai "
              "giai đoạn 2026 - 2030", "Phiên bản": 2}
    for row in info.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    criteria = book["Tiêu chí"]
    criteria.delete_rows(2)
    for number, name in enumerate(NEW_NAMES, start=1):
        criteria.append([number, str(number), name, ""])
    indicators = book["Chỉ tiêu"]
    indicators.delete_rows(2)
    indicators.append(["6", "6.1", "Tỷ lệ hộ được hưởng chính sách (chỉ tiêu mẫu của tỉnh)", "%", "số", ">=",
                       80, 75, 70, "có"])
    indicators.append(["6", "6.2", "Chỉ tiêu tỉnh chưa chốt mức", "%", "số", ">=", None, None, None, "không"])
    book.save(path)
    return path
