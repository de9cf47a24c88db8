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


def _catalogue_office(s, province_code: str) -> None:
    from ntm_desktop.catalogue import OfficeChoice, set_up_office
    from ntm_desktop.services.criteria import catalogue as criteria_sets

    criteria_sets.install_shipped_sets(s)
    set_up_office(s, OfficeChoice("vpdp", province_code))


def test_a_catalogue_commune_shows_the_old_communes_it_absorbed(db):
    """Xã Mường Bo (03043) was made in 2025 of Xã Liên Minh and the former Xã Mường Bo: the province typed
    Liên Minh by hand before the reform and assessed it; the new commune's history shows those results."""
    from ntm_desktop.catalogue import unit_id

    with db.transaction() as s:
        _catalogue_office(s, "15")
        lien_minh = units.create_unit(s, code="LC-LIENMINH", name="Ủy ban nhân dân xã Liên Minh", level_code="xa",
                                      parent_id=unit_id("15"))
        copy = units.create_unit(s, code="LC-MUONGBO", name="Ủy ban nhân dân xã Mường Bo", level_code="xa",
                                 parent_id=unit_id("15"))  # a copy of the new commune typed by hand: not a predecessor
        other = units.create_unit(s, code="LC-BANXEO", name="Ủy ban nhân dân xã Bản Xèo", level_code="xa",
                                  parent_id=unit_id("15"))
        for code in ("1", "2"):
            set_status(s, lien_minh, 2024, code, DAT)
        older = units.create_unit(s, code="LC-XOLD", name="Ủy ban nhân dân xã Nậm Xây cũ", level_code="xa",
                                  parent_id=unit_id("15"))  # merged into Liên Minh in 2024
        set_status(s, older, 2023, "1", DAT)
        units.merge_units(s, [older], lien_minh, date(2024, 1, 1))
        set_status(s, copy, 2024, "1", DAT)
        set_status(s, other, 2024, "1", DAT)
        set_status(s, unit_id("03043"), 2025, "1", DAT)
        history = commune_history(s, unit_id("03043"))
        profiles.add_recognition(s, lien_minh, "ntm", "1520/QĐ-UBND", date(2022, 12, 20))
        recognised = commune_history(s, unit_id("03043")).recognitions
    assert [(r.year, r.unit_name, r.result, r.own, r.part) for r in history.results] == [
        (2023, "Ủy ban nhân dân xã Nậm Xây cũ", "1/19", False, False),
        (2024, "Ủy ban nhân dân xã Liên Minh", "2/19", False, False),
        (2025, "Ủy ban nhân dân xã Mường Bo", "1/19", True, False)]
    assert history.predecessor_names == ("Ủy ban nhân dân xã Liên Minh", "Ủy ban nhân dân xã Nậm Xây cũ")
    assert [r.decision_number for r in recognised] == ["1520/QĐ-UBND"]


def test_a_divided_commune_shows_in_part_in_each_commune_that_got_a_part(db):
    """Phường Cống Vị (Hà Nội) went to Phường Ngọc Hà (the main part) and Phường Giảng Võ."""
    from ntm_desktop.catalogue import unit_id
    from ntm_desktop.catalogue.former import find_former_units, link_former_units

    with db.transaction() as s:
        _catalogue_office(s, "01")
        cong_vi = units.create_unit(s, code="HN-CONGVI", name="Ủy ban nhân dân phường Cống Vị", level_code="phuong",
                                    parent_id=unit_id("01"))
        set_status(s, cong_vi, 2024, "1", DAT)
        typed = units.create_unit(s, code="HN-NGOCHA", name="Ủy ban nhân dân phường Ngọc Hà", level_code="phuong",
                                  parent_id=unit_id("01"))  # the old Ngọc Hà (partly Ba Đình now), or the new one?
        set_status(s, typed, 2025, "1", DAT)
        assert link_former_units(s, [link for link in find_former_units(s) if link.unit_id == cong_vi]) == 1
        main = commune_history(s, unit_id("00008"))
        part = commune_history(s, unit_id("00025"))
        elsewhere = commune_history(s, unit_id("00004"))  # Phường Ba Đình: nothing of Cống Vị
    assert [(r.year, r.unit_name, r.own, r.part) for r in main.results] == [
        (2024, "Ủy ban nhân dân phường Cống Vị", False, False)]
    assert [(r.year, r.unit_name, r.own, r.part) for r in part.results] == [
        (2024, "Ủy ban nhân dân phường Cống Vị", False, True)]
    assert elsewhere.results == ()  # nor the Ngọc Hà typed by hand: the new Ngọc Hà bears that name too
