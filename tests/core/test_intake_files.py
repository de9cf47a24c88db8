"""Reading a directive from the file it arrived as: PDF, Word, text, scan (no Qt)."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from directive_documents import FIXTURES, FONTS, layout_from_text, write_docx, write_pdf

from ntm_desktop.intake import IntakeError, extract_file
from ntm_desktop.parsing import parse_directive, proposal_to_dict


def _canvas(path, pages=1, lines_per_page=None, footer=None):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "TestSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("TestSerif", str(FONTS / "LiberationSerif-Regular.ttf")))
    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(pages):
        c.setFont("TestSerif", 14)
        y = A4[1] - 150
        for text in (lines_per_page or (lambda k: [f"Nội dung trang {k + 1}."]))(n):
            c.drawString(85, y, text)
            y -= 17
        if footer:
            c.setFont("TestSerif", 10)
            c.drawString(85, 40, footer)
            c.drawRightString(550, 40, f"Trang {n + 1}/{pages}")
        c.showPage()
    c.save()
    return path


def test_a_signed_pdf_gives_the_header_blocks_apart_and_whole_paragraphs(tmp_path):
    source = (FIXTURES / "laocai-13.txt").read_text(encoding="utf-8")
    pdf = write_pdf(layout_from_text(source), tmp_path / "cv.pdf")
    extraction = extract_file(pdf)
    lines = [line.text for line in extraction.lines]
    assert extraction.kind == "pdf" and extraction.page_count == 2 and not extraction.scanned_pages
    # Agency block, then the motto block: never one line mixing both.
    assert lines[:3] == ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI", "Số: 7432/UBND-XD"]
    assert lines[3].startswith("V/v triển khai thực hiện Quyết định số 1074/QĐ-BXD ngày 29/6/2026 của Bộ Xây dựng")
    assert lines[3].endswith("không bảo đảm yêu cầu về phòng cháy và chữa cháy")  # five wrapped lines, one line
    assert lines[4:7] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                          "Lào Cai, ngày 21 tháng 7 năm 2026"]
    assert lines[7:11] == ["Kính gửi:", "- Các Sở, ban, ngành thuộc tỉnh;", "- Công an tỉnh;",
                           "- Ủy ban nhân dân các xã, phường."]
    # A body paragraph wrapped over many lines comes back as one; the numbered heading keeps its own line.
    assert any(t.startswith("Ngày 29/6/2026, Bộ trưởng Bộ Xây dựng") and t.endswith("ngày 01 tháng 7 năm 2028.")
               for t in lines)
    assert "1. Công an tỉnh, các sở, ban, ngành, đoàn thể tỉnh và Ủy ban nhân dân các xã, phường" in lines
    assert "2" not in lines  # the page number at the top of page 2
    # The signature block after "Nơi nhận", and each line knows where it stands on the page.
    assert lines[-1] == "Phan Trung Bá" and "- Lưu: VT, TH, XD(Đông)." in lines
    first = extraction.lines[0]
    assert first.page == 0 and first.boxes and 100 < first.boxes[0][1] < 260


def test_a_task_table_keeps_one_line_per_row(tmp_path):
    source = (FIXTURES / "laocai-15.txt").read_text(encoding="utf-8")
    extraction = extract_file(write_pdf(layout_from_text(source), tmp_path / "kh.pdf"))
    rows = [line.text for line in extraction.lines if line.kind == "row"]
    assert rows[0].split(" | ")[:3] == ["TT", "Tên nhiệm vụ", "Sở, ngành chủ trì tham mưu"]
    body = [r for r in rows if r[:2].strip(" |").isdigit()]
    assert len(body) == 14
    assert body[10].startswith("11 | Xử lý nghiêm và xử lý dứt điểm các hành vi khai thác khoáng sản bằng tàu cuốc")
    assert " | Công an tỉnh | Các Sở, ban, ngành và địa phương | Xong trong Quý II/2026" in body[10]
    tasks = proposal_to_dict(parse_directive(extraction.text))["tasks"]
    assert [t["cooperating"] for t in tasks if t["summary"].startswith("Xử lý nghiêm và xử lý dứt điểm")
            and t["assignee"] == "Công an tỉnh" and t["deadline"] == "2026-06-30"] == [["Các Sở, ban, ngành và địa phương"]]


def test_running_footer_and_page_numbers_are_dropped_and_paragraphs_go_on_across_pages(tmp_path):
    words = ("Ủy ban nhân dân các xã tổ chức rà soát các tiêu chí nông thôn mới, báo cáo kết quả về Sở Nông "
             "nghiệp và Môi trường trước ngày 30/10/2026 để tổng hợp").split()

    def lines(k):
        out, line = [], ""
        for w in words * 3:
            if len(line) + len(w) > 62:
                out.append(line)
                line = w
            else:
                line = f"{line} {w}".strip()
        return out[:4] if k == 0 else [line + "."]

    pdf = _canvas(tmp_path / "f.pdf", pages=2, lines_per_page=lines, footer="Văn bản được ký số bởi Văn phòng UBND tỉnh")
    text = extract_file(pdf).text
    assert "ký số" not in text and "Trang 1/2" not in text
    assert text.count("\n") == 0, text  # one paragraph, carried on to page 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_text_files_in_the_encodings_offices_use(tmp_path, encoding):
    text = "ỦY BAN NHÂN DÂN TỈNH LÀO CAI\nSố: 12/UBND-VP\nV/v báo cáo kết quả xây dựng nông thôn mới\n"
    path = tmp_path / "cv.txt"
    path.write_text(text, encoding=encoding)
    assert extract_file(path).text == text


def test_cp1258_text_with_combining_marks_reads_back(tmp_path):
    import unicodedata

    text = "Kính gửi: Ủy ban nhân dân các xã, phường."
    path = tmp_path / "cu.txt"
    raw = b""
    for ch in text:  # Windows-1258: base letters precomposed (ơ, ư, â), tone marks combining
        try:
            raw += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            raw += unicodedata.normalize("NFC", d[:-1]).encode("cp1258") + d[-1].encode("cp1258")
    path.write_bytes(raw)
    got = extract_file(path).text
    assert unicodedata.normalize("NFC", got) == text


def test_word_file_gives_paragraphs_and_tables_in_body_order_with_automatic_numbers(tmp_path):
    from docx import Document

    doc = Document()
    header = doc.add_table(rows=1, cols=2)
    header.rows[0].cells[0].text = "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI"
    header.rows[0].cells[1].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    doc.add_paragraph("Chủ tịch UBND tỉnh yêu cầu:")
    doc.add_paragraph("Sở Tài chính rà soát nguồn vốn.", style="List Number")
    doc.add_paragraph("Sở Xây dựng hướng dẫn quy hoạch.", style="List Number")
    doc.add_paragraph("Rà soát các xã.", style="List Bullet")
    table = doc.add_table(rows=2, cols=4)
    for c, value in enumerate(["Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"]):
        table.rows[0].cells[c].text = value
    for c, value in enumerate(["Rà soát tiêu chí", "Sở Tài chính", "Sở Xây dựng", "Quý III/2026"]):
        table.rows[1].cells[c].text = value
    doc.add_paragraph("Nơi nhận:")
    doc.sections[0].header.paragraphs[0].text = "Tiêu đề trang không thuộc văn bản"
    path = tmp_path / "cv.docx"
    doc.save(str(path))
    lines = [line.text for line in extract_file(path).lines]
    assert lines == [
        "ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Chủ tịch UBND tỉnh yêu cầu:",
        "1. Sở Tài chính rà soát nguồn vốn.", "2. Sở Xây dựng hướng dẫn quy hoạch.", "- Rà soát các xã.",
        "Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành",
        "Rà soát tiêu chí | Sở Tài chính | Sở Xây dựng | Quý III/2026", "Nơi nhận:",
    ]


def test_a_scanned_pdf_page_is_reported_with_no_text(tmp_path):
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = io.BytesIO()
    Image.new("L", (620, 877), 235).save(picture, "PNG")
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(io.BytesIO(picture.getvalue())), 0, 0, *A4)
    c.showPage()
    c.save()
    extraction = extract_file(path)
    assert extraction.scanned_pages == [0] and extraction.lines == []
    assert any("bản quét" in n for n in extraction.notices)


# --- bad input: each gets a message that says what happened and what to do


def test_password_protected_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = _canvas(tmp_path / "plain.pdf")
    writer = PdfWriter()
    for page in PdfReader(str(plain)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="matkhau", owner_password="chu", algorithm="RC4-128")
    locked = tmp_path / "khoa.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(IntakeError, match="đặt mật khẩu") as info:
        extract_file(locked)
    assert "khoa.pdf" in str(info.value) and "bản không đặt mật khẩu" in str(info.value)


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    with pytest.raises(IntakeError, match="bị hỏng hoặc chưa chép xong"):
        extract_file(path)


def test_a_500_page_pdf_is_read_up_to_a_cap_and_says_so(tmp_path):
    path = _canvas(tmp_path / "dai.pdf", pages=500)
    start = time.perf_counter()
    extraction = extract_file(path)
    elapsed = time.perf_counter() - start
    assert extraction.page_count == 500 and extraction.pages_read < 500
    assert "Nội dung trang 1." in extraction.text and "Nội dung trang 500." not in extraction.text
    assert any("500 trang" in n for n in extraction.notices)
    assert elapsed < 5, elapsed


def test_a_docx_zip_bomb_is_refused_before_it_is_decompressed(tmp_path):
    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as fh:
            chunk = b" " * (1 << 20)
            for _ in range(60):  # 60 MB of spaces: a few kilobytes once compressed
                fh.write(chunk)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(IntakeError, match="có thể là tệp độc hại"):
        extract_file(path)


def test_a_60_megapixel_image_is_refused_without_decoding_it(tmp_path):
    from PIL import Image

    path = tmp_path / "anh.png"
    Image.new("1", (8000, 7500)).save(path)
    with pytest.raises(IntakeError, match=r"quá lớn \(8000×7500 điểm ảnh") as info:
        extract_file(path)
    assert "300 dpi" in str(info.value)


def test_an_empty_file(tmp_path):
    for name in ("rong.pdf", "rong.docx", "rong.txt", "rong.jpg"):
        (tmp_path / name).write_bytes(b"")
        with pytest.raises(IntakeError, match="trống \\(0 byte\\)"):
            extract_file(tmp_path / name)


@pytest.mark.parametrize("name, content, said", [
    ("van-ban.pdf", b"PK\x03\x04" + b"\x00" * 100, "một văn bản Word (.docx)"),
    ("van-ban.docx", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "một tệp PDF"),
    ("anh.jpg", "Kính gửi: Sở Tài chính".encode(), "văn bản thuần"),
    ("ghi-chu.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "một ảnh"),
])
def test_a_file_that_is_not_what_its_name_says(tmp_path, name, content, said):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(IntakeError, match="có đuôi") as info:
        extract_file(tmp_path / name)
    assert said in str(info.value) and "gửi lại đúng tệp" in str(info.value)


def test_old_word_and_unknown_types_say_what_to_do(tmp_path):
    (tmp_path / "cu.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(IntakeError, match="Lưu thành"):
        extract_file(tmp_path / "cu.doc")
    (tmp_path / "bang.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(IntakeError, match="Hãy chọn tệp PDF, Word"):
        extract_file(tmp_path / "bang.xlsx")


def test_a_word_file_read_back_gives_the_same_proposal_as_its_text(tmp_path):
    source = (FIXTURES / "seed-000_83c67e811cb9ee0b.txt").read_text(encoding="utf-8")
    path = write_docx(layout_from_text(source), tmp_path / "cv.docx")
    got = proposal_to_dict(parse_directive(extract_file(path).text))
    want = proposal_to_dict(parse_directive(source))
    assert got["tasks"] == want["tasks"]
    assert {k: got[k] for k in ("number_symbol", "issuer", "date", "subject", "signer")} == \
        {k: want[k] for k in ("number_symbol", "issuer", "date", "subject", "signer")}


def test_a_scanned_pdf_is_read_by_ocr_when_the_engine_is_there(tmp_path):
    """The words of an image-only PDF (a fixture drawn at 300 dpi) come back through OCR and parse as the text."""
    from directive_documents import write_scan

    from ntm_desktop.intake.ocr import engine

    ocr = engine()
    if ocr is None:
        pytest.skip("no Tesseract with its Vietnamese model on this computer (apt-get install tesseract-ocr-vie)")
    pdf = write_pdf(layout_from_text((FIXTURES / "laocai-10.txt").read_text(encoding="utf-8")), tmp_path / "a.pdf")
    scan = write_scan(pdf, tmp_path / "scan.pdf")
    without = extract_file(scan)
    assert without.scanned_pages == [0] and not without.text.strip()
    read = extract_file(scan, ocr=ocr)
    assert read.scanned_pages == [] and read.recognised_pages == [0]
    assert "OCR" in " ".join(read.notices)
    proposal = parse_directive(read.text)
    assert proposal.issuer == "Ủy ban nhân dân tỉnh Lào Cai" and proposal.number_symbol == "/UBND-KT"
    assert [(t.assignee, t.deadline) for t in proposal.tasks] == [("Sở Công Thương", "2025-09-15")]
    assert "huấn luyện kỹ thuật an toàn vật liệu nổ công nghiệp" in read.text  # the marks read, not dropped


def test_without_the_vietnamese_model_ocr_says_what_is_missing(tmp_path, monkeypatch):
    from ntm_desktop.intake.ocr import engine, missing_reason

    monkeypatch.setenv("NTM_TESSDATA", str(tmp_path))  # a folder without vie.traineddata
    assert engine() is None
    assert "vie.traineddata" in missing_reason() or "Tesseract" in missing_reason()
