"""Units: the administrative tree whose levels are data (2025 reform: levels come and go)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ntm_desktop.models.base import Base, Synced


class UnitLevel(Base):
    """A level of the tree: tỉnh, sở/ban/ngành, huyện, phòng, xã, phường, thôn/bản, other."""

    __tablename__ = "unit_levels"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    rank: Mapped[int] = mapped_column(Integer, default=0)


class Unit(Synced, Base):
    __tablename__ = "units"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str | None] = mapped_column(String(120))
    level_code: Mapped[str] = mapped_column(ForeignKey("unit_levels.code"))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    successor_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"))
    name_folded: Mapped[str] = mapped_column(String(300), default="", index=True)
    name_sort: Mapped[str] = mapped_column(String(600), default="", index=True)

    level: Mapped[UnitLevel] = relationship(lazy="joined")
    parent: Mapped["Unit | None"] = relationship(
        remote_side="Unit.id", foreign_keys=[parent_id]
    )
    successor: Mapped["Unit | None"] = relationship(
        remote_side="Unit.id", foreign_keys=[successor_id]
    )

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_active(self, on: date) -> bool:
        if self.valid_from and on < self.valid_from:
            return False
        return not (self.valid_to and on > self.valid_to)
