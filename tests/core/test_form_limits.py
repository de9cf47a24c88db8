"""The forms refuse what sync refuses: each text within its field's length, each date within 1945 to ten years
ahead, no progress report or completion in the future. Each service is called as its form calls it; a refusal
names the field in Vietnamese and writes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Directive, ProgressUpdate, Task, Unit
from ntm_desktop.services import settings, tasks, units
from ntm_desktop.services.criteria import assessments, catalogue, profiles
from ntm_desktop.services.criteria.assessments import CellInput
from ntm_desktop.services.criteria.catalogue import CriterionDef, IndicatorDef, SetDefinition
from ntm_desktop.services.deadlines import DeadlineKind
from ntm_desktop.services.directives import DirectiveInput, create_directive, update_directive
from ntm_desktop.services.tasks import TaskInput

from criteria_helpers import province_with_communes
from hostile_helpers import data_digest

TODAY = date.today()
AFTER_TOMORROW = TODAY + timedelta(days=2)  # still ahead when the run goes past midnight
TOO_LATE = date(TODAY.year + 11, 1, 1)  # past the tenth year from now


@pytest.fixture
def office(workspace):
    """The district office (this office) and a commune below it."""
    with workspace.db.transaction("cán bộ") as s:
        office = units.create_unit(s, code="VPDP", name="Văn phòng Điều phối nông thôn mới huyện", level_code="phong")
        settings.put(s, settings.OFFICE_UNIT, office)
        commune = units.create_unit(s, code="XA-A", name="Ủy ban nhân dân xã A", level_code="xa", parent_id=office)
    return {"office": office, "commune": commune}


def refused(ws, call, *words: str) -> ValidationError:
    """`call(session)` is refused with a message saying `words`, and nothing is written."""
    before = data_digest(ws.folder.database)
    with pytest.raises(ValidationError) as info:
        with ws.db.transaction("cán bộ") as s:
            call(s)
    for word in words:
        assert word in str(info.value), str(info.value)
    assert data_digest(ws.folder.database) == before
    return info.value


def register(s, office: str, number: int = 1, **fields) -> str:
    values = dict(arrival_date=TODAY, arrival_number=number, subject="Về việc rà soát tiêu chí nông thôn mới",
                  issuer_name="Ủy ban nhân dân tỉnh Tuyên Quang", doc_type="CV")
    values.update(fields)
    return create_directive(s, office, DirectiveInput(**values))


def with_task(ws, office) -> tuple[str, str]:
    with ws.db.transaction("cán bộ") as s:
        directive = register(s, office["office"], doc_date=TODAY - timedelta(days=30),
                             arrival_date=TODAY - timedelta(days=28))
        task = tasks.create_task(s, TaskInput(directive_id=directive, summary="Rà soát tiêu chí 17",
                                              lead_unit_id=office["commune"]))
    return directive, task


# --- the register form --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("field, limit, label", [
    ("subject", 10_000, "Trích yếu"),
    ("number_symbol", 100, "Số, ký hiệu văn bản"),
    ("issuer_name", 300, "Tên cơ quan ban hành"),
    ("signer", 200, "Người ký"),
    ("recipients", 10_000, "Đơn vị hoặc người nhận"),
    ("notes", 100_000, "Ghi chú của văn bản"),
    ("full_text", 1_000_000, "Toàn văn"),
])
def test_a_directive_text_longer_than_its_field_is_refused(workspace, office, field, limit, label):
    with workspace.db.transaction("cán bộ") as s:
        kept = register(s, office["office"], 1, **{field: "a" * limit})
        assert len(getattr(s.get(Directive, kept), field)) == limit  # the limit itself is accepted
    error = refused(workspace, lambda s: register(s, office["office"], 2, **{field: "a" * (limit + 1)}),
                    label, f"{limit + 1:,}".replace(",", "."), f"{limit:,}".replace(",", "."), "Hãy rút gọn")
    assert str(error).startswith(label)


@pytest.mark.parametrize("field, value, label", [
    ("arrival_date", date(1900, 1, 1), "Ngày đến 01/01/1900"),
    ("arrival_date", TOO_LATE, "Ngày đến"),
    ("doc_date", date(1944, 12, 31), "Ngày văn bản 31/12/1944"),
    ("transfer_date", TOO_LATE, "Ngày chuyển"),
])
def test_a_directive_date_outside_the_years_is_refused(workspace, office, field, value, label):
    refused(workspace, lambda s: register(s, office["office"], **{field: value}), label, "1945", "Hãy kiểm tra lại")


def test_editing_a_directive_keeps_the_same_limits(workspace, office):
    directive, _task = with_task(workspace, office)
    data = DirectiveInput(arrival_date=TODAY, arrival_number=1, subject="x" * 10_001, issuer_name="UBND tỉnh")
    refused(workspace, lambda s: update_directive(s, directive, data), "Trích yếu", "10.000")


# --- the task editor ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("field, limit, label", [
    ("summary", 10_000, "Nội dung nhiệm vụ"),
    ("notes", 100_000, "Ghi chú của nhiệm vụ"),
    ("deadline_text", 200, "Thời hạn theo văn bản"),
])
def test_a_task_text_longer_than_its_field_is_refused(workspace, office, field, limit, label):
    directive, task = with_task(workspace, office)
    data = dict(directive_id=directive, summary="Rà soát tiêu chí 17", lead_unit_id=office["commune"])
    refused(workspace, lambda s: tasks.create_task(s, TaskInput(**{**data, field: "b" * (limit + 1)})),
            label, "quá giới hạn")
    refused(workspace, lambda s: tasks.update_task(s, task, TaskInput(**{**data, field: "b" * (limit + 1)})), label)
    with workspace.db.transaction("cán bộ") as s:
        tasks.update_task(s, task, TaskInput(**{**data, field: "b" * limit}))
        assert len(getattr(s.get(Task, task), field)) == limit


@pytest.mark.parametrize("deadline", [
    dict(deadline_kind=DeadlineKind.DATE, deadline_date=date(2100, 1, 25)),
    dict(deadline_kind=DeadlineKind.PERIOD, period_text="năm 2099"),
])
def test_a_deadline_past_the_tenth_year_is_refused(workspace, office, deadline):
    directive, _task = with_task(workspace, office)
    refused(workspace, lambda s: tasks.create_task(s, TaskInput(
        directive_id=directive, summary="Hoàn thành tiêu chí 17", lead_unit_id=office["commune"], **deadline)),
        "Hạn xử lý", "nằm ngoài khoảng năm 1945")


@pytest.mark.parametrize("day, text, who, words", [
    (AFTER_TOMORROW, "Đã rà soát", "", ("Ngày báo cáo tiến độ", "ở tương lai")),
    (date(2099, 12, 31), "Đã rà soát", "", ("Ngày báo cáo tiến độ 31/12/2099", "ngoài khoảng")),
    (date(1900, 1, 1), "Đã rà soát", "", ("01/01/1900",)),
    (TODAY, "c" * 100_001, "", ("Nội dung tiến độ", "100.000")),
    (TODAY, "Đã rà soát", "d" * 201, ("Người báo cáo", "200")),
])
def test_a_progress_report_outside_the_limits_is_refused(workspace, office, day, text, who, words):
    _directive, task = with_task(workspace, office)
    refused(workspace, lambda s: tasks.add_progress(s, task, day, text, who), *words)
    with workspace.db.transaction() as s:
        assert s.query(ProgressUpdate).count() == 0


@pytest.mark.parametrize("day, reply, words", [
    (AFTER_TOMORROW, "", ("Ngày hoàn thành", "ở tương lai")),
    (TOO_LATE, "", ("Ngày hoàn thành", "ngoài khoảng")),
    (TODAY, "9" * 101, ("Số, ký hiệu văn bản trả lời", "100")),
])
def test_a_completion_outside_the_limits_is_refused(workspace, office, day, reply, words):
    _directive, task = with_task(workspace, office)
    refused(workspace, lambda s: tasks.complete_task(s, task, day, reply), *words)


# --- the units page -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("changes, words", [
    (dict(name="Thôn " + "e" * 296), ("Tên đơn vị", "300")),
    (dict(short_name="f" * 121), ("Tên viết tắt", "120")),
    (dict(code="T" * 41), ("Mã đơn vị", "40")),
    (dict(code="XA/THON"), ("Mã đơn vị “XA/THON”", "ký tự không dùng được")),
    (dict(valid_from=date(1900, 1, 1)), ("Ngày bắt đầu hiệu lực 01/01/1900",)),
    (dict(valid_to=TOO_LATE), ("Ngày hết hiệu lực",)),
])
def test_a_unit_outside_the_limits_is_refused(workspace, office, changes, words):
    values = dict(code="XA-A-THON1", name="Thôn Một", short_name="", level_code="thon", parent_id=office["commune"],
                  valid_from=None, valid_to=None, successor_id=None)
    refused(workspace, lambda s: units.create_unit(s, owner_unit_id=office["office"], **{**values, **changes}), *words)
    with workspace.db.transaction() as s:
        assert s.query(Unit).count() == 2


# --- criteria: a commune's profile, its assessment, a recognition -------------------------------------------------

@pytest.fixture
def commune(workspace, office):
    """A commune assessed in 2026 on a province's set: criterion 8 has an indicator, criterion 9 none."""
    with workspace.db.transaction() as s:
        _province, (commune,) = province_with_communes(s, ["Xã Bảo Hà"])
        set_id = catalogue.save_definition(s, SetDefinition(
            code="lc-2026", name="Bộ tiêu chí tỉnh", period_start=2026, period_end=2030, target_keys=["Nhóm 1"],
            criteria=[CriterionDef("8", 8, "Môi trường", indicators=[
                IndicatorDef("8.1", "Tỷ lệ hộ dùng nước sạch", "%", "number", ">=", {"Nhóm 1": "90"})]),
                CriterionDef("9", 9, "Hệ thống chính trị")]))
        profiles.save_profile(s, commune, 2026, set_id, "Nhóm 1")
    return commune


