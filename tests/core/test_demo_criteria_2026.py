"""The demo's criteria story reaches the 2026-2030 period once 2026 has come."""

from datetime import date

from ntm_desktop.services.criteria import profiles, transition
from ntm_desktop.services.criteria.matrix import build_matrix
from ntm_desktop.services.demo import build_demo


def test_in_december_2026_the_demo_has_communes_of_each_group_assessed_on_the_new_set(db):
    with db.transaction("demo") as s:
        build_demo(s, today=date(2026, 12, 2))
        matrix = build_matrix(s, 2026)
        lines = {line.name: line for line in matrix.communes}
        pending = [name for _id, name in transition.communes_to_move(s, 2026)]
        hop_thanh = next(r for r in profiles.recognitions(s, [lines["Xã Hợp Thành"].unit_id]))
    assert matrix.set_name.endswith("2026 - 2030") and matrix.total_criteria == 10
    assert {line.target_key for line in matrix.communes} == {"Nhóm 1", "Nhóm 2", "Nhóm 3"}
    assessed = [line for line in matrix.communes if line.met]
    assert len(assessed) >= 5 and all(line.total == 10 for line in assessed)
    assert lines["Xã Tả Phìn"].met == 0  # moved, not assessed yet
    assert pending == ["Xã Mường Bo"]  # still to move: the page offers the step
    assert hop_thanh.decision_date == date(2025, 12, 26) and hop_thanh.set_name.endswith("2021 - 2025")
    assert build_matrix(s, 2025).total_criteria == 19


def test_before_2026_the_demo_stays_in_the_2021_2025_period(db):
    with db.transaction("demo") as s:
        build_demo(s, today=date(2025, 10, 1))
        assert build_matrix(s, 2026).communes == ()
        assert len(build_matrix(s, 2025).communes) == 8
