"""The due windows the task list filters by and the overview counts (no database code: the first screen
is drawn before the database modules are loaded)."""

from __future__ import annotations

import enum


class DueWindow(str, enum.Enum):
    OVERDUE = "overdue"
    THIS_WEEK = "this_week"
    NEXT_WEEK = "next_week"
    THIS_MONTH = "this_month"
    DONE_THIS_WEEK = "done_this_week"

    @property
    def label(self) -> str:
        return {
            "overdue": "Quá hạn",
            "this_week": "Đến hạn tuần này",
            "next_week": "Đến hạn tuần sau",
            "this_month": "Đến hạn tháng này",
            "done_this_week": "Hoàn thành tuần này",
        }[self.value]
