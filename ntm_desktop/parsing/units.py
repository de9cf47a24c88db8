"""Unit names: recognise them at the start of an instruction, normalise and match them.

Unit names are compared on a canonical folded form where the usual
abbreviations are expanded (UBND, Sở NN&PTNT, VPĐP NTM, BCĐ, MTQG ...),
"Uỷ"/"Ủy" fold to the same letters and "Giao"/"Đề nghị" prefixes are dropped.
"""

from __future__ import annotations

import re

from ntm_desktop.parsing.cleaning import fold_keep

# Abbreviations expanded on the folded form (order matters: longer first).
_ABBREVIATIONS: list[tuple[str, str]] = [
    (r"\bnn\s*&\s*ptnt\b|\bnn\s*va\s*ptnt\b|\bnong nghiep va ptnt\b", "nong nghiep va phat trien nong thon"),
    (r"\bnn\s*&\s*mt\b|\bnn\s*va\s*mt\b", "nong nghiep va moi truong"),
    (r"\bkh\s*&\s*dt\b|\bkh\s*va\s*dt\b|\bkhdt\b", "ke hoach va dau tu"),
    (r"\bld\s*-?\s*tb\s*&\s*xh\b|\bldtbxh\b", "lao dong - thuong binh va xa hoi"),
    (r"\bvh\s*,?\s*tt\s*(?:&|va)\s*dl\b|\bvhttdl\b|\bvan hoa tt va dl\b", "van hoa, the thao va du lich"),
    (r"\bgtvt\b|\bgiao thong vt\b", "giao thong van tai"),
    (r"\btn\s*&\s*mt\b|\btnmt\b", "tai nguyen va moi truong"),
    (r"\bkh\s*&\s*cn\b|\bkhcn\b", "khoa hoc va cong nghe"),
    (r"\bubnd\b", "uy ban nhan dan"),
    (r"\bhdnd\b", "hoi dong nhan dan"),
    (r"\bmttq\b", "mat tran to quoc"),
    (r"\bvpdp\b", "van phong dieu phoi"),
    (r"\bvp\b", "van phong"),
    (r"\bbcd\b", "ban chi dao"),
    (r"\bbql\b|\bban ql\b", "ban quan ly"),
    (r"\bqlda\b", "quan ly du an"),
    (r"\bntm\b", "nong thon moi"),
    (r"\bmtqg\b", "muc tieu quoc gia"),
    (r"\bct\b(?= muc tieu quoc gia)", "chuong trinh"),
    (r"\bqs\b", "quan su"),
    (r"\bca\b(?= tinh| huyen)", "cong an"),
    (r"\btp\b", "thanh pho"),
    (r"\btx\b", "thi xa"),
]
_ABBREVIATIONS_RE = [(re.compile(p), r) for p, r in _ABBREVIATIONS]
_PREFIX = re.compile(r"^(?:giao (?:cho )?|de nghi |yeu cau |doi voi |rieng |dong chi |d/c )+")
_NOISE = re.compile(r"[^\w&,\- ]+")


def canonical(name: str | None) -> str:
    """Folded, abbreviation-expanded, punctuation-light form used for comparisons."""
    if not name:
        return ""
    text = fold_keep(name)
    text = _NOISE.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip(" ,-")
    for pattern, repl in _ABBREVIATIONS_RE:
        text = pattern.sub(repl, text)
    text = _PREFIX.sub("", text)
    text = re.sub(r"\s*,\s*", ", ", text)
    text = re.sub(r"\s+", " ", text).strip(" ,-:;.")
    return text


def _tokens(text: str) -> set[str]:
    return {t for t in re.split(r"[\s,]+", text) if t and t not in {"va", "cac", "&"}}


def match_unit(name: str | None, known_units: list[tuple[str, str]] | None) -> str | None:
    """Return the id of the known unit `name` refers to, or None (propose a new unit).

    Exact canonical equality wins; otherwise a unit whose canonical name equals
    the name without a trailing level word ("tỉnh") or vice versa; otherwise
    the best token overlap when it is unambiguous and nearly complete.
    """
    if not name or not known_units:
        return None
    target = canonical(name)
    if not target:
        return None
    canon = [(uid, canonical(full)) for uid, full in known_units]
    for uid, c in canon:
        if c == target:
            return uid
    stripped = re.sub(r" (tinh|huyen|xa|thanh pho)$", "", target)
    for uid, c in canon:
        if re.sub(r" (tinh|huyen|xa|thanh pho)$", "", c) == stripped:
            return uid
    want = _tokens(target)
    scores: dict[str, float] = {}  # a unit known by several names (short, old) counts once, by its best
    for uid, c in canon:
        have = _tokens(c)
        if not have:
            continue
        inter = len(want & have)
        scores[uid] = max(scores.get(uid, 0.0), inter / max(len(want | have), 1))
    best = sorted(((score, uid) for uid, score in scores.items()), reverse=True)
    if best and best[0][0] >= 0.8 and (len(best) == 1 or best[1][0] < best[0][0]):
        return best[0][1]
    return None


