"""Registering a paste: lists and groups of units become several tasks or wording, never one unit named by them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ntm_desktop.models import Task, Unit
from ntm_desktop.parsing import parse_directive
from ntm_desktop.services import paste, settings, units
from ntm_desktop.services.assignment import UnitTree
from ntm_desktop.services.paste import DirectiveDraft, TaskDraft, UnitChoice

FIXTURES = Path(__file__).parents[1] / "fixtures" / "directives"
END, NEW = date(2025, 6, 30), date(2025, 7, 1)


@pytest.fixture
def tree(db):
    """Two provinces, each with a "Sở Tài chính"; districts ended in 2025, communes under the province."""
    ids = {}
    with db.transaction("cv") as s:
        def unit(code, name, level, parent=None, **extra):
            ids[code] = units.create_unit(s, code=code, name=name, level_code=level,
                                          parent_id=ids.get(parent), **extra)

        unit("LC", "Ủy ban nhân dân tỉnh Lào Cai", "tinh")
        unit("TQ", "Ủy ban nhân dân tỉnh Tuyên Quang", "tinh")
        unit("VPDP", "Văn phòng Điều phối nông thôn mới tỉnh Lào Cai", "so", "LC")
        unit("LC-STC", "Sở Tài chính", "so", "LC")
        unit("TQ-STC", "Sở Tài chính", "so", "TQ")
        unit("LC-SKHDT", "Sở Kế hoạch và Đầu tư", "so", "LC", valid_to=date(2025, 2, 28))
        unit("LC-SNNMT", "Sở Nông nghiệp và Môi trường", "so", "LC", valid_from=date(2025, 3, 1))
        unit("LC-SNN", "Sở Nông nghiệp và Phát triển nông thôn", "so", "LC", valid_to=date(2025, 2, 28))
        unit("H-BT", "Ủy ban nhân dân huyện Bảo Thắng", "huyen", "LC", valid_to=END)
        unit("H-BY", "Ủy ban nhân dân huyện Bảo Yên", "huyen", "LC", valid_to=END)
        unit("X-GP", "Ủy ban nhân dân xã Gia Phú", "xa", "LC", valid_from=NEW)
        unit("X-BH", "Ủy ban nhân dân xã Bảo Hà", "xa", "LC")
        unit("X-XG", "Ủy ban nhân dân xã Xuân Giao", "xa", "LC", valid_to=END)
        unit("P-CD", "Ủy ban nhân dân phường Cam Đường", "phuong", "LC", valid_from=NEW)
        unit("TQ-X", "Ủy ban nhân dân xã Hàm Yên", "xa", "TQ", valid_from=NEW)
        for old, new in (("LC-SKHDT", "LC-STC"), ("LC-SNN", "LC-SNNMT"), ("H-BT", "X-GP"), ("X-XG", "X-GP")):
            s.get(Unit, ids[old]).successor_id = ids[new]
        settings.put(s, settings.OFFICE_UNIT, ids["VPDP"])
    return ids


def _register(db, lead: str, cooperating=(), doc_date="2026-06-11") -> tuple[list[Task], int]:
    draft = DirectiveDraft(
        doc_type="CV", number_symbol="5973/UBND-KT", issuer=UnitChoice("UBND tỉnh Lào Cai"), doc_date=doc_date,
        subject="Triển khai nhiệm vụ", signer="", recipients="", full_text="...",
        tasks=(TaskDraft("Rà soát và báo cáo", UnitChoice(lead), tuple(UnitChoice(c) for c in cooperating)),),
    )
    with db.transaction() as s:
        draft = paste.match_draft_units(draft, UnitTree.read(s), settings.office_unit_id(s), date(2026, 12, 2))
        before = s.scalar(select(func.count()).select_from(Unit))
    with db.transaction("cv") as s:
        directive_id = paste.save_draft(s, draft, date(2026, 12, 2))
    with db.transaction() as s:
        saved = list(s.scalars(select(Task).where(Task.directive_id == directive_id).order_by(Task.seq)))
        for task in saved:
            task.lead_name = s.get(Unit, task.lead_unit_id).name
            task.coop_codes = sorted(u.code for u in task.cooperating_units)
            task.lead_code = s.get(Unit, task.lead_unit_id).code
        return saved, s.scalar(select(func.count()).select_from(Unit)) - before


def test_a_list_of_units_is_a_lead_and_cooperating_units(db, tree):
    saved, created = _register(db, "Sở Tài chính, Sở Kế hoạch và Đầu tư")
    # the issuer's own "Sở Tài chính"; "Sở Kế hoạch và Đầu tư" merged into it in 2025, so it is not added twice
    assert [(t.lead_code, t.coop_codes) for t in saved] == [("LC-STC", [])]
    assert created == 0
    saved, created = _register(db, "Sở Tài chính, Sở Nông nghiệp và Phát triển nông thôn")
    assert [(t.lead_code, t.coop_codes) for t in saved] == [("LC-STC", ["LC-SNNMT"])]  # the successor
    assert created == 0 and "Giao theo văn bản: Sở Tài chính, Sở Nông nghiệp" in saved[0].notes


def test_a_group_gives_each_unit_of_that_kind_its_own_task(db, tree):
    saved, created = _register(db, "UBND các xã, phường")
    # active on the document's date, in the issuer's province: not Xuân Giao (merged), not Tuyên Quang's commune
    assert sorted(t.lead_code for t in saved) == ["P-CD", "X-BH", "X-GP"]
    assert created == 0 and all(t.notes == "Giao theo văn bản: UBND các xã, phường" for t in saved)
    saved, _ = _register(db, "Sở Xây dựng", cooperating=["Các sở, ban, ngành"])
    assert saved[0].lead_name == "Sở Xây dựng"
    assert saved[0].coop_codes == ["LC-SNNMT", "LC-STC", "VPDP"]


def test_districts_are_a_group_only_before_the_reform(db, tree):
    saved, created = _register(db, "Ủy ban nhân dân huyện, thành phố", doc_date="2024-06-11")
    assert sorted(t.lead_code for t in saved) == ["H-BT", "H-BY"] and created == 0
    saved, created = _register(db, "Ủy ban nhân dân huyện, thành phố", doc_date="2026-06-11")
    assert [t.lead_code for t in saved] == ["VPDP"] and created == 0  # no district left: the office follows it up
    assert saved[0].notes == "Giao theo văn bản: Ủy ban nhân dân huyện, thành phố"


def test_a_narrowed_group_stays_wording(db, tree):
    phrase = "Các sở, ban, ngành có lãnh đạo là thành viên Ban Chỉ đạo các chương trình mục tiêu quốc gia"
    saved, created = _register(db, phrase, cooperating=["các cơ quan, đơn vị có liên quan", "Sở Tài chính"])
    assert created == 0 and [t.lead_code for t in saved] == ["VPDP"]
    assert saved[0].coop_codes == ["LC-STC"]
    assert saved[0].notes == f"Giao theo văn bản: {phrase}\nPhối hợp: các cơ quan, đơn vị có liên quan"


def test_a_unit_named_once_is_found_among_namesakes_and_after_its_merger(db, tree):
    saved, _ = _register(db, "Sở Tài chính")
    assert saved[0].lead_code == "LC-STC" and saved[0].notes == ""
    saved, _ = _register(db, "UBND huyện Bảo Thắng")  # ended on 30/6/2025: Gia Phú carries it on
    assert saved[0].lead_code == "X-GP"
    saved, _ = _register(db, "UBND huyện Bảo Thắng", doc_date="2024-05-02")
    assert saved[0].lead_code == "H-BT"


@pytest.mark.parametrize("fixture", sorted(p.stem for p in FIXTURES.glob("*.txt")))
def test_real_directives_make_no_unit_named_by_a_phrase(demo_workspace, fixture):
    ws = demo_workspace
    text = (FIXTURES / f"{fixture}.txt").read_text(encoding="utf-8")
    with ws.db.transaction() as s:
        tree, office = UnitTree.read(s), settings.office_unit_id(s)
        proposal = parse_directive(text, known_units=paste.known_units(s))
        before = {u.id for u in s.scalars(select(Unit))}
    draft = paste.match_draft_units(paste.draft_from_proposal(proposal, text), tree, office, date(2026, 12, 2))
    with ws.db.transaction("t") as s:
        paste.save_draft(s, draft, date(2026, 12, 2))
    with ws.db.transaction() as s:
        new = [u.name for u in s.scalars(select(Unit)) if u.id not in before]
    for name in new:
        assert not name.lower().startswith("các ") and " các " not in name and ", " not in name, name
        assert "liên quan" not in name, name
        assert not name.lower().startswith(("chủ tịch", "giám đốc", "thủ trưởng", "người đứng đầu")), name
