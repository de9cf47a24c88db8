"""A commune's installation set up from the province's package, or set up by hand and then receiving it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ntm_desktop.errors import UserError
from ntm_desktop.models import Directive, ProgressUpdate, Task, Unit
from ntm_desktop.services import settings, units
from ntm_desktop.services.criteria import catalogue
from ntm_desktop.services.directives import DirectiveInput, create_directive
from ntm_desktop.services.tasks import DeadlineKind, TaskInput, add_progress, create_task
from ntm_desktop.sync.apply import apply_file, preview_file
from ntm_desktop.sync.export import export_package
from ntm_desktop.sync.reader import PackageRefused
from ntm_desktop.sync.setup import offer, set_up_from_package
from ntm_desktop.workspace import open_workspace
from test_sync_world import fingerprint, know_key

COMMUNE = "LC-XHOPTHANH"
TASK = "Báo cáo kết quả rà soát tiêu chí nông thôn mới của xã"


def build_province(root: Path):
    """The province's coordinating office with two communes and one task for Hợp Thành."""
    ws = open_workspace(root / "tinh")
    with ws.db.transaction("Văn thư tỉnh") as s:
        province = units.create_unit(s, code="LC", name="Ủy ban nhân dân tỉnh Lào Cai", level_code="tinh")
        office = units.create_unit(s, code="LC-VPDP", name="Văn phòng Điều phối nông thôn mới tỉnh Lào Cai",
                                   level_code="so", parent_id=province)
        commune = units.create_unit(s, code=COMMUNE, name="Ủy ban nhân dân xã Hợp Thành", level_code="xa",
                                    parent_id=province)
        units.create_unit(s, code="LC-XYENBINH", name="Ủy ban nhân dân xã Yên Bình", level_code="xa",
                          parent_id=province)
        settings.put(s, settings.OFFICE_UNIT, office)
        for unit in s.scalars(select(Unit)):
            unit.owner_unit_id = office  # the unit tree is kept by this office, as in the demo
        catalogue.install_shipped_sets(s)
        directive = create_directive(s, office, DirectiveInput(
            arrival_date=date(2026, 3, 2), arrival_number=1, issuer_unit_id=province, number_symbol="45/KH-UBND",
            doc_date=date(2026, 2, 27), doc_type="KH", subject="Kế hoạch xây dựng nông thôn mới năm 2026"))
        create_task(s, TaskInput(directive_id=directive, summary=TASK, lead_unit_id=commune,
                                 deadline_kind=DeadlineKind.DATE, deadline_date=date(2026, 6, 30)))
    return ws


def package_for(ws, code: str, out: Path) -> Path:
    with ws.db.transaction("Văn thư tỉnh") as s:
        return export_package(s, ws.folder.files, code, None, out_dir=out, full=True).path


def hand_made_commune(root: Path, code: str = COMMUNE):
    """A commune whose officer typed its unit and its province at first start, then registered a document
    (the criteria page installed the national criteria sets on its own)."""
    ws = open_workspace(root / "xa")
    with ws.db.transaction("Cán bộ xã") as s:
        catalogue.install_shipped_sets(s)
        province = units.create_unit(s, code="LC", name="Tỉnh Lào Cai", level_code="tinh")
        commune = units.create_unit(s, code=code, name="Xã Hợp Thành", level_code="xa", parent_id=province)
        settings.put(s, settings.OFFICE_UNIT, commune)
        create_directive(s, commune, DirectiveInput(
            arrival_date=date(2026, 3, 5), arrival_number=1, issuer_unit_id=province, number_symbol="12/UBND-NN",
            doc_date=date(2026, 3, 4), doc_type="CV", subject="Về việc báo cáo tiến độ nông thôn mới"))
    return ws


def office_of(ws) -> Unit:
    with ws.db.transaction() as s:
        unit = s.get(Unit, settings.office_unit_id(s))
        s.expunge(unit)
        return unit


def task_summaries(ws) -> list[str]:
    with ws.db.transaction() as s:
        return list(s.scalars(select(Task.summary).where(Task.deleted.is_(False)).order_by(Task.summary)))


