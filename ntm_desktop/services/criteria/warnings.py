"""Warnings on the criteria: recognition at risk of revocation, plans slipping, stale assessments."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ntm_desktop.models import Assessment, CommuneProfile, CriteriaSet, Criterion, Unit
from ntm_desktop.resources import resource
from ntm_desktop.services.criteria import catalogue
from ntm_desktop.services.criteria.profiles import current_recognition, recognitions
from ntm_desktop.services.criteria.statuses import DAT
from ntm_desktop.text import fold

RULES_FILE = ("criteria", "revocation-rules.json")
REVOCATION, PLAN_AT_RISK, STALE = "revocation", "plan", "stale"


@dataclass(frozen=True)
class RevocationRule:
    set_codes: tuple[str, ...]
    source: str
    any_unmet_percent: int
    key_unmet_percent: int
    key_criteria: tuple[str, ...]  # folded names

    def triggered(self, unmet: int, total: int, unmet_names: list[str]) -> bool:
        """Share of criteria not met ≥ any_unmet_percent, or ≥ key_unmet_percent with a key criterion among them."""
        if total <= 0:
            return False
        if unmet * 100 >= self.any_unmet_percent * total:
            return True
        key_missed = any(fold(name) in self.key_criteria for name in unmet_names)
        return key_missed and unmet * 100 >= self.key_unmet_percent * total


@dataclass(frozen=True)
class Warning:
    kind: str
    unit_id: str
    unit_name: str
    year: int
    message: str


def _raw_rules() -> list[dict]:
    with resource(*RULES_FILE).open(encoding="utf-8") as fh:
        return json.load(fh)["rules"]


def load_rules() -> list[RevocationRule]:
    """The rules checked against a decision; a set whose rule is not known yet has none here."""
    return [RevocationRule(set_codes=tuple(r["set_codes"]), source=r["source"],
                           any_unmet_percent=int(r["any_unmet_percent"]), key_unmet_percent=int(r["key_unmet_percent"]),
                           key_criteria=tuple(fold(n) for n in r["key_criteria"]))
            for r in _raw_rules() if r.get("confirmed", True)]


def rule_note(set_code: str) -> str:
    """What the data says about a set whose revocation rule is not known yet ("" when the rule is known)."""
    for raw in _raw_rules():
        if set_code in raw["set_codes"]:
            return "" if raw.get("confirmed", True) else raw.get("note", "")
    return ("Chưa có quy định thu hồi quyết định công nhận cho bộ tiêu chí này trong dữ liệu; phần mềm chưa cảnh báo "
            "nguy cơ thu hồi theo bộ này.")


def notes_for_year(session: Session, year: int) -> list[str]:
    """One line per set used that year (or in force that year) whose revocation rule the data does not hold."""
    codes = set(session.scalars(
        select(CriteriaSet.code).join(CommuneProfile, CommuneProfile.set_id == CriteriaSet.id)
        .where(CommuneProfile.year == year, CommuneProfile.deleted.is_(False))))
    in_force = catalogue.set_for_year(session, year)
    if in_force is not None:
        codes.add(in_force.code)
    return [note for note in (rule_note(code) for code in sorted(codes)) if note]


def rule_for(set_code: str, rules: list[RevocationRule] | None = None) -> RevocationRule | None:
    return next((r for r in (rules if rules is not None else load_rules()) if set_code in r.set_codes), None)


def warnings_for_year(session: Session, year: int, today: date | None = None) -> list[Warning]:
    today = today or date.today()
    rules = load_rules()
    profiles = session.execute(
        select(CommuneProfile.unit_id, Unit.name, CommuneProfile.planned_year, CriteriaSet.code, CriteriaSet.id)
        .join(Unit, Unit.id == CommuneProfile.unit_id).join(CriteriaSet, CriteriaSet.id == CommuneProfile.set_id)
        .where(CommuneProfile.year == year, CommuneProfile.deleted.is_(False)).order_by(Unit.name_sort)
    ).all()
    if not profiles:
        return []
    criteria_by_set: dict[str, list[tuple[str, str, str]]] = {}
    for set_id, cid, code, name in session.execute(
        select(Criterion.set_id, Criterion.id, Criterion.code, Criterion.name).where(Criterion.deleted.is_(False))
        .order_by(Criterion.number)
    ):
        criteria_by_set.setdefault(set_id, []).append((cid, code, name))
    statuses: dict[str, dict[str, str | None]] = {}
    latest: dict[str, date] = {}
    for unit_id, cid, status, when in session.execute(
        select(Assessment.unit_id, Assessment.criterion_id, Assessment.status, Assessment.assessed_on)
        .where(Assessment.year == year, Assessment.deleted.is_(False))
    ):
        statuses.setdefault(unit_id, {})[cid] = status
    for unit_id, when in session.execute(
        select(Assessment.unit_id, func.max(Assessment.assessed_on)).where(Assessment.deleted.is_(False))
        .group_by(Assessment.unit_id)
    ):
        if when:
            latest[unit_id] = when
    recognised = {}
    for row in recognitions(session, [p[0] for p in profiles]):
        recognised.setdefault(row.unit_id, []).append(row)
    found: list[Warning] = []
    set_rules: dict[str, RevocationRule | None] = {}
    for unit_id, name, planned, set_code, set_id in profiles:
        criteria = criteria_by_set.get(set_id, [])
        own = statuses.get(unit_id, {})
        assessed = [(code, cname, own[cid]) for cid, code, cname in criteria if own.get(cid) is not None]
        unmet = [(code, cname) for code, cname, status in assessed if status != DAT]
        missing = [(code, cname) for cid, code, cname in criteria if own.get(cid) != DAT]
        current = current_recognition(recognised.get(unit_id, []), today)
        rule = set_rules[set_code] if set_code in set_rules else set_rules.setdefault(set_code, rule_for(set_code, rules))
        if current and rule and assessed and rule.triggered(len(unmet), len(criteria), [n for _, n in unmet]):
            share = round(100 * len(unmet) / len(criteria))
            under = f", theo {current.set_name}" if current.set_name else ""
            found.append(Warning(REVOCATION, unit_id, name, year, (
                f"Đã được công nhận ({current.decision_number}{under}) nhưng năm {year} có "
                f"{len(unmet)}/{len(criteria)} tiêu chí không đạt ({share}%): thuộc diện xem xét thu hồi theo "
                f"{rule.source}. Tiêu chí không đạt: {', '.join(code for code, _ in unmet)}."
            )))
        if planned == year and missing:
            found.append(Warning(PLAN_AT_RISK, unit_id, name, year, (
                f"Kế hoạch đạt chuẩn năm {year} nhưng còn {len(missing)} tiêu chí chưa đạt: "
                + "; ".join(f"{code}. {cname}" for code, cname in missing) + "."
            )))
        last = latest.get(unit_id)
        if last is None or last < today - timedelta(days=365):
            text = (f"Lần đánh giá gần nhất ngày {last:%d/%m/%Y}, đã hơn một năm." if last
                    else "Chưa có kết quả đánh giá nào.")
            found.append(Warning(STALE, unit_id, name, year, text))
    return found
