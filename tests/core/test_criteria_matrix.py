"""The communes × criteria matrix: counts "17/19", bands, per-criterion counts, average, recognition."""

from datetime import date

from ntm_desktop.services.criteria import profiles
from ntm_desktop.services.criteria.assessments import CellInput, load_grid, save_grid
from ntm_desktop.services.criteria.matrix import build_matrix
from ntm_desktop.services.criteria.statuses import CHUA_DAT, CO_BAN_DAT, DAT, band_of

from criteria_helpers import province_with_communes

MET = {"Xã An Bình": 19, "Xã Ba Vì": 15, "Xã Bắc Sơn": 14, "Xã Đồng Tâm": 5, "Xã Dương Xá": 4}


def _fill(s, commune, met, office):
    grid = load_grid(s, commune, 2024)
    cells = [CellInput("criterion", r.target_id, DAT if i < met else (CO_BAN_DAT if i % 2 else CHUA_DAT))
             for i, r in enumerate(grid.rows)]
    save_grid(s, commune, 2024, cells, office, date(2024, 11, 1))


def test_counts_bands_and_average(db):
    with db.transaction() as s:
        province, communes = province_with_communes(s, list(MET))
        for commune, met in zip(communes, MET.values()):
            _fill(s, commune, met, province)
        profiles.add_recognition(s, communes[0], "ntm", "12/QĐ-UBND", date(2024, 12, 20))
        matrix = build_matrix(s, 2024)
    assert [line.name for line in matrix.communes] == ["Xã An Bình", "Xã Ba Vì", "Xã Bắc Sơn", "Xã Dương Xá",
                                                       "Xã Đồng Tâm"]  # Vietnamese order
    results = {line.name: line.result for line in matrix.communes}
    assert results == {name: f"{met}/19" for name, met in MET.items()}
    bands = {line.name: line.band for line in matrix.communes}
    assert bands == {"Xã An Bình": "19 tiêu chí", "Xã Ba Vì": "15-18 tiêu chí", "Xã Bắc Sơn": "10-14 tiêu chí",
                     "Xã Đồng Tâm": "5-9 tiêu chí", "Xã Dương Xá": "Dưới 5 tiêu chí"}
    assert dict(matrix.band_counts) == {"19 tiêu chí": 1, "15-18 tiêu chí": 1, "10-14 tiêu chí": 1,
                                        "5-9 tiêu chí": 1, "Dưới 5 tiêu chí": 1}
    assert matrix.average == round(sum(MET.values()) / 5, 2)
    # Criterion 1 is met by all five; criterion 15 only by those meeting at least 15.
    assert matrix.met_per_criterion[0] == 5
    assert matrix.met_per_criterion[14] == 2 and matrix.met_per_criterion[18] == 1
    first = matrix.communes[0]
    assert first.recognition == "NTM" and first.recognition_decision == "12/QĐ-UBND ngày 20/12/2024"
    assert matrix.communes[1].statuses[15] == CO_BAN_DAT and matrix.communes[1].statuses[16] == CHUA_DAT


def test_band_edges():
    assert [band_of(n, 19) for n in (19, 18, 15, 14, 10, 9, 5, 4, 0)] == [
        "19 tiêu chí", "15-18 tiêu chí", "15-18 tiêu chí", "10-14 tiêu chí", "10-14 tiêu chí", "5-9 tiêu chí",
        "5-9 tiêu chí", "Dưới 5 tiêu chí", "Dưới 5 tiêu chí"]


def test_empty_year(db):
    with db.transaction() as s:
        matrix = build_matrix(s, 2023)
    assert matrix.communes == () and matrix.average == 0.0


def test_a_cell_counts_the_open_tasks_linked_to_it(db):
    """The matrix shows how many tasks not yet done serve each commune's criterion."""
    from ntm_desktop.services.criteria import links
    from ntm_desktop.services.tasks import complete_task, delete_task

    from core_factories import make_directive, make_office, make_task

    with db.transaction() as s:
        office = make_office(s)
        province, communes = province_with_communes(s, ["Xã An Bình", "Xã Ba Vì"])
        for commune in communes:
            _fill(s, commune, 10, province)
        directive = make_directive(s, office, date(2024, 9, 1), 1)
        roads, lights, hall, school = (make_task(s, directive, office, summary=text) for text in (
            "Bê tông hóa đường trục thôn", "Lắp đèn chiếu sáng đường thôn", "Sửa chữa nhà văn hóa",
            "Xây phòng học"))
        links.link_task(s, roads, communes[0], "2")
        links.link_task(s, lights, communes[0], "2")
        links.link_task(s, hall, communes[0], "6")
        links.link_task(s, school, communes[1], "5")
        complete_task(s, hall, date(2024, 10, 1))  # done: no longer open
        delete_task(s, school)  # deleted: not counted
        matrix = build_matrix(s, 2024)
    codes = [code for code, _ in matrix.criteria]
    by_name = {line.name: line for line in matrix.communes}
    assert by_name["Xã An Bình"].open_tasks[codes.index("2")] == 2
    assert by_name["Xã An Bình"].open_tasks[codes.index("6")] == 0
    assert sum(by_name["Xã Ba Vì"].open_tasks) == 0