# --- Recognising a unit name at the start of a sentence -------------------------------

# Words a unit name can start with (folded, multi-word allowed).
_HEADS = (
    "uy ban nhan dan", "ubnd", "so", "cac so", "ban", "van phong", "vpdp", "cong an", "bo chi huy", "thanh tra",
    "thue", "cuc", "chi cuc", "trung tam", "phong", "hoi", "doan", "mat tran", "cong ty", "tinh doan",
    "cac co quan", "co quan", "cac don vi", "don vi", "cac thanh vien", "thanh vien", "cac ban", "cac nganh",
    "cac to chuc", "giam doc", "thu truong", "chu tich", "nguoi dung dau", "dai phat thanh",
    "kho bac", "ngan hang", "bcd", "ban chi dao", "hdnd", "lien doan", "hoi dong", "cac dia phuong",
    "dia phuong", "cac huyen", "huyen", "cac xa", "xa", "phuong", "cac phuong", "thi xa", "thanh pho",
    "bo", "cac bo", "chinh quyen", "truong", "vien", "benh vien", "ban quan ly", "cac ban quan ly",
    "dang uy", "tinh uy", "huyen uy", "cac chu dau tu", "chu dau tu",
    # A commune's own: its officers, its health station, the Front, the villages and their heads.
    "cong chuc", "cac cong chuc", "tram", "uy ban mat tran", "mat tran to quoc", "thon", "cac thon",
    "truong thon", "truong cac thon", "ban nhan dan thon", "ban nhan dan cac thon", "hop tac xa", "cac hop tac xa",
    "cac doan the", "bi thu chi bo",
)
_HEAD_RE = re.compile(r"^(?:" + "|".join(sorted((re.escape(h) for h in _HEADS), key=len, reverse=True)) + r")\b")

# Lower-case words that start the predicate and so end the unit name.
_STOPS = (
    "chu tri", "phoi hop", "chu dong", "tang cuong", "nghien cuu", "to chuc", "thuc hien", "tiep tuc",
    "khan truong", "ra soat", "tham muu", "huong dan", "day nhanh", "day manh", "tap trung", "trien khai",
    "chiu trach nhiem", "can cu", "lanh dao", "chi dao", "kiem tra", "theo doi", "theo", "duoc", "can",
    "phai", "de", "la co quan", "tim kiem", "de xuat", "bao cao", "tong hop", "quan ly", "thong bao",
    "phan cong", "huy dong", "ban hanh", "cap nhat", "khan", "sam", "nghiem tuc", "thuong xuyen", "tham dinh",
    "dinh ky", "hang nam", "hang quy", "hang thang", "hang nam", "hang quy", "hang thang", "tuyen truyen",
    "quan triet", "rà soát", "xu ly", "giai quyet", "bo tri", "can doi", "dam bao", "bao dam", "lap",
    "xay dung ke hoach", "xay dung phuong an", "xay dung lo trinh", "uu tien", "quyet liet", "nhanh chong",
    "som", "kip thoi", "hoan thanh", "hoan thien", "gui", "phat huy", "nang cao",
    "cung co", "duy tri", "giam sat", "don doc", "tiep nhan", "phoi hop voi", "thuc hien nghiem",
    "trong", "tai", "tren", "voi", "ve", "nham", "neu", "khi", "sau khi", "truoc", "cung", "dong thoi",
    "co trach nhiem", "co giai phap", "co ke hoach", "co y kien", "co van ban", "chuan bi",
    "tiep thu", "ghi nhan", "nhat tri", "thong nhat", "dong y", "xac dinh", "danh gia", "yeu cau", "de nghi", "nghien", "quyet dinh", "thanh lap",
)
_STOP_RE = re.compile(r"^(?:" + "|".join(sorted((re.escape(s) for s in set(_STOPS)), key=len, reverse=True)) + r")\b")
_GROUP_CONT = re.compile(
    r"^(?:cac |va )?(?:so|ban|nganh|doan the|dia phuong|don vi|co quan|thanh pho|thi xa|huyen|xa|phuong|"
    r"thi tran|uy ban|ubnd|cong an|bo|thanh vien|to chuc|hoi|doanh nghiep|chinh quyen|chu tich|thu truong|"
    r"nguoi dung dau|giam doc|van phong|thue|thanh tra|cuc|trung tam|mat tran|dia phuong)\b"
)


