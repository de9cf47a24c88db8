"""The shipped criteria sets load as versioned data."""

from ntm_desktop.models import CriteriaSet
from ntm_desktop.services.criteria import catalogue
from ntm_desktop.text import nfc


def test_shipped_sets_install_with_their_criteria(db):
    with db.transaction() as s:
        assert catalogue.install_shipped_sets(s) == 2
        assert catalogue.install_shipped_sets(s) == 0  # idempotent
        rows = {r.code: r for r in catalogue.set_rows(s)}
        assert rows["xa-ntm-2021-2025"].criteria_count == 19
        assert rows["xa-ntm-2026-2030"].criteria_count == 10
        old = catalogue.set_for_year(s, 2024)
        new = catalogue.set_for_year(s, 2027)
        assert (old.code, new.code) == ("xa-ntm-2021-2025", "xa-ntm-2026-2030")
        criteria = catalogue.criteria_of(s, old.id)
        assert [c.number for c in criteria] == list(range(1, 20))
        assert criteria[16].name == "Môi trường và an toàn thực phẩm"
        assert criteria[16].group_name == "Văn hóa - Xã hội - Môi trường"
        assert all(c.name == nfc(c.name) for c in criteria)
        assert len(old.target_keys) == 7 and old.target_keys[0] == "Trung du và miền núi phía Bắc"
        assert new.target_keys == ["Nhóm 1", "Nhóm 2", "Nhóm 3"]
        assert catalogue.set_for_year(s, 2019) is None


def test_a_new_version_keeps_the_old_one(db):
    with db.transaction() as s:
        catalogue.install_shipped_sets(s)
        definition = catalogue.shipped_definitions()[0]
        definition.version = None
        definition.name = "Bộ tiêu chí xã NTM tỉnh Lào Cai 2021-2025"
        new_id = catalogue.save_definition(s, definition)
        versions = sorted(r.version for r in catalogue.set_rows(s) if r.code == definition.code)
        assert versions == [1, 2]
        assert catalogue.set_for_year(s, 2023).id == new_id
        assert s.get(CriteriaSet, new_id).set_version == 2
