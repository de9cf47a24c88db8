"""The sync screen's Excel tab: a district serves a commune without the app (export, preview, apply)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))

from ntm_desktop.models import ProgressUpdate  # noqa: E402
from ntm_desktop.services import units  # noqa: E402
from ntm_desktop.sync.apply import entity_label  # noqa: E402
from ntm_desktop.sync.excel_template import SHEET, import_template  # noqa: E402
from ntm_desktop.ui.sync import SyncPage  # noqa: E402
from test_sync_world import build_district, state  # noqa: E402


@pytest.fixture
def district(tmp_path):
    ws = build_district(tmp_path)
    yield ws
    ws.close()


@pytest.fixture
def tab(qtbot, district):
    page = SyncPage(district)
    qtbot.addWidget(page)
    page.tabs.setCurrentWidget(page.excel)
    return page.excel


def choose(tab, ws, code: str, year: int = 2025) -> None:
    with ws.db.transaction() as s:
        tab.commune.set_unit_id(units.find_by_code(s, code).id)
    tab.year.setValue(year)


def fill(path: Path, **cells) -> Path:
    book = load_workbook(path)
    for ref, value in cells.items():
        book[SHEET][ref] = value
    book.save(path)
    return path


def counts(tab) -> dict[str, dict[str, str]]:
    """Preview table as {entity label: {column header: cell text}}."""
    model = tab.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return {model.index(r, 0).data(): {headers[c]: model.index(r, c).data() for c in range(1, model.columnCount())}
            for r in range(model.rowCount())}


def progress_texts(ws) -> list[str]:
    with ws.db.transaction() as s:
        return list(s.scalars(select(ProgressUpdate.text)))


def test_tab_lists_only_communes_and_defaults_to_this_year(tab):
    from datetime import date

    names = [tab.commune.itemText(i) for i in range(tab.commune.count())]
    assert names == ["Ủy ban nhân dân xã A", "Ủy ban nhân dân xã B"]
    assert tab.year.value() == date.today().year
    assert not tab.apply_button.isEnabled()


def test_export_preview_apply_and_again(tab, district, tmp_path, qtmodeltester, messages):
    choose(tab, district, "XA-A")
    assert tab.default_file_name() == "bieu-mau-XA-A-2025.xlsx"
    path = tab.export_to(tmp_path / "usb" / tab.default_file_name())
    assert path is not None and path.exists()
    assert load_workbook(path)[SHEET]["C4"].value == "Rà soát tiêu chí số 1"  # the chosen commune's task
    assert "Đã xuất biểu mẫu năm 2025 cho Ủy ban nhân dân xã A" in tab.message.text()

    fill(path, E4="15/06/2025", F4="Đã rà soát xong 19 tiêu chí", G4="20/06/2025", H4="45/BC-UBND")
    before = state(district)
    plan = tab.open_filled(path)
    qtmodeltester.check(tab.model)
    assert plan is not None
    assert state(district) == before  # opening is only a preview
    assert counts(tab)[entity_label("progress_updates")]["Mới"] == "1"
    assert tab.rejections.count() == 0
    assert "Chưa có gì thay đổi" in tab.header.text() and "Ủy ban nhân dân xã A" in tab.header.text()
    assert tab.apply_button.isEnabled()
    assert messages == []
    tab.window().resize(1000, 640)
    tab.window().grab().save(str(tmp_path / "excel_tab.png"))

    result = tab.apply()
    assert result is not None and result.status == "applied"
    assert "Đã áp dụng" in tab.message.text() and "1 mới" in tab.message.text()
    assert "Đã nhập biểu mẫu" in tab.header.text()
    assert not tab.apply_button.isEnabled()
    [text] = progress_texts(district)
    assert "Đã rà soát xong 19 tiêu chí" in text and "45/BC-UBND" in text

    after = state(district)
    assert tab.open_filled(path) is not None  # the same workbook once more: told, and cannot be applied
    assert "đã được nhập ngày" in tab.header.text()
    assert not tab.apply_button.isEnabled()
    assert tab.apply() is None
    assert state(district) == after


def test_applying_a_workbook_imported_meanwhile_says_already(tab, district, tmp_path, messages):
    choose(tab, district, "XA-A")
    path = fill(tab.export_to(tmp_path / "a.xlsx"), F4="Đang rà soát")
    assert tab.open_filled(path) is not None and tab.apply_button.isEnabled()
    import_template(district, path, "XA-A", 2025)  # e.g. by the command line while the preview was open
    after = state(district)
    result = tab.apply()
    assert result is not None and result.status == "already"
    assert "đã được nhập ngày" in tab.message.text() and "đã được nhập trước đó" in tab.header.text()
    assert state(district) == after and len(progress_texts(district)) == 1
    assert messages == []


def test_workbook_of_another_commune_is_refused(tab, district, tmp_path, messages):
    choose(tab, district, "XA-A")
    path = fill(tab.export_to(tmp_path / "xa-a.xlsx"), F4="Đang làm")
    choose(tab, district, "XA-B")
    before = state(district)
    assert tab.open_filled(path) is None
    assert len(messages) == 1 and "không phải “XA-B”" in messages[0]
    assert "không phải “XA-B”" in tab.header.text()
    assert not tab.apply_button.isEnabled()
    assert tab.apply() is None
    assert state(district) == before


def test_changed_file_or_commune_after_preview_is_not_applied(tab, district, tmp_path, messages):
    choose(tab, district, "XA-A")
    path = fill(tab.export_to(tmp_path / "a.xlsx"), F4="Đang làm")
    assert tab.open_filled(path) is not None
    choose(tab, district, "XA-B")  # the preview was for XA-A
    assert not tab.apply_button.isEnabled() and "mở lại" in tab.header.text()
    choose(tab, district, "XA-A")
    assert tab.open_filled(path) is not None
    fill(path, F4="Đã sửa sau khi xem trước")
    before = state(district)
    assert tab.apply() is None
    assert len(messages) == 1 and "đã thay đổi từ lúc xem trước" in messages[0]
    assert state(district) == before


def test_export_error_is_shown_and_nothing_written(tab, district, tmp_path, messages):
    with district.db.transaction() as s:
        from ntm_desktop.services import settings

        settings.put(s, settings.OFFICE_UNIT, "")  # no office chosen yet: the template cannot name its receiver
    choose(tab, district, "XA-A")
    assert tab.export_to(tmp_path / "x.xlsx") is None
    assert len(messages) == 1 and "Bắt đầu sử dụng NTM Desktop" in messages[0]
    assert not (tmp_path / "x.xlsx").exists()


def test_export_to_an_unwritable_place_is_shown(tab, district, tmp_path, messages):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    choose(tab, district, "XA-A")
    assert tab.export_to(blocker / "x.xlsx") is None  # the parent is a file: cannot be written
    assert len(messages) == 1 and "Không ghi được tệp “x.xlsx”" in messages[0]


def test_a_workbook_dropped_on_the_tab_is_previewed(tab, district, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    choose(tab, district, "XA-A")
    path = tab.export_to(tmp_path / "bieu-mau.xlsx")
    fill(path, F4="Đã họp thôn triển khai")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    before = state(district)
    tab.dropEvent(event)
    assert counts(tab)[entity_label("progress_updates")]["Mới"] == "1"
    assert tab.apply_button.isEnabled() and state(district) == before
