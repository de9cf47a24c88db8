"""Word files (.docx): paragraphs and tables in the order of the document body, read from the file's XML.

The zip's declared sizes are checked before anything is decompressed (a "zip bomb" is refused), the XML may not
declare entities, and only the body is read: running headers and footers stay out. Automatic numbering
("1.", "a)", "-") is written out as the reader sees it. A table of two columns (the agency beside the motto,
"Nơi nhận" beside the signature) gives its cells one after the other, left first; a wider table gives one line
per row with its cells joined by " | ".
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from ntm_desktop.intake.layout import SourceLine
from ntm_desktop.intake.source import Extraction, IntakeError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_PART_BYTES = 40 * 1024 * 1024  # the body of a directive is well under a megabyte
MAX_TOTAL_BYTES = 400 * 1024 * 1024  # everything in the file, pictures included, once decompressed
MAX_RATIO = 200  # a part that grows more than this when decompressed (and is large) is a bomb


def _bomb(name: str, size: int) -> IntakeError:
    return IntakeError(
        f"Tệp Word “{name}” có cấu trúc bất thường: khi giải nén sẽ lớn tới {size // (1024 * 1024)} MB. Đây có thể "
        "là tệp độc hại nên phần mềm không mở. Hãy xin nơi gửi bản PDF của văn bản."
    )


def _broken(name: str) -> IntakeError:
    return IntakeError(
        f"Tệp Word “{name}” bị hỏng hoặc không phải tệp .docx đúng chuẩn, phần mềm không đọc được. Hãy mở bằng "
        "Word và lưu lại (hoặc lưu thành PDF), rồi chọn lại tệp."
    )


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> bytes:
    if info.file_size > MAX_PART_BYTES or (info.file_size > 5 * 1024 * 1024
                                           and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
        raise _bomb(shown, info.file_size)
    with archive.open(info) as fh:
        data = fh.read(MAX_PART_BYTES + 1)  # the declared size may lie: never read past the limit
    if len(data) > MAX_PART_BYTES:
        raise _bomb(shown, len(data))
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise _broken(shown)
    return data


def read_docx(path: Path) -> Extraction:
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _broken(path.name) from None
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_TOTAL_BYTES:
            raise _bomb(path.name, total)
        by_name = {i.filename: i for i in infos}
        if "word/document.xml" not in by_name:
            raise _broken(path.name)
        try:
            body_xml = _read_part(archive, by_name["word/document.xml"], path.name)
            numbering_xml = (_read_part(archive, by_name["word/numbering.xml"], path.name)
                             if "word/numbering.xml" in by_name else None)
            styles_xml = (_read_part(archive, by_name["word/styles.xml"], path.name)
                          if "word/styles.xml" in by_name else None)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise _broken(path.name) from None
    try:
        root = ElementTree.fromstring(body_xml)
        numbering = _Numbering(ElementTree.fromstring(numbering_xml) if numbering_xml else None,
                               ElementTree.fromstring(styles_xml) if styles_xml else None)
    except ElementTree.ParseError:
        raise _broken(path.name) from None
    body = root.find(f"{W}body")
    if body is None:
        raise _broken(path.name)
    lines: list[SourceLine] = []
    _walk(body, numbering, lines)
    lines = [line for line in lines if line.text.strip()]
    notices = [] if lines else ["Tệp Word không có chữ trong phần nội dung (có thể chỉ có ảnh chụp văn bản). "
                                "Hãy gõ thông tin vào các ô."]
    return Extraction("docx", lines, notices=notices)


def _walk(container, numbering: "_Numbering", out: list[SourceLine]) -> None:
    for child in container:
        tag = child.tag
        if tag == f"{W}p":
            text = _paragraph_text(child, numbering)
            if text.strip():
                out.append(SourceLine(text))
        elif tag == f"{W}tbl":
            _table(child, numbering, out)
        elif tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins"):
            _walk(child.find(f"{W}sdtContent") if tag == f"{W}sdt" and child.find(f"{W}sdtContent") is not None
                  else child, numbering, out)


def _table(table, numbering: "_Numbering", out: list[SourceLine]) -> None:
    rows = []
    for tr in table.findall(f"{W}tr"):
        cells = []
        for tc in tr.findall(f"{W}tc"):
            inner: list[SourceLine] = []
            _walk(tc, numbering, inner)
            cells.append([line.text for line in inner])
        rows.append(cells)
    width = max((len(r) for r in rows), default=0)
    if width <= 2:
        for col in range(width):  # a layout table: the left block, then the right block
            for cells in rows:
                if col < len(cells):
                    out.extend(SourceLine(t) for t in cells[col])
        return
    for cells in rows:
        texts = [" ".join(" ".join(c).split()) for c in cells]
        if any(texts):
            out.append(SourceLine(" | ".join(texts), kind="row"))


def _paragraph_text(p, numbering: "_Numbering") -> str:
    parts: list[str] = []
    for node in p.iter():
        tag = node.tag
        if tag == f"{W}t" and node.text:
            parts.append(node.text)
        elif tag in (f"{W}tab", f"{W}br", f"{W}cr"):
            parts.append(" ")
        elif tag == f"{W}delText":
            continue
    text = re.sub(r"[ \t\u00a0]+", " ", "".join(parts)).strip()
    ppr = p.find(f"{W}pPr")
    num = ppr.find(f"{W}numPr") if ppr is not None else None
    if num is None and ppr is not None and ppr.find(f"{W}pStyle") is not None:
        num = numbering.style_numbering(ppr.find(f"{W}pStyle").get(f"{W}val"))
    if num is not None and text:
        label = numbering.label(num)
        if label:
            text = f"{label} {text}"
    return text


class _Numbering:
    """Word's automatic numbering: the label ("1.", "a)", "-") of each numbered paragraph, counted in order."""

    def __init__(self, root, styles=None):
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (fmt, text, start)
        self._counters: dict[str, list[int]] = {}
        self._styles: dict[str, object] = {}  # styleId -> its numPr (a list style: "List Number", "List Bullet")
        based_on: dict[str, str] = {}
        for style in (styles.findall(f"{W}style") if styles is not None else []):
            sid = style.get(f"{W}styleId")
            ppr = style.find(f"{W}pPr")
            num = ppr.find(f"{W}numPr") if ppr is not None else None
            if num is not None:
                self._styles[sid] = num
            parent = style.find(f"{W}basedOn")
            if parent is not None:
                based_on[sid] = parent.get(f"{W}val")
        for sid, parent in based_on.items():
            if sid not in self._styles and parent in self._styles:
                self._styles[sid] = self._styles[parent]
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for a in root.findall(f"{W}abstractNum"):
            levels = {}
            for lvl in a.findall(f"{W}lvl"):
                ilvl = int(lvl.get(f"{W}ilvl", "0"))
                fmt = lvl.find(f"{W}numFmt")
                txt = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                levels[ilvl] = (fmt.get(f"{W}val") if fmt is not None else "decimal",
                                txt.get(f"{W}val") if txt is not None else "%1.",
                                int(start.get(f"{W}val", "1")) if start is not None else 1)
            abstract[a.get(f"{W}abstractNumId")] = levels
        for n in root.findall(f"{W}num"):
            ref = n.find(f"{W}abstractNumId")
            if ref is not None:
                self._levels[n.get(f"{W}numId")] = abstract.get(ref.get(f"{W}val"), {})

    def style_numbering(self, style_id: str | None):
        return self._styles.get(style_id)

    def label(self, num_pr) -> str:
        num = num_pr.find(f"{W}numId")
        lvl = num_pr.find(f"{W}ilvl")
        num_id = num.get(f"{W}val") if num is not None else None
        ilvl = int(lvl.get(f"{W}val", "0")) if lvl is not None else 0
        levels = self._levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self._counters.setdefault(num_id, [0] * 9)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        fmt, text, start = levels[ilvl]
        if fmt == "bullet":
            return "-" if text not in ("+", "•") else text
        if fmt == "none":
            return ""

        def value(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            f, _t, s = levels.get(k, ("decimal", "", 1))
            n = counters[k] + s - 1 if k < len(counters) else 1
            return _format(max(n, 1), f)

        return re.sub(r"%(\d)", value, text).strip()


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = "abcdefghijklmnopqrstuvwxyz"
        s = letters[(n - 1) % 26]
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("upperRoman", "lowerRoman"):
        vals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        out = ""
        for v, r in vals:
            while n >= v:
                out += r
                n -= v
        return out if fmt == "upperRoman" else out.lower()
    return str(n)
