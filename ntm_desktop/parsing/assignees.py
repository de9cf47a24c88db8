"""An assignee as a directive writes it: the units it names and the groups it addresses.

"Sở Tài chính, Sở Kế hoạch và Đầu tư" names two units. "Các sở, ban, ngành",
"UBND các xã, phường" and "Ủy ban nhân dân huyện, thành phố" address every unit
of a kind: a `Group` with the unit levels it covers. "các cơ quan có liên quan"
or "Các sở, ban, ngành có lãnh đạo là thành viên Ban Chỉ đạo ..." address a subset
no list of units can stand for: a `Group` without levels, kept as wording.
A phrase never becomes one unit named by the whole phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ntm_desktop.parsing.cleaning import fold_keep
from ntm_desktop.parsing.units import unit_at_start
from ntm_desktop.text import nfc

# Level words of a group and the unit levels (codes of unit_levels) they cover.
_LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    "so": ("so",), "ban": (), "nganh": ("so",), "ban nganh": ("so",), "doan the": ("so",),
    "co quan chuyen mon": ("so",), "huyen": ("huyen",), "thi xa": ("huyen",), "thanh pho": ("huyen",),
    "quan": ("huyen",), "xa": ("xa",), "thi tran": ("xa",), "phuong": ("phuong",), "dac khu": ("dac_khu",),
    "cap xa": ("xa", "phuong", "dac_khu"), "cap huyen": ("huyen",), "phong": ("phong",),
    "phong ban": ("phong",), "phong, ban": ("phong",), "dia phuong": ("huyen", "xa", "phuong", "dac_khu"),
}
# Kinds of body no unit level stands for: a group naming them is wording only.
_WORDING_KINDS = (
    "co quan", "don vi", "to chuc", "thanh vien", "chu dau tu", "doanh nghiep", "ca nhan", "hoi", "doan",
    "chinh quyen", "lanh dao", "hop tac xa", "thon",
)
_KIND_RE = re.compile(r"^(?:" + "|".join(sorted(
    (re.escape(k) for k in (*_LEVEL_WORDS, *_WORDING_KINDS)), key=len, reverse=True)) + r")\b")
# Words after the kind that do not narrow the group ("các sở, ngành của tỉnh").
_HARMLESS_TAIL = re.compile(
    r"^(?:(?:cua |thuoc |cap |truc thuoc |tren dia ban )?(?:tinh|huyen|thanh pho|ubnd tinh|uy ban nhan dan tinh)"
    r"(?: [a-z]+)?|truc thuoc|tren dia ban|chuyen mon(?: thuoc [a-z ]+)?)?$"
)
# People who stand for their body ("Thủ trưởng các sở", "Chủ tịch UBND các xã").
_PERSON = r"(?:thu truong|giam doc|chu tich|nguoi dung dau|lanh dao|pho chu tich)\s+"
_PEOPLE_COUNCIL = r"(?:uy ban nhan dan|ubnd)\s+"
_GROUP_START = re.compile(
    rf"^(?:{_PERSON})?(?:{_PEOPLE_COUNCIL})*(?:cac|tat ca cac|toan the)\s+"
    rf"|^(?:{_PERSON})?(?:{_PEOPLE_COUNCIL})+(?:cap (?:xa|huyen)|(?:huyen|xa|phuong|thi xa|thanh pho|thi tran))$"
)
_LEVEL_NAME = r"(?:huyện|xã|phường|thị xã|thành phố|thị trấn|đặc khu|quận)"
_TERRITORIAL = re.compile(rf"^(?P<head>(?P<council>.*?)\b{_LEVEL_NAME}) [A-ZĐÀ-Ỹ]", re.IGNORECASE)
_LEVEL_AND_NAME = re.compile(rf"^{_LEVEL_NAME} [A-ZĐÀ-Ỹ]", re.IGNORECASE)
_PROPER = re.compile(r"^(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)(?: [A-ZĐÀ-Ỹ0-9][\wÀ-ỹ]*){0,3}$")
_NAMED_LIST = re.compile(
    r"^(?P<left>.*?)(?P<head>(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+)?các\s+"
    r"(?P<level>xã|phường|huyện|thị xã|thành phố|thị trấn)\s*:\s*(?P<names>.+)$", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*,\s*|\s+và\s+|\s+cùng\s+")


@dataclass(frozen=True)
class Group:
    """Several units addressed by kind; `levels` empty: a subset that stays as wording."""

    text: str
    levels: tuple[str, ...] = ()

    @property
    def listable(self) -> bool:
        return bool(self.levels)


Part = str | Group


def _is_generic(piece: str) -> bool:
    """"cơ quan liên quan", "địa phương", "đơn vị chức năng": no unit, no kind to list."""
    folded = fold_keep(piece)
    if "lien quan" in folded:
        return True
    kind = _KIND_RE.match(folded)
    if not kind:
        return False
    rest = piece[len(kind.group(0)):].strip()
    return not rest[:1].isupper()


def _group(text: str) -> Group:
    """Levels a group phrase covers, or none when its tail narrows it ("có liên quan", "có cụm công nghiệp")."""
    folded = fold_keep(re.sub(r"\([^)]*\)", " ", text))
    folded = re.sub(rf"^(?:{_PERSON})?(?:{_PEOPLE_COUNCIL})*(?:tat ca |toan the )?(?:cac )?", "", folded).strip()
    levels: list[str] = []
    for piece in re.split(r"\s*,\s*|\s+va\s+", folded):
        piece = re.sub(rf"^(?:{_PERSON})?(?:{_PEOPLE_COUNCIL})*(?:cac )?", "", piece.strip())
        kind = _KIND_RE.match(piece)
        if not kind:
            return Group(text)
        word = kind.group(0)
        if word not in _LEVEL_WORDS or not _HARMLESS_TAIL.match(piece[kind.end():].strip()):
            return Group(text)
        levels += [lv for lv in _LEVEL_WORDS[word] if lv not in levels]
    return Group(text, tuple(levels))  # "ban" alone adds none: "sở, ban, ngành" or "phòng, ban"


def _starts_group(piece: str) -> bool:
    return bool(_GROUP_START.match(fold_keep(piece)))


def _starts_unit(piece: str) -> bool:
    span = unit_at_start(piece)
    return span is not None and span[0] == 0


def _is_continuation(piece: str) -> bool:
    """"ban", "ngành", "đoàn thể tỉnh", "có liên quan": the group's list goes on, or is narrowed.

    Unit names start with a capital ("Ủy ban nhân dân ...", "Ban Quản lý ..."); a
    lower-case piece after a group belongs to it, unless it starts another group.
    """
    return piece[:1].islower() and not fold_keep(piece).startswith("cac ")


def _pieces(segment: str) -> list[tuple[str, str]]:
    """(separator before, piece) at each comma and "và"."""
    out, pos, sep = [], 0, ""
    for m in _SEPARATOR.finditer(segment):
        out.append((sep, segment[pos:m.start()]))
        sep, pos = m.group(0), m.end()
    out.append((sep, segment[pos:]))
    return [(s, p.strip()) for s, p in out if p.strip()]


def _segment_parts(segment: str) -> list[Part]:
    named: list[str] = []
    m = _NAMED_LIST.match(segment)
    if m:  # "UBND các phường: Yên Bái, Văn Phú" -> one unit per name
        head = (m.group("head") or "").strip()
        level = m.group("level")
        for name in (n.strip(" .") for n in _SEPARATOR.split(m.group("names"))):
            if name:
                named.append(" ".join(p for p in (head, level.lower(), name) if p))
        segment = re.sub(r"(?:,|\bvà)\s*$", "", m.group("left").strip()).strip()
    parts: list[Part | list] = []  # a group in progress is a [text] list
    for sep, piece in _pieces(segment):
        last = parts[-1] if parts else None
        if isinstance(last, list) and (_is_continuation(piece) or not (_starts_unit(piece) or _starts_group(piece))):
            last[0] += sep + piece  # the group goes on ("các sở, ban, ngành") or is narrowed ("có liên quan")
        elif _starts_group(piece):
            parts.append([piece])
        elif isinstance(last, str) and _LEVEL_AND_NAME.match(piece) and (t := _TERRITORIAL.match(last)) \
                and t.group("council").strip():
            parts.append(f"{t.group('council').strip()} {piece}")  # "UBND xã Cốc San và xã Hợp Thành"
        elif _starts_unit(piece) and not _is_generic(piece):
            parts.append(piece)
        elif isinstance(last, str):
            territorial = _TERRITORIAL.match(last)
            if territorial and _PROPER.match(piece) and sep.strip() in ("và", ","):
                parts.append(f"{territorial.group('head')} {piece}")  # "UBND huyện Sơn Động và Lục Ngạn"
            else:
                parts[-1] = last + sep + piece  # "Sở Kế hoạch và Đầu tư", "Sở Văn hóa, Thể thao và Du lịch"
        elif _is_generic(piece):
            parts.append([piece])
        else:
            parts.append(piece)  # an unusual name: a unit the officer can review
    out: list[Part] = []
    for part in parts:
        if isinstance(part, list):
            text = part[0].strip(" ,;.")
            out.append(Group(text) if _is_generic(text) and not _starts_group(text) else _group(text))
        else:
            out.append(part.strip(" ,;."))
    return out + named


def split_assignees(text: str | None) -> list[Part]:
    """The units (names) and groups an assignee or cooperating phrase addresses, in the order written."""
    text = (nfc(text) or "").replace("**", "").strip(" ,;.")
    parts: list[Part] = []
    for segment in re.split(r"\s*;\s*", text):
        segment = segment.strip(" ,.")
        if segment:
            for part in _segment_parts(segment):
                if part and part not in parts:
                    parts.append(part)
    return parts


def is_single_unit(text: str | None) -> bool:
    """True when the phrase names exactly one unit (what a unit list may match it to)."""
    parts = split_assignees(text)
    return len(parts) == 1 and isinstance(parts[0], str)
