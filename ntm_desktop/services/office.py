"""This office as printed documents name it: header, place, signature block, "Nơi nhận".

Stored as one JSON setting; until the user edits it, defaults are derived from
the office unit and its parent in the unit tree.
"""

from __future__ import annotations

import json
import re
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


def _initials(name: str) -> str:
    words = [w for w in nfc(name).split() if w[:1].isalpha()]
    stop = {"tỉnh", "huyện", "xã", "phường", "thành", "nông", "thôn", "mới"}
    letters = []
    for w in words:
        if w.lower() in stop:
            break
        letters.append(w[0].upper())
    return "".join(letters) or "VP"


def default_profile(session: Session) -> OfficeProfile:
    office_id = settings.office_unit_id(session)
    office = session.get(Unit, office_id) if office_id else None
    if office is None:
        return OfficeProfile(report_symbol="BC")
    parent = office.parent
    parent_label = (parent.short_name or parent.name) if parent else ""
    place = place_of(parent.name) if parent else place_of(office.name)
    head = "CHÁNH VĂN PHÒNG" if office.name.lower().startswith("văn phòng") else "THỦ TRƯỞNG ĐƠN VỊ"
    return OfficeProfile(
        office_name=office.name,
        parent_name=parent_label,
        place_name=place,
        signing_form=f"KT. {head}",
        signer_title=f"PHÓ {head}",
        report_symbol=f"BC-{_initials(office.name)}",
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
    profile = validate(profile)
    data = asdict(profile)
    data["recipients"] = list(profile.recipients)
    settings.put(session, PROFILE_KEY, json.dumps(data, ensure_ascii=False))
    return profile
