"""Document metadata: type, number and symbol, issuer, place, date, subject, signer, recipients, references.

Every extractor returns the value and its source span ``(line_index, start, end)``
in the cleaned lines (None when the field was not found).
"""

from __future__ import annotations

import re

from ntm_desktop.parsing.cleaning import MARKER, fold_keep

Span = tuple[int, int, int]

# Document types of Nghị định 30/2020 (Phụ lục III) with their codes.
DOC_TYPES: list[tuple[str, str]] = [
    ("Nghị quyết", "NQ"), ("Quyết định", "QĐ"), ("Chỉ thị", "CT"), ("Quy chế", "QC"), ("Quy định", "QyĐ"),
    ("Thông cáo", "TC"), ("Thông báo", "TB"), ("Hướng dẫn", "HD"), ("Chương trình", "CTr"), ("Kế hoạch", "KH"),
    ("Phương án", "PA"), ("Đề án", "ĐA"), ("Dự án", "DA"), ("Báo cáo", "BC"), ("Biên bản", "BB"),
    ("Tờ trình", "TTr"), ("Hợp đồng", "HĐ"), ("Công điện", "CĐ"), ("Giấy mời", "GM"), ("Giấy giới thiệu", "GGT"),
    ("Kết luận", "KL"), ("Công văn", ""),
]
_TYPE_BY_CODE = {code.upper(): name for name, code in DOC_TYPES if code}
_TYPE_BY_FOLD = {fold_keep(name): name for name, _ in DOC_TYPES}
_MOTTO = re.compile(
    r"C\w{1,3}NG H\w{1,3} X\w H\w{1,3}I CH\w NGH\w{1,2}A VI\w{1,2}T NAM|Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc|"
    r"Đ\w{1,2}NG C\w{1,3}NG S\w{1,2}N VI\w{1,2}T NAM",
    re.I,
)
_NUMBER = re.compile(r"\bSố\s*:?\s*((?:\d+(?:-[A-ZĐ][\wĐđ]*)?)?\s*/\s*[A-ZĐ][\wĐđ&.\-/]*)")
_DATE_LINE = re.compile(
    r",?\s*ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})?\s*năm\s*(\d{4})", re.I
)
_REF = re.compile(
    r"(?<![\w/])(\d{1,5}(?:-[A-ZĐ][A-Za-zĐđ]*)?/(?:\d{4}/)?[A-ZĐ][A-ZĐ0-9&]*(?:[a-zđ][A-ZĐ0-9&]*)?(?:-[A-ZĐa-zđ0-9&]+)*)"
    r"(?:\s+(?:ngày\s+)(\d{1,2}/\d{1,2}/\d{4}|\d{1,2} tháng \d{1,2} năm \d{4}))?"
)
_LAW = re.compile(r"\bLuật(?: [^\s;.()]+){1,14}? (?:ngày \d{1,2}/\d{1,2}/\d{4}|năm \d{4})")
_TITLES = re.compile(
    r"(?:PHÓ )?(?:CHỦ TỊCH|CHÁNH VĂN PHÒNG|GIÁM ĐỐC|TRƯỞNG BAN|BÍ THƯ|CHÁNH THANH TRA|TRƯỞNG PHÒNG|"
    r"CỤC TRƯỞNG|BỘ TRƯỞNG|THỨ TRƯỞNG|VIỆN TRƯỞNG|HIỆU TRƯỞNG|TRƯỞNG ĐOÀN|CHÁNH ÁN|VIỆN TRƯỞNG|"
    r"TỔNG GIÁM ĐỐC|TRƯỞNG CÔNG AN|CHỈ HUY TRƯỞNG|THỦ TRƯỞNG|TRƯỞNG BAN CHỈ ĐẠO|TRƯỞNG ĐOÀN|THƯỜNG TRỰC)\b"
)


