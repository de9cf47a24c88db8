"""Several PCs on one database (SQLite file, then PostgreSQL): two officers saving the same task or directive,
a registration on one PC seen on the other, two clerks taking arrival numbers at the same moment."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select, text

from core_factories import directive_input, make_directive, make_office, make_task, make_unit
from ntm_desktop.errors import ValidationError
from ntm_desktop.models import AuditEntry, Directive, Task
from ntm_desktop.remote_changes import watch_other_connections
from ntm_desktop.services import directives, tasks
from ntm_desktop.services.concurrency import RecordChangedError
from ntm_desktop.services.deadlines import DeadlineKind
from server_db import NO_SERVER, office  # noqa: F401 - the fixture

YEAR = date.today().year


def _set_up(db) -> dict:
    with db.transaction("van.thu") as s:
        office_id = make_office(s)
        lead = make_unit(s, "Ủy ban nhân dân xã Yên Thuận")
        other = make_unit(s, "Ủy ban nhân dân xã Bạch Xa")
        directive = make_directive(s, office_id, date(YEAR, 1, 5), number_symbol="15/KH-UBND",
                                   doc_date=date(YEAR, 1, 3))
        task = make_task(s, directive, lead, summary="Rà soát tiêu chí số 17 về môi trường")
    return dict(office=office_id, lead=lead, other=other, directive=directive, task=task)


def _opened_task(db, task_id):
    """What the task editor holds once opened: the task's fields and its revision."""
    with db.transaction() as s:
        task = tasks.load(s, task_id)
        return tasks.input_from(task), task.revision


def _task(db, task_id) -> Task:
    with db.transaction() as s:
        task = s.get(Task, task_id)
        s.expunge(task)
        return task


def test_second_save_of_one_task_is_refused_with_what_changed(office):
    world = _set_up(office.a)
    on_a, revision_a = _opened_task(office.a, world["task"])
    on_b, revision_b = _opened_task(office.b, world["task"])
    with office.a.transaction("an.nv") as s:
        tasks.update_task(s, world["task"], replace(
            on_a, summary="Rà soát tiêu chí số 17 và lập kế hoạch thu gom rác thải",
            deadline_kind=DeadlineKind.DATE, deadline_date=date(YEAR, 6, 30)), revision=revision_a)

    with pytest.raises(RecordChangedError) as refused:
        with office.b.transaction("binh.tt") as s:
            tasks.update_task(s, world["task"], replace(on_b, summary="Rà soát tiêu chí số 17 (bản của máy B)",
                                                        lead_unit_id=world["other"]), revision=revision_b)
    message = str(refused.value)
    assert "Nhiệm vụ này đã được an.nv lưu lúc" in message
    assert "• Nội dung nhiệm vụ: “Rà soát tiêu chí số 17 về môi trường” → “Rà soát tiêu chí số 17 và lập kế " \
           "hoạch thu gom rác thải”" in message
    assert f"• Hạn xử lý: (trống) → 30/06/{YEAR}" in message
    assert "Chưa có gì bị ghi đè" in message
    saved = _task(office.b, world["task"])  # nothing of B's save, A's kept whole
    assert saved.summary == "Rà soát tiêu chí số 17 và lập kế hoạch thu gom rác thải"
    assert saved.lead_unit_id == world["lead"] and saved.due_date == date(YEAR, 6, 30)
    with office.b.transaction() as s:
        assert not s.scalars(select(AuditEntry).where(AuditEntry.user == "binh.tt")).all()

    # B loads the newest version and redoes the change: it is saved
    on_b, revision_b = _opened_task(office.b, world["task"])
    with office.b.transaction("binh.tt") as s:
        tasks.update_task(s, world["task"], replace(on_b, lead_unit_id=world["other"]), revision=revision_b)
    assert _task(office.a, world["task"]).lead_unit_id == world["other"]


def test_completion_saved_meanwhile_refuses_the_editor_and_names_it(office):
    world = _set_up(office.a)
    on_b, revision_b = _opened_task(office.b, world["task"])
    with office.a.transaction("an.nv") as s:
        tasks.complete_task(s, world["task"], date(YEAR, 2, 1), "25/BC-UBND", revision=_opened_task(
            office.a, world["task"])[1])
    with pytest.raises(RecordChangedError) as refused:
        with office.b.transaction("binh.tt") as s:  # what the editor's save does: the content, then completion
            tasks.update_task(s, world["task"], replace(on_b, notes="Đôn đốc xã"), revision=revision_b)
            tasks.complete_task(s, world["task"], None, "", revision=revision_b)
    assert f"• Ngày hoàn thành: (trống) → 01/02/{YEAR}" in str(refused.value)
    assert "• Số, ký hiệu văn bản trả lời: (trống) → “25/BC-UBND”" in str(refused.value)
    task = _task(office.a, world["task"])
    assert task.completed_on == date(YEAR, 2, 1) and task.notes == ""


