"""The forms keep the ownership rules sync keeps: a register holds only this office's directives, a directive's
tasks are its owner's, no record without an owner, a new unit only under this office or a unit it keeps.

The office here is a district office below the province, whose unit record the province keeps."""

from __future__ import annotations

from datetime import date

import pytest

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Directive, Unit
from ntm_desktop.services import paste, settings, tasks, units
from ntm_desktop.services.assignment import UnitChoice
from ntm_desktop.services.directives import DirectiveInput, create_directive, delete_directive, update_directive
from ntm_desktop.services.tasks import TaskInput

from hostile_helpers import data_digest

TODAY = date.today()


@pytest.fixture
def tree(workspace):
    """Province > district office (this office) > commune; a neighbouring district under the province."""
    with workspace.db.transaction("cán bộ") as s:
        province = units.create_unit(s, code="TINH", name="Ủy ban nhân dân tỉnh Tuyên Quang", level_code="tinh")
        office = units.create_unit(s, code="HUYEN", name="Văn phòng Điều phối nông thôn mới huyện Hàm Yên",
                                   level_code="phong", parent_id=province, owner_unit_id=province)
        neighbour = units.create_unit(s, code="HUYEN-B", name="Ủy ban nhân dân huyện Yên Sơn", level_code="huyen",
                                      parent_id=province, owner_unit_id=province)
        commune = units.create_unit(s, code="XA-A", name="Ủy ban nhân dân xã A", level_code="xa", parent_id=office)
        settings.put(s, settings.OFFICE_UNIT, office)
    return {"province": province, "office": office, "neighbour": neighbour, "commune": commune}


def refused(ws, call, *words: str) -> str:
    before = data_digest(ws.folder.database)
    with pytest.raises(ValidationError) as info:
        with ws.db.transaction("cán bộ") as s:
            call(s)
    for word in words:
        assert word in str(info.value), str(info.value)
    assert data_digest(ws.folder.database) == before
    return str(info.value)


def letter(number: int = 1, **fields) -> DirectiveInput:
    return DirectiveInput(arrival_date=TODAY, arrival_number=number, subject="Về việc rà soát tiêu chí nông thôn mới",
                          issuer_name="Ủy ban nhân dân tỉnh Tuyên Quang", **fields)


def unit_form(**values) -> dict:
    """What the units page sends: every field of the form."""
    base = dict(code="MOI", name="Ủy ban nhân dân xã Mới", short_name="", level_code="xa", parent_id=None,
                valid_from=None, valid_to=None, successor_id=None)
    return {**base, **values}


# --- the register -----------------------------------------------------------------------------------------------

def test_a_directive_is_entered_only_in_this_offices_register(workspace, tree):
    refused(workspace, lambda s: create_directive(s, tree["commune"], letter()),
            "Sổ văn bản đến trên máy này là sổ của Văn phòng Điều phối nông thôn mới huyện Hàm Yên",
            "Mỗi đơn vị chỉ vào sổ văn bản đến của chính mình")
    with workspace.db.transaction("cán bộ") as s:
        directive = s.get(Directive, create_directive(s, tree["office"], letter()))
        assert directive.office_unit_id == directive.owner_unit_id == tree["office"]


def test_a_directive_without_a_register_is_refused(workspace, tree):
    refused(workspace, lambda s: create_directive(s, None, letter()), "Chưa chọn cơ quan đang dùng phần mềm")


@pytest.fixture
def provinces_letter(workspace, tree):
    """A directive of the province's register, relayed down to this office."""
    with workspace.db.transaction("gói") as s:
        directive = Directive(office_unit_id=tree["province"], owner_unit_id=tree["province"], arrival_year=TODAY.year,
                              arrival_number=7, arrival_date=TODAY, issuer_name="Ủy ban nhân dân tỉnh Tuyên Quang",
                              subject="Kế hoạch xây dựng nông thôn mới năm nay", doc_type="KH")
        s.add(directive)
        s.flush()
        return directive.id


def test_another_offices_directive_is_not_edited_or_deleted_here(workspace, tree, provinces_letter):
    refused(workspace, lambda s: update_directive(s, provinces_letter, letter(7, doc_type="KH")),
            "thuộc sổ văn bản đến của Ủy ban nhân dân tỉnh Tuyên Quang", "chỉ đơn vị đó sửa hoặc xóa được")
    refused(workspace, lambda s: delete_directive(s, provinces_letter), "chỉ đơn vị đó sửa hoặc xóa được")


