"""A report as neutral content: header, title, sections, tables, signature.

Report modules build a ReportDocument from the database; the layout modules
(pdf_layout, xlsx_layout, html_layout) print the same document in each format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Union

from ntm_desktop.services.office import OfficeProfile
from ntm_desktop.text import nfc

Cell = Union[str, int, float, date, None]


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    kind: str = "text"  # text | int | number | date
    excel_width: float | None = None
    decimals: int = 0  # digits after the decimal comma of a "number" column

    @property
    def align(self) -> str:
        return "left" if self.kind == "text" else "center"


@dataclass(frozen=True)
class GroupHeading:
    """A row spanning the table: the lead unit a group of tasks belongs to."""

    text: str


@dataclass(frozen=True)
class TotalRow:
    """A bold closing row; `cells` line up with the table's columns."""

    cells: tuple[Cell, ...]


@dataclass
class Table:
    caption: str  # also the Excel sheet name (shortened)
    columns: list[Column]
    rows: list[tuple[Cell, ...] | GroupHeading | TotalRow] = field(default_factory=list)
    numbered_header: bool = False  # a second header row "(1) (2) …" as in the decree's registers
    empty_text: str = "Không có."
    font_size: float = 11  # the decree allows 11-12 pt in tables; a wide matrix may go smaller

    @property
    def data_rows(self) -> list[tuple[Cell, ...]]:
        return [r for r in self.rows if isinstance(r, tuple)]


@dataclass(frozen=True)
class Heading:
    text: str
    new_page: bool = False  # e.g. one page per commune


@dataclass(frozen=True)
class Paragraph:
    text: str
    italic: bool = False
    centred: bool = False


Block = Union[Heading, Paragraph, Table]


@dataclass(frozen=True)
class Cover:
    """The cover page of a register to be bound: office, register name, year, range."""

    title: str
    lines: tuple[str, ...]


@dataclass
class ReportDocument:
    kind: str
    title: str
    subtitle: str
    profile: OfficeProfile
    issue_date: date
    blocks: list[Block] = field(default_factory=list)
    number: str = ""
    landscape: bool = False
    official_header: bool = True  # registers carry a cover page instead
    signature: bool = True
    cover: Cover | None = None
    addressee: str = ""  # "Kính gửi: …" for a report sent to one unit

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def vn_place_date(place: str, day: date) -> str:
    """'Lào Cai, ngày 05 tháng 01 năm 2026': leading zero for days under 10 and months 1-2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text.capitalize()


HANDWRITTEN_NAME = "." * 40  # room for the signer to write the name by hand when none is set


def signer_name_line(profile: OfficeProfile) -> str:
    """The signer's name under the signature, or a dotted line to write it on."""
    return nfc(profile.signer_name).strip() or HANDWRITTEN_NAME


_SWAP_SEPARATORS = str.maketrans(",.", ".,")


def vn_number(value: float, decimals: int = 2) -> str:
    """A number as Vietnamese writes it: decimal comma, dot between thousands ('1.234,50')."""
    return f"{value:,.{decimals}f}".translate(_SWAP_SEPARATORS)


def period_text(start: date, end: date) -> str:
    return f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
