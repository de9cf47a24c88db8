"""NTM criteria: versioned criteria sets, commune profiles, recognitions and yearly assessments.

"One value per cell" records (a profile per commune and year, an assessment per
commune, year and criterion...) get ids derived from their natural key with
uuid5 (see ``natural_id``), so two installations filling the same cell make the
same record; a unique constraint on the natural key backs it up.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ntm_desktop.models.base import Base, Synced, VersionVector

# A fixed namespace: ids derived from natural keys must be the same on every installation.
NTM_NAMESPACE = uuid.UUID("6f1d3c2a-9b1e-5c7d-8a4f-0e2b7c9d1a35")


def natural_id(kind: str, *parts) -> str:
    """A stable id for the record of `kind` identified by `parts` (its natural key)."""
    key = "|".join([kind, *("" if p is None else str(p) for p in parts)])
    return str(uuid.uuid5(NTM_NAMESPACE, key))


class CriteriaSet(Synced, Base):
    """A version of a criteria set (national or a province's), e.g. xa-ntm-2021-2025 v2."""

    __tablename__ = "criteria_sets"
    __table_args__ = (UniqueConstraint("code", "set_version"),)

    code: Mapped[str] = mapped_column(String(60))
    set_version: Mapped[int] = mapped_column(Integer, default=1)
    name: Mapped[str] = mapped_column(String(400))
    level: Mapped[str] = mapped_column(String(40), default="xã")
    tier: Mapped[str] = mapped_column(String(20), default="ntm")  # ntm / nang_cao / kieu_mau
    period_start: Mapped[int | None] = mapped_column(Integer)
    period_end: Mapped[int | None] = mapped_column(Integer)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    targets_vary_by: Mapped[str] = mapped_column(Text, default="")
    # Keys of the regions (2021-2025) or commune groups (2026-2030) targets are given for.
    target_keys: Mapped[list] = mapped_column(VersionVector, default=dict)
    source: Mapped[str] = mapped_column(String(300), default="")
    # The day the issuing decision takes effect (None: from the start of its period).
    in_force_from: Mapped[date | None] = mapped_column(Date)
    # How many indicators the decision declares (the rows below may hold fewer until the province's file comes).
    indicator_count: Mapped[int | None] = mapped_column(Integer)
    # Bands the summary groups communes by: [[label, fewest criteria met], ...], highest first.
    summary_bands: Mapped[list] = mapped_column(VersionVector, default=list)

    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="criteria_set", order_by="Criterion.number"
    )


class Criterion(Synced, Base):
    __tablename__ = "criteria"
    __table_args__ = (UniqueConstraint("set_id", "code"),)

    set_id: Mapped[str] = mapped_column(ForeignKey("criteria_sets.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    group_name: Mapped[str] = mapped_column(String(200), default="")

    criteria_set: Mapped[CriteriaSet] = relationship(back_populates="criteria")
    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="criterion", order_by="Indicator.position"
    )


class Indicator(Synced, Base):
    """An indicator such as 17.3, with its target per region or commune group."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("criterion_id", "code"),)

    criterion_id: Mapped[str] = mapped_column(ForeignKey("criteria.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    unit_of_measure: Mapped[str] = mapped_column(String(60), default="")
    kind: Mapped[str] = mapped_column(String(10), default="number")  # number / text
    comparison: Mapped[str] = mapped_column(String(4), default=">=")  # >=, <=, =
    # {region or group key: target}; numbers for kind "number", text otherwise.
    targets: Mapped[dict] = mapped_column(VersionVector, default=dict)
    # False while the text or a target is not checked against the decision or the province's set.
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True)

    criterion: Mapped[Criterion] = relationship(back_populates="indicators")


class CommuneProfile(Synced, Base):
    """For a commune and a year: the set it is assessed under, its region or group, its plan."""

    __tablename__ = "commune_profiles"
    __table_args__ = (UniqueConstraint("unit_id", "year"),)

    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    set_id: Mapped[str] = mapped_column(ForeignKey("criteria_sets.id"))
    target_key: Mapped[str] = mapped_column(String(40), default="")
    planned_year: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    # The day the commune was moved into this period from the last year of the previous set (None: not moved).
    carried_over_on: Mapped[date | None] = mapped_column(Date)


class Recognition(Synced, Base):
    """A recognition decision (NTM, nâng cao, kiểu mẫu), possibly revoked later."""

    __tablename__ = "recognitions"

    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    level: Mapped[str] = mapped_column(String(20), default="ntm")  # ntm / nang_cao / kieu_mau
    decision_number: Mapped[str] = mapped_column(String(100))
    decision_date: Mapped[date] = mapped_column(Date)
    revoked_number: Mapped[str] = mapped_column(String(100), default="")
    revoked_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    # The criteria set the commune was recognised under (it stays named after the period ends).
    set_id: Mapped[str | None] = mapped_column(ForeignKey("criteria_sets.id"), index=True)


class Assessment(Synced, Base):
    """The status of one criterion in one commune for one year."""

    __tablename__ = "criterion_assessments"
    __table_args__ = (
        UniqueConstraint("unit_id", "year", "criterion_id"),
        Index("ix_criterion_assessments_year_unit", "year", "unit_id"),
        Index("ix_criterion_assessments_unit_latest", "unit_id", "deleted", "assessed_on"),  # latest per commune
    )

    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(Integer)
    criterion_id: Mapped[str] = mapped_column(ForeignKey("criteria.id"), index=True)
    status: Mapped[str | None] = mapped_column(String(12))  # dat / co_ban_dat / chua_dat
    assessing_unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"))
    assessed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_sha256: Mapped[str] = mapped_column(String(64), default="")
    evidence_name: Mapped[str] = mapped_column(String(260), default="")


class IndicatorAssessment(Synced, Base):
    """The measured value and status of one indicator in one commune for one year."""

    __tablename__ = "indicator_assessments"
    __table_args__ = (
        UniqueConstraint("unit_id", "year", "indicator_id"),
        Index("ix_indicator_assessments_year_unit", "year", "unit_id"),
    )

    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(Integer)
    indicator_id: Mapped[str] = mapped_column(ForeignKey("indicators.id"), index=True)
    measured_value: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")


class TaskCriterionLink(Synced, Base):
    """A task serves a commune, and optionally one of its criteria ("link to work")."""

    __tablename__ = "task_criterion_links"
    __table_args__ = (UniqueConstraint("task_id", "unit_id", "criterion_code"),)

    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"), index=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    # The criterion's code ("17"), not its id: the link outlives a new version of the set.
    criterion_code: Mapped[str] = mapped_column(String(20), default="")
    # The code of the set the criterion code belongs to ("xa-ntm-2026-2030"): criterion 8 of one period is
    # not criterion 8 of the next. "" for links made before periods were told apart: read in any year.
    set_code: Mapped[str] = mapped_column(String(60), default="")