def test_fresh_installation_sets_up_from_the_province_package(tmp_path):
    province = build_province(tmp_path)
    package = package_for(province, COMMUNE, tmp_path / "usb")
    commune = open_workspace(tmp_path / "xa")
    seen = offer(commune, package, confirmed_key=fingerprint(province))
    assert seen.fingerprint == fingerprint(province)
    assert seen.office_label() == "LC-XHOPTHANH – Ủy ban nhân dân xã Hợp Thành"
    assert seen.origin_label() == "LC-VPDP – Văn phòng Điều phối nông thôn mới tỉnh Lào Cai"
    assert seen.counts["tasks"] == 1
    assert commune.office_unit_id() is None  # looking changes nothing
    set_up_from_package(commune, package, user="Cán bộ xã", confirmed_key=fingerprint(province))
    assert office_of(commune).code == COMMUNE
    assert task_summaries(commune) == [TASK]
    with pytest.raises(UserError, match="đã có đơn vị sử dụng"):
        offer(commune, package)


def test_a_changes_only_package_cannot_set_up_an_installation(tmp_path):
    province = build_province(tmp_path)
    with province.db.transaction() as s:
        delta = export_package(s, province.folder.files, COMMUNE, None, out_dir=tmp_path, full=False).path
    commune = open_workspace(tmp_path / "xa")
    with pytest.raises(PackageRefused, match="toàn bộ dữ liệu"):
        offer(commune, delta)
    assert commune.office_unit_id() is None


def test_hand_made_commune_adopts_the_package_identity(tmp_path):
    province = build_province(tmp_path)
    package = package_for(province, COMMUNE, tmp_path / "usb")
    commune = hand_made_commune(tmp_path)
    hand_made_id = office_of(commune).id

    plan = preview_file(commune, package, confirmed_key=fingerprint(province))  # no refusal; the preview says what happens to the hand-made units
    lines = plan.package.adoption.lines()
    assert [line.split("” ")[0] for line in lines[:2]] == [
        "Đơn vị của máy này “LC-XHOPTHANH – Xã Hợp Thành", "Đơn vị “LC – Tỉnh Lào Cai"]
    assert lines[2].startswith("Bộ tiêu chí phần mềm tự cài ở máy này")
    assert plan.total("rejected") == 0
    assert office_of(commune).id == hand_made_id  # previewing changed nothing

    result = apply_file(commune, package, user="Cán bộ xã", confirmed_key=fingerprint(province))
    assert result.status == "applied"
    office = office_of(commune)
    with province.db.transaction() as s:
        assert office.id == s.scalar(select(Unit.id).where(Unit.code == COMMUNE))
        province_lc = s.scalar(select(Unit.id).where(Unit.code == "LC"))
    assert office.name == "Ủy ban nhân dân xã Hợp Thành"  # the package's identity
    with commune.db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Unit).where(Unit.code == COMMUNE)) == 1
        assert s.scalar(select(func.count()).select_from(Unit).where(Unit.code == "LC")) == 1
        assert s.get(Unit, hand_made_id) is None
        own = s.scalar(select(Directive).where(Directive.number_symbol == "12/UBND-NN"))
        assert (own.office_unit_id, own.owner_unit_id, own.issuer_unit_id) == (office.id, office.id, province_lc)
    assert task_summaries(commune) == [TASK]

    # From now on the two offices talk: the commune reports, the province applies it.
    with commune.db.transaction("Cán bộ xã") as s:
        task = s.scalar(select(Task.id).where(Task.summary == TASK))
        add_progress(s, task, date(2026, 4, 10), "Đã rà soát xong 19 tiêu chí", "Nguyễn Văn An")
    with commune.db.transaction("Cán bộ xã") as s:
        back = export_package(s, commune.folder.files, "LC-VPDP", None, out_dir=tmp_path / "back").path
    know_key(province, commune)
    assert apply_file(province, back).status == "applied"
    with province.db.transaction() as s:
        assert s.scalar(select(ProgressUpdate.text)) == "Đã rà soát xong 19 tiêu chí"


