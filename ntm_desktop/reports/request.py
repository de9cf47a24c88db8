"""What the user asked for (report, period, unit, format) and the progress a build reports."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta

from ntm_desktop.errors import ValidationError


class ReportKind(str, enum.Enum):
    WEEKLY = "weekly"
    REGISTER = "register"
    FOLLOWUP = "followup"
    CRITERIA = "criteria"
    UNIT = "unit"

    @property
    def label(self) -> str:
        return {
            "weekly": "Báo cáo tình hình thực hiện nhiệm vụ (tuần/kỳ)",
            "register": "Sổ đăng ký văn bản đến",
            "followup": "Sổ theo dõi giải quyết văn bản đến",
            "criteria": "Tổng hợp tiêu chí nông thôn mới",
            "unit": "Danh mục nhiệm vụ của một đơn vị",
        }[self.value]


class ReportFormat(str, enum.Enum):
    PDF = "pdf"
    XLSX = "xlsx"


@dataclass(frozen=True)
class ReportRequest:
    kind: ReportKind
    start: date
    end: date
    unit_code: str = ""
    year: int | None = None
    from_number: int | None = None  # arrival-number range for the register
    to_number: int | None = None
    number: str = ""  # the report's own number, blank for a draft
    issue_date: date = field(default_factory=date.today)
    today: date = field(default_factory=date.today)

    def __post_init__(self):
        if self.start > self.end:
            raise ValidationError(
                f"Ngày bắt đầu ({self.start:%d/%m/%Y}) sau ngày kết thúc ({self.end:%d/%m/%Y}). "
                "Hãy chọn lại khoảng thời gian.", "start",
            )
        if (self.end - self.start).days > 366 * 5:
            raise ValidationError("Khoảng thời gian báo cáo dài quá 5 năm; hãy chọn khoảng ngắn hơn.", "end")
        if self.from_number is not None and self.to_number is not None and self.from_number > self.to_number:
            raise ValidationError("Số đến bắt đầu lớn hơn số đến kết thúc.", "from_number")
        if self.kind == ReportKind.UNIT and not self.unit_code.strip():
            raise ValidationError("Hãy chọn đơn vị cần lập danh mục nhiệm vụ.", "unit")

    @property
    def next_period(self) -> tuple[date, date]:
        length = (self.end - self.start).days + 1
        return self.end + timedelta(days=1), self.end + timedelta(days=length)

    @property
    def as_of(self) -> date:
        """Statuses are measured at the period's end, or today if the period has not ended."""
        return min(self.end, self.today)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    message: str


class ReportCancelled(Exception):
    """Raised while writing a report when the user cancels; the partial file is discarded."""
