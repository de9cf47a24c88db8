"""An office with one user of each role: a province above it, Phòng Nông nghiệp and a commune below it,
one directive and a task led by each of the two units."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ntm_desktop.models import User
from ntm_desktop.services import settings, units, users
from ntm_desktop.services.access import Actor, Role

from core_factories import make_directive, make_task, make_unit

PASSWORDS = {"quantri": "Quản trị 2026!", "vanthu": "vanthu-2026", "chuyenvien": "chuyên viên 26",
             "lanhdao": "lanh-dao-2026"}


@dataclass
class Office:
    province: str
    office: str
    agriculture: str
    commune: str
    directive: str
    agriculture_task: str
    commune_task: str
    admin: Actor
    clerk: Actor
    specialist: Actor
    leader: Actor


def actor(session, user_id: str) -> Actor:
    return Actor.of(session.get(User, user_id))


def build_office(db) -> Office:
    """Built without sign-in (the implicit user), then the four accounts are made, the quản trị first."""
    with db.transaction("cài đặt") as s:
        province = units.create_unit(s, code="TINH", name="Ủy ban nhân dân tỉnh Tuyên Quang", level_code="tinh")
        office = make_unit(s, "Văn phòng Điều phối nông thôn mới huyện Hàm Yên", level="phong", parent_id=province)
        settings.put(s, settings.OFFICE_UNIT, office)
        agriculture = make_unit(s, "Phòng Nông nghiệp và Môi trường", level="phong", parent_id=office)
        commune = make_unit(s, "Xã Bạch Xa", level="xa", parent_id=office)
        directive = make_directive(s, office, date(2026, 3, 2), 1, subject="Kế hoạch rà soát tiêu chí năm 2026")
        agriculture_task = make_task(s, directive, agriculture, summary="Rà soát tiêu chí thủy lợi")
        commune_task = make_task(s, directive, commune, summary="Báo cáo kết quả tiêu chí trường học")
    with db.transaction("cài đặt") as s:  # the first user turns sign-in on: the others are made by them
        admin = actor(s, users.create_user(s, "quantri", "Hoàng Văn Quân", Role.ADMIN, PASSWORDS["quantri"]))
    with db.transaction("cài đặt", actor=admin) as s:
        ids = {
            "quantri": admin.user_id,
            "vanthu": users.create_user(s, "vanthu", "Nguyễn Thị Thư", Role.CLERK, PASSWORDS["vanthu"]),
            "chuyenvien": users.create_user(s, "chuyenvien", "Trần Văn Viên", Role.SPECIALIST,
                                            PASSWORDS["chuyenvien"], unit_id=agriculture),
            "lanhdao": users.create_user(s, "lanhdao", "Lê Thị Đạo", Role.LEADER, PASSWORDS["lanhdao"]),
        }
        actors = {name: actor(s, user_id) for name, user_id in ids.items()}
    return Office(province, office, agriculture, commune, directive, agriculture_task, commune_task,
                  actors["quantri"], actors["vanthu"], actors["chuyenvien"], actors["lanhdao"])


def as_(db, who: Actor, user: str = "máy văn phòng"):
    """A transaction acting as `who`."""
    return db.transaction(user, actor=who)
