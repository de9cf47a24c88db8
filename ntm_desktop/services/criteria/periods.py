"""Periods of the programme: which set is in force when, its summary bands, and what carries between periods.

All of it is data of the sets (their period, the day they take effect, their bands, the criteria a new
set takes over from the old one), never years written in code. Whatever the data marks as not checked
against the decision is reported with UNCONFIRMED so a screen or a report can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.models import CriteriaSet
from ntm_desktop.services.criteria import catalogue
from ntm_desktop.services.criteria.statuses import bands_for

UNCONFIRMED = "(chưa xác nhận — cập nhật theo bộ tiêu chí của tỉnh)"
COMMUNE_LEVEL_WORDS = ("xã", "xa")


def starts_on(criteria_set: CriteriaSet) -> date | None:
    """The day a set takes effect: its decision's day, else the first day of its period."""
    if criteria_set.in_force_from:
        return criteria_set.in_force_from
    return date(criteria_set.period_start, 1, 1) if criteria_set.period_start else None


def set_in_force_on(session: Session, day: date, tier: str = "ntm") -> CriteriaSet | None:
    """The commune set of `tier` in force on `day`: the one that took effect last, on or before that day
    (a set stays in force until the next one takes effect); the newest version of it."""
    candidates = session.scalars(select(CriteriaSet).where(
        CriteriaSet.deleted.is_(False), CriteriaSet.tier == tier, CriteriaSet.level.in_(COMMUNE_LEVEL_WORDS)))
    dated = [(starts_on(s), s.set_version, s) for s in candidates]
    live = [d for d in dated if d[0] is not None and d[0] <= day]
    return max(live, key=lambda d: (d[0], d[1]))[2] if live else None


def previous_set(session: Session, criteria_set: CriteriaSet) -> CriteriaSet | None:
    """The set of the same tier used in the year before this set's period begins."""
    if not criteria_set.period_start:
        return None
    return catalogue.set_for_year(session, criteria_set.period_start - 1, criteria_set.tier)


def bands_of(criteria_set: CriteriaSet | None, total: int) -> tuple[tuple[str, int], ...]:
    """The set's summary bands (label, fewest criteria met), highest first; scaled from the 19-criteria
    bands when the set's data gives none."""
    raw = (criteria_set.summary_bands if criteria_set is not None else None) or []
    if raw and isinstance(raw, list):
        bands = tuple((str(label), int(lowest)) for label, lowest in raw)
        if bands and bands[-1][1] > 0:
            bands += ((f"Dưới {bands[-1][1]} tiêu chí", 0),)
        return bands
    return bands_for(total or 19)


def band_of(met: int, bands: tuple[tuple[str, int], ...]) -> str:
    for label, lowest in bands:
        if met >= lowest:
            return label
    return bands[-1][0]


def bands_confirmed(criteria_set: CriteriaSet) -> bool:
    """False when the shipped data says the set's bands are the app's own (no report template fixes them)."""
    raw = catalogue.shipped_raw(criteria_set.code).get("summary_bands") or {}
    return bool(raw.get("confirmed", True)) or criteria_set.source != catalogue.SHIPPED_SOURCE


@dataclass(frozen=True)
class MappedCriterion:
    new_code: str
    new_name: str
    old: tuple[tuple[str, str], ...]  # (code, name) of the old criteria it takes over


@dataclass(frozen=True)
class CriteriaMapping:
    old_set_name: str
    new_set_name: str
    rows: tuple[MappedCriterion, ...]
    confirmed: bool
    basis: str

    def old_codes_for(self, new_code: str) -> tuple[str, ...]:
        return next((tuple(c for c, _ in r.old) for r in self.rows if r.new_code == new_code), ())


def mapping_between(session: Session, old_set: CriteriaSet, new_set: CriteriaSet) -> CriteriaMapping:
    """Which old criteria each new criterion takes over, as the data gives it (empty lists where it gives none)."""
    raw = catalogue.shipped_raw(new_set.code).get("carries_from") or {}
    given = raw.get("criteria", {}) if raw.get("set_code") == old_set.code else {}
    old_names = {c.code: c.name for c in catalogue.criteria_of(session, old_set.id)}
    rows = tuple(
        MappedCriterion(c.code, c.name, tuple((code, old_names[code]) for code in given.get(c.code, [])
                                              if code in old_names))
        for c in catalogue.criteria_of(session, new_set.id)
    )
    return CriteriaMapping(old_set_name=old_set.name, new_set_name=new_set.name, rows=rows,
                           confirmed=bool(raw.get("confirmed", False)) and bool(given),
                           basis=raw.get("basis", "") if given else "Dữ liệu không có bảng ghép tiêu chí giữa hai bộ.")


def set_notes(session: Session, criteria_set: CriteriaSet) -> list[str]:
    """What the data of this set does not hold yet, in the words a screen shows."""
    notes = []
    declared = criteria_set.indicator_count
    listed = len(catalogue.indicators_of(session, criteria_set.id))
    if declared and listed < declared:
        held = f"dữ liệu mới có {listed}" if listed else "dữ liệu chưa có danh sách chỉ tiêu và mức chỉ tiêu"
        notes.append(f"Bộ tiêu chí có {declared} chỉ tiêu; {held} {UNCONFIRMED}: nhập tệp bộ tiêu chí của tỉnh "
                     "ở “Bộ tiêu chí…”. Trong khi chờ, trạng thái từng tiêu chí được chọn trực tiếp.")
    unconfirmed = sum(1 for i in catalogue.indicators_of(session, criteria_set.id) if not i.confirmed)
    if unconfirmed:
        notes.append(f"{unconfirmed} chỉ tiêu có nội dung hoặc mức chỉ tiêu chưa xác nhận {UNCONFIRMED}.")
    if not bands_confirmed(criteria_set):
        notes.append("Các nhóm tổng hợp theo số tiêu chí đạt của bộ này do phần mềm đặt (chưa có mẫu báo cáo quy định).")
    return notes
