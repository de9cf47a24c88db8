"""One rule, two paths: what a commune's form refuses, the district refuses when it arrives in the commune's package,
for the same reason and at the same limit.

Each test tries the input at the commune's installation through the service its form calls, then builds it into
the commune's genuine package and previews (or applies) that at the district.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Directive
from ntm_desktop.services import tasks, units
from ntm_desktop.services.deadlines import DeadlineKind
from ntm_desktop.services.directives import DirectiveInput, create_directive
from ntm_desktop.services.field_limits import text_limit
from ntm_desktop.services.tasks import TaskInput
from ntm_desktop.sync.apply import apply_file, preview_file
from ntm_desktop.sync.entities import BY_NAME

from hostile_packages import build_world, edit_record, fresh, tamper

TODAY = date.today()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build_world(tmp_path_factory.mktemp("world"))


@pytest.fixture
def commune(world, tmp_path):
    ws = fresh(world.commune_folder, tmp_path / "xa")
    yield ws
    ws.close()


@pytest.fixture
def district(world, tmp_path):
    ws = fresh(world.district_folder, tmp_path / "huyen")
    yield ws
    ws.close()


def form_refuses(ws, call) -> str:
    with pytest.raises(ValidationError) as info:
        with ws.db.transaction("cán bộ xã") as s:
            call(s)
    return str(info.value)


def sync_rejects(ws, package, entity: str, record_id: str) -> str:
    reasons = {(e, i): r for e, i, r in preview_file(ws, package).rejections()}
    assert (entity, record_id) in reasons, reasons
    return reasons[(entity, record_id)]


def sync_accepts(ws, package, entity: str, record_id: str) -> None:
    assert (entity, record_id) not in {(e, i) for e, i, _r in preview_file(ws, package).rejections()}


def letter(world, number: int, **fields) -> DirectiveInput:
    values = dict(arrival_date=TODAY, arrival_number=number, issuer_unit_id=world.ids["HUYEN"],
                  subject="Về việc báo cáo kết quả rà soát tiêu chí", doc_type="CV")
    return DirectiveInput(**{**values, **fields})


def count_text(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def english_columns(entity: str, reason: str) -> list[str]:
    return [c for c in BY_NAME[entity].columns if re.search(rf"\b{c}\b", reason)]


# --- lengths ------------------------------------------------------------------------------------------------------

def test_a_subject_over_its_cap_is_refused_by_both_at_the_same_length(world, commune, district, tmp_path):
    limit = text_limit("directives", "subject")
    with commune.db.transaction("cán bộ xã") as s:
        create_directive(s, world.ids["XA-A"], letter(world, 2, subject="a" * limit))
    form = form_refuses(commune, lambda s: create_directive(s, world.ids["XA-A"],
                                                            letter(world, 3, subject="a" * (limit + 1))))

    at_limit = tamper(world.up, tmp_path / "du.ntmsync", "directives",
                      edit_record(world.ids["directive"], subject="a" * limit))
    sync_accepts(district, at_limit, "directives", world.ids["directive"])
    over = tamper(world.up, tmp_path / "qua.ntmsync", "directives",
                  edit_record(world.ids["directive"], subject="a" * (limit + 1)))
    result = apply_file(district, over, backup=False)
    reason = {(r["entity"], r["id"]): r["reason"] for r in result.summary["rejected"]}[
        ("directives", world.ids["directive"])]
    for text in (form, reason):
        assert "Trích yếu" in text and count_text(limit) in text and count_text(limit + 1) in text, text
    assert english_columns("directives", reason) == [], reason
    with district.db.transaction() as s:
        assert s.get(Directive, world.ids["directive"]) is None


def test_a_unit_code_with_a_path_in_it_is_refused_by_both(world, commune, district, tmp_path):
    form = form_refuses(commune, lambda s: units.create_unit(
        s, owner_unit_id=world.ids["XA-A"], code="../THON", name="Thôn Hai", level_code="thon",
        parent_id=world.ids["XA-A"]))
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "units", edit_record(world.ids["hamlet"], code="../THON"))
    reason = sync_rejects(district, bad, "units", world.ids["hamlet"])
    for text in (form, reason):
        assert "ã đơn vị “../THON”" in text and "ký tự không dùng được" in text, text


# --- dates --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("day, words", [
    (date(2099, 12, 31), ("31/12/2099", "nằm ngoài khoảng năm 1945")),
    (TODAY + timedelta(days=5), ("ở tương lai",)),
])
def test_a_progress_report_in_the_future_is_refused_by_both(world, commune, district, tmp_path, day, words):
    form = form_refuses(commune, lambda s: tasks.add_progress(s, world.ids["monthly"], day, "Đã gửi báo cáo",
                                                              "UBND xã"))
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "progress_updates",
                 edit_record(world.ids["report"], reported_on=day.isoformat()))
    reason = sync_rejects(district, bad, "progress_updates", world.ids["report"])
    for text in (form, reason):
        assert "gày báo cáo tiến độ" in text, text
        for word in words:
            assert word in text, text


def test_an_arrival_date_before_1945_is_refused_by_both(world, commune, district, tmp_path):
    form = form_refuses(commune, lambda s: create_directive(s, world.ids["XA-A"],
                                                            letter(world, 4, arrival_date=date(1900, 1, 1))))
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "directives",
                 edit_record(world.ids["directive"], arrival_date="1900-01-01"))
    reason = sync_rejects(district, bad, "directives", world.ids["directive"])
    for text in (form, reason):
        assert "gày đến 01/01/1900 nằm ngoài khoảng năm 1945" in text, text


def test_a_deadline_past_the_tenth_year_is_refused_by_both(world, commune, district, tmp_path):
    form = form_refuses(commune, lambda s: tasks.create_task(s, TaskInput(
        directive_id=world.ids["directive"], summary="Rà soát tiêu chí 18", lead_unit_id=world.ids["XA-A"],
        deadline_kind=DeadlineKind.DATE, deadline_date=date(2100, 1, 25))))
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "tasks", edit_record(world.ids["task"], due_date="2100-01-25"))
    reason = sync_rejects(district, bad, "tasks", world.ids["task"])
    for text in (form, reason):
        assert "ạn xử lý 25/01/2100 nằm ngoài khoảng năm 1945" in text, text


# --- ownership ----------------------------------------------------------------------------------------------------

def test_a_new_unit_under_the_province_is_refused_by_both(world, commune, district, tmp_path):
    form = form_refuses(commune, lambda s: units.create_unit(
        s, owner_unit_id=world.ids["XA-A"], code="XA-A-THON2", name="Thôn Hai", level_code="thon",
        parent_id=world.ids["TINH"]))
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "units",
                 edit_record(world.ids["hamlet"], parent_id=world.ids["TINH"]))
    reason = sync_rejects(district, bad, "units", world.ids["hamlet"])
    for text in (form, reason):
        assert "được đặt" in text and "dưới chính" in text and "mình quản lý" in text, text


def test_a_directive_in_the_districts_register_is_refused_by_both(world, commune, district, tmp_path):
    form = form_refuses(commune, lambda s: create_directive(s, world.ids["HUYEN"], letter(world, 5)))
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "directives",
                 edit_record(world.ids["directive"], office_unit_id=world.ids["HUYEN"], arrival_number=55))
    reason = sync_rejects(district, bad, "directives", world.ids["directive"])
    for text in (form, reason):
        assert "sổ văn bản đến" in text and "chính" in text, text


def test_a_task_on_the_districts_directive_is_refused_by_both(world, commune, district, tmp_path):
    with commune.db.transaction() as s:
        theirs = s.query(Directive).filter(Directive.office_unit_id == world.ids["HUYEN"]).first().id
    form = form_refuses(commune, lambda s: tasks.create_task(s, TaskInput(
        directive_id=theirs, summary="Rà soát tiêu chí 19", lead_unit_id=world.ids["XA-A"])))
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "tasks", edit_record(world.ids["task"], directive_id=theirs))
    reason = sync_rejects(district, bad, "tasks", world.ids["task"])
    assert "chỉ đơn vị đó giao" in form and "văn bản của đơn vị khác" in reason, (form, reason)


def test_a_task_with_no_owner_is_refused_by_both(world, commune, district, tmp_path):
    with commune.db.transaction("cán bộ xã") as s:
        s.get(Directive, world.ids["directive"]).owner_unit_id = None
    form = form_refuses(commune, lambda s: tasks.create_task(s, TaskInput(
        directive_id=world.ids["directive"], summary="Rà soát tiêu chí 19", lead_unit_id=world.ids["XA-A"])))
    bad = tamper(world.up, tmp_path / "goi.ntmsync", "tasks", edit_record(world.ids["task"], owner_unit_id=None))
    reason = sync_rejects(district, bad, "tasks", world.ids["task"])
    for text in (form, reason):
        assert "không có đơn vị sở hữu" in text, text
    assert english_columns("tasks", reason) == [], reason
