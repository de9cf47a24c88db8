"""The Excel imports keep the forms' limits: a province's criteria workbook and a commune's filled template are
refused, naming the cell and the field in Vietnamese, when a value is too long or a date out of range; nothing
is stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import CriteriaSet, Indicator
from ntm_desktop.services.criteria.xlsx_import import import_set
from ntm_desktop.sync.excel_template import import_template
from ntm_desktop.sync.reader import PackageRefused

from test_criteria_import import build
from test_sync_excel import fill, template
from test_sync_world import build_district, state

AFTER_TOMORROW = date.today() + timedelta(days=2)  # still ahead when the run goes past midnight


@pytest.mark.parametrize("changes, words", [
    (dict(info={"Tên bộ tiêu chí": "Bộ " + "t" * 398}), ("Trang “Bộ tiêu chí”", "Tên bộ tiêu chí dài 401 ký tự",
                                                         "quá giới hạn 400 ký tự")),
    (dict(info={"Mã bộ tiêu chí": "m" * 61}), ("Mã bộ tiêu chí", "60")),
    (dict(info={"Từ năm": 1900}), ("“Từ năm” 1900 nằm ngoài khoảng 1945",)),
    (dict(info={"Ngày có hiệu lực (ngày/tháng/năm)": "15/02/1900"}), ("Ngày có hiệu lực 15/02/1900",)),
    (dict(info={"Danh sách vùng/nhóm xã (cách nhau bằng dấu ;)": "Nhóm " + "n" * 40}), ("Vùng, nhóm xã", "40")),
    (dict(criteria=[[1, "1", "Quy hoạch " + "q" * 300, ""]]), ("Trang “Tiêu chí”", "cột C", "Tên tiêu chí", "300")),
    (dict(indicators=[["1", "1.1", "Có quy hoạch", "u" * 61, "chữ", "=", "Đạt", "Đạt", "Đạt"]]),
     ("Trang “Chỉ tiêu”", "Đơn vị tính", "60")),
])
def test_a_criteria_workbook_value_outside_the_limits_is_named_and_nothing_stored(db, tmp_path, changes, words):
    with pytest.raises(ValidationError) as raised:
        with db.transaction() as s:
            import_set(s, build(tmp_path / "tinh.xlsx", **changes))
    message = str(raised.value)
    assert "chưa có gì được lưu" in message
    for word in words:
        assert word in message, message
    with db.transaction() as s:
        assert s.query(CriteriaSet).count() == 0 and s.query(Indicator).count() == 0


@pytest.fixture
def district(tmp_path):
    ws = build_district(tmp_path)
    yield ws
    ws.close()


@pytest.mark.parametrize("cells, words", [
    (dict(E4=AFTER_TOMORROW.strftime("%d/%m/%Y"), F4="Đã rà soát"), ("Ô E4", "Ngày báo cáo tiến độ", "ở tương lai")),
    (dict(E4="15/06/1900", F4="Đã rà soát"), ("Ô E4", "15/06/1900", "nằm ngoài khoảng năm 1945")),
    (dict(G4=AFTER_TOMORROW.strftime("%d/%m/%Y")), ("Ô G4", "Ngày hoàn thành", "ở tương lai")),
    (dict(H4="9" * 101), ("Ô H4", "Số, ký hiệu văn bản trả lời", "100")),
])
def test_a_communes_workbook_value_outside_the_limits_is_refused_whole(district, tmp_path, cells, words):
    path = fill(template(district, tmp_path), **cells)
    before = state(district)
    with pytest.raises(PackageRefused) as raised:
        import_template(district, path, "XA-A", 2025)
    for word in words:
        assert word in str(raised.value), str(raised.value)
    assert "Hãy sửa trong tệp Excel" in str(raised.value)
    assert state(district) == before
