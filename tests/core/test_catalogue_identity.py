"""Two installations that set themselves up from the catalogue hold the same units: their packages agree.

The province's NTM coordination office of Lào Cai and the People's Committee of Xã Mường Bo are each set
up from the catalogue, with no package between them. The commune's report reaches the province and
the province's tasks reach the commune, signed and checked as always: no unit is duplicated, nothing is
refused, nothing conflicts, and both end with one Xã Mường Bo under one id.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from ntm_desktop.catalogue import OfficeChoice, set_up_office, unit_id
from ntm_desktop.models import Directive, ProgressUpdate, SyncConflict, Task, Unit
from ntm_desktop.services import settings, tasks
from ntm_desktop.services.directives import DirectiveInput, create_directive
from ntm_desktop.services.tasks import TaskInput
from ntm_desktop.sync.apply import apply_file
from ntm_desktop.sync.entities import BY_NAME, load_rows
from ntm_desktop.workspace import open_workspace
from test_sync_world import know_key, send


def set_up(root, name: str, choice: OfficeChoice):
    ws = open_workspace(root / name)
    with ws.db.transaction("cán bộ") as s:
        set_up_office(s, choice)
    return ws


def unit_rows(ws) -> dict[str, dict]:
    """Every unit as it travels (all fields, version included), by code."""
    with ws.db.transaction() as s:
        return {r["code"]: r for r in load_rows(s, BY_NAME["units"], None)}


def counts(ws) -> tuple[int, int]:
    with ws.db.transaction() as s:
        return (s.scalar(select(func.count()).select_from(Unit)),
                s.scalar(select(func.count()).select_from(SyncConflict)))


def outcomes(result) -> dict:
    """Outcome counts per entity; every rejection fails the test with its reason."""
    assert result.summary["rejected"] == []
    return result.summary["counts"]


def test_two_communes_that_pick_muong_bo_hold_the_same_unit(tmp_path):
    one = set_up(tmp_path, "may-1", OfficeChoice("xa", "15", "03043"))
    two = set_up(tmp_path, "may-2", OfficeChoice("xa", "", "03043"))
    first, second = unit_rows(one), unit_rows(two)
    assert sorted(first) == ["03043", "15", "15-VPDP"]
    for code in first:
        same = {k: v for k, v in first[code].items() if k != "updated_at"}
        assert same == {k: v for k, v in second[code].items() if k != "updated_at"}, code
    assert first["03043"]["id"] == unit_id("03043") == office_id(one) == office_id(two)
    for ws in (one, two):
        ws.close()


def office_id(ws) -> str:
    with ws.db.transaction() as s:
        return settings.office_unit_id(s)


def test_province_and_commune_set_up_apart_exchange_packages_without_duplicates(tmp_path):
    out = tmp_path / "goi"
    province = set_up(tmp_path, "tinh", OfficeChoice("vpdp", "15"))
    commune = set_up(tmp_path, "xa", OfficeChoice("xa", "15", "03043"))
    assert counts(province) == (101, 0) and counts(commune) == (3, 0)
    know_key(province, commune)
    know_key(commune, province)

    # the province assigns a task to Xã Mường Bo, picked from its own list of the province's communes
    with province.db.transaction("Văn thư tỉnh") as s:
        office = settings.office_unit_id(s)
        directive = create_directive(s, office, DirectiveInput(
            arrival_date=date(2026, 3, 2), arrival_number=1, issuer_unit_id=unit_id("15"),
            number_symbol="45/KH-UBND", doc_date=date(2026, 2, 27), doc_type="KH",
            subject="Kế hoạch xây dựng nông thôn mới năm 2026"))
        task = tasks.create_task(s, TaskInput(directive_id=directive, summary="Rà soát tiêu chí nông thôn mới",
                                              lead_unit_id=unit_id("03043")))

    down = apply_file(commune, send(province, "03043", out), user="Cán bộ xã")
    assert down.status == "applied"
    summary = outcomes(down)
    assert summary["units"].get("rejected", 0) == 0 and summary["units"].get("conflict", 0) == 0, summary
    assert summary["units"]["unchanged"] == 3  # its own unit, the province and its coordination office
    assert summary["units"]["new"] == 98  # the province's other communes
    assert counts(commune) == (101, 0)
    with commune.db.transaction() as s:
        arrived = s.get(Task, task)
        assert arrived.lead_unit_id == settings.office_unit_id(s) == unit_id("03043")
        assert s.scalar(select(func.count()).select_from(Unit).where(Unit.name == "Ủy ban nhân dân xã Mường Bo")) == 1

    with commune.db.transaction("Cán bộ xã") as s:
        tasks.add_progress(s, task, date(2026, 3, 10), "Đã rà soát 10 tiêu chí", "UBND xã Mường Bo")
    up = apply_file(province, send(commune, "15-VPDP", out), user="Văn thư tỉnh")
    assert up.status == "applied"
    summary = outcomes(up)
    assert all(summary[e].get("rejected", 0) == 0 and summary[e].get("conflict", 0) == 0 for e in summary), summary
    assert counts(province) == (101, 0)
    with province.db.transaction() as s:
        assert [p.text for p in s.scalars(select(ProgressUpdate).where(ProgressUpdate.task_id == task))] == [
            "Đã rà soát 10 tiêu chí"]
        assert s.scalar(select(func.count()).select_from(Directive)) == 1
    assert unit_rows(province)["03043"] == unit_rows(commune)["03043"]
    for ws in (province, commune):
        ws.close()
