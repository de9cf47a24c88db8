"""Every save writes audit rows (who, when, entity, id, field, old, new) and bumps the version vector."""

import json
from datetime import date, datetime, timedelta

from ntm_desktop.models import Directive, Task
from ntm_desktop.services.directives import update_directive
from ntm_desktop.services.revisions import audit_trail
from ntm_desktop.services.tasks import TaskInput, update_task

from core_factories import directive_input, make_directive, make_office, make_task, make_unit


def test_creation_row_and_field_edit_rows(db):
    before = datetime.utcnow() - timedelta(seconds=1)
    with db.transaction("Nguyễn Thị Lan") as s:
        office = make_office(s)
        directive_id = make_directive(s, office, date(2025, 3, 1), 1, subject="Trích yếu ban đầu")
    with db.transaction("Trần Văn Bình") as s:
        update_directive(s, directive_id, directive_input(date(2025, 3, 1), 1, subject="Trích yếu đã sửa",
                                                          number_symbol="12/KH-UBND"))
    with db.transaction() as s:
        trail = audit_trail(s, directive_id)
    created, *edits = trail
    assert created.field == "*" and created.old is None and created.user == "Nguyễn Thị Lan"
    assert created.entity == "directives" and created.record_id == directive_id
    assert json.loads(created.new)["subject"] == "Trích yếu ban đầu"
    changed = {(e.field, e.old, e.new) for e in edits}
    assert changed == {("subject", "Trích yếu ban đầu", "Trích yếu đã sửa"), ("number_symbol", "", "12/KH-UBND")}
    for entry in edits:
        assert entry.user == "Trần Văn Bình" and entry.entity == "directives" and entry.record_id == directive_id
        assert before <= entry.at <= datetime.utcnow() + timedelta(seconds=1)
        assert entry.package_id is None


def test_saving_without_a_change_writes_nothing(db):
    with db.transaction("a") as s:
        office = make_office(s)
        directive_id = make_directive(s, office, date(2025, 3, 1), 1, subject="Giữ nguyên")
    with db.transaction("b") as s:
        version = dict(s.get(Directive, directive_id).version)
        update_directive(s, directive_id, directive_input(date(2025, 3, 1), 1, subject="Giữ nguyên"))
    with db.transaction() as s:
        assert len(audit_trail(s, directive_id)) == 1
        assert s.get(Directive, directive_id).version == version


def test_version_vector_bumps_on_each_local_save(db):
    with db.transaction("a") as s:
        office = make_office(s)
        directive_id = make_directive(s, office, date(2025, 3, 1), 1)
    installation = db.sessions.kw["info"]["installation_id"]
    with db.transaction() as s:
        first = s.get(Directive, directive_id)
        assert first.version == {installation: 1}
        stamp = first.updated_at
    with db.transaction("a") as s:
        update_directive(s, directive_id, directive_input(date(2025, 3, 1), 1, subject="Sửa lần 1"))
    with db.transaction() as s:
        again = s.get(Directive, directive_id)
        assert again.version == {installation: 2}
        assert again.updated_at >= stamp


def test_cooperating_units_change_is_audited(db):
    with db.transaction("a") as s:
        office = make_office(s)
        lead = make_unit(s, "Xã Yên Bình")
        coop = make_unit(s, "Xã Văn Phú")
        d = make_directive(s, office, date(2025, 3, 1), 1)
        task_id = make_task(s, d, lead)
    with db.transaction("b") as s:
        update_task(s, task_id, TaskInput(directive_id=d, summary="Rà soát tiêu chí nông thôn mới",
                                          lead_unit_id=lead, cooperating_unit_ids=(coop,)))
    with db.transaction() as s:
        rows = [e for e in audit_trail(s, task_id) if e.field == "cooperating_units"]
        assert len(rows) == 1
        assert json.loads(rows[0].old) == [] and json.loads(rows[0].new) == [coop]
        assert s.get(Task, task_id).cooperating_units[0].id == coop


def test_sync_import_keeps_incoming_version_and_names_the_package(db):
    with db.transaction("a") as s:
        office = make_office(s)
        directive_id = make_directive(s, office, date(2025, 3, 1), 1)
    with db.transaction("import") as s:
        s.info["package_id"] = "pkg-0001"
        directive = s.get(Directive, directive_id)
        directive.subject = "Từ gói đồng bộ"
        directive.version = {"other-installation": 7}
    with db.transaction() as s:
        assert s.get(Directive, directive_id).version == {"other-installation": 7}
        entry = [e for e in audit_trail(s, directive_id) if e.field == "subject"][0]
        assert entry.package_id == "pkg-0001" and entry.new == "Từ gói đồng bộ"