def test_one_save_of_content_and_completion_is_one_revision(office):
    world = _set_up(office.a)
    data, revision = _opened_task(office.a, world["task"])
    with office.a.transaction("an.nv") as s:
        tasks.update_task(s, world["task"], replace(data, notes="Ghi chú"), revision=revision)
        tasks.complete_task(s, world["task"], date(YEAR, 2, 1), "", revision=revision)
    assert _task(office.a, world["task"]).revision == revision + 1


def test_saves_in_the_same_instant_are_caught_by_the_update_itself(office):
    """B has read the task in its transaction when A's save commits: B's UPDATE finds no row at the revision it
    read (SQLAlchemy's version counter), and is refused with what A changed."""
    world = _set_up(office.a)
    data, _ = _opened_task(office.a, world["task"])
    with pytest.raises(RecordChangedError) as refused:
        with office.b.transaction("binh.tt") as s:
            read = tasks.load(s, world["task"])  # read (revision 1), kept by this transaction
            with office.a.transaction("an.nv") as s_a:
                tasks.update_task(s_a, world["task"], replace(data, summary="Bản của máy A"))
            tasks.update_task(s, world["task"], replace(data, summary="Bản của máy B"))
            assert read.summary == "Bản của máy B"  # (not reached)
    assert "• Nội dung nhiệm vụ: “Rà soát tiêu chí số 17 về môi trường” → “Bản của máy A”" in str(refused.value)
    assert _task(office.a, world["task"]).summary == "Bản của máy A"


def test_second_save_of_one_directive_is_refused_with_what_changed(office):
    world = _set_up(office.a)

    def opened(db):
        with db.transaction() as s:
            d = directives.load(s, world["directive"])
            return directives.input_from(d), d.revision

    on_a, revision_a = opened(office.a)
    on_b, revision_b = opened(office.b)
    with office.a.transaction("an.nv") as s:
        directives.update_directive(s, world["directive"], replace(
            on_a, subject="Kế hoạch xây dựng nông thôn mới nâng cao", urgency="khan"), revision=revision_a)
    with pytest.raises(RecordChangedError) as refused:
        with office.b.transaction("binh.tt") as s:
            directives.update_directive(s, world["directive"], replace(on_b, signer="Nguyễn Văn Sơn"),
                                        revision=revision_b)
    message = str(refused.value)
    assert message.startswith("Văn bản này đã được an.nv lưu lúc")
    assert "• Trích yếu: “V/v triển khai xây dựng nông thôn mới” → “Kế hoạch xây dựng nông thôn mới nâng cao”" \
        in message
    assert "• Độ khẩn: Thường → Khẩn" in message
    with office.a.transaction() as s:
        saved = s.get(Directive, world["directive"])
        assert saved.signer == "" and saved.subject == "Kế hoạch xây dựng nông thôn mới nâng cao"


def test_a_task_deleted_meanwhile_is_named(office):
    world = _set_up(office.a)
    on_b, revision_b = _opened_task(office.b, world["task"])
    with office.a.transaction("an.nv") as s:
        tasks.delete_task(s, world["task"])
    with pytest.raises(RecordChangedError) as refused:
        with office.b.transaction("binh.tt") as s:
            tasks.update_task(s, world["task"], replace(on_b, notes="x"), revision=revision_b)
    assert "• Đã xóa: còn dùng → đã xóa" in str(refused.value)


def _wait_for(watcher, wanted: str, seconds: float = 5.0) -> set[str]:
    seen: set[str] = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen |= watcher.poll()
        if wanted in seen:
            return seen
        time.sleep(0.02)
    return seen


def test_a_registration_on_pc_a_is_told_on_pc_b(office):
    world = _set_up(office.a)
    on_b = watch_other_connections(office.b)
    on_a = watch_other_connections(office.a)
    told_on_b: list[frozenset] = []
    office.b.watch.listen(told_on_b.append)  # what the window's data event hears
    try:
        assert on_b.poll() == frozenset()
        with office.a.transaction("van.thu") as s:
            directives.create_directive(s, world["office"], directive_input(
                date(YEAR, 2, 2), None, subject="Công văn về đôn đốc tiến độ xây dựng nông thôn mới"))
        seen = _wait_for(on_b, "directives")
        assert "directives" in seen
        assert any("directives" in tables for tables in told_on_b)
        assert on_b.poll() == frozenset()  # told once
        assert on_a.poll() == frozenset()  # A's own commit is told by A's own change watch, not again
        # and the other way round: a task saved on B is told on A
        data, revision = _opened_task(office.b, world["task"])
        with office.b.transaction("binh.tt") as s:
            tasks.update_task(s, world["task"], replace(data, notes="Đã đôn đốc"), revision=revision)
        assert "tasks" in _wait_for(on_a, "tasks")
        assert on_b.poll() == frozenset()
    finally:
        on_a.close()
        on_b.close()


