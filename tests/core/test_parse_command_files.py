"""`ntm-desktop parse FILE` on the files a directive arrives as: the same keys whatever the file."""

from __future__ import annotations

import json

import pytest
from directive_documents import FIXTURES, layout_from_text, write_docx, write_pdf

from ntm_desktop.cli import main

KEYS = ["doc_type", "number_symbol", "issuer", "place", "date", "subject", "signer", "signer_title", "recipients",
        "referenced_documents", "urgency", "secrecy", "tasks", "targets"]


def _parse(capsys, *argv) -> tuple[int, str, str]:
    code = main(["parse", *map(str, argv)])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("kind", ["txt", "pdf", "docx"])
def test_parse_prints_the_same_keys_for_text_pdf_and_word(tmp_path, capsys, kind):
    source = FIXTURES / "laocai-13.txt"
    if kind == "txt":
        path = source
    else:
        layout = layout_from_text(source.read_text(encoding="utf-8"))
        path = (write_pdf if kind == "pdf" else write_docx)(layout, tmp_path / f"cv.{kind}")
    code, out, _err = _parse(capsys, path, "--json")
    data = json.loads(out)
    assert code == 0 and list(data) == KEYS
    assert data["number_symbol"] == "7432/UBND-XD" and data["date"] == "2026-07-21"
    assert data["signer"] == "Phan Trung Bá" and len(data["tasks"]) == 5
    code, out, _err = _parse(capsys, path)
    assert "Số, ký hiệu: 7432/UBND-XD" in out and "Nhiệm vụ: 5" in out


def test_parse_a_scan_says_it_has_no_text(tmp_path, capsys):
    from PIL import Image

    path = tmp_path / "scan.png"
    Image.new("L", (400, 560), 230).save(path)
    code, out, err = _parse(capsys, path)
    assert code == 2 and out == ""
    assert "ảnh quét, không có lớp chữ" in err and "Mở tệp" in err


def test_parse_a_bad_file_says_why(tmp_path, capsys):
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00\xff" * 500)
    code, out, err = _parse(capsys, path)
    assert code == 2 and "bị hỏng hoặc chưa chép xong" in err


def test_parse_a_scanned_pdf_reads_its_words_by_ocr(tmp_path, capsys):
    import pytest
    from directive_documents import FIXTURES, layout_from_text, write_pdf, write_scan

    from ntm_desktop.intake.ocr import engine

    if engine() is None:
        pytest.skip("no Tesseract with its Vietnamese model on this computer (apt-get install tesseract-ocr-vie)")
    pdf = write_pdf(layout_from_text((FIXTURES / "laocai-10.txt").read_text(encoding="utf-8")), tmp_path / "a.pdf")
    code, out, err = _parse(capsys, write_scan(pdf, tmp_path / "ban-quet.pdf"), "--json")
    data = json.loads(out)
    assert code == 0 and data["issuer"] == "Ủy ban nhân dân tỉnh Lào Cai" and data["number_symbol"] == "/UBND-KT"
    assert [t["assignee"] for t in data["tasks"]] == ["Sở Công Thương"]
    assert "OCR" in err


def test_parse_a_scan_without_the_vietnamese_model_says_what_is_missing(tmp_path, capsys, monkeypatch):
    from PIL import Image

    monkeypatch.setenv("NTM_TESSDATA", str(tmp_path))
    path = tmp_path / "scan.png"
    Image.new("L", (400, 560), 230).save(path)
    code, out, err = _parse(capsys, path)
    assert code == 2 and "ảnh quét, không có lớp chữ" in err
    assert "vie.traineddata" in err or "tesseract" in err.lower()


@pytest.mark.parametrize("kind", ["txt", "pdf", "docx"])
def test_parse_tells_the_urgency_and_secrecy_stamps(tmp_path, capsys, kind):
    """`parse --json` gives the header's stamps as the register's values ("" when there is none); the summary says
    them in words."""
    text = (FIXTURES / "laocai-13.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if "Số: 7432" in line)
    stamped = "\n".join(lines[:at + 1] + ["THƯỢNG KHẨN", "TỐI MẬT"] + lines[at + 1:])
    for name, body, urgency, secrecy in (("plain", text, "", ""), ("stamped", stamped, "thuong_khan", "toi_mat")):
        path = tmp_path / f"{name}.txt"
        path.write_text(body, encoding="utf-8")
        if kind != "txt":
            path = (write_pdf if kind == "pdf" else write_docx)(layout_from_text(body), tmp_path / f"{name}.{kind}")
        code, out, _err = _parse(capsys, path, "--json")
        data = json.loads(out)
        assert code == 0 and (data["urgency"], data["secrecy"]) == (urgency, secrecy), name
        assert data["number_symbol"] == "7432/UBND-XD" and len(data["tasks"]) == 5, name
        assert data["issuer"] == "Ủy ban nhân dân tỉnh Lào Cai", name  # the stamps are no part of it
        code, out, _err = _parse(capsys, path)
        words = ("Độ khẩn: Thượng khẩn", "Độ mật: Tối mật") if secrecy else ("Độ khẩn: Thường", "Độ mật: Thường")
        assert code == 0 and all(w in out for w in words), (name, out)
