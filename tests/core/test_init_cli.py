"""`ntm-desktop init` sets up an empty data folder for an office of the catalogue; `units find` searches it.
Refusals are in Vietnamese and change nothing."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from ntm_desktop.catalogue import unit_id
from ntm_desktop.cli import main
from ntm_desktop.models import Unit
from ntm_desktop.services import office, settings
from ntm_desktop.workspace import open_workspace


def tree(root):
    ws = open_workspace(root, readonly=True)
    try:
        with ws.db.transaction() as s:
            office_id = settings.office_unit_id(s)
            found = {u.code: u for u in s.scalars(select(Unit))}
            return office_id, found, office.load_profile(s)
    finally:
        ws.close()


def folder_state(root) -> str:
    """Every file's name and the database's bytes (SQLite's own -wal and -shm companions of a reader aside)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.name.endswith(("-wal", "-shm")):
            continue
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file() and path.suffix == ".sqlite3":
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_init_a_commune_office(tmp_path, capsys):
    root = tmp_path / "xa"
    assert main(["init", "--data-dir", str(root), "--office", "03043"]) == 0
    said = capsys.readouterr().out
    assert "Đơn vị của máy: Ủy ban nhân dân xã Mường Bo (mã 03043), Tỉnh Lào Cai" in said
    assert "Đã tạo 3 đơn vị theo Danh mục đơn vị hành chính 2025.1" in said
    office_id, units, profile = tree(root)
    assert office_id == unit_id("03043") == units["03043"].id
    assert units["03043"].parent_id == units["15"].id and units["15"].name == "Ủy ban nhân dân tỉnh Lào Cai"
    assert units["15-VPDP"].name == "Văn phòng Điều phối nông thôn mới tỉnh Lào Cai"
    assert (profile.office_name, profile.parent_name, profile.place_name, profile.report_symbol) == (
        "Ủy ban nhân dân xã Mường Bo", "UBND tỉnh Lào Cai", "Mường Bo", "BC-UBND")


def test_init_a_provincial_office_gets_every_commune_of_its_province(tmp_path, capsys):
    root = tmp_path / "tinh"
    assert main(["init", "--data-dir", str(root), "--office", "15", "--kind", "vpdp"]) == 0
    assert "trong đó 99 xã, phường, đặc khu của tỉnh" in capsys.readouterr().out
    office_id, units, profile = tree(root)
    assert units["15-VPDP"].id == office_id
    communes = [u for u in units.values() if u.level_code in ("xa", "phuong", "dac_khu")]
    assert len(communes) == 99 and all(u.parent_id == units["15"].id for u in communes)
    assert "Ủy ban nhân dân xã Mường Bo" in {u.name for u in communes}
    assert profile.office_name == "Văn phòng Điều phối nông thôn mới tỉnh Lào Cai" and profile.place_name == "Lào Cai"


def test_init_a_department_under_its_province(tmp_path, capsys):
    root = tmp_path / "so"
    assert main(["init", "--data-dir", str(root), "--office", "15-SNNMT", "--kind", "so",
                 "--name", "Sở Nông nghiệp và Môi trường"]) == 0
    office_id, units, profile = tree(root)
    assert units["15-SNNMT"].id == office_id and units["15-SNNMT"].parent_id == units["15"].id
    assert units["15-SNNMT"].name == "Sở Nông nghiệp và Môi trường" and len(units) == 102
    assert profile.report_symbol == "BC-SNNMT"


@pytest.mark.parametrize("args, message", [
    (["--office", "99999"], "Không có đơn vị hành chính mã “99999”"),
    (["--office", "03043", "--province", "01"],
     "Xã Mường Bo (mã 03043) thuộc Tỉnh Lào Cai (mã 15), không thuộc Thành phố Hà Nội (mã 01)"),
    (["--office", "02578-CU"], "không còn từ ngày 01/07/2025; nay là Xã Tân Thanh (mã 02578)"),
    (["--office", "15", "--kind", "so"], "Hãy nhập tên cơ quan"),
    (["--office", "15"], "Hãy chọn xã, phường hoặc đặc khu"),
])
def test_init_refuses_bad_codes_without_making_anything(tmp_path, capsys, args, message):
    root = tmp_path / "moi"
    assert main(["init", "--data-dir", str(root), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: ") and message in err, err
    assert not root.exists()  # not even the folder


def test_init_refuses_a_folder_already_set_up_and_changes_nothing(tmp_path, capsys):
    root = tmp_path / "xa"
    assert main(["init", "--data-dir", str(root), "--office", "03043"]) == 0
    before = folder_state(root)
    capsys.readouterr()
    assert main(["init", "--data-dir", str(root), "--office", "15", "--kind", "vpdp"]) == 2
    err = capsys.readouterr().err
    assert "đã được cài đặt (“Ủy ban nhân dân xã Mường Bo” (mã 03043))" in err and "Không có gì bị thay đổi" in err
    assert folder_state(root) == before
    office_id, units, _ = tree(root)
    assert office_id == unit_id("03043") and len(units) == 3


def test_init_help_explains_it_in_vietnamese(capsys):
    with pytest.raises(SystemExit):
        main(["init", "--help"])
    text = capsys.readouterr().out
    assert text.startswith("cách dùng: ntm-desktop init")
    assert "--office MÃ" in text and "Văn phòng Điều phối nông thôn mới" in text and "ntm-desktop units find" in text


def test_units_find_prints_codes_and_provinces(capsys):
    assert main(["units", "find", "muong", "bo"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["03043", "Xã", "Mường", "Bo", "—", "Tỉnh", "Lào", "Cai"]
    assert lines[1].startswith("03043-CU") and "Thị xã Sa Pa" in lines[1] and "nay là Xã Mường Bo (03043" in lines[1]


def test_units_find_a_former_unit_shows_what_carries_it_on(capsys):
    assert main(["units", "find", "Thị xã Sa Pa", "--limit", "1"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith("088-CU") and "nay thuộc 6 xã, phường" in line and "(đến 30/06/2025)" in line


def test_units_find_within_a_province_and_nothing_found(capsys):
    assert main(["units", "find", "dong tam", "--province", "08", "--current"]) == 0
    assert capsys.readouterr().out.splitlines() == ["01165     Xã Đồng Tâm — Tỉnh Tuyên Quang"]
    assert main(["units", "find", "khong co xa nay"]) == 1
    assert "Không tìm thấy đơn vị nào khớp “khong co xa nay”" in capsys.readouterr().out
    assert main(["units", "find", "dong tam", "--province", "99"]) == 2
    assert "Không có đơn vị hành chính mã “99”" in capsys.readouterr().err
