"""`ntm-desktop parse FILE` on the files a directive arrives as: the same keys whatever the file."""

from __future__ import annotations

import json

import pytest
from directive_documents import FIXTURES, layout_from_text, write_docx, write_pdf

from ntm_desktop.cli import main

KEYS = ["doc_type", "number_symbol", "issuer", "place", "date", "subject", "signer", "signer_title", "recipients",
        "referenced_documents", "tasks", "targets"]


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
