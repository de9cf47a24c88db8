"""Lay a directive's text out as the office receives it: a signed PDF (decree 30/2020 layout) or a .docx.

Used by the robustness tests and the intake benchmark. From a fixture's text it finds the header parts (agency,
number, motto, place and date, "V/v" subject or title block), the "Kính gửi" list, the body paragraphs and task
tables, and the closing ("Nơi nhận" beside the signature); then it writes them with reportlab (A4, 14 pt Liberation
Serif, the decree's margins, agency and motto side by side in a two-column table, the page number at the top from
page 2) or with python-docx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ntm_desktop.parsing.cleaning import clean_lines, fold_keep

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "resources" / "fonts"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "directives"

_MOTTO_1 = re.compile(r"C\w{1,3}NG H\w{1,3} X\w H\w{1,3}I CH\w NGH\w{1,2}A VI\w{1,2}T NAM")
_MOTTO_2 = re.compile(r"Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc")
_NUMBER = re.compile(r"Số\s*:\s*(\d*\s*/\s*\S+)")
_DATE = re.compile(r"((?:[A-ZĐ][^\s,]*\s){0,3}[A-ZĐ][^\s,]*),\s*ngày[\s\d]*tháng[\s\d]*năm\s*\d{4}\.?")
_TYPES = {"thong bao", "ke hoach", "quyet dinh", "chi thi", "nghi quyet", "huong dan", "bao cao", "chuong trinh",
          "to trinh", "ket luan", "cong dien"}


_PREFIXES = ("KT.", "TM.", "TL.", "Q.", "TUQ.")


@dataclass
class DirectiveLayout:
    agency: list[str] = field(default_factory=list)  # left header block, upper case
    number: str = ""  # "Số: 7432/UBND-XD"
    subject_vv: str = ""  # "V/v ..." under the number, or ""
    motto: list[str] = field(default_factory=list)  # right header block
    place_date: str = ""
    title: list[str] = field(default_factory=list)  # "THÔNG BÁO" and the subject under it
    recipients: list[str] = field(default_factory=list)  # the "Kính gửi" list
    body: list = field(default_factory=list)  # str paragraphs and list[list[str]] tables
    copies: list[str] = field(default_factory=list)  # "Nơi nhận" items
    signature: list[str] = field(default_factory=list)  # title lines, then the name last
    annex: list = field(default_factory=list)  # paragraphs and tables after the signature (Phụ lục)


def _agency_lines(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text).strip(" |")
    if not text:
        return []
    m = re.match(r"^((?:ỦY|UỶ) BAN NHÂN DÂN)\s+(.+)$", text)
    if m:
        return [m.group(1), m.group(2)]
    m = re.match(r"^(.*?)\s+((?:VĂN PHÒNG|SỞ|BAN|PHÒNG)\b.*)$", text)
    if m:
        return [m.group(1), m.group(2)]
    return [text]


def layout_from_text(text: str) -> DirectiveLayout:
    """The parts of the directive in `text`, ready to be laid out."""
    lines = clean_lines(text)
    out = DirectiveLayout()
    n = len(lines)
    # The header runs up to "Kính gửi", a type title, or the first body paragraph.
    end = 0
    in_vv = False
    while end < n:
        line = lines[end]
        folded = fold_keep(line)
        if folded.startswith("kinh gui") or fold_keep(line.strip(" .:")) in _TYPES and line.isupper():
            break
        if line and not in_vv and not line.isupper() and not re.search(r"Số\s*:|ngày.*năm \d{4}|V/v|Độc lập", line) \
                and len(line) > 90 and end > 0:
            break
        in_vv = bool(line) and ("V/v" in line or in_vv)
        end += 1
    head = " ".join(lines[:end])
    motto = []
    for rx in (_MOTTO_1, _MOTTO_2):
        m = rx.search(head)
        if m:
            motto.append(m.group(0))
            head = head[: m.start()] + " " + head[m.end():]
    out.motto = motto
    m = _NUMBER.search(head)
    if m:
        out.number = "Số: " + re.sub(r"\s+", "", m.group(1))
        head = head[: m.start()] + " " + head[m.end():]
    m = _DATE.search(head)
    if m:
        out.place_date = re.sub(r"\s+", " ", m.group(0)).strip()
        head = head[: m.start()] + " " + head[m.end():]
    vv = head.find("V/v")
    if vv >= 0:
        out.subject_vv = re.sub(r"\s+", " ", head[vv:]).strip()
        head = head[:vv]
    out.agency = _agency_lines(head)

    i = end
    if i < n and fold_keep(lines[i].strip(" .:")) in _TYPES:
        out.title.append(lines[i])
        i += 1
        while i < n and not lines[i]:
            i += 1
        if i < n:
            out.title.append(lines[i])
            i += 1
    while i < n and not lines[i]:
        i += 1
    if i < n and fold_keep(lines[i]).startswith("kinh gui"):
        chunks = [lines[i].split(":", 1)[1] if ":" in lines[i] else ""]
        i += 1
        while i < n and (not lines[i] or lines[i].startswith(("-", "+", "•"))):
            chunks.append(lines[i])
            i += 1
        joined = " ".join(chunks)
        out.recipients = ["- " + p.strip() for p in re.split(r"(?:^|\s)-\s+", joined) if p.strip()]
    # Body up to "Nơi nhận".
    closing = next((k for k in range(i, n) if fold_keep(lines[k]).startswith("noi nhan")), n)
    out.body = _blocks(lines[i:closing])
    # Closing: copies beside the signature, then any annex.
    annex_at = n
    for k in range(closing + 1, n):
        if fold_keep(lines[k]).startswith(("phu luc", "danh muc")) or lines[k].count("|") >= 3:
            annex_at = k
            break
        if fold_keep(lines[k].strip(" .:")) in _TYPES and lines[k].isupper():
            # A document issued with this one (a decision's plan) starts on its own page, its header above it.
            annex_at = k
            while annex_at > closing + 1 and (not lines[annex_at - 1] or lines[annex_at - 1].isupper()
                                              or _MOTTO_2.search(lines[annex_at - 1])):
                annex_at -= 1
            break
    tail = " ".join(lines[closing:annex_at])
    tail = re.sub(r"^Nơi nhận\s*:?", "", tail).strip()
    words = tail.split()
    name_words: list[str] = []
    while words and len(name_words) < 4 and words[-1][:1].isupper() \
            and (len(words[-1]) == 1 or words[-1][1:].islower()) and words[-1].isalpha():
        name_words.insert(0, words.pop())
    titles, rest, run = [], [], []
    for w in words + [""]:
        if w and (w.isupper() and w.isalpha() or w in _PREFIXES):
            run.append(w)
            continue
        while len(run) > 1 and run[0] in _PREFIXES and run[1] in _PREFIXES:
            rest.append(run.pop(0))
        piece = " ".join(run)
        if run and re.search(r"CHỦ TỊCH|VĂN PHÒNG|GIÁM ĐỐC|TRƯỞNG|NHÂN DÂN", piece) and len(run) >= 2:
            titles.append(piece)
        else:
            rest.extend(run)
        run = []
        if w:
            rest.append(w)
    out.signature = _split_titles(titles) + ([" ".join(name_words)] if name_words else [])
    out.copies = ["- " + p.strip(" ") for p in re.split(r"(?:^|\s)-\s+", " ".join(rest)) if p.strip(" ")]
    out.annex = _blocks(lines[annex_at:])
    return out


def _split_titles(titles: list[str]) -> list[str]:
    """'KT. CHỦ TỊCH PHÓ CHỦ TỊCH' -> ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']."""
    out = []
    for t in titles:
        t = re.sub(r"\s+", " ", t).strip()
        parts = re.split(r"\s+(?=(?:KT|TM|TL|Q|TUQ)\.\s)|(?<=CHỦ TỊCH)\s+(?=PHÓ\b)|(?<=VĂN PHÒNG)\s+(?=PHÓ\b)|"
                         r"(?<=NHÂN DÂN)\s+(?=KT\.)", t)
        out.extend(p for p in parts if p)
    return out


