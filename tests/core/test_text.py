"""Vietnamese text: NFC, folding for search (đ included), alphabetical order, dd/mm/yyyy dates."""

import unicodedata
from datetime import date

import pytest

from ntm_desktop.errors import ValidationError
from ntm_desktop.services.dates import format_vn_date, month_bounds, parse_vn_date, week_bounds
from ntm_desktop.text import fold, nfc, sort_key


def test_fold_removes_tones_and_maps_d_bar():
    assert fold("Đạt chuẩn NÔNG THÔN MỚI") == "dat chuan nong thon moi"
    assert fold("đường   giao\nthông") == "duong giao thong"
    assert fold("Ủy ban nhân dân") == fold("Uỷ ban nhân dân")
    assert fold(None) == ""


def test_fold_is_the_same_for_nfd_input():
    text = "Xã đạt chuẩn nông thôn mới nâng cao"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)


def test_nfc_composes_and_trims():
    decomposed = unicodedata.normalize("NFD", "  Nông thôn mới ")
    assert decomposed != "Nông thôn mới"
    assert nfc(decomposed) == "Nông thôn mới"
    assert nfc(None) is None
    assert nfc(" Báo\x00 cáo ") == "Báo cáo"  # a NUL (refused by PostgreSQL in a text) is dropped


VIETNAMESE_ORDER = ["An Bình", "Ân Thi", "Ba Vì", "Bắc Sơn", "Dương Xá", "Đồng Tâm"]


def test_sort_key_gives_vietnamese_order():
    shuffled = ["Đồng Tâm", "Bắc Sơn", "An Bình", "Dương Xá", "Ba Vì", "Ân Thi"]
    assert sorted(shuffled, key=sort_key) == VIETNAMESE_ORDER


def test_sort_key_letters_before_tones():
    # "Ă" is a letter after "A" whatever the tone; tones only break ties.
    assert sorted(["Ăn", "Án", "An", "Àn"], key=sort_key) == ["An", "Àn", "Án", "Ăn"]
    assert sort_key("Đa") > sort_key("Dz")
    assert sort_key("ư") > sort_key("u") and sort_key("ơ") > sort_key("ô") > sort_key("o")


def test_sort_key_ignores_case_and_normal_form():
    assert sort_key("ĐỒNG TÂM") == sort_key("đồng tâm")
    assert sort_key(unicodedata.normalize("NFD", "Bắc Sơn")) == sort_key("Bắc Sơn")


def test_parse_vn_date():
    assert parse_vn_date("05/01/2024") == date(2024, 1, 5)
    assert parse_vn_date(" 5-1-2024 ") == date(2024, 1, 5)
    assert format_vn_date(date(2024, 1, 5)) == "05/01/2024"


@pytest.mark.parametrize("text", ["31/02/2024", "29/02/2023", "31/04/2025", "00/01/2024", "15/13/2024"])
def test_parse_vn_date_refuses_days_not_in_calendar(text):
    with pytest.raises(ValidationError) as error:
        parse_vn_date(text, field="arrival_date")
    assert "không tồn tại" in str(error.value)
    assert error.value.field == "arrival_date"


@pytest.mark.parametrize("text", ["", "2024-01-05", "ngày 5 tháng 1", "5/1/24"])
def test_parse_vn_date_refuses_other_shapes(text):
    with pytest.raises(ValidationError) as error:
        parse_vn_date(text)
    assert "ngày/tháng/năm" in str(error.value)


def test_week_and_month_bounds():
    assert week_bounds(date(2026, 11, 22)) == (date(2026, 11, 16), date(2026, 11, 22))  # a Sunday
    assert week_bounds(date(2026, 11, 16)) == (date(2026, 11, 16), date(2026, 11, 22))
    assert month_bounds(date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert month_bounds(date(2025, 12, 31)) == (date(2025, 12, 1), date(2025, 12, 31))
