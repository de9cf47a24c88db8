"""The office profile printed on reports: defaults from the unit tree, edits kept, bad input refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from reports_helpers import make, pdf_text

from ntm_desktop.errors import ValidationError
from ntm_desktop.services import settings, units
from ntm_desktop.services.office import (
    OfficeProfile, default_profile, issuer_symbol, load_profile, place_of, save_profile,
)


def test_defaults_come_from_the_office_and_its_parent(demo_workspace):
    with demo_workspace.db.transaction() as s:
        profile = load_profile(s)
    assert profile.office_name == "Văn phòng Điều phối nông thôn mới tỉnh Lào Cai"
    assert profile.parent_name == "UBND tỉnh Lào Cai"
    assert profile.place_name == "Lào Cai"
    assert profile.report_symbol == "BC-VPĐP"
    assert profile.recipient_lines()[-1] == "- Lưu: VT."


@pytest.mark.parametrize("name, symbol", [
    ("Ủy ban nhân dân xã Mường Bo", "UBND"),  # Ủ written U: no tone or vowel mark in a symbol
    ("Uỷ ban nhân dân phường Sa Pa", "UBND"),
    ("Ủy ban nhân dân thành phố Hà Nội", "UBND"),
    ("Ủy ban nhân dân đặc khu Phú Quốc", "UBND"),
    ("UBND xã Yên Bình", "UBND"),  # an abbreviation already written is kept whole
    ("Văn phòng Điều phối nông thôn mới tỉnh Lào Cai", "VPĐP"),  # Đ is a letter of its own
    ("Hội đồng nhân dân tỉnh Lào Cai", "HĐND"),
    ("Ban Chỉ đạo", "BCĐ"),
    ("Sở Nông nghiệp và Môi trường", "SNNMT"),  # "và" is not written
    ("Trung tâm Khuyến nông", "TTKN"),
])
def test_the_issuers_symbol_is_written_as_vietnamese_symbols_are(name, symbol):
    assert issuer_symbol(name) == symbol


def test_a_commune_set_up_by_hand_reports_as_bc_ubnd(workspace):
    with workspace.db.transaction() as s:
        province = units.create_unit(s, code="LC", name="Ủy ban nhân dân tỉnh Lào Cai", level_code="tinh")
        commune = units.create_unit(s, code="LC-XYB", name="Ủy ban nhân dân xã Yên Bình", level_code="xa",
                                    parent_id=province)
        settings.put(s, settings.OFFICE_UNIT, commune)
        profile = default_profile(s)
    assert profile.report_symbol == "BC-UBND" and profile.number_line("3") == "Số: 03/BC-UBND"
    assert (profile.office_name, profile.parent_name, profile.place_name) == (
        "Ủy ban nhân dân xã Yên Bình", "Ủy ban nhân dân tỉnh Lào Cai", "Yên Bình")  # the commune's own place


def test_place_of_strips_the_body():
    assert place_of("Ủy ban nhân dân huyện Hàm Yên") == "Hàm Yên"
    assert place_of("UBND xã Yên Bình") == "Yên Bình"


def test_number_line_pads_small_numbers():
    p = OfficeProfile(report_symbol="BC-VPĐP")
    assert p.number_line("7") == "Số: 07/BC-VPĐP"
    assert p.number_line("123") == "Số: 123/BC-VPĐP"
    assert p.number_line("").endswith("/BC-VPĐP") and p.number_line("").startswith("Số: ")


def test_edited_profile_is_printed(demo_workspace, tmp_path):
    with demo_workspace.db.transaction() as s:
        profile = load_profile(s)
        save_profile(s, replace(
            profile, signer_name="Nguyễn Văn Bình", place_name="Yên Bái", signing_form="",
            signer_title="Chánh Văn phòng", recipients=("Thường trực Ban Chỉ đạo tỉnh", "Các thành viên BCĐ"),
            archive_line="Lưu: VT, TH.",
        ))
    with demo_workspace.db.transaction() as s:
        again = load_profile(s)
    assert again.signer_name == "Nguyễn Văn Bình" and again.recipients[1] == "Các thành viên BCĐ"
    text = " ".join(pdf_text(make(demo_workspace, "weekly", "pdf", tmp_path / "t.pdf", issue_date=date(2026, 2, 3))))
    assert "Yên Bái, ngày 03 tháng 02 năm 2026" in text
    assert "CHÁNH VĂN PHÒNG" in text and "KT." not in text
    assert "Nguyễn Văn Bình" in text
    assert "- Thường trực Ban Chỉ đạo tỉnh; - Các thành viên BCĐ; - Lưu: VT, TH." in text


@pytest.mark.parametrize("change,field", [
    ({"office_name": "  "}, "office_name"),
    ({"place_name": ""}, "place_name"),
    ({"report_symbol": "BC VPĐP"}, "report_symbol"),
    ({"office_name": "x" * 300}, "office_name"),
])
def test_bad_profile_is_refused_and_the_old_one_kept(demo_workspace, change, field):
    with demo_workspace.db.transaction() as s:
        before = load_profile(s)
    with pytest.raises(ValidationError) as error:
        with demo_workspace.db.transaction() as s:
            save_profile(s, replace(before, **change))
    assert error.value.field == field
    assert str(error.value)[0].isupper()
    with demo_workspace.db.transaction() as s:
        assert load_profile(s) == before
