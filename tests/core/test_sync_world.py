"""Installations for sync tests: a district office and its communes, each in its own data folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from ntm_desktop.models import Directive, Task, Unit
from ntm_desktop.services import settings, units
from ntm_desktop.services.directives import DirectiveInput, create_directive
from ntm_desktop.services.tasks import TaskInput, create_task
from ntm_desktop.sync import keys
from ntm_desktop.sync.apply import apply_file
from ntm_desktop.sync.entities import ENTITIES, load_rows
from ntm_desktop.sync.export import export_package
from ntm_desktop.workspace import open_workspace

COMMUNES = ["XA-A", "XA-B"]


def build_district(root: Path, communes=COMMUNES):
    """The district installation: province, district (this office), communes, one directive with tasks."""
    ws = open_workspace(root / "huyen")
    with ws.db.transaction("Văn thư huyện") as s:
        province = units.create_unit(s, code="TINH", name="Ủy ban nhân dân tỉnh Tuyên Quang", level_code="tinh")
        district = units.create_unit(s, code="HUYEN", name="Văn phòng Điều phối nông thôn mới huyện Hàm Yên",
                                     level_code="phong", parent_id=province)
        ids = [units.create_unit(s, code=c, name=f"Ủy ban nhân dân xã {c[-1]}", level_code="xa",
                                 parent_id=district) for c in communes]
        settings.put(s, settings.OFFICE_UNIT, district)
        directive = create_directive(s, district, DirectiveInput(
            arrival_date=date(2025, 3, 3), arrival_number=1, issuer_unit_id=province, number_symbol="15/KH-UBND",
            doc_date=date(2025, 3, 1), doc_type="KH", subject="Kế hoạch xây dựng nông thôn mới năm 2025"))
        for n, unit_id in enumerate(ids, start=1):
            create_task(s, TaskInput(directive_id=directive, summary=f"Rà soát tiêu chí số {n}",
                                     lead_unit_id=unit_id, deadline_text="trước ngày 30/6/2025"))
    return ws


def send(src, to_code: str, out_dir: Path, full: bool = False) -> Path:
    with src.db.transaction("cán bộ") as s:
        return export_package(s, src.folder.files, to_code, None, out_dir=out_dir, full=full).path


def fingerprint(ws) -> str:
    """The fingerprint an office prints on its key slip (its key is made the first time)."""
    with ws.db.transaction() as s:
        return keys.own_key(s).fingerprint


def know_key(receiver, sender) -> None:
    """The receiver's clerk has compared the sender's key with its key slip and confirmed it."""
    with sender.db.transaction() as s:
        key, unit = keys.own_key(s).public_key, s.get(Unit, settings.office_unit_id(s))
        unit_id, code = unit.id, unit.code
    with receiver.db.transaction() as s:
        keys.trust_key(s, unit_id, code, key, "cán bộ", "Cán bộ đối chiếu phiếu xác nhận khóa")


def join_commune(root: Path, district, code: str, out_dir: Path):
    """A commune's fresh installation set up from the district's full package (its clerk confirms the district's
    key fingerprint), whose key the district's clerk confirms in turn."""
    ws = open_workspace(root / code)
    apply_file(ws, send(district, code, out_dir, full=True), user="cán bộ xã", confirmed_key=fingerprint(district))
    know_key(district, ws)
    return ws


def state(ws) -> dict:
    """Everything that travels, without bookkeeping: what converged installations must share."""
    with ws.db.transaction() as s:
        return {spec.name: sorted((r["id"], {k: v for k, v in r.items() if k not in ("version",)}.__repr__())
                                  for r in load_rows(s, spec, None)) for spec in ENTITIES}


def tasks_of(ws) -> list[Task]:
    with ws.db.transaction() as s:
        return list(s.scalars(select(Task).order_by(Task.summary)))


def office(ws) -> Unit:
    with ws.db.transaction() as s:
        return s.get(Unit, settings.office_unit_id(s))


def test_district_package_sets_up_a_commune(tmp_path):
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "out")
    assert office(commune).code == "XA-A"
    assert [t.summary for t in tasks_of(commune)] == [t.summary for t in tasks_of(district)]
    with commune.db.transaction() as s:
        assert s.scalar(select(Directive.subject)) == "Kế hoạch xây dựng nông thôn mới năm 2025"
    assert state(commune) == state(district)


def test_demo_office_with_criteria_travels_whole(demo_workspace, tmp_path):
    """Every registered entity (criteria included) goes out and comes back identical."""
    path = send(demo_workspace, "LC-YENBINH", tmp_path, full=True)
    commune = open_workspace(tmp_path / "xa")
    result = apply_file(commune, path, confirmed_key=fingerprint(demo_workspace))
    assert result.summary["rejected"] == []
    counts = result.summary["counts"]
    with demo_workspace.db.transaction() as s:
        demo_tasks = len(list(s.scalars(select(Task.id))))
    assert counts["criterion_assessments"]["new"] > 0 and counts["tasks"]["new"] == demo_tasks > 0
    assert state(commune) == state(demo_workspace)
    commune.close()
