"""Commune profiles (set, region or group, planned year per year) and recognition decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import CommuneProfile, CriteriaSet, Recognition, Unit, natural_id
from ntm_desktop.services.criteria import catalogue, periods
from ntm_desktop.services.criteria.statuses import COMMUNE_LEVELS, RECOGNITION_LABELS
from ntm_desktop.services.field_limits import check_fields
from ntm_desktop.text import nfc
from ntm_desktop.services import access
from ntm_desktop.services.access import Permission


@dataclass(frozen=True)
class RecognitionRow:
    id: str
    unit_id: str
    level: str
    decision_number: str
    decision_date: date
    revoked_number: str
    revoked_date: date | None
    note: str
    set_id: str | None = None
    set_name: str = ""  # the set the commune was recognised under

    @property
    def label(self) -> str:
        return RECOGNITION_LABELS.get(self.level, self.level)

    def in_force(self, on: date) -> bool:
        return self.decision_date <= on and not (self.revoked_date and self.revoked_date <= on)


def require_commune(session: Session, unit_id: str) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise ValidationError("Không tìm thấy đơn vị (có thể đã bị xóa).")
    if unit.level_code not in COMMUNE_LEVELS:
        raise ValidationError(
            f"“{unit.name}” không phải là đơn vị cấp xã (xã, phường, đặc khu) nên không đánh giá "
            "theo bộ tiêu chí xã nông thôn mới."
        )
    return unit


def require_year_in_set(criteria_set: CriteriaSet, year: int) -> None:
    start, end = criteria_set.period_start, criteria_set.period_end
    if (start and year < start) or (end and year > end):
        raise ValidationError(
            f"Năm {year} nằm ngoài giai đoạn {start}-{end} của “{criteria_set.name}”. "
            "Hãy chọn bộ tiêu chí của giai đoạn có năm này."
        )


def get_profile(session: Session, unit_id: str, year: int) -> CommuneProfile | None:
    found = session.get(CommuneProfile, natural_id("commune_profile", unit_id, year))
    return None if found is None or found.deleted else found


def save_profile(session: Session, unit_id: str, year: int, set_id: str | None = None, target_key: str = "",
                 planned_year: int | None = None, note: str = "") -> CommuneProfile:
    """Create or update the commune's profile for `year` (the set defaults to the year's national set)."""
    access.require(session, Permission.CRITERIA)
    return _save_profile(session, unit_id, year, set_id, target_key, planned_year, note)


def _save_profile(session: Session, unit_id: str, year: int, set_id: str | None = None, target_key: str = "",
                  planned_year: int | None = None, note: str = "") -> CommuneProfile:
    unit = require_commune(session, unit_id)
    note = nfc(note or "").strip()
    check_fields(CommuneProfile, {"year": year, "planned_year": planned_year, "note": note,
                                  "target_key": nfc(target_key or "").strip()})
    if set_id:
        criteria_set = catalogue.get_set(session, set_id)
    else:
        catalogue.install_shipped_sets(session)
        criteria_set = catalogue.set_for_year(session, year)
        if criteria_set is None:
            raise ValidationError(f"Chưa có bộ tiêu chí xã nông thôn mới cho năm {year}.")
    require_year_in_set(criteria_set, year)
    target_key = nfc(target_key or "").strip()
    if target_key and criteria_set.target_keys and target_key not in criteria_set.target_keys:
        raise ValidationError(
            f"“{target_key}” không có trong danh sách vùng/nhóm xã của bộ tiêu chí: "
            + "; ".join(criteria_set.target_keys) + ".", "target_key"
        )
    profile = session.get(CommuneProfile, natural_id("commune_profile", unit_id, year))
    if profile is None:
        profile = CommuneProfile(id=natural_id("commune_profile", unit_id, year), unit_id=unit_id, year=year,
                                 owner_unit_id=unit.owner_unit_id or unit.id)
        session.add(profile)
    profile.deleted = False
    profile.set_id = criteria_set.id
    profile.target_key = target_key
    profile.planned_year = planned_year
    profile.note = note
    session.flush()
    return profile


def ensure_profile(session: Session, unit_id: str, year: int) -> CommuneProfile:
    """The commune's profile for `year`, carried over from the year before or made with defaults."""
    profile = get_profile(session, unit_id, year)
    if profile is not None:
        return profile
    before = get_profile(session, unit_id, year - 1)
    if before is not None:
        same_set = session.get(CriteriaSet, before.set_id)
        inside = same_set.period_end is None or same_set.period_end >= year
        return _save_profile(session, unit_id, year, before.set_id if inside else None,
                             before.target_key if inside else "", before.planned_year)
    return _save_profile(session, unit_id, year)  # reading a year's grid starts its profile, whoever reads


