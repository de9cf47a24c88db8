"""The province's coordination office sits beside its communes under the province, and keeps their tree:
its later changes-only packages (a new commune, an edited criteria set) are taken by a commune it set up."""

from __future__ import annotations

from sqlalchemy import select

from ntm_desktop.models import CriteriaSet, Unit
from ntm_desktop.services import units
from ntm_desktop.sync.apply import apply_file, preview_file
from ntm_desktop.sync.export import export_package
from ntm_desktop.sync.setup import set_up_from_package
from ntm_desktop.workspace import open_workspace

from tests.core.test_sync_setup import COMMUNE, build_province, fingerprint, package_for


def test_a_commune_takes_the_coordination_office_s_later_changes(tmp_path):
    province = build_province(tmp_path)
    commune = open_workspace(tmp_path / "xa")
    set_up_from_package(commune, package_for(province, COMMUNE, tmp_path / "usb1"), user="Cán bộ xã",
                        confirmed_key=fingerprint(province))

    with province.db.transaction("Văn thư tỉnh") as s:
        lc = s.scalar(select(Unit.id).where(Unit.code == "LC"))
        office = s.scalar(select(Unit.id).where(Unit.code == "LC-VPDP"))
        new_unit = units.create_unit(s, code="LC-XMUONGBO", name="Ủy ban nhân dân xã Mường Bo", level_code="xa",
                                     parent_id=lc)
        s.get(Unit, new_unit).owner_unit_id = office
        criteria_set = s.scalars(select(CriteriaSet)).first()
        criteria_set.name = criteria_set.name + " (bản của tỉnh)"
        set_id = criteria_set.id
        delta = export_package(s, province.folder.files, COMMUNE, None, out_dir=tmp_path / "usb2").path

    plan = preview_file(commune, delta)
    assert plan.rejections() == []
    assert apply_file(commune, delta, user="Cán bộ xã").status == "applied"
    with commune.db.transaction() as s:
        assert s.scalar(select(Unit.name).where(Unit.code == "LC-XMUONGBO")) == "Ủy ban nhân dân xã Mường Bo"
        assert s.get(CriteriaSet, set_id).name.endswith("(bản của tỉnh)")
