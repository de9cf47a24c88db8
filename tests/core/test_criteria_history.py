"""After a merger the successor commune shows its predecessors' history."""

from datetime import date

from ntm_desktop.services import units
from ntm_desktop.services.criteria import profiles
from ntm_desktop.services.criteria.assessments import set_status
from ntm_desktop.services.criteria.history import commune_history
from ntm_desktop.services.criteria.statuses import DAT

from criteria_helpers import province_with_communes


def test_history_across_a_merger(db):
    with db.transaction() as s:
        _p, (xuan_giao, thai_nien, gia_phu) = province_with_communes(s, ["Xã Xuân Giao", "Xã Thái Niên", "Xã Gia Phú"])
        for code in ("1", "2", "3"):
            set_status(s, xuan_giao, 2024, code, DAT)
        set_status(s, thai_nien, 2024, "1", DAT)
        profiles.add_recognition(s, xuan_giao, "ntm", "3012/QĐ-UBND", date(2023, 12, 15))
        units.merge_units(s, [xuan_giao, thai_nien], gia_phu, date(2025, 7, 1))
        set_status(s, gia_phu, 2025, "1", DAT)
        history = commune_history(s, gia_phu)
        alone = commune_history(s, thai_nien)
    assert [(r.year, r.unit_name, r.result, r.own) for r in history.results] == [
        (2024, "Xã Thái Niên", "1/19", False), (2024, "Xã Xuân Giao", "3/19", False), (2025, "Xã Gia Phú", "1/19", True)]
    assert [r.decision_number for r in history.recognitions] == ["3012/QĐ-UBND"]
    assert history.predecessor_names == ("Xã Thái Niên", "Xã Xuân Giao")
    assert [r.year for r in alone.results] == [2024] and alone.predecessor_names == ()
