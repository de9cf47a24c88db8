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


DUTIES = """1. Trách nhiệm chung của các cơ quan, đơn vị
- Quán triệt các quy định của pháp luật về khoáng sản.
- Tăng cường phối hợp trong công tác kiểm tra.
2. Thanh tra tỉnh
- Xây dựng kế hoạch thanh tra có trọng tâm, trọng điểm.
- Theo dõi, đôn đốc việc thực hiện các kết luận thanh tra.
3. Sở Nông nghiệp và Môi trường
- Chủ trì, phối hợp với các cơ quan liên quan kiểm tra hoạt động khoáng sản.
- Thường xuyên kiểm tra hoạt động nạo vét lòng sông, suối.
- Hằng năm tổng hợp tình hình vi phạm, đề xuất giải pháp.
4. Sở Xây dựng
- Rà soát thiết bị khai thác cát, sỏi, thời gian thực hiện xong trong tháng 6/2024.
- Kiểm tra nguồn gốc vật liệu xây dựng.
- Phối hợp với Công an tỉnh để kiểm soát tải trọng phương tiện.
5. Sở Tài chính
- Kiểm tra việc thực hiện cam kết đầu tư.
- Kiểm tra nghĩa vụ tài chính trong hoạt động khoáng sản.
6. Thuế tỉnh
- Rà soát hồ sơ khai thuế liên quan đến khoáng sản.
- Đôn đốc nộp tiền cấp quyền khai thác khoáng sản.
"""


def test_a_letter_dividing_standing_duties_among_many_units_gives_each_unit_one_task():
    """Five or more unit headings with several bullets each: a division of duties, like a plan's last section.

    Each unit's bullets without a deadline of their own are one task; a bullet with a date or its own recurrence
    stays a task of its own, and the shared duties heading gives a task for everyone it addresses.
    """
    data = proposal_to_dict(parse_directive(HEAD + DUTIES))
    assert [(t["assignee"], t["deadline"], t["recurrence"]) for t in data["tasks"]] == [
        ("Các cơ quan, đơn vị (trách nhiệm chung)", None, None),
        ("Thanh tra tỉnh", None, None),
        ("Sở Nông nghiệp và Môi trường", None, None),
        ("Sở Nông nghiệp và Môi trường", None, "yearly"),
        ("Sở Xây dựng", "2024-06-30", None),
        ("Sở Xây dựng", None, None),
        ("Sở Tài chính", None, None),
        ("Thuế tỉnh", None, None),
    ]
    nnmt = data["tasks"][2]
    assert nnmt["summary"] == ("Kiểm tra hoạt động khoáng sản; kiểm tra hoạt động nạo vét lòng sông, suối")
    assert nnmt["cooperating"] == ["các cơ quan liên quan"]
    assert data["tasks"][5]["cooperating"] == ["Công an tỉnh"]


def test_a_few_units_with_a_few_bullets_keep_one_task_per_bullet():
    """A conclusion that gives three units their bullets: each bullet is a task (DOMAIN.md §4)."""
    few = DUTIES.split("4. Sở Xây dựng")[0].replace("1. Trách nhiệm chung của các cơ quan, đơn vị\n", "1. Sở Tư pháp\n")
    tasks = _tasks(few)
    assert [t[0] for t in tasks] == ["Sở Tư pháp"] * 2 + ["Thanh tra tỉnh"] * 2 + ["Sở Nông nghiệp và Môi trường"] * 3


def test_a_footnote_at_the_foot_of_a_page_does_not_cut_the_sentence_it_annotates():
    tasks = _tasks("""1. Sở Tư pháp
- Thực hiện nghiêm các quy định của pháp luật về khoáng sản1, xử lý nghiêm các hành vi khai thác

   1 Luật Địa chất và Khoáng sản năm 2024; Nghị quyết số 10-NQ/TW ngày 10/02/2022 của Bộ Chính trị.
                                        2

trái phép trên địa bàn.
- Kiểm tra hoạt động khoáng sản trước ngày 30/6/2024.
""")
    assert tasks == [
        ("Sở Tư pháp", [], None,
         "Thực hiện nghiêm các quy định của pháp luật về khoáng sản, xử lý nghiêm các hành vi khai thác trái phép "
         "trên địa bàn"),
        ("Sở Tư pháp", [], "2024-06-30", "Kiểm tra hoạt động khoáng sản"),
    ]
    data = proposal_to_dict(parse_directive(HEAD + "1. Sở Tư pháp\n- Kiểm tra khoáng sản1, xử lý\n\n"
                                            "1 Nghị quyết số 10-NQ/TW ngày 10/02/2022.\n 2\n\nvi phạm.\n"))
    assert "10-NQ/TW ngày 10/02/2022" in data["referenced_documents"]