def _upper_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def _title_word(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def find_number_symbol(lines: list[str]) -> tuple[str | None, Span | None]:
    for i, line in enumerate(lines[:40]):
        m = _NUMBER.search(line)
        if m:
            value = re.sub(r"\s+", "", m.group(1)).rstrip(".-/")
            return value, (i, m.start(1), m.end(1))
    return None, None


def find_date_place(lines: list[str]) -> tuple[str | None, Span | None, str | None, Span | None]:
    for i, line in enumerate(lines[:40]):
        m = _DATE_LINE.search(line)
        if not m:
            continue
        day, month, year = m.group(1), m.group(2), m.group(3)
        if day and month:
            value = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        elif month:
            value = f"{int(year):04d}-{int(month):02d}"
        else:
            value = year
        # The place is the run of capitalised words just before ", ngày".
        words = line[: m.start()].rstrip(" ,").split(" ")
        place_words: list[str] = []
        for word in reversed(words):
            if word and word[0].isupper() and (len(word) == 1 or word[1:].islower()) and word.isalpha():
                place_words.insert(0, word)
                if len(place_words) == 4:
                    break
            else:
                break
        place = " ".join(place_words) or None
        pspan = None
        if place:
            ps = line.rfind(place, 0, m.start() + 1)
            pspan = (i, ps, ps + len(place))
        return value, (i, m.start(), m.end()), place, pspan
    return None, None, None, None


def _header_lines(lines: list[str]) -> list[tuple[int, str]]:
    """Lines before the number/date line, with the national motto removed."""
    out = []
    for i, line in enumerate(lines[:12]):
        if _NUMBER.search(line) or _DATE_LINE.search(line) or fold_keep(line).startswith(("v/v", "kinh gui")):
            head = re.split(r"\bSố\s*:", line)[0]
            head = _MOTTO.sub(" ", head).strip()
            if head and _upper_ratio(head) > 0.8:
                out.append((i, head))
            break
        text = _MOTTO.sub(" ", line).strip()
        if text and _upper_ratio(text) > 0.8:
            out.append((i, text))
    return out


_LEVELS = ("TỈNH", "HUYỆN", "XÃ", "PHƯỜNG", "THỊ XÃ", "THÀNH PHỐ", "THỊ TRẤN", "QUẬN")


def _issuer_case(upper: str) -> str:
    """'ỦY BAN NHÂN DÂN TỈNH LÀO CAI' -> 'Ủy ban nhân dân tỉnh Lào Cai'."""
    text = re.sub(r"\s+", " ", upper).strip()
    text = re.sub(r"^(?:ỦY|UỶ) BAN", "ỦY BAN", text)
    text = re.sub(r"^UBND\b", "ỦY BAN NHÂN DÂN", text)
    for level in sorted(_LEVELS, key=len, reverse=True):
        m = re.search(rf"\b{level}\b", text)
        if m:
            head = text[: m.start()].strip()
            place = text[m.end():].strip()
            head_cased = head[:1] + head[1:].lower() if head else ""
            place_cased = " ".join(_title_word(w) for w in place.split())
            return " ".join(p for p in (head_cased, level.lower(), place_cased) if p)
    return text[:1] + text[1:].lower()


_KINDS = re.compile(r"^(?:SỞ|PHÒNG|BAN|CHI CỤC|TRUNG TÂM|THANH TRA|CÔNG AN|VĂN PHÒNG|CỤC|BỘ CHỈ HUY|ĐOÀN|HỘI)\b")
_OWN_CASE = {"CÔNG THƯƠNG": "Công Thương", "HĐND": "HĐND", "UBND": "UBND", "NTM": "NTM", "MTQG": "MTQG"}


def _unit_case(upper: str) -> str:
    """'SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH' -> 'Sở Văn hóa, Thể thao và Du lịch', 'CHI CỤC THỦY LỢI' -> 'Chi cục Thủy lợi'.

    The kind of body, then each field of its name with a capital: after the kind, after "và", after ",", after "-".
    """
    text = re.sub(r"\s+", " ", upper).strip()
    for own, cased in _OWN_CASE.items():
        text = re.sub(rf"\b{own}\b", "\0" + cased + "\0", text)
    kind = _KINDS.match(text)
    words = text.split(" ")
    kind_words = len(kind.group(0).split(" ")) if kind else 1
    out = []
    capital = True
    for k, word in enumerate(words):
        if "\0" in word:
            out.append(word.replace("\0", ""))
            capital = False
            continue
        lower = word.lower()
        out.append(lower[:1].upper() + lower[1:] if capital or k == 0 else lower)
        capital = k + 1 == kind_words or lower in {"và", "-", "–"} or word.endswith(",")
    return " ".join(out)


def find_issuer(lines: list[str], symbol: str | None, place: str | None, body: str) -> tuple[str | None, Span | None]:
    head = _header_lines(lines)
    if head:
        # The urgency and secrecy stamps a copy joins to the agency's lines are no part of its name.
        text = " ".join(t for _, t in head)
        while _STAMP.search(text):
            text = _STAMP.sub("", text)
        span = (head[0][0], 0, len(lines[head[0][0]]))
        m = re.match(
            r"^(.*?\b(?:TỈNH|HUYỆN|XÃ|PHƯỜNG|THÀNH PHỐ|QUẬN|THỊ XÃ)\b.*?)\s+((?:VĂN PHÒNG|SỞ|BAN|PHÒNG|THANH TRA|CÔNG AN)\b.*)$",
            text,
        )
        if m:
            child = m.group(2).strip()
            if re.fullmatch(r"VĂN PHÒNG", child):
                # The office of the body above it: "Văn phòng Ủy ban nhân dân tỉnh Lào Cai".
                return f"Văn phòng {_issuer_case(m.group(1))}", span
            # A department of the body above it is named with that body's level and place:
            # "UBND TỈNH BẮC GIANG" over "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" -> "Sở Nông nghiệp và Môi trường tỉnh Bắc Giang".
            parent = _issuer_case(m.group(1))
            level = re.search(r"\b(?:tỉnh|huyện|xã|phường|thị xã|thành phố|thị trấn|quận)\b.*$", parent)
            return f"{_unit_case(child)} {level.group(0) if level else parent}", span
        return _issuer_case(text), span
    # No header: infer a People's Committee issuer from the symbol and the place.
    if symbol and place and re.search(r"(?:^|[/-])UBND(?:$|-)", symbol):
        level = "tỉnh"
        m = re.search(r"(?:Ủy|Uỷ) ban nhân dân (tỉnh|huyện|thành phố|xã)|UBND (tỉnh|huyện|thành phố|xã)", body)
        if m:
            level = m.group(1) or m.group(2)
        return f"Ủy ban nhân dân {level} {place}", None
    return None, None


def document_type_title(line: str) -> str | None:
    """The document type a title line names in capitals ("KẾ HOẠCH" -> "Kế hoạch"), else None."""
    stripped = line.strip(" .:")
    return _TYPE_BY_FOLD.get(fold_keep(stripped)) if stripped and stripped.isupper() else None


def find_doc_type(lines: list[str], symbol: str | None, subject_is_vv: bool) -> tuple[str | None, Span | None]:
    for i, line in enumerate(lines[:40]):
        stripped = line.strip(" .:")
        if stripped and stripped.isupper():
            name = _TYPE_BY_FOLD.get(fold_keep(stripped))
            if name:
                return name, (i, 0, len(line))
    if symbol:
        if re.match(r"^\d*-", symbol):  # Party form 854-TB/TU
            code = symbol.split("-", 1)[1].split("/", 1)[0]
        else:
            code = symbol.split("/")[-1].split("-")[0] if symbol.count("/") <= 1 else symbol.split("/")[-1].split("-")[0]
        name = _TYPE_BY_CODE.get(code.upper())
        if name:
            return name, None
        if subject_is_vv or "-" in symbol:
            return "Công văn", None
    return ("Công văn", None) if subject_is_vv else (None, None)


# A document's type as its title line says it ("KẾ HOẠCH", "THÔNG BÁO"), folded.
TITLE_TYPES = {
    "thong bao", "ke hoach", "quyet dinh", "chi thi", "nghi quyet", "huong dan", "bao cao", "chuong trinh",
    "to trinh", "ket luan", "cong dien", "phuong an", "de an", "quy che", "quy dinh", "thong cao",
}

# How the body of a notice or plan starts, so that a title block copied without blank lines ends there.
_BODY_OPENER = re.compile(
    r"^(?:ngay \d|thuc hien |can cu |xet (?:de nghi|to trinh|bao cao)|de (?:to chuc|trien khai|thuc hien|nang cao|"
    r"kip thoi|dam bao)|sau khi|theo (?:de nghi|chi dao)|nham |vua qua|hien nay|trong (?:thoi gian|nam|nhung))"
)


_STAMP = re.compile(r"\s+(?:HỎA TỐC|HOẢ TỐC|THƯỢNG KHẨN|KHẨN|TUYỆT MẬT|TỐI MẬT|MẬT)\s*$")


_URGENCY = (("hoa toc", "hoa_toc"), ("thuong khan", "thuong_khan"), ("khan", "khan"))
_URGENCY_STAMP = re.compile(
    r"(?:^|\s)(HỎA TỐC|HOẢ TỐC|THƯỢNG KHẨN|KHẨN)(?:\s*$|\s+(?=V/v|Số\b|Kính|TUYỆT MẬT|TỐI MẬT|MẬT\s*$))"
)


def find_urgency(lines: list[str]) -> tuple[str, Span | None]:
    """The urgency stamp of the header ("HỎA TỐC", "THƯỢNG KHẨN", "KHẨN") as the register's value, else ""."""
    for i, line in enumerate(lines[:30]):
        if fold_keep(line).startswith(("kinh gui", "can cu", "thuc hien")):
            break
        m = _URGENCY_STAMP.search(line)
        if m:
            folded = fold_keep(m.group(1))
            value = next(v for word, v in _URGENCY if folded == word)
            return value, (i, m.start(1), m.end(1))
    return "", None


_SECRECY = (("tuyet mat", "tuyet_mat"), ("toi mat", "toi_mat"), ("mat", "mat"))
# The secrecy stamp printed under the number, in capitals: alone on its line (boxed or bracketed in some copies),
# after the number (and the place and date a two-column copy puts beside it), after the agency's name or the urgency
# stamp where a copy joins the left block's lines, or run into the next header line ("MẬT V/v …", "MẬT CỘNG HÒA …",
# "MẬT Lào Cai, ngày …").
_SECRECY_STAMP = re.compile(
    r"(?:^|\s)[\[(|│┃“\"«]?\s*(TUYỆT MẬT|TỐI MẬT|MẬT)\s*[\])|│┃”\"»]?"
    r"(?:\s*$|\s+(?=V/v|Số\b|Kính|HỎA TỐC|HOẢ TỐC|THƯỢNG KHẨN|KHẨN\b|CỘNG HÒA|CỘNG HOÀ|ĐẢNG CỘNG SẢN|Độc lập|"
    r"[^\W\d_][\w ]{1,40}, ngày))"
)
# What may stand before the stamp on its line: the number, the place and date, or words in capitals.
_STAMP_AFTER = re.compile(r"^(?:Số: |[^\W\d_][\w ]{1,40}, ngày )")
# "Độ mật: Mật" of a document system's or portal's copy (any case; "Độ mật: Thường" / "Không" is no stamp).
_SECRECY_LABEL = re.compile(r"^Độ mật\s*[:|]\s*(Tuyệt mật|Tối mật|Mật)\s*[.;]?\s*$", re.I)
# The words before "MẬT" that make it a word of a title ("BẢO VỆ BÍ MẬT", "BÍ" / "MẬT" wrapped): not a stamp.
_SECRET_WORDS = re.compile(r"(?<![\w/-])(?:bi|bao|tai lieu|thong tin)[ ,]*$")


def find_secrecy(lines: list[str]) -> tuple[str, Span | None]:
    """The secrecy stamp of the header ("TUYỆT MẬT", "TỐI MẬT", "MẬT", or "Độ mật: Mật") as the register's value,
    else "". Only the header is read, in capitals: "bí mật" and "mật độ" in a sentence, "BẢO VỆ BÍ MẬT" in a
    title are not stamps."""
    for i, line in enumerate(lines):
        m = _SECRECY_LABEL.match(line)
        if m:
            return _secrecy_value(m.group(1)), (i, m.start(1), m.end(1))
    for i, line in enumerate(lines[:30]):
        folded = fold_keep(line)
        if folded.startswith(("kinh gui", "can cu", "thuc hien")) or folded.strip(" .:") in TITLE_TYPES:
            break  # the body or the title: a stamp is printed above them
        for m in _SECRECY_STAMP.finditer(line):
            prefix = line[:m.start(1)]
            if not (_STAMP_AFTER.match(prefix) or prefix == prefix.upper()):
                continue  # a sentence's word
            before = (fold_keep(lines[i - 1]) if i else "") + " " + folded[:m.start(1)]
            if not _SECRET_WORDS.search(before.rstrip(" [(|│┃“\"«")):
                return _secrecy_value(m.group(1)), (i, m.start(1), m.end(1))
    return "", None


def _secrecy_value(stamp: str) -> str:
    folded = fold_keep(stamp).lower()
    return next(v for word, v in _SECRECY if folded == word)


def find_subject(lines: list[str], doc_type_line: int | None) -> tuple[str | None, Span | None, bool]:
    """Return (subject, span, from_vv)."""
    for i, line in enumerate(lines[:40]):
        m = re.search(r"\bV/v\b[.:]?\s*", line)
        if m:
            parts = [line[m.end():]]
            j = i + 1
            while j < len(lines) and lines[j] and not fold_keep(lines[j]).startswith(("kinh gui", "can cu", "thuc hien")):
                if _MOTTO.search(lines[j]) or _upper_ratio(lines[j]) > 0.8 or _DATE_LINE.search(lines[j]):
                    break
                parts.append(lines[j])
                j += 1
            # The urgency or secrecy stamp printed under the number ("HỎA TỐC") is not part of the subject.
            subject = _STAMP.sub("", " ".join(parts))
            return _sentence(subject), (i, m.end(), len(line)), True
    if doc_type_line is not None:
        parts = []
        j = doc_type_line + 1
        while j < len(lines) and not lines[j]:
            j += 1
        first = j
        while j < len(lines) and lines[j] and not re.match(r"^[_\-=]{3,}$", lines[j]):
            if MARKER.match(lines[j]) or len(parts) > 6 or parts and _BODY_OPENER.match(fold_keep(lines[j])):
                break
            if parts and lines[j].isupper() and not any(p.isupper() for p in parts):
                break  # the decision's authority under its title: "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN …"
            parts.append(lines[j])
            j += 1
        if parts:
            # A decision's title says "Về việc ban hành …": the subject is what follows, as after "V/v".
            subject = re.sub(r"^(?:Về việc|V/v)[.:]?\s+", "", " ".join(parts).strip())
            return _sentence(subject), (first, 0, len(lines[first])), False
    return None, None, False


def _sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" .;:")
    return text[:1].upper() + text[1:]