def test_a_save_rolled_back_on_pc_b_is_not_told_and_does_not_hide_the_next_one(office):
    world = _set_up(office.a)
    on_a = watch_other_connections(office.a)
    try:
        data, revision = _opened_task(office.b, world["task"])
        with pytest.raises(ValidationError):
            with office.b.transaction("binh.tt") as s:
                tasks.update_task(s, world["task"], replace(data, notes="nháp"), revision=revision)
                s.flush()
                raise ValidationError("bỏ")
        assert on_a.poll() == frozenset()
        with office.b.transaction("binh.tt") as s:
            tasks.update_task(s, world["task"], replace(data, notes="Đã đôn đốc"), revision=revision)
        assert "tasks" in _wait_for(on_a, "tasks")
    finally:
        on_a.close()


def _register_many(db, office_id: str, clerk: str, count: int, start: threading.Barrier, taken: list) -> None:
    start.wait()
    for n in range(count):
        with db.transaction(clerk) as s:
            directive_id = directives.create_directive(s, office_id, directive_input(
                date(YEAR, 3, 1), None, subject=f"Văn bản {n + 1} do {clerk} vào sổ"))
        with db.transaction() as s:
            taken.append(s.get(Directive, directive_id).arrival_number)


def test_two_clerks_taking_arrival_numbers_at_once_get_no_duplicate_and_no_gap(office):
    world = _set_up(office.a)  # number 1 is taken by the set-up
    count = 15
    start = threading.Barrier(2)
    taken_a: list[int] = []
    taken_b: list[int] = []
    failures: list[BaseException] = []

    def clerk(db, name, taken):
        try:
            _register_many(db, world["office"], name, count, start, taken)
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=clerk, args=(office.a, "van.thu.a", taken_a)),
               threading.Thread(target=clerk, args=(office.b, "van.thu.b", taken_b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not failures, failures
    assert len(taken_a) == len(taken_b) == count
    assert sorted(taken_a + taken_b) == list(range(2, 2 + 2 * count))  # no duplicate, no gap
    with office.a.transaction() as s:
        numbers = s.scalars(select(Directive.arrival_number).where(Directive.arrival_year == YEAR)
                            .order_by(Directive.arrival_number)).all()
    assert numbers == list(range(1, 2 + 2 * count))


def test_a_number_typed_on_both_pcs_is_refused_on_the_second_with_the_next_free_one(office):
    world = _set_up(office.a)
    start = threading.Barrier(2)
    outcomes: list = []

    def clerk(db, name):
        start.wait()
        try:
            with db.transaction(name) as s:
                directives.create_directive(s, world["office"], directive_input(
                    date(YEAR, 3, 2), 7, subject=f"Văn bản số đến 7 của {name}"))
            outcomes.append("saved")
        except ValidationError as error:
            outcomes.append(str(error))

    threads = [threading.Thread(target=clerk, args=(db, name)) for db, name in ((office.a, "a"), (office.b, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == 2 and outcomes.count("saved") == 1, outcomes
    refusal = max(outcomes, key=len)
    assert refusal.startswith(f"Số đến 7/{YEAR} đã được dùng cho văn bản “Văn bản số đến 7 của ")
    assert refusal.endswith("Số đến tiếp theo còn trống là 8.")


@pytest.mark.skipif(not os.environ.get("NTM_TEST_DATABASE_URL"), reason=NO_SERVER)
def test_a_lost_listening_connection_is_made_again_and_everything_is_read_again(tmp_path, monkeypatch):
    from ntm_desktop import remote_changes
    from server_db import Office

    monkeypatch.setattr(remote_changes, "RECONNECT_EVERY_S", 0.05)
    place = Office("postgresql", tmp_path)
    try:
        world = _set_up(place.a)
        on_b = watch_other_connections(place.b)
        try:
            with place.a.engine.connect() as conn:  # the server drops B's listening connection
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  "WHERE query LIKE 'LISTEN %' AND pid <> pg_backend_pid()"))
            with place.a.transaction("van.thu") as s:  # meanwhile A registers a directive
                directives.create_directive(s, world["office"], directive_input(
                    date(YEAR, 2, 2), None, subject="Công văn gửi khi máy B mất kết nối"))
            seen = _wait_for(on_b, "directives")
            assert {"directives", "tasks", "units"} <= seen  # not known what changed: every table is read again
            with place.a.transaction("van.thu") as s:  # and B hears A's next commits again
                directives.create_directive(s, world["office"], directive_input(
                    date(YEAR, 2, 3), None, subject="Công văn sau khi kết nối lại"))
            again = _wait_for(on_b, "directives")
            assert "directives" in again and "units" not in again  # the tables that commit wrote, no more
        finally:
            on_b.close()
    finally:
        place.close()