def test_a_plan_bullet_that_restates_its_annex_row_is_that_row_not_a_second_task():
    text = HEAD.replace("V/v triển khai nhiệm vụ xây dựng nông thôn mới năm 2024", "").replace(
        "Số: /UBND-VP", "Số: /KH-UBND") + """KẾ HOẠCH
Triển khai Chương trình xây dựng nông thôn mới năm 2024

I. TỔ CHỨC THỰC HIỆN
1. Công an tỉnh
- Nắm tình hình, phòng ngừa vi phạm về khoáng sản.
- Tăng cường tuần tra; xử lý dứt điểm các hành vi khai thác khoáng sản bằng tàu cuốc trên sông, suối xong trong quý II năm 2024.
Nơi nhận:
- Như trên.
Phụ lục
TT | Tên nhiệm vụ | Sở, ngành chủ trì | Đơn vị phối hợp | Thời gian thực hiện
1 | Xử lý dứt điểm các hành vi khai thác khoáng sản bằng tàu cuốc trên sông, suối. | Công an tỉnh | Các sở, ngành | Xong trong Quý II/2024
"""
    tasks = proposal_to_dict(parse_directive(text))["tasks"]
    assert [(t["assignee"], t["deadline"], t["summary"]) for t in tasks] == [
        ("Công an tỉnh", None, "Nắm tình hình, phòng ngừa vi phạm về khoáng sản"),
        ("Công an tỉnh", "2024-06-30",
         "Xử lý dứt điểm các hành vi khai thác khoáng sản bằng tàu cuốc trên sông, suối"),
    ]


def test_a_task_table_copied_cell_by_cell_out_of_a_pdf_viewer_gives_one_task_per_row():
    """A viewer copies each cell's wrapped lines in turn; the header comes again at the top of the next page."""
    table = """Phụ lục
TT Tên nhiệm vụ Đơn vị
chủ trì
Đơn vị phối
hợp
Thời gian
thực hiện
(1) (2) (3) (4)
1 Rà soát, cập nhật
phương án quản lý
khoáng sản.
Sở Nông
nghiệp và Môi
trường
Các Sở, ban,
ngành liên quan
Xong trong
tháng 5/2024
                                  14
TT Tên nhiệm vụ Đơn vị
chủ trì
Đơn vị phối
hợp
Thời gian
thực hiện
2 Tổ chức quán triệt
Chỉ thị đến cán bộ,
Nhân dân trên địa bàn.
Các Sở,
ban, ngành;
UBND
các xã
Sở Tư pháp
Xong trong
Quý II/2024
3 Kiểm tra việc chấp hành
pháp luật về khoáng sản.
Thanh
tra tỉnh
Công an tỉnh
Hàng năm
"""
    tasks = proposal_to_dict(parse_directive(HEAD + "1. Sở Tư pháp kiểm tra, báo cáo.\n" + table))["tasks"]
    assert [(t["assignee"], t["cooperating"], t["deadline"], t["recurrence"], t["summary"]) for t in tasks[1:]] == [
        ("Sở Nông nghiệp và Môi trường", ["Các Sở, ban, ngành liên quan"], "2024-05-31", None,
         "Rà soát, cập nhật phương án quản lý khoáng sản"),
        ("Các Sở, ban, ngành; UBND các xã", ["Sở Tư pháp"], "2024-06-30", None,
         "Tổ chức quán triệt Chỉ thị đến cán bộ, Nhân dân trên địa bàn"),
        ("Thanh tra tỉnh", ["Công an tỉnh"], None, "yearly", "Kiểm tra việc chấp hành pháp luật về khoáng sản"),
    ]


def test_an_unnumbered_copy_read_by_ocr_keeps_its_symbol_though_the_slash_was_lost():
    data = proposal_to_dict(parse_directive(HEAD.replace("Số: /UBND-VP", "Số: UBND-VP")))
    assert data["number_symbol"] == "/UBND-VP" and data["issuer"] == "Ủy ban nhân dân tỉnh Tuyên Quang"