def test_package_for_another_commune_is_refused_naming_both(tmp_path):
    province = build_province(tmp_path)
    package = package_for(province, "LC-XYENBINH", tmp_path / "usb")
    commune = hand_made_commune(tmp_path)
    with pytest.raises(PackageRefused) as refused:
        preview_file(commune, package)
    message = str(refused.value)
    assert "“LC-XYENBINH – Ủy ban nhân dân xã Yên Bình”" in message
    assert "(“LC-XHOPTHANH – Xã Hợp Thành”)" in message
    assert "đề nghị LC-VPDP lập gói gửi đơn vị mã “LC-XHOPTHANH”" in message
    with pytest.raises(PackageRefused):
        apply_file(commune, package)
    with commune.db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Task)) == 0


def test_commune_set_up_from_a_package_never_adopts_another_identity(tmp_path):
    """Two ids for one code at an office that received its unit: a real disagreement, refused."""
    province = build_province(tmp_path)
    commune = open_workspace(tmp_path / "xa")
    set_up_from_package(commune, package_for(province, COMMUNE, tmp_path / "usb"), confirmed_key=fingerprint(province))
    other = build_province(tmp_path / "khac")  # another province database, same codes, other ids
    with pytest.raises(PackageRefused, match="cùng mã với đơn vị của máy này") as refused:
        preview_file(commune, package_for(other, COMMUNE, tmp_path / "usb2"))
    assert "LC-XHOPTHANH – Ủy ban nhân dân xã Hợp Thành" in str(refused.value)


def test_adoption_previews_on_a_read_only_folder(tmp_path):
    province = build_province(tmp_path)
    package = package_for(province, COMMUNE, tmp_path / "usb")
    hand_made_commune(tmp_path).close()
    reader = open_workspace(tmp_path / "xa", readonly=True)
    try:
        plan = preview_file(reader, package, confirmed_key=fingerprint(province))
        assert plan.total("rejected") == 0 and plan.counts()["tasks"]["new"] == 1
        assert len(plan.package.adoption.lines()) == 3
    finally:
        reader.close()


def test_command_line_preview_names_the_adoption(tmp_path, capsys):
    from ntm_desktop.cli import main

    province = build_province(tmp_path)
    package = package_for(province, COMMUNE, tmp_path / "usb")
    hand_made_commune(tmp_path).close()
    assert main(["sync", "preview", "--data-dir", str(tmp_path / "xa"), str(package),
                 "--confirm-key", fingerprint(province)]) == 0
    out = capsys.readouterr().out
    assert "Đơn vị của máy này “LC-XHOPTHANH – Xã Hợp Thành” được tạo tay ở máy này" in out
    assert "Bị từ chối" not in out and "Từ chối" not in out


def test_cells_the_hand_made_commune_filled_follow_its_new_identity(tmp_path):
    """A criterion status entered before the package came stays the commune's, under the ids the package uses."""
    from ntm_desktop.models import Assessment, natural_id
    from ntm_desktop.services.criteria.assessments import CellInput, load_grid, save_grid

    province = build_province(tmp_path)
    package = package_for(province, COMMUNE, tmp_path / "usb")
    commune = hand_made_commune(tmp_path)
    year = date.today().year
    with commune.db.transaction("Cán bộ xã") as s:
        office = settings.office_unit_id(s)
        row = next(r for r in load_grid(s, office, year).rows if r.kind == "criterion" and not r.derived)
        save_grid(s, office, year, [CellInput("criterion", row.target_id, status="dat")], office, date.today())
    assert apply_file(commune, package, confirmed_key=fingerprint(province)).status == "applied"
    with commune.db.transaction() as s:
        office = settings.office_unit_id(s)
        cell = s.scalar(select(Assessment).where(Assessment.criterion_id == row.criterion_id))
        assert cell.id == natural_id("assessment", office, year, row.criterion_id)
        assert (cell.unit_id, cell.status) == (office, "dat")
        assert next(r for r in load_grid(s, office, year).rows if r.target_id == row.target_id).status == "dat"
