"""`ntm-desktop sync template` and `sync template-import`: the Excel template without the window."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ntm_desktop.cli import main
from ntm_desktop.models import ProgressUpdate
from ntm_desktop.sync.apply import entity_label
from ntm_desktop.sync.excel_template import SHEET
from test_sync_world import build_district, state


@pytest.fixture
def district(tmp_path):
    ws = build_district(tmp_path)
    yield ws
    ws.close()


def fill(path, **cells):
    book = load_workbook(path)
    for ref, value in cells.items():
        book[SHEET][ref] = value
    book.save(path)
    return path


def progress(ws) -> list[str]:
    with ws.db.transaction() as s:
        return list(s.scalars(select(ProgressUpdate.text)))


def test_template_preview_apply_and_again(district, tmp_path, capsys):
    data = str(tmp_path / "huyen")
    out = tmp_path / "usb" / "bieu-mau-XA-A-2025.xlsx"
    assert main(["sync", "template", "--data-dir", data, "--unit", "XA-A", "--year", "2025", "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    assert load_workbook(out)[SHEET]["C4"].value == "Rà soát tiêu chí số 1"
    fill(out, E4="15/06/2025", F4="Đã rà soát xong 19 tiêu chí", H4="45/BC-UBND")

    before = state(district)
    assert main(["sync", "template-import", "--data-dir", data, "--unit", "XA-A", "--year", "2025", str(out),
                 "--preview", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["counts"]["progress_updates"]["new"] == 1 and summary["rejected"] == []
    assert summary["origin"] == "XA-A" and summary["already_imported"] is False
    assert main(["sync", "template-import", "--data-dir", data, "--unit", "XA-A", "--year", "2025", str(out),
                 "--preview"]) == 0
    text = capsys.readouterr().out
    assert f"{entity_label('progress_updates')}: Mới 1" in text
    assert state(district) == before  # a preview changes nothing

    assert main(["sync", "template-import", "--data-dir", data, "--unit", "XA-A", "--year", "2025", str(out)]) == 0
    assert "Đã áp dụng" in capsys.readouterr().out
    [written] = progress(district)
    assert "Đã rà soát xong 19 tiêu chí" in written and "45/BC-UBND" in written

    after = state(district)
    assert main(["sync", "template-import", "--data-dir", data, "--unit", "XA-A", "--year", "2025", str(out)]) == 0
    assert "đã được nhập ngày" in capsys.readouterr().out
    assert main(["sync", "template-import", "--data-dir", data, "--unit", "XA-A", "--year", "2025", str(out),
                 "--preview"]) == 0
    assert "Biểu mẫu này đã được nhập ngày" in capsys.readouterr().out
    assert state(district) == after


def test_default_output_name_in_the_current_folder(district, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["sync", "template", "--data-dir", str(tmp_path / "huyen"), "--unit", "xa-b", "--year", "2025"]) == 0
    assert (tmp_path / "bieu-mau-XA-B-2025.xlsx").exists()
    assert "bieu-mau-XA-B-2025.xlsx" in capsys.readouterr().out


@pytest.mark.parametrize("preview", [True, False])
def test_workbook_of_another_commune_exits_2_with_the_reason(district, tmp_path, capsys, preview):
    data = str(tmp_path / "huyen")
    out = tmp_path / "xa-a.xlsx"
    assert main(["sync", "template", "--data-dir", data, "--unit", "XA-A", "--year", "2025", "--out", str(out)]) == 0
    fill(out, F4="Đang làm")
    capsys.readouterr()
    before = state(district)
    argv = ["sync", "template-import", "--data-dir", data, "--unit", "XA-B", "--year", "2025", str(out)]
    assert main(argv + (["--preview", "--json"] if preview else [])) == 2
    captured = capsys.readouterr()
    assert "không phải “XA-B”" in captured.err and captured.out == ""
    assert state(district) == before


def test_unknown_unit_for_template_exits_2(district, tmp_path, capsys):
    out = tmp_path / "x.xlsx"
    assert main(["sync", "template", "--data-dir", str(tmp_path / "huyen"), "--unit", "KHONG-CO", "--year", "2025",
                 "--out", str(out)]) == 2
    assert "Không có đơn vị mã" in capsys.readouterr().err
    assert not out.exists()
