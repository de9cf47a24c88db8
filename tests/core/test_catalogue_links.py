"""Units typed by hand linked to the catalogue later (their records kept), and old names that resolve."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from ntm_desktop.catalogue import OfficeChoice, set_up_office, unit_id
from ntm_desktop.catalogue.former import find_former_units, link_former_units
from ntm_desktop.catalogue.linking import link_unit
from ntm_desktop.models import Directive, Task, Unit
from ntm_desktop.parsing.units import match_unit
from ntm_desktop.services import paste, settings, units
from ntm_desktop.services.directives import DirectiveInput, create_directive
from ntm_desktop.services.office import NewUnit, set_up_by_hand
from ntm_desktop.services.tasks import TaskInput, create_task
from ntm_desktop.sync.apply import apply_file
from ntm_desktop.workspace import open_workspace
from test_sync_world import know_key, send


def hand_made_commune(root):
    """Xã Mường Bo's office as it was set up before the catalogue: by hand, with its own codes, a village and a
    directive with a task."""
    ws = open_workspace(root)
    with ws.db.transaction("cán bộ") as s:
        office = set_up_by_hand(s, office=NewUnit("LC-MUONGBO", "Ủy ban nhân dân xã Mường Bo", "xa"),
                                new_parent=NewUnit("LC", "Ủy ban nhân dân tỉnh Lào Cai", "tinh"))
        province = s.get(Unit, office).parent_id
        village = units.create_unit(s, code="LC-MUONGBO-THON1", name="Thôn Bản Bo", level_code="thon",
                                    parent_id=office)
        directive = create_directive(s, office, DirectiveInput(
            arrival_date=date(2026, 3, 2), arrival_number=1, issuer_unit_id=province, number_symbol="12/KH-UBND",
            doc_date=date(2026, 2, 27), doc_type="KH", subject="Kế hoạch nông thôn mới năm 2026"))
        task = create_task(s, TaskInput(directive_id=directive, summary="Làm đường thôn Bản Bo", lead_unit_id=office))
    return ws, {"office": office, "province": province, "village": village, "directive": directive, "task": task}


def test_a_hand_made_office_linked_later_keeps_its_records_under_the_catalogue_identity(tmp_path):
    ws, ids = hand_made_commune(tmp_path / "xa")
    with ws.db.transaction("cán bộ") as s:
        assert link_unit(s, ids["province"], "15").rekeyed
        linked = link_unit(s, ids["office"], "03043")
    assert linked.rekeyed and linked.unit_id == unit_id("03043")
    with ws.db.transaction() as s:
        assert settings.office_unit_id(s) == unit_id("03043")
        assert s.get(Unit, ids["office"]) is None and s.get(Unit, ids["province"]) is None
        office = s.get(Unit, unit_id("03043"))
        assert (office.code, office.name, office.parent_id) == ("03043", "Ủy ban nhân dân xã Mường Bo", unit_id("15"))
        assert s.get(Unit, ids["village"]).parent_id == unit_id("03043")
        assert s.get(Task, ids["task"]).lead_unit_id == unit_id("03043")
        directive = s.get(Directive, ids["directive"])
        assert directive.office_unit_id == unit_id("03043") and directive.issuer_unit_id == unit_id("15")
        assert sorted(s.scalars(select(Unit.code))) == ["03043", "15", "15-VPDP", "LC-MUONGBO-THON1"]

    # now its packages agree with the province's, set up from the catalogue on its own
    province = open_workspace(tmp_path / "tinh")
    with province.db.transaction("cán bộ") as s:
        set_up_office(s, OfficeChoice("vpdp", "15"))
    know_key(province, ws)
    result = apply_file(province, send(ws, "15-VPDP", tmp_path / "goi"), user="Văn thư tỉnh")
    assert result.summary["rejected"] == []
    assert result.summary["counts"]["units"]["unchanged"] == 3 and result.summary["counts"]["units"]["new"] == 1
    with province.db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Unit).where(Unit.name == "Ủy ban nhân dân xã Mường Bo")) == 1
        assert s.get(Unit, ids["village"]).parent_id == unit_id("03043")
    for w in (ws, province):
        w.close()


def test_a_unit_already_sent_keeps_its_id_and_names_the_catalogue_unit_as_successor(tmp_path):
    ws, ids = hand_made_commune(tmp_path / "xa")
    send(ws, "LC", tmp_path / "goi")  # its records have left: others know the hand-made ids
    with ws.db.transaction("cán bộ") as s:
        linked = link_unit(s, ids["office"], "03043", today=date(2026, 4, 1))
    assert not linked.rekeyed and linked.unit_id == ids["office"]
    with ws.db.transaction() as s:
        old = s.get(Unit, ids["office"])
        assert old.successor_id == unit_id("03043") and old.valid_to == date(2026, 3, 31)
        assert s.get(Task, ids["task"]).lead_unit_id == ids["office"]  # its records stay on it
        assert [r.name for r in units.predecessors(s, unit_id("03043"))] == ["Ủy ban nhân dân xã Mường Bo"]
    ws.close()


def test_units_from_before_the_reform_get_their_successors(tmp_path):
    ws = open_workspace(tmp_path / "tinh")
    with ws.db.transaction("cán bộ") as s:
        set_up_office(s, OfficeChoice("vpdp", "15"))
        made = {name: units.create_unit(s, code=code, name=name, level_code=level, parent_id=unit_id("15"))
                for code, name, level in [
                    ("LC-LIENMINH", "Ủy ban nhân dân xã Liên Minh", "xa"),
                    ("LC-VANBAN", "UBND huyện Văn Bàn", "huyen"),
                    ("YB", "Ủy ban nhân dân tỉnh Yên Bái", "tinh"),
                    ("LC-TT", "Ủy ban nhân dân thị trấn Khánh Yên", "xa"),
                    ("LC-X", "Ủy ban nhân dân xã Không Có", "xa")]}
    with ws.db.transaction("cán bộ") as s:
        found = {link.unit_name: link for link in find_former_units(s)}
        assert set(found) == {"Ủy ban nhân dân xã Liên Minh", "UBND huyện Văn Bàn", "Ủy ban nhân dân tỉnh Yên Bái",
                              "Ủy ban nhân dân thị trấn Khánh Yên"}
        assert found["UBND huyện Văn Bàn"].successor is None
        assert link_former_units(s) == 4
    with ws.db.transaction() as s:
        lien_minh = s.get(Unit, made["Ủy ban nhân dân xã Liên Minh"])
        assert lien_minh.successor_id == unit_id("03043") and lien_minh.valid_to == date(2025, 6, 30)
        assert s.get(Unit, made["Ủy ban nhân dân tỉnh Yên Bái"]).successor_id == unit_id("15")
        assert s.get(Unit, made["Ủy ban nhân dân thị trấn Khánh Yên"]).successor_id == unit_id("03082")  # Xã Văn Bàn
        van_ban = s.get(Unit, made["UBND huyện Văn Bàn"])
        assert van_ban.valid_to == date(2025, 6, 30) and van_ban.successor_id is None
        assert s.get(Unit, made["Ủy ban nhân dân xã Không Có"]).successor_id is None
        assert [r.name for r in units.predecessors(s, unit_id("03043"))] == ["Ủy ban nhân dân xã Liên Minh"]
        assert find_former_units(s) == []  # linked once
    ws.close()


def test_the_parser_matches_old_and_new_names_of_a_commune(tmp_path):
    ws = open_workspace(tmp_path / "tinh")
    with ws.db.transaction("cán bộ") as s:
        set_up_office(s, OfficeChoice("vpdp", "15"))
        known = paste.known_units(s)
    assert match_unit("UBND xã Mường Bo", known) == unit_id("03043")
    assert match_unit("Ủy ban nhân dân xã Liên Minh", known) == unit_id("03043")  # merged into Mường Bo
    assert match_unit("UBND phường Phan Si Păng", known) == unit_id("03006")  # now Phường Sa Pa
    assert match_unit("UBND xã Nhân Mục", known) is None  # a commune of Tuyên Quang, not of this tree
    ws.close()
