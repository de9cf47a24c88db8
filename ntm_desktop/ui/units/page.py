"""The unit tree: levels are data; a merged unit stays in history and shows its successor.

The units come from the workspace's shared copy (read once); the page builds its tree again when that
copy changes (one notice per commit that wrote units), not each time it is shown.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPushButton,
    QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from ntm_desktop.errors import UserError
from ntm_desktop.services import units
from ntm_desktop.services.shared import UNITS
from ntm_desktop.ui.common import DateEdit, UnitCombo, show_error, vn_date
from ntm_desktop.ui.data_events import data_events
from ntm_desktop.workspace import Workspace


class UnitEditor(QWidget):
    """Fields of one unit; `save()` creates or updates it."""

    def __init__(self, workspace: Workspace, parent=None):
        super().__init__(parent)
        self._ws = workspace
        self.unit_id: str | None = None
        form = QFormLayout(self)
        self.code = QLineEdit()
        self.name = QLineEdit()
        self.short_name = QLineEdit()
        self.level = QComboBox()
        with workspace.db.transaction() as session:
            for level in units.levels(session):
                self.level.addItem(level.name, level.code)
        self._all = workspace.units()
        self.parent_unit = UnitCombo([], allow_empty=True)  # filled by _offer
        self.valid_from = DateEdit(None, optional=True)
        self.valid_to = DateEdit(None, optional=True)
        self.successor = UnitCombo([], allow_empty=True)
        self.history = QLabel()
        self.history.setWordWrap(True)
        form.addRow(self.tr("Mã đơn vị:"), self.code)
        form.addRow(self.tr("Tên đầy đủ:"), self.name)
        form.addRow(self.tr("Tên viết tắt:"), self.short_name)
        form.addRow(self.tr("Cấp:"), self.level)
        form.addRow(self.tr("Đơn vị cấp trên:"), self.parent_unit)
        form.addRow(self.tr("Hiệu lực từ ngày:"), self.valid_from)
        form.addRow(self.tr("Hết hiệu lực sau ngày:"), self.valid_to)
        form.addRow(self.tr("Đơn vị kế thừa (sau sáp nhập):"), self.successor)
        form.addRow(self.tr("Lịch sử:"), self.history)
        self._offer(None)

    def reload_units(self) -> None:
        rows = self._ws.units()
        if rows is self._all:
            return  # the lists already hold these units
        self._all = rows
        self._offer(self.unit_id)

    def _offer(self, unit_id: str | None, below: set[str] = frozenset()) -> None:
        """Lists without the unit itself; the parent list without its units below either (no loop in the tree)."""
        itself = {unit_id} if unit_id else set()
        self.parent_unit.set_units(self._all, allow_empty=True, exclude=itself | set(below))
        self.successor.set_units(self._all, allow_empty=True, exclude=itself)

    def show_unit(self, unit_id: str | None, parent_id: str | None = None) -> None:
        self.unit_id = unit_id
        if unit_id is None:
            self._offer(None)
            for w in (self.code, self.name, self.short_name):
                w.clear()
            self.parent_unit.set_unit_id(parent_id)
            self.valid_from.set_date(None)
            self.valid_to.set_date(None)
            self.successor.set_unit_id(None)
            self.history.clear()
            self.code.setFocus()
            return
        with self._ws.db.transaction() as session:
            row = units.get_unit(session, unit_id)
            before = units.predecessors(session, unit_id)
            after = units.successor_chain(session, unit_id)[1:]
            below = units.descendants(session, unit_id)
        self._offer(unit_id, below)
        self.code.setText(row.code)
        self.name.setText(row.name)
        self.short_name.setText(row.short_name)
        self.level.setCurrentIndex(max(0, self.level.findData(row.level_code)))
        self.parent_unit.set_unit_id(row.parent_id)
        self.valid_from.set_date(row.valid_from)
        self.valid_to.set_date(row.valid_to)
        self.successor.set_unit_id(row.successor_id)
        lines = []
        if after:
            lines.append(self.tr("Đã sáp nhập vào: {names}").format(names=" → ".join(u.name for u in after)))
        if before:
            lines.append(self.tr("Kế thừa từ: {names}").format(names="; ".join(u.name for u in before)))
        self.history.setText("\n".join(lines))

    def values(self) -> dict:
        return dict(
            code=self.code.text(), name=self.name.text(), short_name=self.short_name.text(),
            level_code=self.level.currentData(), parent_id=self.parent_unit.unit_id(),
            valid_from=self.valid_from.value(), valid_to=self.valid_to.value(),
            successor_id=self.successor.unit_id(),
        )

    def save(self) -> bool:
        try:
            with self._ws.db.transaction(self._ws.user()) as session:
                if self.unit_id is None:
                    self.unit_id = units.create_unit(session, owner_unit_id=self._ws.office_unit_id(), **self.values())
                else:
                    units.update_unit(session, self.unit_id, **self.values())
        except UserError as error:
            show_error(self, error)
            return False
        return True


class UnitsPage(QWidget):
    def __init__(self, workspace: Workspace, parent=None):
        super().__init__(parent)
        self._ws = workspace
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Đơn vị"), self.tr("Mã"), self.tr("Cấp"), self.tr("Hiệu lực")])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):  # code, level and validity are shown whole; the name takes the rest
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setMinimumWidth(640)
        self.tree.currentItemChanged.connect(self._selected)
        self.editor = UnitEditor(workspace)
        new_top = QPushButton(self.tr("Thêm đơn vị"))
        new_top.clicked.connect(lambda: self.editor.show_unit(None))
        new_child = QPushButton(self.tr("Thêm đơn vị trực thuộc"))
        new_child.clicked.connect(lambda: self.editor.show_unit(None, self._current_id()))
        save = QPushButton(self.tr("Lưu đơn vị"))
        save.clicked.connect(self.save)
        delete = QPushButton(self.tr("Xóa"))
        delete.clicked.connect(self._delete)
        self.edit_buttons = (new_top, new_child, save, delete)  # for the roles that edit the tree (ui.roles)
        buttons = QHBoxLayout()
        for b in (new_top, new_child, save, delete):
            buttons.addWidget(b)
        buttons.addStretch()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.editor)
        right_layout.addLayout(buttons)
        right_layout.addStretch()
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([860, 420])  # the tree's name, code, level and validity side by side
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._shown_rows = None
        self.refresh()
        data_events(workspace).shared_changed.connect(self._shared_changed, Qt.ConnectionType.QueuedConnection)

    def _shared_changed(self, kinds) -> None:
        if UNITS in kinds and self._ws.units() is not self._shown_rows:
            self.refresh()

    def _current_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def refresh(self) -> None:
        keep = self._current_id()
        rows = self._ws.units()
        self._shown_rows = rows
        self.editor.reload_units()  # before a unit is selected again: its lists then leave out its units below
        self.tree.setUpdatesEnabled(False)
        try:
            self.tree.clear()
            items: dict[str, QTreeWidgetItem] = {}
            today = date.today()
            grey = QBrush(QColor("#888888"))
            for row in rows:
                validity = ""
                if row.valid_from and row.valid_to:
                    validity = f"{vn_date(row.valid_from)} – {vn_date(row.valid_to)}"
                elif row.valid_from:
                    validity = self.tr("từ {day}").format(day=vn_date(row.valid_from))
                elif row.valid_to:
                    validity = self.tr("đến {day}").format(day=vn_date(row.valid_to))
                name = row.name
                if row.successor_name:
                    name = self.tr("{name} → {successor}").format(name=row.name, successor=row.successor_name)
                item = QTreeWidgetItem([name, row.code, row.level_name, validity])
                item.setData(0, Qt.ItemDataRole.UserRole, row.id)
                if not row.is_active(today):
                    for col in range(4):
                        item.setForeground(col, grey)
                items[row.id] = item
            children: dict[str | None, list[QTreeWidgetItem]] = {}
            for row in rows:  # each parent's children in one call: thousands of communes under a province
                parent = row.parent_id if row.parent_id in items else None
                children.setdefault(parent, []).append(items[row.id])
            for parent_id, kids in children.items():
                if parent_id is not None:
                    items[parent_id].addChildren(kids)
            self.tree.addTopLevelItems(children.get(None, []))
            self.tree.expandToDepth(0)
            if keep in items:
                self.tree.setCurrentItem(items[keep])
        finally:
            self.tree.setUpdatesEnabled(True)

    def _selected(self, current, _previous) -> None:
        if current is not None:
            self.editor.show_unit(current.data(0, Qt.ItemDataRole.UserRole))

    def save(self) -> None:
        if self.editor.save():
            self.refresh()

    def _delete(self) -> None:
        unit_id = self._current_id()
        if not unit_id:
            return
        if QMessageBox.question(self, self.tr("Xóa đơn vị"), self.tr("Xóa đơn vị đã chọn?")) != QMessageBox.StandardButton.Yes:
            return
        try:
            with self._ws.db.transaction(self._ws.user()) as session:
                units.delete_unit(session, unit_id)
        except UserError as error:
            show_error(self, error, self.tr("Không xóa được"))
            return
        self.refresh()
