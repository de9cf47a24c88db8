"""The limits the forms, the Excel import and sync share: text length, year range, no report in the future."""

from datetime import date, datetime, timedelta

from ntm_desktop.services.field_limits import (FULL_TEXT, SHORT_TEXT, SYNC_GRACE, date_problem, json_depth,
                                               text_limit, year_problem)
from ntm_desktop.sync.identifiers import file_part, is_sha256, is_unit_code, is_uuid

TODAY = date(2026, 5, 20)


def test_text_limits_per_column_and_by_kind():
    assert text_limit("directives", "full_text") == FULL_TEXT
    assert text_limit("directives", "subject") == SHORT_TEXT
    assert text_limit("recognitions", "note") == 100_000  # a Text column not listed: the default
    assert text_limit("units", "name", 300) == 300  # a String(n): n


def test_years_from_1945_to_ten_years_ahead():
    assert year_problem(1945, TODAY) is None and year_problem(2036, TODAY) is None
    assert "1945–2036" in year_problem(1944, TODAY) and year_problem(2037, TODAY)


def test_a_report_is_not_in_the_future_beyond_the_grace():
    report = ("progress_updates", "reported_on")
    assert date_problem(*report, TODAY, TODAY) is None
    assert "ở tương lai" in date_problem(*report, TODAY + timedelta(days=1), TODAY)
    assert date_problem(*report, TODAY + timedelta(days=1), TODAY, grace=SYNC_GRACE) is None
    assert "31/12/2099" in date_problem(*report, date(2099, 12, 31), TODAY, grace=SYNC_GRACE)
    assert date_problem("tasks", "due_date", date(2030, 1, 1), TODAY) is None  # a deadline may be ahead
    assert date_problem("units", "updated_at", datetime(1900, 1, 1), TODAY)


def test_json_depth_is_counted_without_recursion():
    assert json_depth(1) == 0 and json_depth({"a": [1]}) == 2
    deep = []
    for _ in range(100_000):
        deep = [deep]
    assert json_depth(deep, limit=3) == 4


def test_what_ids_hashes_and_codes_look_like():
    assert is_uuid("6f1d3c2a-9b1e-5c7d-8a4f-0e2b7c9d1a35") and not is_uuid("6f1d3c2a-9b1e-5c7d-8a4f-0e2b7c9d1a35\n")
    assert is_sha256("a" * 64) and not is_sha256("A" * 64) and not is_sha256("./../ntm.sqlite3")
    assert is_unit_code("XÃ-A") and is_unit_code("LC-VPDP") and not is_unit_code("../x") and not is_unit_code("XA A")
    assert not is_unit_code("..") and not is_unit_code("C:x")
    assert file_part("XÃ-Đông/../..") == "XA-Dong" and file_part("../..") == "x"