def _blocks(lines: list[str]) -> list:
    blocks: list = []
    table: list[list[str]] | None = None
    for line in lines:
        if line.count("|") >= 3:
            cells = [c.strip() for c in line.split("|")]
            if table is None:
                table = []
                blocks.append(table)
            table.append(cells)
            continue
        table = None
        if line:
            blocks.append(line)
    return blocks


# --- PDF (reportlab)

_FONT = "NtmSerif"


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if _FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(_FONT, str(FONTS / "LiberationSerif-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(_FONT + "-Bold", str(FONTS / "LiberationSerif-Bold.ttf")))
    pdfmetrics.registerFont(TTFont(_FONT + "-Italic", str(FONTS / "LiberationSerif-Italic.ttf")))
    pdfmetrics.registerFont(TTFont(_FONT + "-BoldItalic", str(FONTS / "LiberationSerif-BoldItalic.ttf")))
    from reportlab.lib.fonts import addMapping

    addMapping(_FONT, 0, 0, _FONT)
    addMapping(_FONT, 1, 0, _FONT + "-Bold")
    addMapping(_FONT, 0, 1, _FONT + "-Italic")
    addMapping(_FONT, 1, 1, _FONT + "-BoldItalic")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_pdf(layout: DirectiveLayout, path: Path, repeat_body: int = 1) -> Path:
    """Write the layout as a decree-style PDF; `repeat_body` repeats the body to make long documents."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_fonts()
    base = ParagraphStyle("body", fontName=_FONT, fontSize=14, leading=17, alignment=TA_JUSTIFY,
                          firstLineIndent=10 * mm, spaceBefore=3)
    small = ParagraphStyle("small", parent=base, fontSize=12.5, leading=15, alignment=TA_CENTER, firstLineIndent=0,
                           spaceBefore=0)
    small_bold = ParagraphStyle("small_bold", parent=small, fontName=_FONT + "-Bold")
    center_bold = ParagraphStyle("center_bold", parent=base, fontName=_FONT + "-Bold", alignment=TA_CENTER,
                                 firstLineIndent=0)
    italic = ParagraphStyle("italic", parent=small, fontName=_FONT + "-Italic", fontSize=14)
    copies_style = ParagraphStyle("copies", parent=base, fontSize=11, leading=13, alignment=TA_LEFT,
                                  firstLineIndent=0, spaceBefore=0)
    cell = ParagraphStyle("cell", parent=base, fontSize=12, leading=14, alignment=TA_LEFT, firstLineIndent=0,
                          spaceBefore=0)
    story: list = []

    left = [Paragraph(_esc(t), small if k == 0 and len(layout.agency) > 1 else small_bold)
            for k, t in enumerate(layout.agency)]
    if layout.number:
        left.append(Spacer(1, 4))
        left.append(Paragraph(_esc(layout.number), small))
    if layout.subject_vv:
        left.append(Paragraph(_esc(layout.subject_vv), ParagraphStyle("vv", parent=small, fontSize=12, leading=14)))
    right = [Paragraph(_esc(t), small_bold if k == 0 else ParagraphStyle("m2", parent=small_bold, fontSize=14))
             for k, t in enumerate(layout.motto)]
    if layout.place_date:
        right.append(Spacer(1, 6))
        right.append(Paragraph(_esc(layout.place_date), italic))
    width = A4[0] - 45 * mm
    header = Table([[left, right]], colWidths=[width * 0.42, width * 0.58])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(header)
    story.append(Spacer(1, 12))
    for k, t in enumerate(layout.title):
        story.append(Paragraph(_esc(t), center_bold))
    if layout.recipients:
        story.append(Spacer(1, 6))
        rows = [[Paragraph("Kính gửi:", ParagraphStyle("kg", parent=base, firstLineIndent=0, alignment=TA_LEFT)),
                 [Paragraph(_esc(r), ParagraphStyle("r", parent=base, firstLineIndent=0, alignment=TA_LEFT))
                  for r in layout.recipients]]]
        kg = Table(rows, colWidths=[35 * mm, width - 50 * mm])
        kg.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(kg)
        story.append(Spacer(1, 6))

    def add_blocks(blocks) -> None:
        for block in blocks:
            if isinstance(block, list):
                cols = max(len(r) for r in block)
                rows = [[Paragraph(_esc(c), cell) for c in r] + [""] * (cols - len(r)) for r in block]
                widths = _column_widths(block, width)
                t = Table(rows, colWidths=widths, repeatRows=1)
                t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
                story.append(t)
            else:
                story.append(Paragraph(_esc(block), base))

    for r in range(repeat_body):
        add_blocks(layout.body)
    story.append(Spacer(1, 10))
    copies = [Paragraph("<b><i>Nơi nhận:</i></b>", copies_style)] + [Paragraph(_esc(c), copies_style)
                                                                      for c in layout.copies]
    sig = [Paragraph(_esc(t), small_bold) for t in layout.signature[:-1]]
    if layout.signature:
        sig += [Spacer(1, 50), Paragraph(_esc(layout.signature[-1]), small_bold)]
    closing = Table([[copies, sig]], colWidths=[width * 0.5, width * 0.5])
    closing.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(closing)
    if layout.annex:
        story.append(PageBreak())
        add_blocks(layout.annex)

    def page_number(canvas, doc) -> None:
        if doc.page > 1:
            canvas.setFont(_FONT, 13)
            canvas.drawCentredString(A4[0] / 2 + 7.5 * mm, A4[1] - 12 * mm, str(doc.page))

    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=30 * mm, rightMargin=15 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title="", author="")
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return path


def _column_widths(rows: list[list[str]], width: float) -> list[float]:
    """Widths in proportion to the cells' text, each wide enough for its longest word."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    cols = max(len(r) for r in rows)
    lengths = [max(8, max((len(r[c]) if c < len(r) else 0) for r in rows[1:] or rows)) for c in range(cols)]
    lengths = [min(max(length, 14), 120) for length in lengths]
    total = sum(lengths)
    widths = [width * length / total for length in lengths]
    floors = [max((stringWidth(w, _FONT, 12) for r in rows for w in (r[c].split() if c < len(r) else [])),
                  default=0) + 14 for c in range(cols)]
    for c in range(cols):
        if widths[c] < floors[c]:
            widest = max(range(cols), key=lambda k: widths[k] - floors[k])
            widths[widest] -= floors[c] - widths[c]
            widths[c] = floors[c]
    return widths


# --- Word (python-docx)

def write_docx(layout: DirectiveLayout, path: Path) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)

    def cell_lines(cell, texts, bold_from=0, center=True):
        cell.paragraphs[0].text = ""
        for k, t in enumerate(texts):
            p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
            run = p.add_run(t)
            run.bold = k >= bold_from
            if center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    header = doc.add_table(rows=1, cols=2)
    left = layout.agency + ([layout.number] if layout.number else []) + (
        [layout.subject_vv] if layout.subject_vv else [])
    cell_lines(header.rows[0].cells[0], left, bold_from=1)
    cell_lines(header.rows[0].cells[1], layout.motto + ([layout.place_date] if layout.place_date else []))
    for t in layout.title:
        p = doc.add_paragraph()
        p.add_run(t).bold = True
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if layout.recipients:
        doc.add_paragraph("Kính gửi:")
        for r in layout.recipients:
            doc.add_paragraph(r)

    def add_blocks(blocks):
        for block in blocks:
            if isinstance(block, list):
                cols = max(len(r) for r in block)
                table = doc.add_table(rows=len(block), cols=cols)
                table.style = "Table Grid"
                for r, row in enumerate(block):
                    for c, value in enumerate(row):
                        table.rows[r].cells[c].text = value
            else:
                doc.add_paragraph(block).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    add_blocks(layout.body)
    closing = doc.add_table(rows=1, cols=2)
    cell_lines(closing.rows[0].cells[0], ["Nơi nhận:"] + layout.copies, bold_from=99, center=False)
    cell_lines(closing.rows[0].cells[1], layout.signature, bold_from=0)
    add_blocks(layout.annex)
    doc.save(str(path))
    return path


def wrap_text(text: str, width: int) -> str:
    """Hard-wrap every line of `text` at `width` characters (as a mail client or a PDF copy does)."""
    import textwrap

    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
        else:
            out.extend(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""])
    return "\n".join(out)


def write_scan(pdf: Path, path: Path, dpi: int = 300, pages: int | None = None) -> Path:
    """The pages of `pdf` as pictures only (a scanned copy: no text layer), `dpi` dots per inch, grey."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        images = []
        for index in range(min(len(document), pages or len(document))):
            page = document[index]
            images.append(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
            page.close()
    finally:
        document.close()
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return path


def viewer_copy(text_path: Path, pdf_path: Path) -> str:
    """The text a clerk gets by copying all of a PDF viewer's page: the directive laid out into `pdf_path`, then
    each page's text as PDFium gives it (layout order, hard line breaks), pages one after the other."""
    import pypdfium2 as pdfium

    pdf = write_pdf(layout_from_text(text_path.read_text(encoding="utf-8")), pdf_path)
    document = pdfium.PdfDocument(str(pdf))
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range().replace("\r\n", "\n"))
            textpage.close()
            page.close()
    finally:
        document.close()
    return "\n".join(pages)
