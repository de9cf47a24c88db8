"""The tasks of one directive, inside the register form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QMessageBox, QPushButton, QTableView, QVBoxLayout, QWidget

from ntm_desktop.services import tasks
from ntm_desktop.services.tasklist import TaskFilter
from ntm_desktop.ui import roles
from ntm_desktop.ui.common import guarded
from ntm_desktop.ui.tasks.editor import TaskEditor
from ntm_desktop.ui.tasks.model import TaskModel
from ntm_desktop.workspace import Workspace

NO_DIRECTIVE = "-"


class DirectiveTasks(QWidget):
    def __init__(self, workspace: Workspace, directive_id: str | None, parent=None):
        super().__init__(parent)
        self._ws = workspace
        self.directive_id = directive_id
        self.model = TaskModel(workspace.db, TaskFilter(directive_id=directive_id or NO_DIRECTIVE))
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.setColumnHidden(0, True)
        self.view.doubleClicked.connect(lambda index: self.edit(self.model.row_at(index.row()).id))
        self.add_button = add = QPushButton(self.tr("Thêm nhiệm vụ"))
        add.clicked.connect(lambda: self.edit(None))
        edit = QPushButton(self.tr("Sửa / cập nhật tiến độ"))
        edit.clicked.connect(self._edit_selected)
        self.delete_button = delete = QPushButton(self.tr("Xóa nhiệm vụ"))
        delete.clicked.connect(self._delete_selected)
        buttons = QHBoxLayout()
        for b in (add, edit, delete):
            buttons.addWidget(b)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        roles.fit_directive_tasks(workspace, self)

    def set_directive(self, directive_id: str) -> None:
        self.directive_id = directive_id
        self.model.set_filter(TaskFilter(directive_id=directive_id))

    def _selected(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).id if rows else None

    def edit(self, task_id: str | None) -> TaskEditor:
        """Open the task editor over the register form (window-modal); the list follows each save."""
        editor = TaskEditor(self._ws, self.directive_id, task_id, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(lambda _id: self.model.reload())
        editor.open()
        return editor

    def _edit_selected(self) -> None:
        task_id = self._selected()
        if task_id:
            self.edit(task_id)

    def _delete_selected(self) -> None:
        task_id = self._selected()
        if not task_id:
            return
        if QMessageBox.question(self, self.tr("Xóa nhiệm vụ"), self.tr("Xóa nhiệm vụ đã chọn?")) != QMessageBox.StandardButton.Yes:
            return

        def delete():
            with self._ws.db.transaction(self._ws.user()) as session:
                tasks.delete_task(session, task_id)

        if guarded(self, delete):
            self.model.reload()
