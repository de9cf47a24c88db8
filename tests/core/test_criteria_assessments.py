"""Assessing a commune: roll-up from indicators, refusals, copying last year, evidence."""

from datetime import date

import pytest

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Assessment, natural_id
from ntm_desktop.services import units
from ntm_desktop.services.criteria import catalogue, profiles
from ntm_desktop.services.criteria.assessments import (
    CellInput, copy_previous_year, attach_evidence, load_grid, roll_up, save_grid, set_status,
)
from ntm_desktop.services.criteria.catalogue import CriterionDef, IndicatorDef, SetDefinition
from ntm_desktop.services.criteria.statuses import CHUA_DAT, CO_BAN_DAT, DAT

from criteria_helpers import province_with_communes


def test_roll_up_rules():
    assert roll_up([DAT, DAT]) == DAT
    assert roll_up([DAT, CO_BAN_DAT]) == CO_BAN_DAT
    assert roll_up([DAT, CHUA_DAT, None]) == CHUA_DAT
    assert roll_up([DAT, None]) is None
    assert roll_up([]) is None


def _set_with_indicators(s):
    return catalogue.save_definition(s, SetDefinition(
        code="lc-2026", name="Bộ tiêu chí tỉnh", period_start=2026, period_end=2030,
        target_keys=["Nhóm 1", "Nhóm 2"], criteria=[
            CriterionDef("8", 8, "Môi trường", indicators=[
                IndicatorDef("8.1", "Tỷ lệ hộ dùng nước sạch", "%", "number", ">=", {"Nhóm 1": "90", "Nhóm 2": "80"}),
                IndicatorDef("8.2", "Tỷ lệ rác thải chưa xử lý", "%", "number", "<=", {"Nhóm 1": "5", "Nhóm 2": "10"}),
                IndicatorDef("8.3", "Cảnh quan xanh, sạch", "", "text", "=", {"Nhóm 1": "Đạt", "Nhóm 2": "Đạt"}),
            ]),
            CriterionDef("9", 9, "Hệ thống chính trị"),
        ]))


def test_criterion_status_follows_its_indicators(db):
    with db.transaction() as s:
        province, (commune,) = province_with_communes(s, ["Xã Bảo Hà"])
        set_id = _set_with_indicators(s)
        profiles.save_profile(s, commune, 2026, set_id, "Nhóm 2")
        grid = load_grid(s, commune, 2026)
        ids = {r.code: r.target_id for r in grid.rows}
        assert [r.target for r in grid.rows if r.kind == "indicator"] == ["≥ 80", "≤ 10", "Đạt"]
        # 85 % ≥ 80 (group 2 target), 12 % > 10: the second indicator fails, so the criterion does.
        save_grid(s, commune, 2026, [CellInput("indicator", ids["8.1"], measured_value="85"),
                                     CellInput("indicator", ids["8.2"], measured_value="12,0"),
                                     CellInput("indicator", ids["8.3"], DAT)], province, date(2026, 5, 4))
        rows = {r.code: r for r in load_grid(s, commune, 2026).rows}
        assert (rows["8.1"].status, rows["8.2"].status, rows["8"].status) == (DAT, CHUA_DAT, CHUA_DAT)
        assert rows["8"].derived and rows["8"].assessed_on == date(2026, 5, 4)
        save_grid(s, commune, 2026, [CellInput("indicator", ids["8.2"], measured_value="7")], province, None)
        assert {r.code: r.status for r in load_grid(s, commune, 2026).rows}["8"] == DAT
        # A status typed on a derived criterion is ignored: its indicators decide.
        save_grid(s, commune, 2026, [CellInput("criterion", ids["8"], CHUA_DAT)], province, None)
        assert {r.code: r.status for r in load_grid(s, commune, 2026).rows}["8"] == DAT
        set_status(s, commune, 2026, "9", CO_BAN_DAT)
        assert {r.code: r.status for r in load_grid(s, commune, 2026).rows}["9"] == CO_BAN_DAT


def test_one_record_per_cell_with_a_derived_id(db):
    with db.transaction() as s:
        _p, (commune,) = province_with_communes(s, ["Xã Cốc San"])
        set_status(s, commune, 2024, "17", DAT)
        set_status(s, commune, 2024, "17", CHUA_DAT)
        rows = s.query(Assessment).filter_by(unit_id=commune, year=2024).all()
        assert len(rows) == 1 and rows[0].status == CHUA_DAT
        assert rows[0].id == natural_id("assessment", commune, 2024, rows[0].criterion_id)


def test_a_unit_that_is_not_a_commune_is_refused(db):
    with db.transaction() as s:
        province, _ = province_with_communes(s, ["Xã A"])
        with pytest.raises(ValidationError, match="không phải là đơn vị cấp xã"):
            load_grid(s, province, 2024)
        office = units.create_unit(s, code="T-PNN", name="Phòng Nông nghiệp", level_code="phong")
        with pytest.raises(ValidationError, match="không phải là đơn vị cấp xã"):
            set_status(s, office, 2024, "1", DAT)


def test_a_year_outside_the_set_period_is_refused(db):
    with db.transaction() as s:
        _p, (commune,) = province_with_communes(s, ["Xã A"])
        old = catalogue.set_for_year(s, 2024)
        with pytest.raises(ValidationError, match="Năm 2027 nằm ngoài giai đoạn 2021-2025"):
            profiles.save_profile(s, commune, 2027, old.id)
        with pytest.raises(ValidationError, match="Chưa có bộ tiêu chí"):
            load_grid(s, commune, 2019)
        with pytest.raises(ValidationError, match="không có trong danh sách vùng"):
            profiles.save_profile(s, commune, 2024, old.id, "Vùng trăng")


def test_copy_last_year_fills_only_empty_cells(db):
    with db.transaction() as s:
        province, (commune,) = province_with_communes(s, ["Xã Hợp Thành"])
        for code in ("1", "2", "3"):
            set_status(s, commune, 2024, code, DAT, province, date(2024, 11, 2))
        set_status(s, commune, 2025, "2", CHUA_DAT)
        assert copy_previous_year(s, commune, 2025) == 2
        statuses = {r.code: r.status for r in load_grid(s, commune, 2025).rows}
        assert (statuses["1"], statuses["2"], statuses["3"], statuses["4"]) == (DAT, CHUA_DAT, DAT, None)
        with pytest.raises(ValidationError, match="chưa có kết quả đánh giá năm 2022"):
            copy_previous_year(s, commune, 2023)


def test_evidence_file_is_kept_by_its_hash(db, workspace, tmp_path):
    source = tmp_path / "bien-ban.pdf"
    source.write_bytes(b"%PDF-1.4 bien ban tham dinh")
    with db.transaction() as s:
        _p, (commune,) = province_with_communes(s, ["Xã A"])
        grid = load_grid(s, commune, 2024)
        sha = attach_evidence(s, workspace.folder.files, commune, 2024, grid.rows[0].target_id, source)
        row = load_grid(s, commune, 2024).rows[0]
    assert row.evidence_sha256 == sha and row.evidence_name == "bien-ban.pdf"
    assert (workspace.folder.files / sha[:2] / sha).read_bytes() == source.read_bytes()
