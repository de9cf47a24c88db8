"""`ntm-desktop selfcheck` proves an installation: OK and 0, or the failed step and 1."""

from __future__ import annotations

from ntm_desktop.cli import main


def test_selfcheck_passes_and_keeps_its_files(qapp, tmp_path, capsys):
    assert main(["selfcheck", "--keep", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1].startswith("OK")
    assert (tmp_path / "selfcheck.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "main-window.png").stat().st_size > 10_000


def test_selfcheck_reports_a_failed_step(qapp, monkeypatch, capsys):
    from ntm_desktop.commands import selfcheck

    def broken_pdf(work, state):
        raise RuntimeError("không có phông chữ")

    monkeypatch.setattr(selfcheck, "STEPS", (selfcheck._database, broken_pdf, selfcheck._window))
    assert main(["selfcheck"]) == 1
    out = capsys.readouterr().out
    assert "LỖI ở bước broken_pdf" in out and "không có phông chữ" in out
    assert "cửa sổ chính" in out  # the other steps still ran
    assert out.strip().splitlines()[-1].startswith("FAILED")
