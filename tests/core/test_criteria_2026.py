"""The 2026-2030 commune set: what the shipped data holds, the year-to-set rule, targets per commune group."""

from datetime import date

from openpyxl import load_workbook

from ntm_desktop.services.criteria import catalogue, periods, profiles, transition
from ntm_desktop.services.criteria.assessments import CellInput, load_grid, save_grid
from ntm_desktop.services.criteria.matrix import build_matrix
from ntm_desktop.services.criteria.statuses import CHUA_DAT, DAT
from ntm_desktop.services.criteria.warnings import PLAN_AT_RISK, REVOCATION, notes_for_year, warnings_for_year
from ntm_desktop.services.criteria.xlsx_import import import_set

from criteria_files import NEW_NAMES, province_file_2026 as _province_file
from criteria_helpers import province_with_communes


def test_the_2026_set_has_ten_criteria_and_declares_47_indicators_it_does_not_list_yet(db):
    with db.transaction() as s:
        catalogue.install_shipped_sets(s)
        new = catalogue.set_for_year(s, 2026)
        assert new.code == "xa-ntm-2026-2030"
        assert "Quyết định số 51/2025/QĐ-TTg" in new.legal_basis
        assert new.in_force_from == date(2026, 2, 15)
        assert [c.name for c in catalogue.criteria_of(s, new.id)] == NEW_NAMES
        assert new.indicator_count == 47  # declared by the decision
        assert catalogue.indicators_of(s, new.id) == []  # the annex table is not in the shipped data
        row = next(r for r in catalogue.set_rows(s) if r.id == new.id)
        assert (row.criteria_count, row.declared_indicators, row.indicators_missing) == (10, 47, 47)
        assert new.target_keys == ["Nhóm 1", "Nhóm 2", "Nhóm 3"]
        notes = periods.set_notes(s, new)
        assert any("47 chỉ tiêu" in n and periods.UNCONFIRMED in n for n in notes)
        assert [b[0] for b in periods.bands_of(new, 10)] == [
            "10 tiêu chí", "7-9 tiêu chí", "5-6 tiêu chí", "3-4 tiêu chí", "Dưới 3 tiêu chí"]
        old = catalogue.set_for_year(s, 2025)
        assert old.indicator_count == 57 and periods.bands_of(old, 19)[0] == ("19 tiêu chí", 19)


def test_a_year_uses_the_set_in_force_at_the_2025_2026_boundary(db):
    with db.transaction() as s:
        province, (commune,) = province_with_communes(s, ["Xã Bảo Hà"])
        assert catalogue.set_for_year(s, 2025).code == "xa-ntm-2021-2025"
        assert catalogue.set_for_year(s, 2026).code == "xa-ntm-2026-2030"
        assert len([r for r in load_grid(s, commune, 2025).rows if r.kind == "criterion"]) == 19
        grid = load_grid(s, commune, 2026)  # the 2026 profile follows the 2025 one onto the new set
        assert grid.set_name == "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026 - 2030"
        assert [r.name for r in grid.rows] == NEW_NAMES
        # A decision's day: the new set only from the day it takes effect.
        assert periods.set_in_force_on(s, date(2026, 2, 14)).code == "xa-ntm-2021-2025"
        assert periods.set_in_force_on(s, date(2026, 2, 15)).code == "xa-ntm-2026-2030"
        january = profiles.add_recognition(s, commune, "ntm", "15/QĐ-UBND", date(2026, 1, 20))
        december = profiles.add_recognition(s, commune, "ntm", "2210/QĐ-UBND", date(2026, 12, 22))
        named = {r.id: r.set_name for r in profiles.recognitions(s, [commune])}
        assert named[january].endswith("2021 - 2025") and named[december].endswith("2026 - 2030")


