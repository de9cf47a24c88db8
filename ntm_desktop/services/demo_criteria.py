"""Demo criteria data: the communes of the demo office and the years of results that tell a story.

2024-2025 (19 criteria): Cốc San keeps 19/19; Hợp Thành reaches 19/19 and is recognised;
Phong Hải, recognised in 2021, slips to 12/19 with Thu nhập and Môi trường not met
(revocation rule); Gia Phú, formed on 01/7/2025 from Xuân Giao and Thái Niên, carries their
history and misses its plan by one criterion; the mountain communes climb slowly.

2026 (the 2026-2030 set, 10 criteria, targets by commune group), once that year has come: the
communes are moved into the new period with their group (Cốc San and Gia Phú nhóm 1, the
lowland communes nhóm 2, the mountain communes nhóm 3); most are assessed against the new set,
Tả Phìn is moved but not assessed yet, Mường Bo still waits to be moved. Recognitions made
under the old set stay in their history with the set named.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.models import Task
from ntm_desktop.services import units
from ntm_desktop.services.criteria import catalogue, links, profiles, transition
from ntm_desktop.services.criteria.assessments import CellInput, load_grid, save_grid
from ntm_desktop.services.criteria.statuses import CHUA_DAT, CO_BAN_DAT, DAT

MERGER_DAY = date(2025, 7, 1)
# Criteria in the order communes tend to miss them (hardest first), per number of criteria in the set.
HARD_FIRST = {
    19: ["13", "10", "12", "17", "9", "5", "2", "14", "15", "6", "7", "3", "11", "8", "16", "1", "18", "4", "19"],
    10: ["7", "3", "8", "6", "4", "2", "5", "9", "10", "1"],
}
# The first year of the new period: code, commune group, criteria met (None: moved, not assessed yet).
NEW_PERIOD = [
    ("LC-XCOCSAN", "Nhóm 1", 9),
    ("LC-XHOPTHANH", "Nhóm 2", 8),
    ("LC-XPHONGHAI", "Nhóm 2", 5),
    ("LC-XBAOHA", "Nhóm 2", 9),
    ("LC-XBANHO", "Nhóm 3", 4),
    ("LC-XTAPHIN", "Nhóm 3", None),
    ("LC-XGIAPHU", "Nhóm 1", 7),
]  # Mường Bo is left to move

# code, name, (met in the first year, met in the second year), planned year, region, valid from/to, successor
COMMUNES = [
    ("LC-XCOCSAN", "Xã Cốc San", (19, 19), None, None, None),
    ("LC-XHOPTHANH", "Xã Hợp Thành", (17, 19), 2025, None, None),
    ("LC-XPHONGHAI", "Xã Phong Hải", (19, 12), None, None, None),
    ("LC-XBAOHA", "Xã Bảo Hà", (14, 16), 2026, None, None),
    ("LC-XBANHO", "Xã Bản Hồ", (8, 10), 2028, None, None),
    ("LC-XTAPHIN", "Xã Tả Phìn", (4, 6), 2030, None, None),
    ("LC-XMUONGBO", "Xã Mường Bo", (11, 13), 2027, None, None),
    ("LC-XGIAPHU", "Xã Gia Phú", (None, 18), 2025, MERGER_DAY, None),
    ("LC-XXUANGIAO", "Xã Xuân Giao", (15, None), 2025, None, "LC-XGIAPHU"),
    ("LC-XTHAINIEN", "Xã Thái Niên", (11, None), 2026, None, "LC-XGIAPHU"),
]
# code, level, decision number, decision date
RECOGNITIONS = [
    ("LC-XCOCSAN", "ntm", "1856/QĐ-UBND", date(2022, 12, 20)),
    ("LC-XPHONGHAI", "ntm", "2417/QĐ-UBND", date(2021, 12, 28)),
    ("LC-XXUANGIAO", "ntm", "3012/QĐ-UBND", date(2023, 12, 15)),
]
REGION = "Trung du và miền núi phía Bắc"


def demo_years(today: date) -> tuple[int, int]:
    """Two years of the 2021-2025 set, the latest one not after this year."""
    last = min(today.year, 2025)
    return last - 1, last


def new_period_year(session: Session, today: date) -> int | None:
    """The first year of the set after the demo's two years, once that year has come (else None)."""
    after = catalogue.set_for_year(session, demo_years(today)[1] + 1)
    if after is None or after.period_start is None or after.period_start > today.year:
        return None
    return after.period_start


