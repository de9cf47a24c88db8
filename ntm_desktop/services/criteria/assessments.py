"""Assessing a commune for a year: the grid of criteria and indicators, roll-up, copy from last year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Assessment, Criterion, Indicator, IndicatorAssessment, Unit, natural_id
from ntm_desktop.services.criteria import catalogue, periods
from ntm_desktop.services.criteria.profiles import ensure_profile, get_profile, require_commune, require_year_in_set
from ntm_desktop.services.criteria.statuses import CHUA_DAT, CO_BAN_DAT, DAT, STATUSES
from ntm_desktop.services.field_limits import check_fields
from ntm_desktop.text import nfc
from ntm_desktop.services import access
from ntm_desktop.services.access import Permission


@dataclass(frozen=True)
class GridRow:
    kind: str  # "criterion" or "indicator"
    target_id: str  # the criterion's or the indicator's id
    criterion_id: str
    code: str
    name: str
    target: str
    unit_of_measure: str
    measured_value: str
    status: str | None
    derived: bool  # a criterion whose status follows from its indicators
    assessing_unit_id: str | None
    assessing_unit_name: str
    assessed_on: date | None
    note: str
    evidence_name: str
    evidence_sha256: str
    confirmed: bool = True  # False: the indicator's text or target is not checked yet

    @property
    def shown_name(self) -> str:
        return self.name if self.confirmed else f"{self.name} {periods.UNCONFIRMED}"


@dataclass(frozen=True)
class Grid:
    unit_id: str
    unit_name: str
    year: int
    set_id: str
    set_name: str
    target_key: str
    rows: tuple[GridRow, ...]
    notes: tuple[str, ...] = ()  # what the set's data does not hold yet (indicators, targets)
    set_code: str = ""


@dataclass(frozen=True)
class CellInput:
    """What the user entered on one row of the grid."""

    kind: str
    target_id: str
    status: str | None = None
    measured_value: str = ""
    note: str = ""


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    cleaned = str(text).strip().replace(" ", "").replace("%", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def evaluate_indicator(indicator: Indicator, target_key: str, measured: str) -> str | None:
    """Đạt/Chưa đạt from a measured number against the target; None when it cannot be decided."""
    if indicator.kind != "number":
        return None
    targets = indicator.targets or {}
    target = _number(targets.get(target_key)) if target_key in targets else None
    if target is None and len(set(targets.values())) == 1:
        target = _number(next(iter(targets.values())))  # one target for every region or group
    value = _number(measured)
    if target is None or value is None:
        return None
    met = {"<=": value <= target, "=": value == target}.get(indicator.comparison, value >= target)
    return DAT if met else CHUA_DAT


def roll_up(statuses: list[str | None]) -> str | None:
    """A criterion's status from its indicators: all Đạt → Đạt; any Chưa đạt → Chưa đạt;
    otherwise Cơ bản đạt when some are Cơ bản đạt; None while an indicator is not assessed."""
    if not statuses:
        return None
    if CHUA_DAT in statuses:
        return CHUA_DAT
    if None in statuses:
        return None
    if CO_BAN_DAT in statuses:
        return CO_BAN_DAT
    return DAT


def _target_text(indicator: Indicator, target_key: str) -> str:
    targets = indicator.targets or {}
    value = targets.get(target_key)
    if value is None and len(set(targets.values())) == 1:
        value = next(iter(targets.values()))
    if value in (None, ""):
        return ""
    sign = {">=": "≥ ", "<=": "≤ ", "=": ""}.get(indicator.comparison, "") if indicator.kind == "number" else ""
    return f"{sign}{value}"


def load_grid(session: Session, unit_id: str, year: int) -> Grid:
    unit = require_commune(session, unit_id)
    profile = ensure_profile(session, unit_id, year)
    criteria_set = catalogue.get_set(session, profile.set_id)
    require_year_in_set(criteria_set, year)
    criteria = catalogue.criteria_of(session, criteria_set.id)
    indicators: dict[str, list[Indicator]] = {}
    for indicator in catalogue.indicators_of(session, criteria_set.id):
        indicators.setdefault(indicator.criterion_id, []).append(indicator)
    done = {a.criterion_id: a for a in session.scalars(
        select(Assessment).where(Assessment.unit_id == unit_id, Assessment.year == year,
                                 Assessment.deleted.is_(False)))}
    measured = {a.indicator_id: a for a in session.scalars(
        select(IndicatorAssessment).where(IndicatorAssessment.unit_id == unit_id, IndicatorAssessment.year == year,
                                          IndicatorAssessment.deleted.is_(False)))}
    names = dict(session.execute(select(Unit.id, func.coalesce(Unit.short_name, Unit.name))).all())
    rows = []
    for c in criteria:
        a = done.get(c.id)
        rows.append(GridRow(
            kind="criterion", target_id=c.id, criterion_id=c.id, code=c.code, name=c.name, target="",
            unit_of_measure="", measured_value="", status=a.status if a else None, derived=bool(indicators.get(c.id)),
            assessing_unit_id=a.assessing_unit_id if a else None,
            assessing_unit_name=names.get(a.assessing_unit_id, "") if a else "",
            assessed_on=a.assessed_on if a else None, note=a.note if a else "",
            evidence_name=a.evidence_name if a else "", evidence_sha256=a.evidence_sha256 if a else "",
        ))
        for i in indicators.get(c.id, []):
            m = measured.get(i.id)
            rows.append(GridRow(
                kind="indicator", target_id=i.id, criterion_id=c.id, code=i.code, name=i.name,
                target=_target_text(i, profile.target_key), unit_of_measure=i.unit_of_measure,
                measured_value=m.measured_value if m else "", status=m.status if m else None, derived=False,
                assessing_unit_id=None, assessing_unit_name="", assessed_on=None, note=m.note if m else "",
                evidence_name="", evidence_sha256="", confirmed=i.confirmed,
            ))
    return Grid(unit_id=unit_id, unit_name=unit.name, year=year, set_id=criteria_set.id,
                set_name=criteria_set.name, target_key=profile.target_key, rows=tuple(rows),
                notes=tuple(periods.set_notes(session, criteria_set)), set_code=criteria_set.code)


def _assessment(session: Session, unit: Unit, year: int, criterion_id: str) -> Assessment:
    key = natural_id("assessment", unit.id, year, criterion_id)
    found = session.get(Assessment, key)
    if found is None:
        found = Assessment(id=key, unit_id=unit.id, year=year, criterion_id=criterion_id,
                           owner_unit_id=unit.owner_unit_id or unit.id)
        session.add(found)
    found.deleted = False
    return found


def save_grid(session: Session, unit_id: str, year: int, cells: list[CellInput],
              assessing_unit_id: str | None, assessed_on: date | None) -> int:
    """Save what was entered; indicator statuses are computed where the target allows it,
    then each criterion with indicators takes its rolled-up status. Returns rows changed."""
    access.require(session, Permission.CRITERIA)
    unit = require_commune(session, unit_id)
    check_fields(Assessment, {"year": year, "assessed_on": assessed_on})
    grid = load_grid(session, unit_id, year)
    by_id = {r.target_id: r for r in grid.rows}
    for cell in cells:
        if cell.target_id not in by_id:
            raise ValidationError("Dòng đánh giá không thuộc bộ tiêu chí của xã trong năm này.")
        if cell.status is not None and cell.status not in STATUSES:
            raise ValidationError(f"Trạng thái “{cell.status}” không hợp lệ (Đạt, Cơ bản đạt, Chưa đạt).")
        row = by_id[cell.target_id]
        try:
            if row.kind == "indicator":
                check_fields(IndicatorAssessment, {"measured_value": nfc(cell.measured_value or "").strip(),
                                                   "note": nfc(cell.note or "").strip()})
            else:
                check_fields(Assessment, {"note": nfc(cell.note or "").strip()})
        except ValidationError as error:
            raise ValidationError(f"{row.code} {row.name[:80]}: {error}", error.field) from None
    changed = 0
    touched_criteria = set()
    for cell in cells:
        row = by_id[cell.target_id]
        if row.kind == "indicator":
            indicator = session.get(Indicator, cell.target_id)
            value = nfc(cell.measured_value or "").strip()
            computed = evaluate_indicator(indicator, grid.target_key, value)
            key = natural_id("indicator_assessment", unit_id, year, indicator.id)
            record = session.get(IndicatorAssessment, key)
            if record is None:
                record = IndicatorAssessment(id=key, unit_id=unit_id, year=year, indicator_id=indicator.id,
                                             owner_unit_id=unit.owner_unit_id or unit.id)
                session.add(record)
            record.deleted = False
            record.measured_value = value
            record.status = computed or cell.status
            record.note = nfc(cell.note or "").strip()
            touched_criteria.add(row.criterion_id)
        elif not row.derived:
            record = _assessment(session, unit, year, row.target_id)
            record.status = cell.status
            record.note = nfc(cell.note or "").strip()
            record.assessing_unit_id = assessing_unit_id
            record.assessed_on = assessed_on
        else:
            record = _assessment(session, unit, year, row.target_id)
            record.note = nfc(cell.note or "").strip()
            touched_criteria.add(row.target_id)
        changed += 1
    session.flush()
    for criterion_id in touched_criteria:
        statuses = [r.status for r in session.scalars(
            select(IndicatorAssessment).join(Indicator, IndicatorAssessment.indicator_id == Indicator.id)
            .where(Indicator.criterion_id == criterion_id, IndicatorAssessment.unit_id == unit_id,
                   IndicatorAssessment.year == year, IndicatorAssessment.deleted.is_(False)))]
        expected = sum(1 for r in grid.rows if r.kind == "indicator" and r.criterion_id == criterion_id)
        statuses += [None] * (expected - len(statuses))
        record = _assessment(session, unit, year, criterion_id)
        record.status = roll_up(statuses)
        record.assessing_unit_id = assessing_unit_id
        record.assessed_on = assessed_on
    session.flush()
    return changed


def set_status(session: Session, unit_id: str, year: int, criterion_code: str, status: str | None,
               assessing_unit_id: str | None = None, assessed_on: date | None = None, note: str = "") -> None:
    """Enter one criterion's status by its code (for criteria without indicators)."""
    grid = load_grid(session, unit_id, year)
    row = next((r for r in grid.rows if r.kind == "criterion" and r.code == criterion_code), None)
    if row is None:
        raise ValidationError(f"Bộ tiêu chí của xã không có tiêu chí số {criterion_code}.")
    save_grid(session, unit_id, year, [CellInput("criterion", row.target_id, status, note=note)],
              assessing_unit_id, assessed_on)


