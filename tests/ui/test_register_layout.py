"""What the register and its form look like: titles readable in full, no hole in the form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QFormLayout, QStyle

from ntm_desktop.ui.register.form import DirectiveForm
from ntm_desktop.ui.register.page import RegisterPage


@pytest.mark.parametrize("width", [1280, 1080])  # the page alone, and beside the side bar of a 1280 window
def test_every_register_title_is_shown_in_full(qtbot, demo_workspace, tmp_path, width):
    page = RegisterPage(demo_workspace)
    qtbot.addWidget(page)
    page.resize(width, 500)
    page.show()
    qtbot.waitExposed(page)
    header = page.view.horizontalHeader()
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    mark = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    flags = int(Qt.AlignmentFlag.AlignCenter.value | Qt.TextFlag.TextWordWrap.value)
    cut = []
    for column in range(page.model.columnCount()):
        title = page.model.headerData(column, Qt.Orientation.Horizontal)
        room = header.sectionSize(column) - 2 * margin - (mark + margin if column == header.sortIndicatorSection() else 0)
        needed = header.fontMetrics().boundingRect(QRect(0, 0, room, 1000), flags, title)
        if needed.width() > room or needed.height() > header.height() - margin:
            cut.append(title)
    assert cut == []
    assert page.model.headerData(4, Qt.Orientation.Horizontal) == "Ngày tháng văn bản"
    # The subject, what a clerk reads the register for, is the widest column.
    widths = [header.sectionSize(column) for column in range(page.model.columnCount())]
    assert widths.index(max(widths)) == 5 and widths[5] >= 220
    page.grab().save(str(tmp_path / "register.png"))


def test_the_register_form_has_no_empty_gap(qtbot, demo_workspace):
    form = DirectiveForm(demo_workspace)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    layout = form.tabs.widget(0).layout()
    assert isinstance(layout, QFormLayout)
    rows, stretched = [], []
    for row in range(layout.rowCount()):
        item = layout.itemAt(row, QFormLayout.ItemRole.FieldRole) or layout.itemAt(row, QFormLayout.ItemRole.SpanningRole)
        if item is None or item.geometry().height() == 0 or (item.widget() is not None and item.widget().isHidden()):
            continue
        rows.append(item.geometry())
        if item.widget() is not form.subject and item.geometry().height() > item.sizeHint().height() + 6:
            stretched.append((row, item.geometry().height(), item.sizeHint().height()))
    assert stretched == []  # no row stands taller than what it shows (an empty label made a hole)
    gaps = [b.top() - a.bottom() for a, b in zip(rows, rows[1:])]
    assert max(gaps) <= 3 * layout.verticalSpacing() + 6, gaps
    # The spare height goes to the subject, the one field that holds long text.
    assert form.subject.height() >= 3 * form.subject.fontMetrics().lineSpacing()
