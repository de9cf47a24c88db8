"""Tasks across directives: filter by scope (của đơn vị mình / do mình giao), unit, status, due window,
directive; overdue rows stand out; the task's full wording wraps in its row."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from ntm_desktop.services.shared import UNITS
from ntm_desktop.services.status import TaskStatus
from ntm_desktop.services.task_scope import TaskScope
from ntm_desktop.services.tasklist import DueWindow, TaskFilter
from ntm_desktop.ui.common import UnitCombo
from ntm_desktop.ui.data_events import data_events
from ntm_desktop.ui.tasks.editor import TaskEditor
from ntm_desktop.ui.tasks.model import TaskModel
from ntm_desktop.ui.wrapped_rows import WrappedRows
from ntm_desktop.workspace import Workspace

# Văn bản, (Nội dung stretches), Chủ trì, Phối hợp, Thời hạn, Trạng thái, Quá hạn, Hoàn thành, Văn bản trả lời
COLUMN_WIDTHS = {0: 110, 2: 140, 3: 140, 4: 85, 5: 180, 6: 65, 7: 85, 8: 100}


class TaskListPage(QWidget):
    def __init__(self, workspace: Workspace, parent=None):
        super().__init__(parent)
        self._ws = workspace
        self._office = workspace.office_unit_id()
        self._unit_rows = workspace.units()
        self.scope = QComboBox()
        for scope in TaskScope:
            self.scope.addItem(scope.label, scope.value)
            self.scope.setItemData(self.scope.count() - 1, scope.description, Qt.ItemDataRole.ToolTipRole)
        self.scope.setToolTip(self.tr("Tất cả: nhiệm vụ của đơn vị mình và nhiệm vụ do mình giao"))
        self.unit = UnitCombo(self._unit_rows, allow_empty=True)
        self.unit.lineEdit().setPlaceholderText(self.tr("Tất cả đơn vị"))
        self.unit.setMaximumWidth(300)
        self.status = QComboBox()
        self.status.addItem(self.tr("Mọi trạng thái"), None)
        for status in TaskStatus:
            self.status.addItem(status.label, status.value)
        self.deadline_window = QComboBox()
        self.deadline_window.addItem(self.tr("Mọi thời hạn"), None)
        for window in DueWindow:
            self.deadline_window.addItem(window.label, window.value)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Tìm nội dung nhiệm vụ (gõ không dấu cũng được)"))
        self.directive_label = QLabel()
        self.clear_directive = QPushButton(self.tr("Bỏ lọc văn bản"))
        self.clear_directive.clicked.connect(lambda: self.set_directive(None))
        self.count_label = QLabel()
        bar = QHBoxLayout()
        for label, widget in ((self.tr("Nhiệm vụ:"), self.scope), (self.tr("Đơn vị:"), self.unit),
                              (self.tr("Trạng thái:"), self.status),
                              (self.tr("Thời hạn:"), self.deadline_window)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addStretch()
        self._directive_id = None
        self.model = TaskModel(workspace.db, self.current_filter())
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        # The wording of a task is its longest text: it gets the stretching column and wraps, each row
        # as tall as its text.
        self.view.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        for col, width in COLUMN_WIDTHS.items():
            self.view.setColumnWidth(col, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().setVisible(False)
        self._rows = WrappedRows(self.view, wrapping={0, 1, 2, 3, 5})  # number, wording, units, status
        self.view.doubleClicked.connect(self._open)
        directive_bar = QHBoxLayout()
        directive_bar.addWidget(self.search, 1)
        directive_bar.addWidget(self.directive_label)
        directive_bar.addWidget(self.clear_directive)
        directive_bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(directive_bar)
        layout.addWidget(self.view)
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.scope.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.unit.activated.connect(lambda _i: self.apply_filter())
        self.unit.lineEdit().editingFinished.connect(self.apply_filter)
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.deadline_window.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self._show_directive(None, "")
        self.model.total_changed.connect(self._show_count)
        self._show_count()
        data_events(workspace).shared_changed.connect(self._shared_changed, Qt.ConnectionType.QueuedConnection)

    def _shared_changed(self, kinds) -> None:
        """The units changed (saved here or elsewhere, or a package brought some): the unit list follows."""
        if UNITS in kinds:
            self._set_units()

    def _set_units(self) -> None:
        rows = self._ws.units()
        if rows is not self._unit_rows:
            self._unit_rows = rows
            current = self.unit.unit_id()
            self.unit.set_units(rows, allow_empty=True)
            self.unit.set_unit_id(current)

    def current_filter(self) -> TaskFilter:
        status = self.status.currentData()
        window = self.deadline_window.currentData()
        return TaskFilter(
            office_unit_id=self._office, scope=TaskScope(self.scope.currentData()), unit_id=self.unit.unit_id(),
            status=TaskStatus(status) if status else None, window=DueWindow(window) if window else None,
            directive_id=self._directive_id, search=self.search.text(),
        )

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())
        self._show_count()

    def _show_count(self) -> None:
        total = self.model.total
        self.count_label.setText(self.tr("Đang đếm…") if total is None else self.tr("{n} nhiệm vụ").format(n=total))

    def show_filtered(self, unit_id: str | None = None, window: DueWindow | None = None,
                      status: TaskStatus | None = None) -> None:
        """Open the list filtered as the overview asked (a click on a count): the overview counts
        every task the office follows ("Tất cả")."""
        for combo, value in ((self.scope, TaskScope.ALL.value), (self.status, status.value if status else None),
                             (self.deadline_window, window.value if window else None)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        self.unit.set_unit_id(unit_id)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._directive_id = None
        self.set_directive(None)

    def set_directive(self, directive_id: str | None, label: str = "") -> None:
        self._show_directive(directive_id, label)
        self.apply_filter()

    def _show_directive(self, directive_id: str | None, label: str) -> None:
        self._directive_id = directive_id
        self.directive_label.setText(self.tr("Nhiệm vụ của văn bản: {d}").format(d=label) if directive_id else "")
        self.clear_directive.setVisible(directive_id is not None)

    def refresh(self) -> None:
        self._office = self._ws.office_unit_id()  # a package may have given this office its identity
        self._set_units()
        self.apply_filter()

    def _open(self, index) -> None:
        row = self.model.row_at(index.row())
        editor = TaskEditor(self._ws, row.directive_id, row.id, self)
        editor.saved.connect(lambda _id: self.model.reload())
        editor.exec()
