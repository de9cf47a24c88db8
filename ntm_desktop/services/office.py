"""This office as printed documents name it: header, place, signature block, "Nơi nhận".

Stored as one JSON setting; until the user edits it, defaults are derived from
the office unit and its parent in the unit tree.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields

from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Unit
from ntm_desktop.services import settings
from ntm_desktop.text import nfc

PROFILE_KEY = "office_profile"
_BLANK_NUMBER = "\u00a0" * 8  # a draft leaves the number for the clerk

_BODY_PREFIX = re.compile(
    r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd|hội đồng nhân dân|văn phòng|sở|phòng|ban)\s+"
    r"(tỉnh|thành phố|huyện|thị xã|quận|xã|phường|thị trấn|đặc khu)?\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class OfficeProfile:
    office_name: str = ""  # issuing body, printed upper case bold
    parent_name: str = ""  # parent body, printed upper case regular
    place_name: str = ""  # "Lào Cai" in "Lào Cai, ngày 05 tháng 01 năm 2026"
    signing_form: str = ""  # "KT. CHÁNH VĂN PHÒNG" (empty when the head signs)
    signer_title: str = ""  # "PHÓ CHÁNH VĂN PHÒNG"
    signer_name: str = ""
    report_symbol: str = ""  # "BC-VPĐP" in "Số: 12/BC-VPĐP"
    recipients: tuple[str, ...] = field(default_factory=tuple)  # "Nơi nhận" lines, "Lưu" last
    archive_line: str = "Lưu: VT."

    def number_line(self, number: str = "") -> str:
        """'Số: 12/BC-VPĐP', or 'Số:      /BC-VPĐP' for a draft awaiting its number."""
        number = number.strip()
        if number.isdigit() and len(number) == 1:
            number = f"0{number}"
        number = number or _BLANK_NUMBER
        return f"Số: {number}/{self.report_symbol}" if self.report_symbol else f"Số: {number}"

    def recipient_lines(self) -> list[str]:
        lines = [f"- {r.lstrip('- ').strip()}" for r in self.recipients if r.strip()]
        lines = [line if line.endswith((";", ".")) else f"{line};" for line in lines]
        return [*lines, f"- {self.archive_line.lstrip('- ').strip()}"]


def place_of(name: str) -> str:
    """'Ủy ban nhân dân tỉnh Lào Cai' -> 'Lào Cai'."""
    return _BODY_PREFIX.sub("", nfc(name).strip()).strip()


# Where an issuing body's own name ends and its place begins: "Ủy ban nhân dân | xã Mường Bo", "Văn phòng Điều
# phối | nông thôn mới tỉnh Lào Cai" (the programme's name is not part of the symbol: "BC-VPĐP").
_PLACE_WORDS = {"tỉnh", "huyện", "xã", "phường", "quận", "ntm"}
_PLACE_PAIRS = {("thành", "phố"), ("thị", "xã"), ("thị", "trấn"), ("đặc", "khu"), ("nông", "thôn")}
_LINKING_WORDS = {"và", "các", "của", "về"}  # not written in a symbol: "Sở Nông nghiệp và Môi trường" -> SNNMT


def issuer_symbol(name: str) -> str:
    """The body's part of a document symbol (ký hiệu viết tắt của cơ quan ban hành), as Vietnamese symbols are
    written: the capital initials of its name without tone or vowel marks, Đ kept as a letter of its own, the
    place and linking words left out, an abbreviation already written kept whole.

    "Ủy ban nhân dân xã Mường Bo" -> "UBND"; "Văn phòng Điều phối nông thôn mới tỉnh Lào Cai" -> "VPĐP";
    "Sở Nông nghiệp và Môi trường" -> "SNNMT"; "Ban Chỉ đạo" -> "BCĐ"; "UBND xã Yên Bình" -> "UBND"."""
    words = [w for w in re.split(r"[\s,;()–-]+", nfc(name).strip()) if w[:1].isalpha()]
    letters = []
    for i, word in enumerate(words):
        lower = word.lower()
        following = words[i + 1].lower() if i + 1 < len(words) else ""
        if lower in _PLACE_WORDS or (lower, following) in _PLACE_PAIRS:
            break
        if lower in _LINKING_WORDS:
            continue
        if len(word) > 1 and word.isupper():  # "UBND", "HĐND", "VPĐP"
            letters.append(_plain_capitals(word))
        else:
            letters.append(_plain_capitals(word[0]))
    return "".join(letters) or "VP"


def _plain_capitals(text: str) -> str:
    """Upper case without tone or vowel marks ("Ủ" -> "U", "Ơ" -> "O"); Đ stays Đ (a letter, not a mark)."""
    out = []
    for ch in text.upper():
        if ch == "Đ":
            out.append(ch)
        else:
            out.append(unicodedata.normalize("NFD", ch)[0])
    return "".join(out)


_COMMUNE_LEVELS = ("xa", "phuong", "dac_khu", "thi_tran")


def default_profile(session: Session) -> OfficeProfile:
    office_id = settings.office_unit_id(session)
    office = session.get(Unit, office_id) if office_id else None
    if office is None:
        return OfficeProfile(report_symbol="BC")
    parent = office.parent
    parent_label = (parent.short_name or parent.name) if parent else ""
    # Địa danh: where the issuing body sits. A commune's People's Committee writes its commune; a provincial
    # body (a department, the coordination office) its province, the place of the body above it.
    own_place = office.level_code in _COMMUNE_LEVELS and place_of(office.name) != nfc(office.name).strip()
    place = place_of(office.name) if own_place or not parent else place_of(parent.name)
    head = "CHÁNH VĂN PHÒNG" if office.name.lower().startswith("văn phòng") else "THỦ TRƯỞNG ĐƠN VỊ"
    return OfficeProfile(
        office_name=office.name,
        parent_name=parent_label,
        place_name=place,
        signing_form=f"KT. {head}",
        signer_title=f"PHÓ {head}",
        report_symbol=f"BC-{issuer_symbol(office.name)}",
        recipients=(f"{parent_label} (để b/c)" if parent_label else "Lãnh đạo đơn vị (để b/c)",),
    )


def load_profile(session: Session) -> OfficeProfile:
    raw = settings.get(session, PROFILE_KEY)
    base = default_profile(session)
    if not raw:
        return base
    try:
        stored = json.loads(raw)
    except ValueError:
        return base
    known = {f.name for f in fields(OfficeProfile)}
    values = {k: v for k, v in stored.items() if k in known}
    if "recipients" in values:
        values["recipients"] = tuple(values["recipients"] or ())
    return OfficeProfile(**{**asdict(base), **values})


def validate(profile: OfficeProfile) -> OfficeProfile:
    cleaned = {
        k: (nfc(v).strip() if isinstance(v, str) else v) for k, v in asdict(profile).items()
    }
    cleaned["recipients"] = tuple(nfc(r).strip() for r in profile.recipients if r and r.strip())
    if not cleaned["office_name"]:
        raise ValidationError("Hãy nhập tên cơ quan ban hành báo cáo.", "office_name")
    if not cleaned["place_name"]:
        raise ValidationError("Hãy nhập địa danh ghi ở dòng “…, ngày … tháng … năm …”.", "place_name")
    if any(ch in cleaned["report_symbol"] for ch in " \t\n"):
        raise ValidationError("Ký hiệu báo cáo không được có dấu cách (ví dụ BC-VPĐP).", "report_symbol")
    for key, limit in (("office_name", 200), ("parent_name", 200), ("signer_name", 100)):
        if len(cleaned[key]) > limit:
            raise ValidationError(f"Nội dung quá dài (tối đa {limit} ký tự).", key)
    return OfficeProfile(**cleaned)


def save_profile(session: Session, profile: OfficeProfile) -> OfficeProfile:
    from ntm_desktop.services import access

    access.require(session, access.Permission.SETTINGS)
    profile = validate(profile)
    data = asdict(profile)
    data["recipients"] = list(profile.recipients)
    settings.put(session, PROFILE_KEY, json.dumps(data, ensure_ascii=False))
    return profile


# --- First start by hand: this installation's office, under its parent -----------------------------------------

# Levels an office may have with no unit above it in the tree.
_TOP_LEVELS = ("tinh", "khac")
# Offered for a new office; district levels are gone since the 2025 reform (kept in the tree as history).
_RETIRED_LEVELS = ("huyen",)


@dataclass(frozen=True)
class NewUnit:
    code: str
    name: str
    level_code: str


def office_levels(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the levels a new office can have, commune first."""
    from ntm_desktop.services import units

    found = [(lv.code, lv.name) for lv in units.levels(session) if lv.code not in _RETIRED_LEVELS]
    return sorted(found, key=lambda item: item[0] != "xa")