def test_tasks_of_another_offices_directive_are_given_by_that_office(workspace, tree, provinces_letter):
    refused(workspace, lambda s: tasks.create_task(s, TaskInput(
        directive_id=provinces_letter, summary="Rà soát tiêu chí 17", lead_unit_id=tree["commune"])),
        "chỉ đơn vị đó giao và sửa nhiệm vụ của văn bản")


def test_a_directive_without_an_owner_takes_no_task(workspace, tree):
    with workspace.db.transaction("cán bộ") as s:
        directive_id = create_directive(s, tree["office"], letter())
        s.get(Directive, directive_id).owner_unit_id = None  # an old record, or one edited by hand
    refused(workspace, lambda s: tasks.create_task(s, TaskInput(
        directive_id=directive_id, summary="Rà soát tiêu chí 17", lead_unit_id=tree["commune"])),
        "không có đơn vị sở hữu")


# --- the unit tree ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("parent", ["province", "neighbour", None])
def test_a_new_unit_goes_only_under_this_office_or_a_unit_it_keeps(workspace, tree, parent):
    refused(workspace, lambda s: units.create_unit(s, owner_unit_id=tree["office"],
                                                   **unit_form(parent_id=tree.get(parent))),
            "Đơn vị mới chỉ được đặt dưới chính đơn vị mình hoặc dưới một đơn vị do đơn vị mình quản lý")


def test_a_new_unit_under_this_office_below_it_or_kept_by_it_is_saved(workspace, tree):
    with workspace.db.transaction("cán bộ") as s:
        hamlet = units.create_unit(s, owner_unit_id=tree["office"],
                                   **unit_form(code="THON1", name="Thôn Một", level_code="thon",
                                               parent_id=tree["commune"]))
        kept = units.create_unit(s, owner_unit_id=tree["office"],
                                 **unit_form(code="PHONG-NN", name="Phòng Nông nghiệp", level_code="phong",
                                             parent_id=tree["office"]))
        units.create_unit(s, owner_unit_id=tree["office"], **unit_form(code="TO1", name="Tổ công tác",
                                                                       level_code="khac", parent_id=kept))
        assert s.get(Unit, hamlet).owner_unit_id == tree["office"]


def test_a_unit_is_not_moved_out_from_under_this_office(workspace, tree):
    refused(workspace, lambda s: units.update_unit(s, tree["commune"], **unit_form(
        code="XA-A", name="Ủy ban nhân dân xã A", parent_id=tree["province"])), "Đơn vị mới chỉ được đặt dưới")
    with workspace.db.transaction("cán bộ") as s:  # edited in place: saved
        units.update_unit(s, tree["commune"], **unit_form(code="XA-A", name="Ủy ban nhân dân xã A (mới)",
                                                          parent_id=tree["office"]))


def test_this_office_does_not_move_itself_under_another_unit(workspace, tree):
    refused(workspace, lambda s: units.update_unit(s, tree["office"], **unit_form(
        code="HUYEN", name="Văn phòng Điều phối nông thôn mới huyện Hàm Yên", level_code="phong",
        parent_id=tree["neighbour"])), "không tự chuyển sang đơn vị cấp trên khác")


def test_an_office_at_the_top_of_its_tree_adds_units_anywhere_it_keeps(workspace):
    """The province's coordination office keeps the province's tree: a ministry with no parent is its to add."""
    with workspace.db.transaction("cán bộ") as s:
        office = units.create_unit(s, code="LC-VPDP", name="Văn phòng Điều phối nông thôn mới tỉnh Lào Cai",
                                   level_code="so")
        settings.put(s, settings.OFFICE_UNIT, office)
        ministry = units.create_unit(s, **unit_form(code="BNNMT", name="Bộ Nông nghiệp và Môi trường",
                                                    level_code="khac"))
        assert s.get(Unit, ministry).owner_unit_id == office


def test_a_pasted_directive_places_new_units_under_this_office_when_the_one_above_is_not_kept(workspace, tree):
    with workspace.db.transaction("cán bộ") as s:
        maker = paste._UnitMaker(s, tree["office"], None)
        created = s.get(Unit, maker.resolve(UnitChoice("Sở Tài chính tỉnh Tuyên Quang")))
        assert created.parent_id == tree["office"] and created.owner_unit_id == tree["office"]
