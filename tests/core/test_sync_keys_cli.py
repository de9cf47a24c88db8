"""The key slip an office prints, and the key and limit commands."""

from __future__ import annotations

from pypdf import PdfReader

from ntm_desktop.cli import main

from signing_helpers import folder_key
from test_sync_world import build_district, fingerprint, join_commune


def test_the_key_slip_is_one_page_naming_the_office_and_its_fingerprint(tmp_path, capsys):
    district = build_district(tmp_path)
    printed = fingerprint(district)
    district.close()
    out = tmp_path / "phieu-xac-nhan-khoa.pdf"
    assert main(["sync", "key-slip", "--data-dir", str(tmp_path / "huyen"), "--out", str(out)]) == 0
    assert printed in capsys.readouterr().out
    pdf = PdfReader(out)
    assert len(pdf.pages) == 1
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "PHIẾU XÁC NHẬN KHÓA" in text and "HUYEN" in text and printed in text
    assert "Văn phòng Điều phối nông thôn mới huyện Hàm Yên".upper() in text.upper()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_keys_new_key_revoke_and_limits_from_the_command_line(tmp_path, capsys):
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "boot")
    old = fingerprint(commune)
    district.close()
    commune.close()
    huyen, xa = str(tmp_path / "huyen"), str(tmp_path / "XA-A")
    assert main(["sync", "keys", "--data-dir", huyen]) == 0
    listing = capsys.readouterr().out
    assert "XA-A" in listing and old in listing and "Đang dùng" in listing

    assert main(["sync", "new-key", "--data-dir", xa]) == 0
    assert folder_key(tmp_path / "XA-A").fingerprint in capsys.readouterr().out
    assert folder_key(tmp_path / "XA-A").fingerprint != old

    assert main(["sync", "revoke-key", "--data-dir", huyen, old.replace(" ", "")]) == 0
    assert "Đã thu hồi khóa" in capsys.readouterr().out
    assert main(["sync", "keys", "--data-dir", huyen]) == 0
    assert "Đã thu hồi" in capsys.readouterr().out
    assert main(["sync", "revoke-key", "--data-dir", xa, fingerprint_of_district(tmp_path)]) == 2
    assert "Chỉ đơn vị cấp trên" in capsys.readouterr().err

    assert main(["sync", "limits", "--data-dir", huyen]) == 0
    assert "tối đa 2000 tệp đính kèm, tổng cộng 2048 MB" in capsys.readouterr().out
    assert main(["sync", "limits", "--data-dir", huyen, "--files", "500", "--mb", "300"]) == 0
    assert "tối đa 500 tệp đính kèm, tổng cộng 300 MB" in capsys.readouterr().out


def fingerprint_of_district(root) -> str:
    return folder_key(root / "huyen").fingerprint
