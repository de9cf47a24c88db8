"""Dates as officers type them into a date field (services.dates.parse_typed_date)."""

from __future__ import annotations

from datetime import date

import pytest

from ntm_desktop.errors import ValidationError
from ntm_desktop.services.dates import parse_typed_date

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize("text", [
    "23/11/2026", "23112026", "23-11-2026", "23/11/26", "23.11.2026", "23 11 2026", " 23 / 11 / 2026 ", "231126",
])
def test_usual_spellings_give_the_same_day(text):
    assert parse_typed_date(text, today=TODAY) == date(2026, 11, 23)


def test_short_forms_and_two_digit_years():
    assert parse_typed_date("5/1/2024", today=TODAY) == date(2024, 1, 5)
    assert parse_typed_date("5/1/24", today=TODAY) == date(2024, 1, 5)
    assert parse_typed_date("23/11/98", today=TODAY) == date(1998, 11, 23)  # more than 50 years ahead: last century
    assert parse_typed_date("29/02/2028", today=TODAY) == date(2028, 2, 29)


@pytest.mark.parametrize("text,shown", [
    ("31/02/2026", "31/02/2026"), ("29/02/2027", "29/02/2027"), ("31/04/2026", "31/04/2026"),
    ("00/01/2026", "00/01/2026"), ("15/13/2026", "15/13/2026"), ("31022026", "31/02/2026"),
])
def test_a_day_not_in_the_calendar_is_refused_not_moved(text, shown):
    with pytest.raises(ValidationError) as error:
        parse_typed_date(text, field="arrival_date", label="Ngày đến", today=TODAY)
    assert str(error.value).startswith(f"Ngày đến {shown} không có trên lịch")
    assert error.value.field == "arrival_date"


@pytest.mark.parametrize("text", ["1022026", "10226", "2311202", "123"])
def test_digits_run_together_must_be_six_or_eight(text):
    with pytest.raises(ValidationError) as error:
        parse_typed_date(text, label="Ngày văn bản", today=TODAY)
    assert "2 chữ số ngày, 2 chữ số tháng" in str(error.value)


@pytest.mark.parametrize("text", ["ngày 5 tháng 1", "2026-11-23x", "23/11", "23/11/202", "1/2/3/4"])
def test_other_shapes_are_refused_with_an_example(text):
    with pytest.raises(ValidationError) as error:
        parse_typed_date(text, label="Hạn xử lý", today=TODAY)
    assert "không đúng dạng ngày/tháng/năm" in str(error.value) and "23/11/2026" in str(error.value)


def test_empty_names_the_field():
    with pytest.raises(ValidationError) as error:
        parse_typed_date("  ", label="Hạn xử lý", today=TODAY)
    assert str(error.value).startswith("Chưa nhập hạn xử lý.")