# Generic head words that name a unit only before a proper name ("Sở Tài chính", not "bảo đảm").
_NEED_CAP = {"so", "ban", "phong", "cuc", "chi cuc", "hoi", "doan", "bo", "truong", "vien", "trung tam", "cong ty",
             "huyen", "xa", "phuong", "thanh pho", "thi xa", "thue", "thanh tra", "benh vien", "dai phat thanh",
             "cong chuc", "tram", "thon", "hop tac xa"}
_NAME_LIST = re.compile(r":\s*[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?: (?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*|\d+))*(?:(?:,| và) [A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?: (?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*|\d+))*)*")


def unit_chain(text: str) -> tuple[int, int] | None:
    """Like unit_at_start, but follows "; " to further units ("Thủ trưởng ...; Chủ tịch ...")."""
    first = unit_at_start(text)
    if not first:
        return None
    start, end = first
    while end < len(text) and text[end] == ";":
        nxt = unit_at_start(text[end + 1:].lstrip())
        if not nxt:
            break
        skip = len(text[end + 1:]) - len(text[end + 1:].lstrip())
        if nxt[0] != 0:
            break
        end = end + 1 + skip + nxt[1]
    return start, end


def unit_at_start(text: str) -> tuple[int, int] | None:
    """Span (start, end) of the unit name that `text` starts with, or None.

    Leading "Giao", "Đề nghị", "Đối với", "Riêng" are skipped. The name runs
    until a lower-case predicate word ("chủ trì", "tăng cường", "theo", ...),
    a colon, a semicolon or an opening parenthesis. "có ..." belongs to the name
    only after a group ("Các sở, ngành có Chương trình chuyên đề").
    """
    folded = fold_keep(text)
    start = 0
    m = re.match(r"(?:(?:giao(?: cho)?|de nghi|yeu cau|doi voi|rieng|dong thoi,?)\s+)+", folded)
    if m:
        start = m.end()
    hm = _HEAD_RE.match(folded[start:])
    if not hm:
        return None
    if hm.group(0) in _NEED_CAP:
        nxt = text[start + hm.end():].lstrip()
        if not nxt[:1].isupper() and not re.match(r"(tinh|huyen|xa|phuong|thanh pho|thi xa)\b", fold_keep(nxt)):
            return None
    pos = start
    end = start
    n = len(text)
    words = 0
    prev_word = ""
    while pos < n:
        ch = text[pos]
        if ch == ":" and re.search(r"\bcac (?:phuong|xa|huyen|so|tinh|thanh pho|don vi)\s*$", folded[start:pos]):
            lm = _NAME_LIST.match(text, pos)
            if lm:
                end = pos = lm.end()
                continue
        if ch in ":;(\n":
            break
        if ch == "," or ch == " ":
            pos += 1
            continue
        # At a word start.
        rest = folded[pos:]
        word_end = pos
        while word_end < n and not text[word_end].isspace() and text[word_end] not in ",:;(":
            word_end += 1
        if words > 0 and text[pos].islower() and prev_word not in ("cac", "va", "nhung", "-", "co"):
            if text[pos - 1] == "," or (pos >= 2 and text[pos - 2] == ","):
                if not _GROUP_CONT.match(rest):
                    break
            if rest.startswith("co ") or rest.startswith("co,"):
                if "cac " not in folded[start:pos] and not folded[start:pos].startswith("cac"):
                    break
            else:
                sm = _STOP_RE.match(rest)
                if sm and not (sm.group(0) == "de" and text[pos:pos + 2] != "để"):
                    break
            if rest.startswith("nhu sau"):
                break
        if words > 0 and text.startswith("Các ", pos) and text[pos - 1] != "(":
            break  # "… tỉnh Các sở, ngành …": a capital "Các" starts the next name (cells side by side, run together)
        if text[pos].isdigit() and words > 0 and not folded[max(start, pos - 3):pos].strip().endswith("so"):
            # "Ban Quản lý dự án ... số 1" keeps its number; other numbers end the name.
            break
        words += 1
        prev_word = folded[pos:word_end]
        end = word_end
        pos = word_end
        if words > 30:
            break
    if end <= start:
        return None
    name = text[start:end].rstrip(" ,.-–")
    if len(name) < 3:
        return None
    return start, start + len(name)