def recognition_set(session: Session, level: str, decision_date: date) -> CriteriaSet | None:
    """The set a recognition is made under: the one in force on the decision's day (a decision of January
    2026 on the 2025 results is still under the 2021-2025 set when the new one takes effect in February)."""
    tier = "nang_cao" if level in ("nang_cao", "kieu_mau") else "ntm"
    return (periods.set_in_force_on(session, decision_date, tier)
            or periods.set_in_force_on(session, decision_date, "ntm"))


def add_recognition(session: Session, unit_id: str, level: str, decision_number: str, decision_date: date,
                    note: str = "", set_id: str | None = None) -> str:
    access.require(session, Permission.RECOGNITION)
    unit = require_commune(session, unit_id)
    if level not in RECOGNITION_LABELS:
        raise ValidationError("Hãy chọn mức công nhận: nông thôn mới, nâng cao hoặc kiểu mẫu.", "level")
    number = nfc(decision_number or "").strip()
    if not number:
        raise ValidationError("Hãy nhập số quyết định công nhận.", "decision_number")
    if decision_date is None:
        raise ValidationError("Hãy nhập ngày quyết định công nhận.", "decision_date")
    note = nfc(note or "").strip()
    check_fields(Recognition, {"decision_number": number, "decision_date": decision_date, "note": note})
    if set_id:
        catalogue.get_set(session, set_id)
    else:
        catalogue.install_shipped_sets(session)
        found = recognition_set(session, level, decision_date)
        set_id = found.id if found else None
    recognition = Recognition(unit_id=unit_id, level=level, decision_number=number, decision_date=decision_date,
                              note=note, owner_unit_id=unit.owner_unit_id or unit.id,
                              set_id=set_id)
    session.add(recognition)
    session.flush()
    return recognition.id


def revoke_recognition(session: Session, recognition_id: str, revoked_number: str, revoked_date: date) -> None:
    access.require(session, Permission.RECOGNITION)
    recognition = session.get(Recognition, recognition_id)
    if recognition is None or recognition.deleted:
        raise ValidationError("Không tìm thấy quyết định công nhận.")
    number = nfc(revoked_number or "").strip()
    if not number or revoked_date is None:
        raise ValidationError("Hãy nhập số và ngày của quyết định thu hồi.", "revoked_number")
    check_fields(Recognition, {"revoked_number": number, "revoked_date": revoked_date})
    if revoked_date < recognition.decision_date:
        raise ValidationError("Ngày thu hồi không thể trước ngày quyết định công nhận.", "revoked_date")
    recognition.revoked_number = number
    recognition.revoked_date = revoked_date


def recognitions(session: Session, unit_ids: list[str] | None = None) -> list[RecognitionRow]:
    query = (select(Recognition, CriteriaSet.name).outerjoin(CriteriaSet, CriteriaSet.id == Recognition.set_id)
             .where(Recognition.deleted.is_(False)))
    if unit_ids is not None:
        query = query.where(Recognition.unit_id.in_(unit_ids))
    return [RecognitionRow(id=r.id, unit_id=r.unit_id, level=r.level, decision_number=r.decision_number,
                           decision_date=r.decision_date, revoked_number=r.revoked_number,
                           revoked_date=r.revoked_date, note=r.note, set_id=r.set_id, set_name=set_name or "")
            for r, set_name in session.execute(query.order_by(Recognition.decision_date))]


def current_recognition(rows: list[RecognitionRow], on: date) -> RecognitionRow | None:
    """The highest-ranked recognition in force on `on` (kiểu mẫu > nâng cao > NTM)."""
    rank = {"ntm": 1, "nang_cao": 2, "kieu_mau": 3}
    live = [r for r in rows if r.in_force(on)]
    return max(live, key=lambda r: (rank.get(r.level, 0), r.decision_date), default=None)
