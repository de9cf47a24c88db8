"""Warnings: the revocation rule at its boundaries, plans at risk, stale assessments."""

from datetime import date

import pytest

from ntm_desktop.services.criteria import profiles
from ntm_desktop.services.criteria.assessments import CellInput, load_grid, save_grid
from ntm_desktop.services.criteria.warnings import PLAN_AT_RISK, REVOCATION, STALE, load_rules, rule_for, warnings_for_year
from ntm_desktop.services.criteria.statuses import CHUA_DAT, DAT

from criteria_helpers import province_with_communes

RULE = rule_for("xa-ntm-2021-2025", load_rules())


@pytest.mark.parametrize("unmet, key, expected", [
    (29, False, False), (29, True, False), (30, True, True), (30, False, False),
    (49, True, True), (49, False, False), (50, False, True), (50, True, True),
])
def test_rule_boundaries_in_percent(unmet, key, expected):
    names = ["Thu nhập"] if key else ["Giao thông"]
    assert RULE.triggered(unmet, 100, names) is expected


def test_rule_on_nineteen_criteria():
    # 5/19 = 26 % (below 30), 6/19 = 32 %, 9/19 = 47 %, 10/19 = 53 %.
    assert not RULE.triggered(5, 19, ["Quốc phòng và An ninh"])
    assert RULE.triggered(6, 19, ["Quốc phòng và An ninh"])
    assert RULE.triggered(6, 19, ["Môi trường và an toàn thực phẩm"])
    assert not RULE.triggered(9, 19, ["Giao thông", "Điện"])
    assert RULE.triggered(10, 19, ["Giao thông"])


def _assess(s, commune, year, unmet_codes, office):
    grid = load_grid(s, commune, year)
    cells = [CellInput("criterion", r.target_id, CHUA_DAT if r.code in unmet_codes else DAT) for r in grid.rows]
    save_grid(s, commune, year, cells, office, date(year, 11, 1))


def test_warnings_for_a_year(db):
    with db.transaction() as s:
        province, (kept, slipping, planned, key_safe) = province_with_communes(
            s, ["Xã Cốc San", "Xã Phong Hải", "Xã Gia Phú", "Xã Bảo Hà"])
        _assess(s, kept, 2025, {"13"}, province)
        _assess(s, slipping, 2025, {"2", "5", "9", "10", "12", "13"}, province)  # 6/19 with Thu nhập
        _assess(s, key_safe, 2025, {"2", "5", "9", "11", "12", "13"}, province)  # 6/19, no key criterion
        profiles.save_profile(s, planned, 2025, planned_year=2025)
        _assess(s, planned, 2025, {"13", "17"}, province)
        for commune in (kept, slipping, key_safe):
            profiles.add_recognition(s, commune, "ntm", "1/QĐ-UBND", date(2022, 12, 1))
        revoked = profiles.add_recognition(s, planned, "ntm", "2/QĐ-UBND", date(2022, 12, 1))
        profiles.revoke_recognition(s, revoked, "9/QĐ-UBND", date(2024, 3, 1))
        found = warnings_for_year(s, 2025, today=date(2026, 1, 10))
        later = warnings_for_year(s, 2025, today=date(2026, 11, 20))
    kinds = {(w.kind, w.unit_name) for w in found}
    assert kinds == {(REVOCATION, "Xã Phong Hải"), (PLAN_AT_RISK, "Xã Gia Phú")}
    plan = next(w for w in found if w.kind == PLAN_AT_RISK)
    assert "13. Tổ chức sản xuất" in plan.message and "17. Môi trường" in plan.message
    assert {w.unit_name for w in later if w.kind == STALE} == {"Xã Cốc San", "Xã Phong Hải", "Xã Gia Phú", "Xã Bảo Hà"}