def test_a_group_target_gives_dat_to_one_commune_and_chua_dat_to_another_with_the_same_value(db, tmp_path):
    with db.transaction() as s:
        province, (near_town, mountain) = province_with_communes(s, ["Xã Cốc San", "Xã Tả Phìn"])
        for commune in (near_town, mountain):
            profiles.save_profile(s, commune, 2025, target_key="Trung du và miền núi phía Bắc")
        result = import_set(s, _province_file(tmp_path))
        assert (result.version, result.criteria, result.indicators) == (2, 10, 2)
        province_set = catalogue.get_set(s, result.set_id)  # the template's set rows, as a province fills them
        assert (province_set.in_force_from, province_set.indicator_count) == (date(2026, 2, 15), 47)
        assert [b[0] for b in periods.bands_of(province_set, 10)] == [
            "10 tiêu chí", "7-9 tiêu chí", "5-6 tiêu chí", "3-4 tiêu chí", "Dưới 3 tiêu chí"]
        transition.carry_over(s, near_town, 2026, "Nhóm 1")
        transition.carry_over(s, mountain, 2026, "Nhóm 3")
        statuses = {}
        for commune in (near_town, mountain):
            grid = load_grid(s, commune, 2026)
            assert grid.set_id == result.set_id
            row = next(r for r in grid.rows if r.code == "6.1")
            save_grid(s, commune, 2026, [CellInput("indicator", row.target_id, measured_value="75")], province,
                      date(2026, 11, 20))
            statuses[commune] = {r.code: r for r in load_grid(s, commune, 2026).rows}
    assert statuses[near_town]["6.1"].target == "≥ 80" and statuses[near_town]["6.1"].status == CHUA_DAT
    assert statuses[mountain]["6.1"].target == "≥ 70" and statuses[mountain]["6.1"].status == DAT
    unchecked = statuses[mountain]["6.2"]
    assert not unchecked.confirmed and unchecked.shown_name.endswith(periods.UNCONFIRMED)
    assert statuses[mountain]["6.1"].shown_name == "Tỷ lệ hộ được hưởng chính sách (chỉ tiêu mẫu của tỉnh)"


def _assess(s, commune, year, unmet, office):
    grid = load_grid(s, commune, year)
    cells = [CellInput("criterion", r.target_id, CHUA_DAT if r.code in unmet else DAT)
             for r in grid.rows if r.kind == "criterion"]
    save_grid(s, commune, year, cells, office, date(year, 11, 1))


def test_2026_bands_summary_and_warnings_follow_the_new_set(db):
    with db.transaction() as s:
        province, (slipping, planned) = province_with_communes(s, ["Xã Phong Hải", "Xã Bảo Hà"])
        profiles.add_recognition(s, slipping, "ntm", "2417/QĐ-UBND", date(2021, 12, 28))
        profiles.save_profile(s, planned, 2026, target_key="Nhóm 2", planned_year=2026)
        _assess(s, slipping, 2026, {"3", "6", "7", "8", "9", "10"}, province)  # 6/10 not met: 60 %
        _assess(s, planned, 2026, {"7"}, province)
        matrix = build_matrix(s, 2026)
        found = warnings_for_year(s, 2026, today=date(2026, 12, 2))
        notes = notes_for_year(s, 2026)
    assert matrix.total_criteria == 10 and matrix.target_label == "Nhóm xã"
    assert [label for label, _n in matrix.band_counts] == [
        "10 tiêu chí", "7-9 tiêu chí", "5-6 tiêu chí", "3-4 tiêu chí", "Dưới 3 tiêu chí"]
    assert dict(matrix.band_counts) == {"10 tiêu chí": 0, "7-9 tiêu chí": 1, "5-6 tiêu chí": 0,
                                        "3-4 tiêu chí": 1, "Dưới 3 tiêu chí": 0}
    assert {line.name: line.result for line in matrix.communes} == {"Xã Bảo Hà": "9/10", "Xã Phong Hải": "4/10"}
    # No revocation rule for 2026-2030 in the data: no warning by the 2021-2025 rule, and the page says why.
    assert not [w for w in found if w.kind == REVOCATION]
    assert len(notes) == 1 and "2026 - 2030" in notes[0] and "chưa xác nhận" in notes[0]
    plan = next(w for w in found if w.kind == PLAN_AT_RISK)
    assert plan.unit_name == "Xã Bảo Hà" and "7. Khoa học công nghệ và chuyển đổi số" in plan.message


def test_a_province_file_with_bands_out_of_order_or_a_bad_confirmation_is_refused_whole(db, tmp_path):
    import pytest

    from ntm_desktop.errors import ValidationError

    path = _province_file(tmp_path)
    book = load_workbook(path)
    for row in book["Bộ tiêu chí"].iter_rows(min_row=2):
        if str(row[0].value).startswith("Nhóm tổng hợp"):
            row[1].value = "7-9; 10; dưới 3"
    book["Chỉ tiêu"]["J2"] = "có lẽ"
    book.save(path)
    with db.transaction() as s:
        with pytest.raises(ValidationError) as refused:
            import_set(s, path)
        assert catalogue.latest_version(s, "xa-ntm-2026-2030") == 0
    text = str(refused.value)
    assert "các mức phải xếp từ cao xuống thấp" in text
    assert "cột J (“Đã xác nhận”): ghi “có” hoặc “không”, không phải “có lẽ”" in text