def find_signature(lines: list[str], end: int) -> tuple[str | None, Span | None, str | None, Span | None]:
    """Signer title and name from the signature block in lines[:end]."""
    start = max(0, end - 30)
    for i in range(end - 1, -1, -1):
        if fold_keep(lines[i]).startswith("noi nhan"):
            start = i
            break
    title = tspan = None
    t_index = -1
    for i in range(start, end):
        for m in _TITLES.finditer(lines[i]):
            title, tspan, t_index = m.group(0), (i, m.start(), m.end()), i
    name = nspan = None
    for i in range(max(start, t_index if t_index >= 0 else start), end):
        line = lines[i]
        tail = line
        offset = 0
        if i == t_index and tspan:
            offset = tspan[2]
            tail = line[offset:]
        tail_s = tail.strip()
        words = tail_s.split(" ")
        if 2 <= len(words) <= 5 and all(w[:1].isupper() and w.isalpha() and (len(w) == 1 or w[1:].islower()) for w in words):
            name = tail_s
            pos = line.find(tail_s, offset)
            nspan = (i, pos, pos + len(tail_s))
    return title, tspan, name, nspan


def split_items(text: str) -> list[str]:
    """Split a recipient block into items on "- " bullets and semicolons."""
    items = re.split(r";|(?:^|(?<=[.,:]))\s*[-–•+]\s+(?=\S)|\s[-–•]\s+(?=[A-ZĐÀ-Ỹ])", text.strip())
    out = []
    for item in items:
        item = re.sub(r"^[\s\-–•+]+", "", item or "").strip(" ;,.")
        if item:
            out.append(item)
    return out


