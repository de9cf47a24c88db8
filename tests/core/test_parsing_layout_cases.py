"""What the parser must get right in directives as they arrive from PDF and Word files (no Qt)."""

from __future__ import annotations

from ntm_desktop.parsing import parse_directive, proposal_to_dict

HEAD = """ỦY BAN NHÂN DÂN
TỈNH TUYÊN QUANG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: /UBND-VP
Tuyên Quang, ngày  tháng 4 năm 2024
V/v triển khai nhiệm vụ xây dựng nông thôn mới năm 2024

Kính gửi: Các sở, ngành; UBND các huyện, thành phố.

Thực hiện Kế hoạch số 03/KH-UBND ngày 11/01/2024 của UBND tỉnh, Chủ tịch UBND tỉnh yêu cầu:
"""


def _tasks(body: str) -> list[tuple]:
    data = proposal_to_dict(parse_directive(HEAD + body))
    return [(t["assignee"], t["cooperating"], t["deadline"], t["summary"]) for t in data["tasks"]]


def test_an_unnumbered_copy_keeps_its_symbol_and_the_month_of_its_date():
    data = proposal_to_dict(parse_directive(HEAD))
    assert data["number_symbol"] == "/UBND-VP" and data["date"] == "2024-04"
    assert data["issuer"] == "Ủy ban nhân dân tỉnh Tuyên Quang"
    assert data["subject"] == "Triển khai nhiệm vụ xây dựng nông thôn mới năm 2024"


def test_an_umbrella_sentence_gives_one_task_per_bullet_with_its_units():
    tasks = _tasks("""1. Sở Tài chính chủ trì, phối hợp với Sở Nông nghiệp và Môi trường thực hiện các nhiệm vụ sau:
- Rà soát, cân đối nguồn vốn cho các xã, báo cáo trước ngày 30/6/2024.
- Hướng dẫn thanh quyết toán vốn sự nghiệp.
2. Sở Xây dựng hướng dẫn quy hoạch chung xã, hoàn thành trong Quý III/2024.
""")
    assert tasks == [
        ("Sở Tài chính", ["Sở Nông nghiệp và Môi trường"], "2024-06-30",
         "Rà soát, cân đối nguồn vốn cho các xã, báo cáo"),
        ("Sở Tài chính", ["Sở Nông nghiệp và Môi trường"], None, "Hướng dẫn thanh quyết toán vốn sự nghiệp"),
        ("Sở Xây dựng", [], "2024-09-30", "Hướng dẫn quy hoạch chung xã"),
    ]


def test_item_numbers_in_bold_markers_and_a_lead_named_once_for_its_bullets():
    tasks = _tasks("""**1.** Sở Xây dựng hướng dẫn quy hoạch chung xã, hoàn thành trong Quý III/2024.
**2. Ủy ban nhân dân huyện Sơn Dương**
- Rà soát các tiêu chí chưa đạt, báo cáo trước ngày 15/5/2024.
- Thường xuyên kiểm tra, đôn đốc các xã.
""")
    assert [(t[0], t[2]) for t in tasks] == [
        ("Sở Xây dựng", "2024-09-30"), ("Ủy ban nhân dân huyện Sơn Dương", "2024-05-15"),
        ("Ủy ban nhân dân huyện Sơn Dương", None)]


def test_no_task_is_made_of_a_closing_formula():
    tasks = _tasks("""1. Sở Xây dựng hướng dẫn quy hoạch chung xã, hoàn thành trong Quý III/2024.
2. Các sở, ngành, địa phương tổ chức triển khai thực hiện nghiêm túc theo quy định./.
""")
    assert [t[0] for t in tasks] == ["Sở Xây dựng"]


def test_a_plan_gives_its_tasks_under_to_chuc_thuc_hien_not_its_solutions():
    text = HEAD.replace("V/v triển khai nhiệm vụ xây dựng nông thôn mới năm 2024", "").replace(
        "Số: /UBND-VP", "Số: /KH-UBND") + """KẾ HOẠCH
Triển khai Chương trình xây dựng nông thôn mới năm 2024

I. MỤC ĐÍCH, YÊU CẦU
- Hoàn thành các chỉ tiêu năm 2024.
II. NHIỆM VỤ, GIẢI PHÁP
1. Tuyên truyền
- Các sở, ngành và UBND các huyện chủ động tuyên truyền về nông thôn mới.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
- Là cơ quan thường trực, theo dõi, tổng hợp kết quả thực hiện Kế hoạch.
2. Sở Tài chính
- Bố trí kinh phí thực hiện Kế hoạch.
"""
    tasks = proposal_to_dict(parse_directive(text))["tasks"]
    assert [t["assignee"] for t in tasks] == ["Sở Nông nghiệp và Môi trường", "Sở Tài chính"]