def set_up_by_hand(session: Session, *, unit_id: str | None = None, office: NewUnit | None = None,
                   parent_id: str | None = None, new_parent: NewUnit | None = None) -> str:
    """Make a unit of the tree this installation's office, or create it (and its parent) first.

    All in the caller's transaction: an error leaves nothing behind. Returns the office unit's id."""
    from ntm_desktop.models import UnitLevel
    from ntm_desktop.services import access, units

    access.require(session, access.Permission.SETTINGS)
    if unit_id is None:
        if office is None:
            raise ValidationError("Hãy chọn một đơn vị trong danh sách, hoặc tạo đơn vị mới.", "unit")
        if new_parent is not None:
            if nfc(new_parent.code).strip().upper() == nfc(office.code).strip().upper():
                raise ValidationError("Đơn vị cấp trên phải có mã khác mã của đơn vị mình.", "parent")
            parent_id = units.create_unit(session, code=new_parent.code, name=new_parent.name,
                                          level_code=new_parent.level_code, as_part_of=access.Permission.SETTINGS)
        if parent_id is None and office.level_code not in _TOP_LEVELS:
            raise ValidationError(
                "Hãy chọn đơn vị cấp trên (ví dụ Ủy ban nhân dân tỉnh Lào Cai), hoặc bấm “Tạo đơn vị cấp trên…” "
                "nếu danh sách chưa có: dữ liệu cấp trên gửi xuống được xếp theo cây đơn vị.", "parent")
        if parent_id is not None:
            parent_level = session.get(Unit, parent_id).level
            own_level = session.get(UnitLevel, office.level_code)
            if parent_level and own_level and parent_level.rank >= own_level.rank:
                raise ValidationError(
                    f"Đơn vị cấp trên phải ở cấp cao hơn đơn vị mình (đang chọn cấp “{parent_level.name}” làm cấp "
                    f"trên của cấp “{own_level.name}”). Hãy chọn lại đơn vị cấp trên.", "parent")
        unit_id = units.create_unit(session, code=office.code, name=office.name, level_code=office.level_code,
                                    parent_id=parent_id, as_part_of=access.Permission.SETTINGS)
    elif session.get(Unit, unit_id) is None:
        raise ValidationError("Không tìm thấy đơn vị đã chọn (có thể đã bị xóa).", "unit")
    settings.put(session, settings.OFFICE_UNIT, unit_id)
    return unit_id
