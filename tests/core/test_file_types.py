"""Attachment types an office exchanges, and names safe to show or write."""

import pytest

from ntm_desktop.services.file_types import is_allowed_attachment, refusal_reason, safe_display_name


@pytest.mark.parametrize("name", ["Công văn 12.pdf", "bao-cao.DOCX", "bang.xlsx", "anh quet.jpg", "scan.TIFF",
                                  "ghi chu.txt", "du-thao.odt"])
def test_office_documents_and_images_are_accepted(name):
    assert is_allowed_attachment(name)


@pytest.mark.parametrize("name", ["Bao cao.pdf.bat", "setup.exe", "run.CMD", "x.ps1", "a.vbs", "a.js", "lien-ket.lnk",
                                  "goi.msi", "trang.hta", "app.jar", "bang.xlsm", "nen.zip", "khong-duoi", "", ".pdf",
                                  "Bao cao.pdf.exe ", "a.scr."])
def test_executables_scripts_and_unknown_types_are_refused(name):
    assert not is_allowed_attachment(name)


def test_reason_is_vietnamese_and_names_the_type():
    reason = refusal_reason("Bao cao.pdf.bat")
    assert ".bat" in reason and "không được nhận" in reason


@pytest.mark.parametrize("name, shown", [
    ("../../../../victim/.bashrc", "bashrc"),
    ("C:\\Windows\\System32\\x.pdf", "x.pdf"),
    ("con.pdf", "tep-dinh-kem-con.pdf"),
    ("LPT1.docx", "tep-dinh-kem-LPT1.docx"),
    ("bao\x00cao\r\n.pdf", "baocao.pdf"),
    ("a<b>:c|d?.pdf", "abcd.pdf"),
    ("Tờ trình.pdf", "Tờ trình.pdf"),
])
def test_display_name_has_no_folders_controls_or_reserved_names(name, shown):
    assert safe_display_name(name) == shown


def test_display_name_keeps_the_extension_of_a_long_name():
    shown = safe_display_name("x" * 500 + ".pdf")
    assert shown.endswith(".pdf") and len(shown) <= 120
