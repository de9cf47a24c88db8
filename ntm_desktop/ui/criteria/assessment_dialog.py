"""The assessment grid of one commune for one year: criteria and indicators down."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout,
)

from ntm_desktop.services import units
from ntm_desktop.services.criteria import assessments, links
from ntm_desktop.services.criteria.assessments import CellInput, Grid
from ntm_desktop.services.criteria.statuses import STATUS_LABELS
from ntm_desktop.ui import roles
from ntm_desktop.ui.common import DateEdit, UnitCombo, guarded, vn_date
from ntm_desktop.ui.criteria.matrix_model import STATUS_COLORS

CODE, NAME, TARGET, MEASURED, STATUS, ASSESSOR, DATE, NOTE, EVIDENCE = range(9)
UNCONFIRMED_COLOR = QColor("#8a4b00")


class AssessmentDialog(QDialog):
    def __init__(self, workspace, unit_id: str, year: int, focus_code: str | None = None, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.unit_id = unit_id
        self.year = year
        self.grid: Grid | None = None
        self.resize(1200, 720)

        with workspace.db.transaction() as session:
            unit_rows = units.all_units(session)
            office = workspace_office(session)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.assessor = UnitCombo(unit_rows, allow_empty=True)
        self.assessor.set_unit_id(office)
        self.assessed_on = DateEdit(date.today())
        form = QFormLayout()
        form.addRow(self.tr("Đơn vị đánh giá:"), self.assessor)
        form.addRow(self.tr("Ngày đánh giá:"), self.assessed_on)

        self.table = QTableWidget(0, 9)
        self.table.setHorizontalHeaderLabels([
            self.tr("Mã"), self.tr("Tiêu chí / chỉ tiêu"), self.tr("Chỉ tiêu cần đạt"), self.tr("Giá trị đo"),
            self.tr("Trạng thái"), self.tr("Đơn vị đánh giá"), self.tr("Ngày"), self.tr("Ghi chú"),
            self.tr("Minh chứng"),
        ])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in ((CODE, 50), (TARGET, 110), (MEASURED, 90), (STATUS, 120), (ASSESSOR, 170),
                              (DATE, 90), (NOTE, 170), (EVIDENCE, 130)):
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().setVisible(False)
        self.tasks_label = QLabel()
        self.tasks_label.setWordWrap(True)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_tasks(row))

        self.copy_button = QPushButton(self.tr("Chép kết quả năm trước"))
        self.evidence_button = QPushButton(self.tr("Đính kèm minh chứng…"))
        self.save_button = QPushButton(self.tr("Lưu"))
        self.save_button.setDefault(True)
        close_button = QPushButton(self.tr("Đóng"))
        self.copy_button.clicked.connect(self.copy_previous)
        self.evidence_button.clicked.connect(self._choose_evidence)
        self.save_button.clicked.connect(self.save)
        close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.evidence_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.tasks_label)
        layout.addLayout(buttons)
        self.reload()
        roles.fit_assessment_dialog(workspace, self)  # after the rows: their status lists are shut too
        if focus_code:
            self.focus(focus_code)

    # --- loading ---------------------------------------------------------------------------------
    def reload(self) -> bool:
        def load():
            with self.workspace.db.transaction(self.workspace.user()) as session:
                self.grid = assessments.load_grid(session, self.unit_id, self.year)
        if not guarded(self, load):
            return False
        grid = self.grid
        self.setWindowTitle(self.tr("Đánh giá tiêu chí — {0} — năm {1}").format(grid.unit_name, grid.year))
        group = self.tr(", vùng/nhóm: {0}").format(grid.target_key) if grid.target_key else ""
        notes = "".join(f"<br><span style='color:#8a4b00'>{html.escape(note)}</span>" for note in grid.notes)
        self.title.setText(f"<b>{html.escape(grid.unit_name)}</b> — {self.tr('năm')} {grid.year}<br>"
                           f"{html.escape(grid.set_name)}{html.escape(group)}{notes}")
        self.table.setRowCount(len(grid.rows))
        bold = QFont()
        bold.setBold(True)
        for r, row in enumerate(grid.rows):
            editable = row.kind == "indicator"
            values = [row.code, row.shown_name, row.target, row.measured_value, "", row.assessing_unit_name,
                      vn_date(row.assessed_on), row.note, row.evidence_name]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if column == NOTE or (column == MEASURED and editable):
                    flags |= Qt.ItemFlag.ItemIsEditable
                item.setFlags(flags)
                if row.kind == "criterion":
                    item.setFont(bold)
                if not row.confirmed and column in (NAME, TARGET):
                    item.setForeground(QBrush(UNCONFIRMED_COLOR))
                self.table.setItem(r, column, item)
            combo = QComboBox()
            combo.addItem(self.tr("— chưa đánh giá —"), None)
            for code, label in STATUS_LABELS.items():
                combo.addItem(self.tr(label), code)
            combo.setCurrentIndex(max(combo.findData(row.status), 0))
            if row.derived:
                combo.setEnabled(False)
                combo.setToolTip(self.tr("Trạng thái tiêu chí được tính từ các chỉ tiêu của nó."))
            self._paint(r, row.status)
            combo.currentIndexChanged.connect(lambda _i, r=r, c=combo: self._paint(r, c.currentData()))
            self.table.setCellWidget(r, STATUS, combo)
        self.table.resizeRowsToContents()
        return True

    def _paint(self, r: int, status: str | None) -> None:
        item = self.table.item(r, CODE)
        if item is not None:
            item.setBackground(QBrush(STATUS_COLORS.get(status, QColor("white"))))

    def focus(self, code: str) -> None:
        for r, row in enumerate(self.grid.rows if self.grid else ()):
            if row.kind == "criterion" and row.code == code:
                self.table.setCurrentCell(r, STATUS)
                self.table.scrollToItem(self.table.item(r, CODE))
                return

    def _show_tasks(self, r: int) -> None:
        if not self.grid or not 0 <= r < len(self.grid.rows):
            return
        row = self.grid.rows[r]
        code = row.code if row.kind == "criterion" else next(
            x.code for x in self.grid.rows if x.kind == "criterion" and x.target_id == row.criterion_id)
        with self.workspace.db.transaction() as session:
            found = links.tasks_for_cell(session, self.unit_id, code, set_code=self.grid.set_code)
        if found:
            lines = [f"• {t.summary[:140]}" + (f" ({self.tr('hạn')} {vn_date(t.due_date)})" if t.due_date else "")
                     for t in found]
            self.tasks_label.setText(self.tr("Nhiệm vụ đang thực hiện gắn với tiêu chí {0}:").format(code)
                                     + "\n" + "\n".join(lines))
        else:
            self.tasks_label.setText("")

    # --- what the user entered --------------------------------------------------------------------
    def status_combo(self, r: int) -> QComboBox:
        return self.table.cellWidget(r, STATUS)

    def cells(self) -> list[CellInput]:
        """The rows the user changed."""
        changed = []
        for r, row in enumerate(self.grid.rows):
            status = self.status_combo(r).currentData()
            measured = self.table.item(r, MEASURED).text().strip()
            note = self.table.item(r, NOTE).text().strip()
            if (status, measured, note) != (row.status, row.measured_value, row.note):
                changed.append(CellInput(row.kind, row.target_id, status, measured, note))
        return changed

    def save(self) -> bool:
        cells = self.cells()
        if not cells:
            return True

        def write():
            with self.workspace.db.transaction(self.workspace.user()) as session:
                assessments.save_grid(session, self.unit_id, self.year, cells, self.assessor.unit_id(),
                                      self.assessed_on.value())
        if guarded(self, write):
            return self.reload()
        return False

    def copy_previous(self) -> None:
        if self.cells() and QMessageBox.question(
            self, self.tr("Chép kết quả năm trước"),
            self.tr("Các thay đổi chưa lưu sẽ bị bỏ. Tiếp tục?")) != QMessageBox.StandardButton.Yes:
            return

        def copy():
            with self.workspace.db.transaction(self.workspace.user()) as session:
                self.copied = assessments.copy_previous_year(session, self.unit_id, self.year)
        if guarded(self, copy):
            self.reload()

    def _choose_evidence(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            QMessageBox.information(self, self.tr("Minh chứng"), self.tr("Hãy chọn một tiêu chí trước."))
            return
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Chọn tệp minh chứng"))
        if path:
            self.attach_evidence(r, Path(path))

    def attach_evidence(self, r: int, path: Path) -> bool:
        row = self.grid.rows[r]

        def attach():
            with self.workspace.db.transaction(self.workspace.user()) as session:
                assessments.attach_evidence(session, self.workspace.folder.files, self.unit_id, self.year,
                                            row.criterion_id, path)
        return guarded(self, attach) and self.reload()


def workspace_office(session) -> str | None:
    from ntm_desktop.services import settings

    return settings.office_unit_id(session)