_SKIP_RECIPIENT = re.compile(r"^(?:như (?:trên|kính gửi|điều \d+|mục\b)|lưu\b|\+)", re.I)


def _expand(item: str) -> list[str]:
    """'Các Sở: Công Thương, Tài chính' -> ['Sở Công Thương', 'Sở Tài chính']."""
    m = re.match(r"^(.*?)\b[Cc]ác (\w+)\s*:\s*(.+)$", item)
    if m:
        prefix, kind, rest = m.group(1), m.group(2), m.group(3)
        names = [n.strip() for n in rest.split(",") if n.strip()]
        return [f"{prefix}{kind[:1].upper() + kind[1:] if not prefix else kind} {n}".strip() for n in names]
    parts = [p.strip() for p in item.split(",")]
    if len(parts) > 1 and all(p[:1].isupper() and len(p.split()) >= 2 for p in parts):
        return parts
    return [item]


def find_recipients(lines: list[str], noi_nhan: int | None) -> tuple[list[str], Span | None]:
    for i, line in enumerate(lines[:60]):
        if fold_keep(line).startswith("kinh gui"):
            chunks = [line.split(":", 1)[1] if ":" in line else ""]
            j = i + 1
            while j < len(lines):
                nxt = lines[j]
                if not nxt:
                    j += 1
                    if chunks[-1].strip() or len(chunks) > 1:
                        if j < len(lines) and not re.match(r"^[-–•+]", lines[j]):
                            break
                    continue
                if re.match(r"^[-–•+]\s", nxt) or (not chunks[-1].strip() and len(chunks) == 1):
                    chunks.append(nxt)
                    j += 1
                    continue
                break
            items: list[str] = []
            for item in split_items(" ".join(chunks)):
                if not _SKIP_RECIPIENT.match(item):
                    items.extend(_expand(item))
            return items, (i, 0, len(line))
    if noi_nhan is not None:
        line = lines[noi_nhan]
        chunks = [line.split(":", 1)[1] if ":" in line else ""]
        j = noi_nhan + 1
        while j < len(lines) and (re.match(r"^[-–•+]\s", lines[j]) or not lines[j]):
            chunks.append(lines[j])
            j += 1
        items = []
        for chunk in chunks:
            for item in split_items(chunk):
                if chunk.lstrip().startswith("+") or _SKIP_RECIPIENT.match(item):
                    continue
                item = _TITLES.sub("", item).strip(" ;,.")
                if item and not (item.isupper() and len(item) > 3):
                    items.append(item)
        return items, (noi_nhan, 0, len(line))
    return [], None


def find_references(lines: list[str], own: str | None) -> list[str]:
    order: list[str] = []
    dates: dict[str, list[str]] = {}
    for line in lines:
        for m in _REF.finditer(line):
            number = m.group(1).rstrip(".-")
            if own and number == own:
                continue
            if number not in dates:
                order.append(number)
                dates[number] = []
            d = m.group(2)
            if d:
                dm = re.match(r"(\d{1,2}) tháng (\d{1,2}) năm (\d{4})", d)
                if dm:
                    d = f"{int(dm.group(1)):02d}/{int(dm.group(2)):02d}/{dm.group(3)}"
                if d not in dates[number]:
                    dates[number].append(d)
        for m in _LAW.finditer(line):
            law = m.group(0)
            key = fold_keep(law)
            if key not in {fold_keep(k) for k in order}:
                order.append(law)
                dates[law] = []
    out: list[str] = []
    for number in order:
        if dates[number]:
            out.extend(f"{number} ngày {d}" for d in dates[number])
        else:
            out.append(number)
    return out
