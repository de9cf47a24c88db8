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


def test_selfcheck_reads_and_draws_a_pdf_with_pdfium(qapp, capsys):
    assert main(["selfcheck"]) == 0
    out = capsys.readouterr().out
    assert "PDFium" in out and "đọc chữ có dấu và vẽ trang PDF" in out
    assert "nhận dạng chữ (OCR)" in out  # present or not, the check says which


def test_selfcheck_fails_when_pdfium_reads_the_words_wrong(qapp, monkeypatch, capsys):
    from ntm_desktop.commands import selfcheck

    monkeypatch.setattr(selfcheck, "_PDFIUM_LINE", "CỘNG HOA XA HỘI")  # what a reader losing the accents gives
    monkeypatch.setattr(selfcheck, "STEPS", (selfcheck._database, selfcheck._pdfium))
    assert main(["selfcheck"]) == 1
    out = capsys.readouterr().out
    assert "LỖI ở bước pdfium" in out and "PDFium read back" in out