@pytest.mark.parametrize("year, planned, note, words", [
    (TODAY.year + 11, None, "", ("Năm đánh giá", "nằm ngoài khoảng 1945")),
    (2026, TODAY.year + 11, "", ("Năm kế hoạch đạt chuẩn",)),
    (2026, None, "g" * 100_001, ("Ghi chú hồ sơ xã", "100.000")),
])
def test_a_commune_profile_outside_the_limits_is_refused(workspace, commune, year, planned, note, words):
    refused(workspace, lambda s: profiles.save_profile(s, commune, year, planned_year=planned, note=note), *words)


@pytest.mark.parametrize("kind, value, note, assessed_on, words", [
    ("indicator", "h" * 201, "", TODAY, ("Kết quả đạt được", "200")),
    ("indicator", "80", "i" * 100_001, TODAY, ("Ghi chú đánh giá chỉ tiêu",)),
    ("criterion", "", "i" * 100_001, TODAY, ("Ghi chú đánh giá tiêu chí",)),
    ("criterion", "", "", date(1900, 1, 1), ("Ngày đánh giá 01/01/1900",)),
])
def test_an_assessment_outside_the_limits_is_refused(workspace, commune, kind, value, note, assessed_on, words):
    with workspace.db.transaction() as s:
        grid = assessments.load_grid(s, commune, 2026)
        row = next(r for r in grid.rows if r.kind == kind and not r.derived)
    cell = CellInput(kind, row.target_id, None, value, note)
    refused(workspace, lambda s: assessments.save_grid(s, commune, 2026, [cell], None, assessed_on), *words)


@pytest.mark.parametrize("number, day, words", [
    ("1" * 101, date(2025, 12, 20), ("Số quyết định công nhận", "100")),
    ("2417/QĐ-UBND", date(1900, 1, 1), ("Ngày quyết định công nhận 01/01/1900",)),
    ("2417/QĐ-UBND", TOO_LATE, ("Ngày quyết định công nhận",)),
])
def test_a_recognition_outside_the_limits_is_refused(workspace, commune, number, day, words):
    refused(workspace, lambda s: profiles.add_recognition(s, commune, "ntm", number, day), *words)
