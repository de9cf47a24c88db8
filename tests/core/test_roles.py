"""Each role at the services, as a test (or a second program) would call them without the window: what the role
may do goes through, everything else is refused with a Vietnamese message naming the action and the role it
needs, and leaves the data as they were."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from ntm_desktop.backup import BackupKind, create_backup, list_backups
from ntm_desktop.models import Attachment, Directive, ProgressUpdate, Task, Unit
from ntm_desktop.reports.request import ReportKind, ReportRequest
from ntm_desktop.reports.runner import build_document
from ntm_desktop.services import access, attachments, directives, office, tasks, units, users
from ntm_desktop.services.access import AccessDenied, Role
from ntm_desktop.sync.apply import apply_file
from ntm_desktop.sync.export import export_package

from core_factories import directive_input
from roles_world import as_, build_office


@pytest.fixture
def world(workspace):
    return build_office(workspace.db)


def refused(db, who, action, *words):
    """`action(session)` as `who` is refused with a message holding `words`; nothing it did is kept."""
    with pytest.raises(AccessDenied) as raised:
        with as_(db, who) as s:
            action(s)
    message = str(raised.value)
    for word in words:
        assert word in message, message
    assert "Không có gì bị thay đổi" in message
    return message


def done(db, who, action):
    with as_(db, who) as s:
        return action(s)


def report(kind: ReportKind, unit_code: str = ""):
    def build(session):
        request = ReportRequest(kind=kind, start=date(2026, 1, 1), end=date(2026, 12, 31), unit_code=unit_code,
                                today=date(2026, 6, 1))
        generator = build_document(session, request)
        try:
            while True:
                next(generator)
        except StopIteration as stop:
            return stop.value
    return build


def new_directive(world, number: int):
    return lambda s: directives.create_directive(s, world.office, directive_input(date(2026, 3, 5), number))


def new_task(world, lead):
    return lambda s: tasks.create_task(s, tasks.TaskInput(directive_id=world.directive, summary="Nhiệm vụ mới",
                                                          lead_unit_id=lead))


def progress(task_id):
    return lambda s: tasks.add_progress(s, task_id, date(2026, 4, 1), "Đã rà soát xong 3 thôn", "")


def complete(task_id):
    return lambda s: tasks.complete_task(s, task_id, date(2026, 4, 10), "15/BC-UBND")


def code_of(db, unit_id):
    with db.transaction() as s:
        return s.get(Unit, unit_id).code


def count(db, model):
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False)))


def test_clerk_registers_and_attaches_but_assigns_nothing(workspace, world, tmp_path):
    db = workspace.db
    scan = tmp_path / "cong-van.pdf"
    scan.write_bytes(b"%PDF-1.4\n% scan\n")
    directive_id = done(db, world.clerk, new_directive(world, 2))
    done(db, world.clerk, lambda s: directives.update_directive(
        s, directive_id, directive_input(date(2026, 3, 5), 2, subject="Trích yếu đã sửa")))
    done(db, world.clerk, lambda s: attachments.attach(s, workspace.folder.files, directive_id, scan))
    assert done(db, world.clerk, report(ReportKind.REGISTER)).title
    tasks_before = count(db, Task)

    message = refused(db, world.clerk, new_task(world, world.agriculture),
                      "“vanthu” (văn thư)", "giao, sửa hoặc xóa nhiệm vụ", "lãnh đạo hoặc quản trị")
    assert message.startswith("Tài khoản “vanthu” (văn thư) không được giao, sửa hoặc xóa nhiệm vụ")
    refused(db, world.clerk, progress(world.agriculture_task), "báo cáo tiến độ nhiệm vụ",
            "chuyên viên hoặc lãnh đạo hoặc quản trị")
    refused(db, world.clerk, complete(world.agriculture_task), "ghi nhận hoàn thành nhiệm vụ")
    refused(db, world.clerk, report(ReportKind.WEEKLY), "lập báo cáo tổng hợp", "lãnh đạo hoặc quản trị")
    refused(db, world.clerk, lambda s: units.create_unit(s, code="XA2", name="Xã Yên Lâm", level_code="xa",
                                                         parent_id=world.office), "sửa danh mục đơn vị")
    refused(db, world.clerk, lambda s: users.create_user(s, "lan", "Lan", Role.CLERK, "mat-khau-dai"),
            "quản lý người dùng", "cần vai trò quản trị")
    assert count(db, Task) == tasks_before
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(ProgressUpdate)) == 0
        assert s.get(Task, world.agriculture_task).completed_on is None


def test_specialist_reports_and_completes_only_the_tasks_their_unit_leads(workspace, world):
    db = workspace.db
    done(db, world.specialist, progress(world.agriculture_task))
    done(db, world.specialist, complete(world.agriculture_task))
    agriculture = code_of(db, world.agriculture)
    assert done(db, world.specialist, report(ReportKind.UNIT, agriculture)).title

    message = refused(db, world.specialist, progress(world.commune_task), "“chuyenvien” (chuyên viên)",
                      "báo cáo tiến độ nhiệm vụ", "Phòng Nông nghiệp và Môi trường", "Xã Bạch Xa",
                      "lãnh đạo hoặc quản trị")
    assert "chỉ được báo cáo tiến độ nhiệm vụ khi đơn vị mình" in message
    refused(db, world.specialist, complete(world.commune_task), "ghi nhận hoàn thành nhiệm vụ", "Xã Bạch Xa")
    refused(db, world.specialist, report(ReportKind.UNIT, code_of(db, world.commune)),
            "lập danh mục nhiệm vụ của một đơn vị", "Xã Bạch Xa")
    refused(db, world.specialist, new_directive(world, 2), "vào sổ, sửa hoặc xóa văn bản đến",
            "văn thư hoặc quản trị")
    refused(db, world.specialist, lambda s: attachments.remove(s, "không-có"), "đính kèm hoặc gỡ tệp")
    refused(db, world.specialist, new_task(world, world.agriculture), "giao, sửa hoặc xóa nhiệm vụ")
    refused(db, world.specialist, lambda s: tasks.update_task(s, world.agriculture_task, replace(
        tasks.input_from(tasks.load(s, world.agriculture_task)), summary="Sửa nội dung")), "giao, sửa hoặc xóa")
    refused(db, world.specialist, report(ReportKind.WEEKLY), "lập báo cáo tổng hợp")
    refused(db, world.specialist, report(ReportKind.REGISTER), "in sổ đăng ký và sổ theo dõi văn bản đến",
            "văn thư hoặc lãnh đạo hoặc quản trị")
    refused(db, world.specialist, lambda s: users.list_users(s), "quản lý người dùng")
    with db.transaction() as s:
        assert s.get(Task, world.commune_task).completed_on is None
        assert s.scalar(select(func.count()).select_from(ProgressUpdate)) == 1


def test_specialist_cannot_back_up_or_exchange_packages(workspace, world, tmp_path):
    db = workspace.db
    access.sign_in(db, world.specialist)  # as the window does after the sign-in dialog
    with pytest.raises(AccessDenied, match="“chuyenvien” \\(chuyên viên\\) không được sao lưu hoặc khôi phục"):
        create_backup(workspace.folder, BackupKind.MANUAL, db=db)
    assert list_backups(workspace.folder.backups) == []
    with pytest.raises(AccessDenied, match="không được nhận hoặc gửi gói dữ liệu: việc này cần vai trò quản trị"):
        apply_file(workspace, tmp_path / "goi.ntmsync")
    with pytest.raises(AccessDenied, match="nhận hoặc gửi gói dữ liệu"):
        with db.transaction() as s:
            export_package(s, workspace.folder.files, "TINH", None, out_dir=tmp_path / "usb")
    assert not (tmp_path / "usb").exists()


def test_leader_assigns_approves_and_reports_but_does_not_register(workspace, world):
    db = workspace.db
    task_id = done(db, world.leader, new_task(world, world.commune))
    done(db, world.leader, lambda s: tasks.update_task(s, task_id, replace(
        tasks.input_from(tasks.load(s, task_id)), summary="Nội dung giao lại")))
    done(db, world.leader, progress(world.commune_task))
    done(db, world.leader, complete(world.commune_task))
    for kind in (ReportKind.WEEKLY, ReportKind.FOLLOWUP, ReportKind.REGISTER):
        assert done(db, world.leader, report(kind)).title
    assert done(db, world.leader, report(ReportKind.UNIT, code_of(db, world.commune))).title
    directives_before = count(db, Directive)

    refused(db, world.leader, new_directive(world, 2), "“lanhdao” (lãnh đạo)", "vào sổ, sửa hoặc xóa văn bản đến",
            "văn thư hoặc quản trị")
    refused(db, world.leader, lambda s: directives.delete_directive(s, world.directive), "vào sổ, sửa hoặc xóa")
    refused(db, world.leader, lambda s: units.update_unit(s, world.commune, name="Xã Bạch Xa mới"),
            "sửa danh mục đơn vị")
    refused(db, world.leader, lambda s: office.save_profile(s, office.load_profile(s)),
            "đổi thông tin và thiết lập của cơ quan")
    refused(db, world.leader, lambda s: users.set_role(s, world.clerk.user_id, Role.LEADER), "quản lý người dùng")
    access.sign_in(db, world.leader)
    with pytest.raises(AccessDenied, match="sao lưu hoặc khôi phục dữ liệu"):
        create_backup(workspace.folder, BackupKind.MANUAL, db=db)
    assert count(db, Directive) == directives_before
    with db.transaction() as s:
        assert s.get(Unit, world.commune).name == "Xã Bạch Xa"


def test_admin_may_do_everything(workspace, world, tmp_path):
    db = workspace.db
    scan = tmp_path / "anh.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n")
    directive_id = done(db, world.admin, new_directive(world, 2))
    done(db, world.admin, lambda s: attachments.attach(s, workspace.folder.files, directive_id, scan))
    done(db, world.admin, new_task(world, world.commune))
    done(db, world.admin, progress(world.commune_task))
    done(db, world.admin, complete(world.commune_task))
    assert done(db, world.admin, report(ReportKind.WEEKLY)).title
    done(db, world.admin, lambda s: units.create_unit(s, code="XA2", name="Xã Yên Lâm", level_code="xa",
                                                      parent_id=world.office))
    done(db, world.admin, lambda s: office.save_profile(s, office.load_profile(s)))
    done(db, world.admin, lambda s: users.create_user(s, "lan.nt", "Nguyễn Thị Lan", Role.CLERK, "mat-khau-dai"))
    exported = done(db, world.admin, lambda s: export_package(s, workspace.folder.files, "TINH", None,
                                                              out_dir=tmp_path / "usb", full=True))
    assert exported.path.is_file()
    access.sign_in(db, world.admin)
    result = create_backup(workspace.folder, BackupKind.MANUAL, db=db)
    assert result.info.path.is_file()
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Attachment)) == 1


def test_without_users_everyone_may_do_everything_until_the_first_admin(workspace, tmp_path):
    db = workspace.db
    with db.transaction() as s:
        assert not access.sign_in_on(s)
        assert access.require(s, access.Permission.BACKUPS).implicit
        with pytest.raises(Exception, match="Người dùng đầu tiên phải có vai trò quản trị"):
            users.create_user(s, "vanthu", "Nguyễn Thị Thư", Role.CLERK, "mat-khau-dai")
    with db.transaction() as s:
        assert access.require(s, access.Permission.USERS).implicit
        users.create_user(s, "quantri", "Hoàng Văn Quân", Role.ADMIN, "mat-khau-dai")
        with pytest.raises(AccessDenied, match="hãy đăng nhập"):  # from that moment, in the same transaction too
            users.create_user(s, "vanthu", "Nguyễn Thị Thư", Role.CLERK, "mat-khau-dai")
    with pytest.raises(AccessDenied, match="Phần mềm đã bật đăng nhập: hãy đăng nhập bằng tài khoản được cấp để "
                                           "sao lưu hoặc khôi phục dữ liệu"):
        create_backup(workspace.folder, BackupKind.MANUAL, db=db)
    with pytest.raises(AccessDenied, match="hãy đăng nhập"):
        with db.transaction() as s:
            access.require(s, access.Permission.REGISTER)


def test_a_closed_account_is_refused_at_once_and_a_new_role_counts_at_once(workspace, world):
    db = workspace.db
    with as_(db, world.admin) as s:
        users.set_role(s, world.leader.user_id, Role.CLERK)
    # the leader's session still carries the old Actor: the role is read again at each check
    refused(db, world.leader, new_task(world, world.commune), "“lanhdao” (văn thư)")
    done(db, world.leader, new_directive(world, 2))
    with as_(db, world.admin) as s:
        users.deactivate(s, world.leader.user_id)
    message = refused(db, world.leader, new_directive(world, 3), "“lanhdao”", "đã bị khóa")
    assert "vào sổ, sửa hoặc xóa văn bản đến" in message


def test_criteria_are_assessed_by_specialists_and_leaders_recognition_is_the_leaders(workspace, world):
    from ntm_desktop.models import Assessment, Recognition
    from ntm_desktop.services.criteria import assessments, profiles

    db = workspace.db
    year = 2026

    def status(code, value):
        return lambda s: assessments.set_status(s, world.commune, year, code, value, assessed_on=date(2026, 6, 1))

    def recognise(s):
        return profiles.add_recognition(s, world.commune, "ntm", "125/QĐ-UBND", date(2026, 6, 10))

    message = refused(db, world.clerk, status("1", "dat"), "“vanthu” (văn thư)", "đánh giá tiêu chí nông thôn mới",
                      "chuyên viên hoặc lãnh đạo hoặc quản trị")
    assert message.startswith("Tài khoản “vanthu” (văn thư) không được đánh giá tiêu chí")
    refused(db, world.clerk, lambda s: profiles.save_profile(s, world.commune, year, planned_year=2027),
            "đánh giá tiêu chí nông thôn mới")
    assert count(db, Assessment) == 0
    with as_(db, world.clerk) as s:  # reading the grid stays open to everyone
        assert assessments.load_grid(s, world.commune, year).rows

    done(db, world.specialist, status("1", "dat"))
    done(db, world.leader, status("2", "chua_dat"))
    with db.transaction() as s:
        assessed = {a.status for a in s.scalars(select(Assessment).where(Assessment.status.is_not(None)))}
    assert assessed == {"dat", "chua_dat"}

    refused(db, world.specialist, recognise, "ghi hoặc thu hồi quyết định công nhận", "lãnh đạo hoặc quản trị")
    refused(db, world.clerk, recognise, "quyết định công nhận")
    assert count(db, Recognition) == 0
    recognition = done(db, world.leader, recognise)
    refused(db, world.specialist, lambda s: profiles.revoke_recognition(s, recognition, "3/QĐ-UBND",
                                                                        date(2026, 7, 1)), "thu hồi")
    with db.transaction() as s:
        assert s.get(Recognition, recognition).revoked_number in (None, "")
