"""The catalogue of criteria sets: the shipped national sets, versions, the set for a year, edits.

A set is versioned data: importing a province's file for a code that exists
makes a new version with its own criteria and indicators, so assessments made
under the old version keep pointing at the criteria they were made against.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import CriteriaSet, Criterion, Indicator, natural_id
from ntm_desktop.resources import resource
from ntm_desktop.text import fold, nfc
from ntm_desktop.services import access
from ntm_desktop.services.access import Permission

SHIPPED_FILE = ("criteria", "criteria-sets.json")
SHIPPED_SOURCE = "Dữ liệu quốc gia kèm phần mềm"
TIER_LABELS = {"ntm": "Nông thôn mới", "nang_cao": "Nông thôn mới nâng cao", "kieu_mau": "Nông thôn mới kiểu mẫu"}


@dataclass
class IndicatorDef:
    code: str
    name: str
    unit_of_measure: str = ""
    kind: str = "number"  # number / text
    comparison: str = ">="
    targets: dict = field(default_factory=dict)
    confirmed: bool = True  # False: text or targets not checked against the decision or the province's set


@dataclass
class CriterionDef:
    code: str
    number: int
    name: str
    group_name: str = ""
    indicators: list[IndicatorDef] = field(default_factory=list)


@dataclass
class SetDefinition:
    code: str
    name: str
    level: str = "xã"
    tier: str = "ntm"
    period_start: int | None = None
    period_end: int | None = None
    legal_basis: str = ""
    targets_vary_by: str = ""
    target_keys: list[str] = field(default_factory=list)
    version: int | None = None
    criteria: list[CriterionDef] = field(default_factory=list)
    in_force_from: date | None = None
    indicator_count: int | None = None  # as the decision declares it
    summary_bands: list = field(default_factory=list)  # [[label, fewest criteria met], ...], highest first


@dataclass(frozen=True)
class SetRow:
    id: str
    code: str
    version: int
    name: str
    tier: str
    period_start: int | None
    period_end: int | None
    legal_basis: str
    criteria_count: int
    indicator_count: int
    source: str
    declared_indicators: int | None = None
    unconfirmed_indicators: int = 0

    @property
    def indicators_missing(self) -> int:
        """Indicators the decision declares that the data does not list yet."""
        return max((self.declared_indicators or 0) - self.indicator_count, 0)

    @property
    def label(self) -> str:
        period = f"{self.period_start}-{self.period_end}" if self.period_start else "không thời hạn"
        return f"{self.name} ({period}, phiên bản {self.version})"


def tier_of(code: str) -> str:
    if "nang-cao" in code:
        return "nang_cao"
    if "kieu-mau" in code:
        return "kieu_mau"
    return "ntm"


def keys_from_description(text: str) -> list[str]:
    """Region or group keys from a description such as "vùng (7 vùng: A; B; ...)"."""
    folded = fold(text)
    groups = sorted(set(re.findall(r"nhom (\d+)", folded)))
    if groups and folded.startswith("nhom"):
        return [f"Nhóm {g}" for g in groups]
    match = re.search(r":\s*(.+)\)\s*$", text or "")
    if match:
        return [nfc(part.strip()) for part in match.group(1).split(";") if part.strip()]
    return []


def load_shipped() -> dict:
    with resource(*SHIPPED_FILE).open(encoding="utf-8") as fh:
        return json.load(fh)


def _shipped_indicators(raw_criterion: dict) -> list[IndicatorDef]:
    return [IndicatorDef(code=str(i["code"]), name=i["name"], unit_of_measure=i.get("unit", ""),
                         kind=i.get("kind", "number"), comparison=i.get("comparison", ">="),
                         targets=dict(i.get("targets") or {}), confirmed=bool(i.get("confirmed", False)))
            for i in raw_criterion.get("indicators") or []]


def shipped_definitions() -> list[SetDefinition]:
    """The shipped sets that list their criteria (the others come from a province's file)."""
    found = []
    for raw in load_shipped()["sets"]:
        if not raw.get("criteria"):
            continue
        period = raw.get("period") or [None, None]
        groups = [g["key"] for g in raw.get("target_groups") or []]
        found.append(SetDefinition(
            code=raw["code"], name=raw["name"], level=raw.get("level", "xã"), tier=tier_of(raw["code"]),
            period_start=period[0], period_end=period[1], legal_basis=raw.get("legal_basis", ""),
            targets_vary_by=raw.get("targets_vary_by", ""),
            target_keys=groups or keys_from_description(raw.get("targets_vary_by", "")), version=1,
            criteria=[CriterionDef(code=str(c["no"]), number=int(c["no"]), name=c["name"],
                                   group_name=c.get("group", ""), indicators=_shipped_indicators(c))
                      for c in raw["criteria"]],
            in_force_from=date.fromisoformat(raw["in_force_from"]) if raw.get("in_force_from") else None,
            indicator_count=raw.get("indicator_count"),
            summary_bands=[list(b) for b in (raw.get("summary_bands") or {}).get("bands", [])],
        ))
    return found


def shipped_raw(code: str) -> dict:
    """The shipped entry of a set code (empty for a province's own code)."""
    return next((raw for raw in load_shipped()["sets"] if raw["code"] == code), {})


def latest_version(session: Session, code: str) -> int:
    return session.scalar(select(func.max(CriteriaSet.set_version)).where(CriteriaSet.code == code)) or 0


def save_definition(session: Session, definition: SetDefinition, owner_unit_id: str | None = None,
                    source: str = "") -> str:
    """Store `definition` as a new version of its set; returns the new set's id."""
    current = latest_version(session, definition.code)
    version = definition.version or current + 1
    if version <= current:
        raise ValidationError(
            f"Bộ tiêu chí “{definition.code}” đã có phiên bản {current}; phiên bản mới phải lớn hơn "
            f"{current} (tệp ghi phiên bản {version})."
        )
    set_id = natural_id("criteria_set", definition.code, version)
    session.add(CriteriaSet(
        id=set_id, code=definition.code, set_version=version, name=definition.name, level=definition.level,
        tier=definition.tier, period_start=definition.period_start, period_end=definition.period_end,
        legal_basis=definition.legal_basis, targets_vary_by=definition.targets_vary_by,
        target_keys=list(definition.target_keys), source=source, owner_unit_id=owner_unit_id,
        in_force_from=definition.in_force_from, indicator_count=definition.indicator_count,
        summary_bands=[list(b) for b in definition.summary_bands],
    ))
    for c in definition.criteria:
        criterion_id = natural_id("criterion", set_id, c.code)
        session.add(Criterion(id=criterion_id, set_id=set_id, number=c.number, code=c.code, name=c.name,
                              group_name=c.group_name, owner_unit_id=owner_unit_id))
        for position, i in enumerate(c.indicators):
            session.add(Indicator(
                id=natural_id("indicator", criterion_id, i.code), criterion_id=criterion_id,
                position=position, code=i.code, name=i.name, unit_of_measure=i.unit_of_measure, kind=i.kind,
                comparison=i.comparison, targets=dict(i.targets), confirmed=i.confirmed,
                owner_unit_id=owner_unit_id,
            ))
    session.flush()
    return set_id


def install_shipped_sets(session: Session) -> int:
    """Add the shipped national sets that are not in the database yet; returns how many were added."""
    added = 0
    for definition in shipped_definitions():
        if session.get(CriteriaSet, natural_id("criteria_set", definition.code, 1)) is None:
            save_definition(session, definition, source=SHIPPED_SOURCE)
            added += 1
    return added


def set_rows(session: Session) -> list[SetRow]:
    criteria_count = (select(func.count(Criterion.id)).where(Criterion.set_id == CriteriaSet.id)
                      .correlate(CriteriaSet).scalar_subquery())
    indicators = (select(func.count(Indicator.id)).join(Criterion, Indicator.criterion_id == Criterion.id)
                  .where(Criterion.set_id == CriteriaSet.id))
    indicator_count = indicators.correlate(CriteriaSet).scalar_subquery()
    unconfirmed = indicators.where(Indicator.confirmed.is_(False)).correlate(CriteriaSet).scalar_subquery()
    query = (select(CriteriaSet, criteria_count, indicator_count, unconfirmed).where(CriteriaSet.deleted.is_(False))
             .order_by(CriteriaSet.period_start.desc(), CriteriaSet.code, CriteriaSet.set_version.desc()))
    return [SetRow(id=s.id, code=s.code, version=s.set_version, name=s.name, tier=s.tier,
                   period_start=s.period_start, period_end=s.period_end, legal_basis=s.legal_basis,
                   criteria_count=cc, indicator_count=ic, source=s.source, declared_indicators=s.indicator_count,
                   unconfirmed_indicators=uc)
            for s, cc, ic, uc in session.execute(query)]


def set_for_year(session: Session, year: int, tier: str = "ntm") -> CriteriaSet | None:
    """The newest version of the commune set of `tier` whose period contains `year`."""
    return session.scalar(
        select(CriteriaSet).where(
            CriteriaSet.deleted.is_(False), CriteriaSet.tier == tier, CriteriaSet.period_start <= year,
            CriteriaSet.period_end >= year, CriteriaSet.level.in_(("xã", "xa")),
        ).order_by(CriteriaSet.set_version.desc(), CriteriaSet.code).limit(1)
    )


def get_set(session: Session, set_id: str) -> CriteriaSet:
    found = session.get(CriteriaSet, set_id)
    if found is None or found.deleted:
        raise ValidationError("Không tìm thấy bộ tiêu chí (có thể đã bị xóa).")
    return found


def criteria_of(session: Session, set_id: str) -> list[Criterion]:
    return list(session.scalars(
        select(Criterion).where(Criterion.set_id == set_id, Criterion.deleted.is_(False)).order_by(Criterion.number)
    ))


def indicators_of(session: Session, set_id: str) -> list[Indicator]:
    return list(session.scalars(
        select(Indicator).join(Criterion, Indicator.criterion_id == Criterion.id)
        .where(Criterion.set_id == set_id, Indicator.deleted.is_(False))
        .order_by(Criterion.number, Indicator.position)
    ))


def update_indicator(session: Session, indicator_id: str, *, name: str | None = None,
                     unit_of_measure: str | None = None, targets: dict | None = None,
                     confirmed: bool | None = None) -> None:
    """Edit an indicator in the app (an administrator correcting a target, or confirming it from the
    province's decision)."""
    access.require(session, Permission.CRITERIA_SETS)
    indicator = session.get(Indicator, indicator_id)
    if indicator is None or indicator.deleted:
        raise ValidationError("Không tìm thấy chỉ tiêu (có thể đã bị xóa).")
    if confirmed is not None:
        indicator.confirmed = bool(confirmed)
    if name is not None:
        if not nfc(name).strip():
            raise ValidationError(f"Tên chỉ tiêu {indicator.code} không được để trống.", "name")
        indicator.name = nfc(name).strip()
    if unit_of_measure is not None:
        indicator.unit_of_measure = nfc(unit_of_measure).strip()
    if targets is not None:
        cleaned = {}
        for key, value in targets.items():
            text = nfc(str(value)).strip() if value is not None else ""
            if indicator.kind == "number" and text:
                try:
                    float(text.replace(",", "."))
                except ValueError:
                    raise ValidationError(
                        f"Chỉ tiêu {indicator.code}, {key}: “{text}” không phải là một số.", "targets"
                    ) from None
                text = text.replace(",", ".")
            cleaned[key] = text
        indicator.targets = cleaned


def update_criterion_name(session: Session, criterion_id: str, name: str) -> None:
    access.require(session, Permission.CRITERIA_SETS)
    criterion = session.get(Criterion, criterion_id)
    if criterion is None or not nfc(name).strip():
        raise ValidationError("Tên tiêu chí không được để trống.", "name")
    criterion.name = nfc(name).strip()