def _cells(grid, met: int, seed: int) -> list[CellInput]:
    criteria = [row for row in grid.rows if row.kind == "criterion"]
    order = HARD_FIRST.get(len(criteria)) or [row.code for row in reversed(criteria)]
    unmet = set(order[:len(criteria) - met])
    cells = []
    for row in criteria:
        status = DAT
        if row.code in unmet:
            status = CO_BAN_DAT if (int(row.code) + seed) % 3 == 0 else CHUA_DAT
        cells.append(CellInput("criterion", row.target_id, status))
    return cells


def create_communes(session: Session, office_unit_id: str, province_id: str | None) -> dict[str, str]:
    """The demo communes, straight under the province; Xuân Giao and Thái Niên merged into Gia Phú on 01/7/2025."""
    ids: dict[str, str] = {}
    for code, name, _met, _planned, valid_from, _successor in COMMUNES:
        ids[code] = units.create_unit(session, owner_unit_id=office_unit_id, code=code, name=name,
                                      short_name=name, level_code="xa", parent_id=province_id,
                                      valid_from=valid_from)
    for code, _name, _met, _planned, _valid_from, successor in COMMUNES:
        if successor:
            units.merge_units(session, [ids[code]], ids[successor], MERGER_DAY)
    return ids


def build_criteria_demo(session: Session, office_unit_id: str, today: date | None = None) -> list[str]:
    """Profiles, results and recognitions of the demo communes (created under the province "LC" if missing)."""
    today = today or date.today()
    catalogue.install_shipped_sets(session)
    first, second = demo_years(today)
    province = units.find_by_code(session, "LC")
    ids = {code: unit.id for code, *_ in COMMUNES if (unit := units.find_by_code(session, code))}
    if len(ids) < len(COMMUNES):
        ids = create_communes(session, office_unit_id, province.id if province else None)
    for seed, (code, _name, met_by_year, planned, _f, _s) in enumerate(COMMUNES):
        for year, met in zip((first, second), met_by_year):
            if met is None:
                continue
            profiles.save_profile(session, ids[code], year, target_key=REGION, planned_year=planned)
            grid = load_grid(session, ids[code], year)
            save_grid(session, ids[code], year, _cells(grid, met, seed), office_unit_id, date(year, 11, 15))
    for code, level, number, when in RECOGNITIONS:
        profiles.add_recognition(session, ids[code], level, number, when)
    if second >= 2025:
        profiles.add_recognition(session, ids["LC-XHOPTHANH"], "ntm", "3388/QĐ-UBND", date(second, 12, 26))
    open_tasks = list(session.scalars(select(Task.id).where(Task.completed_on.is_(None), Task.deleted.is_(False))
                                      .order_by(Task.due_date).limit(3)))
    for task_id, (commune, criterion) in zip(open_tasks, [("LC-XPHONGHAI", "10"), ("LC-XPHONGHAI", "17"),
                                                          ("LC-XGIAPHU", "13")]):
        links.link_task(session, task_id, ids[commune], criterion)
    year = new_period_year(session, today)
    if year is not None and second == year - 1:
        _new_period(session, ids, office_unit_id, year, today)
    return list(ids.values())


def _new_period(session: Session, ids: dict[str, str], office_unit_id: str, year: int, today: date) -> None:
    """Move the communes into the new period (the guided step) and assess most of them on the new set."""
    moved_on = min(date(year, 3, 2), today)
    assessed_on = min(date(year, 11, 15), today)
    for seed, (code, group, met) in enumerate(NEW_PERIOD):
        transition.carry_over(session, ids[code], year, group, today=moved_on)
        if met is not None:
            grid = load_grid(session, ids[code], year)
            save_grid(session, ids[code], year, _cells(grid, met, seed), office_unit_id, assessed_on)