def copy_previous_year(session: Session, unit_id: str, year: int) -> int:
    """Start this year from last year's statuses, matched by criterion and indicator code; cells
    already filled this year are kept. Returns how many cells were copied. Refused across periods:
    criterion 8 of 2021-2025 is not criterion 8 of 2026-2030."""
    require_commune(session, unit_id)
    before_profile, this_profile = get_profile(session, unit_id, year - 1), ensure_profile(session, unit_id, year)
    if before_profile is not None:
        old_set, new_set = (catalogue.get_set(session, before_profile.set_id),
                            catalogue.get_set(session, this_profile.set_id))
        if old_set.code != new_set.code:
            raise ValidationError(
                f"Năm {year - 1} được đánh giá theo “{old_set.name}”, năm {year} theo “{new_set.name}”: tiêu chí "
                "cùng số của hai bộ không phải là một, nên không chép kết quả. Dùng “Chuyển xã sang bộ tiêu chí "
                "mới…” ở trang Tiêu chí để chuyển hồ sơ, minh chứng và nhiệm vụ sang bộ mới.")
    before = session.execute(
        select(Criterion.code, Assessment).join(Criterion, Assessment.criterion_id == Criterion.id)
        .where(Assessment.unit_id == unit_id, Assessment.year == year - 1, Assessment.deleted.is_(False))
    ).all()
    if not before:
        raise ValidationError(f"Xã chưa có kết quả đánh giá năm {year - 1} để sao chép.")
    measured_before = {code: m for code, m in session.execute(
        select(Indicator.code, IndicatorAssessment).join(Indicator, IndicatorAssessment.indicator_id == Indicator.id)
        .where(IndicatorAssessment.unit_id == unit_id, IndicatorAssessment.year == year - 1,
               IndicatorAssessment.deleted.is_(False)))}
    previous = {code: a for code, a in before}
    grid = load_grid(session, unit_id, year)
    cells = []
    for row in grid.rows:
        if row.kind == "criterion" and not row.derived and row.status is None and row.code in previous:
            old = previous[row.code]
            cells.append(CellInput("criterion", row.target_id, old.status, note=old.note))
        elif row.kind == "indicator" and not row.measured_value and row.status is None and row.code in measured_before:
            old = measured_before[row.code]
            cells.append(CellInput("indicator", row.target_id, old.status, old.measured_value, old.note))
    if cells:
        old_any = before[0][1]
        save_grid(session, unit_id, year, cells, old_any.assessing_unit_id, old_any.assessed_on)
    return len(cells)


def attach_evidence(session: Session, files_dir: Path, unit_id: str, year: int, criterion_id: str,
                    source: Path) -> str:
    """Keep a file as evidence of a criterion's assessment (stored once under its SHA-256)."""
    access.require(session, Permission.CRITERIA)
    from ntm_desktop.services.attachments import store_file

    unit = require_commune(session, unit_id)
    if session.get(Criterion, criterion_id) is None:
        raise ValidationError("Không tìm thấy tiêu chí.")
    check_fields(Assessment, {"year": year, "evidence_name": Path(source).name})
    sha, _size = store_file(files_dir, Path(source))
    from ntm_desktop.server import files

    files.share(session, files_dir, sha)  # server mode: the bytes go to the database, for every PC of the office
    record = _assessment(session, unit, year, criterion_id)
    record.evidence_sha256 = sha
    record.evidence_name = Path(source).name
    return sha
