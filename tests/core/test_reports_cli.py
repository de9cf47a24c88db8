"""`ntm-desktop report …`: files written, and bad input refused in Vietnamese with no file left."""

from __future__ import annotations

from datetime import date, timedelta

import openpyxl
import pytest

from ntm_desktop.cli import main
from ntm_desktop.reports.runner import write_document
from ntm_desktop.reports.request import ReportCancelled, ReportFormat


def _args(ws, kind, out, start, end, fmt="pdf", *extra):
    return ["report", kind, "--data-dir", str(ws.folder.root), "--from", start, "--to", end,
            "--format", fmt, "--out", str(out), *extra]


def test_weekly_from_the_command_line_accepts_both_date_forms(demo_workspace, tmp_path, capsys):
    monday = date.today() - timedelta(days=date.today().weekday())
    out = tmp_path / "tuan.pdf"
    code = main(_args(demo_workspace, "weekly", out, monday.isoformat(), f"{monday + timedelta(days=6):%d/%m/%Y}"))
    assert code == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    assert "Đã lập báo cáo" in capsys.readouterr().out
    assert not list(tmp_path.glob("~*"))


def test_register_by_arrival_number_range(demo_workspace, tmp_path):
    out = tmp_path / "so.xlsx"
    year = date.today().year
    with demo_workspace.db.transaction() as s:
        from sqlalchemy import func, select

        from ntm_desktop.models import Directive

        numbers = list(s.scalars(select(Directive.arrival_number).where(Directive.arrival_year == year)
                                 .order_by(Directive.arrival_number)))
    if len(numbers) < 2:
        year -= 1
        with demo_workspace.db.transaction() as s:
            numbers = list(s.scalars(select(Directive.arrival_number).where(Directive.arrival_year == year)
                                     .order_by(Directive.arrival_number)))
    low, high = numbers[0], numbers[1]
    code = main(_args(demo_workspace, "register", out, f"01/01/{year}", f"31/12/{year}", "xlsx",
                      "--from-number", str(low), "--to-number", str(high), "--year", str(year)))
    assert code == 0
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert [r[1] for r in ws.iter_rows(values_only=True) if isinstance(r[1], int)] == [low, high]


@pytest.mark.parametrize("start,end,extra,message", [
    ("12/03/2026", "11/03/2026", (), "sau ngày kết thúc"),
    ("31/02/2026", "11/03/2026", (), "không tồn tại"),
    ("2026-13-01", "11/03/2026", (), "không tồn tại"),
    ("hôm qua", "11/03/2026", (), "không đúng dạng"),
])
def test_bad_dates_are_refused_and_nothing_is_written(demo_workspace, tmp_path, capsys, start, end, extra, message):
    folder = tmp_path / "out"
    folder.mkdir()
    assert main(_args(demo_workspace, "weekly", folder / "x.pdf", start, end, "pdf", *extra)) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: ") and message in err
    assert not list(folder.iterdir())


def test_unknown_unit_code_is_refused(demo_workspace, tmp_path, capsys):
    out = tmp_path / "dv.xlsx"
    assert main(_args(demo_workspace, "unit", out, "01/01/2026", "31/01/2026", "xlsx", "--unit", "KHÔNG-CÓ")) == 2
    assert "Không tìm thấy đơn vị có mã “KHÔNG-CÓ”" in capsys.readouterr().err
    assert not out.exists()


def test_criteria_without_criteria_data_says_so(demo_workspace, tmp_path, capsys):
    out = tmp_path / "tc.pdf"
    code = main(_args(demo_workspace, "criteria", out, "01/01/2026", "31/12/2026"))
    if code == 0:  # the criteria module exists: the file must then be a real PDF
        assert out.read_bytes()[:5] == b"%PDF-"
    else:
        assert "tiêu chí" in capsys.readouterr().err
        assert not out.exists()


def test_wrong_extension_and_missing_folder(demo_workspace, tmp_path, capsys):
    assert main(_args(demo_workspace, "weekly", tmp_path / "a.xlsx", "01/01/2026", "07/01/2026", "pdf")) == 2
    assert "đuôi .pdf" in capsys.readouterr().err
    assert main(_args(demo_workspace, "weekly", tmp_path / "khong" / "a.pdf", "01/01/2026", "07/01/2026")) == 2
    assert "không tồn tại" in capsys.readouterr().err


def test_cancel_leaves_no_file(demo_workspace, tmp_path):
    from ntm_desktop.reports.request import ReportKind, ReportRequest
    from ntm_desktop.reports.runner import build_document

    request = ReportRequest(ReportKind.WEEKLY, date.today() - timedelta(days=60), date.today())
    with demo_workspace.db.transaction() as s:
        gen = build_document(s, request)
        try:
            while True:
                next(gen)
        except StopIteration as stop:
            doc = stop.value
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ReportCancelled):
        write_document(doc, ReportFormat.PDF, folder / "huy.pdf", cancelled=lambda: True)
    assert not list(folder.iterdir())
    existing = folder / "cu.xlsx"
    existing.write_bytes(b"old")
    with pytest.raises(ReportCancelled):
        write_document(doc, ReportFormat.XLSX, existing, cancelled=lambda: True)
    assert existing.read_bytes() == b"old"  # a cancelled report does not spoil the previous file
