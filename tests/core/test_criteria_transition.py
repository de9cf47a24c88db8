"""Moving a commune from 2025 (2021-2025 set) into 2026 (2026-2030 set): what carries over, what starts anew."""

from datetime import date

import pytest

from ntm_desktop.errors import ValidationError
from ntm_desktop.services.criteria import assessments, links, profiles, transition
from ntm_desktop.services.criteria.assessments import CellInput, load_grid, save_grid
from ntm_desktop.services.criteria.matrix import build_matrix
from ntm_desktop.services.criteria.statuses import CHUA_DAT, DAT
from ntm_desktop.services.tasks import complete_task

from core_factories import make_directive, make_office, make_task
from criteria_helpers import province_with_communes

OLD, NEW = "xa-ntm-2021-2025", "xa-ntm-2026-2030"


@pytest.fixture
def commune_2025(workspace, db, tmp_path):
    """Xã Bảo Hà in 2025: 17/19, planned for 2026, recognised in 2021, evidence on criterion 8, two tasks."""
    evidence = tmp_path / "bien-ban-tham-dinh-tc8.pdf"
    evidence.write_bytes(b"%PDF-1.4 minh chung")
    with db.transaction() as s:
        office = make_office(s)
        province, (commune,) = province_with_communes(s, ["Xã Bảo Hà"])
        profiles.save_profile(s, commune, 2025, target_key="Trung du và miền núi phía Bắc", planned_year=2026,
                              note="Xã vùng cao")
        grid = load_grid(s, commune, 2025)
        save_grid(s, commune, 2025, [CellInput("criterion", r.target_id, CHUA_DAT if r.code in ("10", "13") else DAT)
                                     for r in grid.rows], province, date(2025, 11, 15))
        criterion_8 = next(r.target_id for r in grid.rows if r.code == "8")
        assessments.attach_evidence(s, workspace.folder.files, commune, 2025, criterion_8, evidence)
        profiles.add_recognition(s, commune, "ntm", "2417/QĐ-UBND", date(2021, 12, 28))
        directive = make_directive(s, office, date(2025, 9, 1), 1)
        open_task = make_task(s, directive, office, summary="Hoàn thiện hạ tầng viễn thông thôn bản")
        done_task = make_task(s, directive, office, summary="Sửa chữa nhà văn hóa")
        links.link_task(s, open_task, commune, "8")
        links.link_task(s, done_task, commune, "6")
        complete_task(s, done_task, date(2025, 10, 1))
    return commune, open_task, done_task


def test_the_plan_shows_the_new_set_the_mapping_and_the_recognitions(db, commune_2025):
    commune, _open, _done = commune_2025
    with db.transaction() as s:
        assert [name for _id, name in transition.communes_to_move(s, 2026)] == ["Xã Bảo Hà"]
        plan = transition.plan_transition(s, commune, 2026)
    assert (plan.from_year, plan.to_year, plan.planned_year, plan.note) == (2025, 2026, 2026, "Xã vùng cao")
    assert plan.old_set_name.endswith("2021 - 2025") and plan.new_set_name.endswith("2026 - 2030")
    assert plan.target_keys == ("Nhóm 1", "Nhóm 2", "Nhóm 3") and plan.carried_over_on is None
    rows = {r.new_code: r for r in plan.mapping.rows}
    assert len(rows) == 10 and not plan.mapping.confirmed and "chưa xác nhận" in plan.mapping.basis
    assert [code for code, _n in rows["2"].old] == ["2", "3", "4", "5", "6", "7", "9"]
    assert rows["7"].old == (("8", "Thông tin và Truyền thông"),)
    assert plan.old_statuses["10"] == CHUA_DAT and plan.old_statuses["1"] == DAT
    assert [(e.new_code, e.old_code, e.file_name) for e in plan.evidence] == [("7", "8", "bien-ban-tham-dinh-tc8.pdf")]
    assert [code for _t, code in plan.open_links] == ["8"]  # the completed task is not moved
    assert [r.set_name for r in plan.recognitions] == ["Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021 - 2025"]


def test_carrying_over_starts_2026_on_the_new_set_with_what_carries(db, commune_2025):
    commune, open_task, done_task = commune_2025
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="Hãy chọn nhóm xã"):
            transition.carry_over(s, commune, 2026, "")
        result = transition.carry_over(s, commune, 2026, "Nhóm 3", today=date(2026, 3, 2))
        assert (result.evidence_moved, result.links_moved) == (1, 1)
        profile = profiles.get_profile(s, commune, 2026)
        assert (profile.target_key, profile.planned_year, profile.carried_over_on) == ("Nhóm 3", 2026, date(2026, 3, 2))
        grid = load_grid(s, commune, 2026)
        by_code = {r.code: r for r in grid.rows}
        assert len(by_code) == 10 and all(r.status is None for r in grid.rows)  # the new assessment starts empty
        assert by_code["7"].evidence_name == "bien-ban-tham-dinh-tc8.pdf"
        # The open task now counts under new criterion 7; its old link stays for 2025, not on new criterion 8.
        assert sorted(links.links_of_task(s, open_task)) == [(commune, "7"), (commune, "8")]
        assert [t.task_id for t in links.tasks_for_cell(s, commune, "7", set_code=NEW)] == [open_task]
        assert links.tasks_for_cell(s, commune, "8", set_code=NEW) == []
        assert [t.task_id for t in links.tasks_for_cell(s, commune, "8", set_code=OLD)] == [open_task]
        assert links.links_of_task(s, done_task) == [(commune, "6")]  # history untouched
        assert build_matrix(s, 2026).communes[0].open_tasks == (0, 0, 0, 0, 0, 0, 1, 0, 0, 0)
        assert build_matrix(s, 2025).communes[0].open_tasks[7] == 1  # 2025 still shows it on TT&TT
        old = {r.code: r.status for r in load_grid(s, commune, 2025).rows}
        assert old["10"] == CHUA_DAT and len(old) == 19  # 2025 stays as it was
        recognition = profiles.recognitions(s, [commune])[0]
        assert recognition.set_name.endswith("2021 - 2025")
        assert transition.communes_to_move(s, 2026) == []
        again = transition.carry_over(s, commune, 2026, "Nhóm 2")  # a second time: only the group changes
        assert (again.evidence_moved, again.links_moved) == (0, 0)
        assert profiles.get_profile(s, commune, 2026).target_key == "Nhóm 2"
        assert sorted(links.links_of_task(s, open_task)) == [(commune, "7"), (commune, "8")]


def test_last_years_results_are_not_copied_across_periods(db, commune_2025):
    commune, _open, _done = commune_2025
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="tiêu chí cùng số của hai bộ không phải là một"):
            assessments.copy_previous_year(s, commune, 2026)
        assert all(r.status is None for r in load_grid(s, commune, 2026).rows)


def test_a_year_inside_the_same_period_is_not_a_transition(db, commune_2025):
    commune, _open, _done = commune_2025
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="chưa có hồ sơ năm 2024"):
            transition.plan_transition(s, commune, 2025)
        transition.carry_over(s, commune, 2026, "Nhóm 1")
        with pytest.raises(ValidationError, match="Năm 2027 vẫn thuộc giai đoạn"):
            transition.plan_transition(s, commune, 2027)
