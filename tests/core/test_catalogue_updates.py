"""A newer edition of the catalogue, sent by the province: renames and mergers become history."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ntm_desktop.catalogue import OfficeChoice, set_up_office, unit_id
from ntm_desktop.catalogue.updates import apply_edition, read_edition
from ntm_desktop.cli import main
from ntm_desktop.errors import UserError
from ntm_desktop.models import Unit
from ntm_desktop.resources import resource
from ntm_desktop.services import units
from ntm_desktop.workspace import open_workspace
from test_catalogue_identity import unit_rows


def later_edition(tmp_path):
    """Edition 2026.1 of a made-up later decision: Xã Tả Van (03037) joins Phường Sa Pa (03006) on 01/01/2027
    and Xã Mường Bo (03043) is renamed Xã Mường Bo Hoa."""
    raw = json.loads(resource("units", "catalogue.json").read_text(encoding="utf-8"))
    raw["version"] = "2026.1"
    raw["communes"] = [row for row in raw["communes"] if row[0] != "03037"]
    for row in raw["communes"]:
        if row[0] == "03043":
            row[1] = "Xã Mường Bo Hoa"
    raw["former"].append({"valid_to": "2026-12-31", "provinces": [],
                          "communes": [["03037", "Xã Tả Van", "xa", "15", ["03006"]]]})
    path = tmp_path / "catalogue-2026.1.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


def set_up(root, choice):
    ws = open_workspace(root)
    with ws.db.transaction("cán bộ") as s:
        set_up_office(s, choice)
    return ws


def test_renames_and_mergers_of_a_later_edition_become_history(tmp_path):
    edition = read_edition(later_edition(tmp_path))
    assert edition.version == "2026.1"
    assert [e.name for e in edition.predecessors(edition.unit("03006"))][-1] == "Xã Tả Van"
    province = set_up(tmp_path / "tinh", OfficeChoice("vpdp", "15"))
    ta_van = set_up(tmp_path / "tavan", OfficeChoice("xa", "15", "03037"))
    with province.db.transaction("cán bộ") as s:
        report = apply_edition(s, edition)
    assert report.renamed == [("03043", "Ủy ban nhân dân xã Mường Bo", "Ủy ban nhân dân xã Mường Bo Hoa")]
    assert report.ended == [("03037", "Ủy ban nhân dân xã Tả Van", "Ủy ban nhân dân phường Sa Pa")]
    with province.db.transaction() as s:
        old = s.get(Unit, unit_id("03037"))
        assert old.valid_to == date(2026, 12, 31) and old.successor_id == unit_id("03006")
        assert [r.name for r in units.predecessors(s, unit_id("03006"))] == ["Ủy ban nhân dân xã Tả Van"]
        assert s.get(Unit, unit_id("03043")).name == "Ủy ban nhân dân xã Mường Bo Hoa"
    with ta_van.db.transaction("cán bộ") as s:
        report = apply_edition(s, edition)
    assert report.ended == [("03037", "Ủy ban nhân dân xã Tả Van", "Ủy ban nhân dân phường Sa Pa")]
    # the two offices hold the same records again, version included: their packages agree
    here, there = unit_rows(ta_van), unit_rows(province)
    for code in ("03037", "03006", "15", "15-VPDP"):
        assert {k: v for k, v in here[code].items() if k != "updated_at"} == {
            k: v for k, v in there[code].items() if k != "updated_at"}, code
    assert here["03037"]["version"] == {"danh-muc-don-vi-hanh-chinh": 2}
    with pytest.raises(UserError, match="đang dùng danh mục đơn vị hành chính 2026.1; tệp đã chọn là bản 2026.1"):
        with province.db.transaction("cán bộ") as s:
            apply_edition(s, edition)
    for ws in (province, ta_van):
        ws.close()


def test_units_update_on_the_command_line(tmp_path, capsys):
    root = tmp_path / "tinh"
    assert main(["init", "--data-dir", str(root), "--office", "15", "--kind", "vpdp"]) == 0
    capsys.readouterr()
    path = later_edition(tmp_path)
    assert main(["units", "update", "--data-dir", str(root), str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Đã áp dụng danh mục đơn vị hành chính 2026.1 (trước đó: 2025.1)."
    assert "Hết hiệu lực: Ủy ban nhân dân xã Tả Van (mã 03037), đơn vị kế thừa: Ủy ban nhân dân phường Sa Pa." in out
    assert main(["units", "update", "--data-dir", str(root), str(path)]) == 2
    assert "không mới hơn" in capsys.readouterr().err
    (tmp_path / "hong.json").write_text("{", encoding="utf-8")
    assert main(["units", "update", "--data-dir", str(root), str(tmp_path / "hong.json")]) == 2
    assert "Không đọc được tệp danh mục đơn vị hành chính" in capsys.readouterr().err


def test_an_edition_that_drops_a_province_or_merges_into_nothing_is_refused(tmp_path, capsys):
    root = tmp_path / "tinh"
    assert main(["init", "--data-dir", str(root), "--office", "15", "--kind", "vpdp"]) == 0
    raw = json.loads(later_edition(tmp_path).read_text(encoding="utf-8"))
    dropped = json.loads(json.dumps(raw))
    dropped["provinces"] = [p for p in dropped["provinces"] if p[0] != "15"]
    nowhere = json.loads(json.dumps(raw))
    nowhere["former"][-1]["communes"][0][4] = ["99999"]
    capsys.readouterr()
    for edition, reason in ((dropped, "bỏ mất tỉnh, thành phố Tỉnh Lào Cai (mã 15) của danh mục 2025.1"),
                            (nowhere, "Xã Tả Van (mã 03037) sáp nhập vào đơn vị mã “99999” không có trong danh mục")):
        path = tmp_path / "xau.json"
        path.write_text(json.dumps(edition, ensure_ascii=False), encoding="utf-8")
        assert main(["units", "update", "--data-dir", str(root), str(path)]) == 2
        err = capsys.readouterr().err
        assert "Danh mục đơn vị hành chính 2026.1 không áp dụng được: " + reason in err, err
    ws = open_workspace(root)
    with ws.db.transaction() as s:
        assert s.get(Unit, unit_id("03037")).valid_to is None  # nothing applied
    ws.close()


def test_units_link_and_former_on_the_command_line(tmp_path, capsys):
    root = tmp_path / "tinh"
    assert main(["init", "--data-dir", str(root), "--office", "15", "--kind", "vpdp"]) == 0
    ws = open_workspace(root)
    with ws.db.transaction("cán bộ") as s:
        units.create_unit(s, code="LC-LIENMINH", name="Ủy ban nhân dân xã Liên Minh", level_code="xa",
                          parent_id=unit_id("15"))
        units.create_unit(s, code="LC-BANHOANG", name="Ủy ban nhân dân xã Bản Hoàng", level_code="xa",
                          parent_id=unit_id("15"))
    ws.close()
    capsys.readouterr()
    assert main(["units", "former", "--data-dir", str(root)]) == 0
    out = capsys.readouterr().out
    assert "Ủy ban nhân dân xã Liên Minh: là Xã Liên Minh (đến 30/06/2025); đơn vị kế thừa: Ủy ban nhân dân xã " \
           "Mường Bo (mã 03043)" in out and "Chưa ghi gì" in out
    assert main(["units", "former", "--data-dir", str(root), "--apply"]) == 0
    assert "Đã ghi ngày hết hiệu lực và đơn vị kế thừa cho" in capsys.readouterr().out
    assert main(["units", "link", "--data-dir", str(root), "KHONGCO", "03043"]) == 2
    assert "Không có đơn vị mã “KHONGCO”" in capsys.readouterr().err
