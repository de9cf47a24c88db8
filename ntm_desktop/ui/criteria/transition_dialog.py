"""Moving communes into a new period: choose the commune's group, see what carries over, then move it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSpinBox, QTableWidget,
    QTableWidgetItem, QVBoxLayout,
)

from ntm_desktop.services.criteria import periods, transition
from ntm_desktop.services.criteria.statuses import STATUS_LABELS
from ntm_desktop.ui.common import guarded, vn_date

UNCONFIRMED_COLOR = QColor("#8a4b00")


class TransitionDialog(QDialog):
    """One commune at a time; after a move the next commune still to move is shown."""

    def __init__(self, workspace, year: int, unit_id: str | None = None, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.year = year
        self.plan: transition.TransitionPlan | None = None
        self.setWindowTitle(self.tr("Chuyển xã sang bộ tiêu chí năm {0}").format(year))
        self.resize(1000, 720)

        self.commune = QComboBox()
        self.commune.currentIndexChanged.connect(lambda _i: self.load())
        self.sets_line = QLabel()
        self.sets_line.setWordWrap(True)
        self.group = QComboBox()
        self.group_help = QLabel()
        self.group_help.setWordWrap(True)
        self.planned = QSpinBox()
        self.planned.setRange(0, 2100)
        self.planned.setSpecialValueText(self.tr("(chưa có)"))
        form = QFormLayout()
        form.addRow(self.tr("Xã:"), self.commune)
        form.addRow("", self.sets_line)
        form.addRow(self.tr("Nhóm xã giai đoạn mới:"), self.group)
        form.addRow("", self.group_help)
        form.addRow(self.tr("Năm kế hoạch đạt chuẩn:"), self.planned)

        self.carried = QLabel()
        self.carried.setWordWrap(True)
        self.carried.setTextFormat(Qt.TextFormat.PlainText)
        self.mapping_basis = QLabel()
        self.mapping_basis.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Tiêu chí mới"), self.tr("Tiêu chí cũ tương ứng (kết quả năm "
                                                                            "trước)"), self.tr("Xác nhận")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)

        self.move_button = QPushButton(self.tr("Chuyển sang năm {0}").format(year))
        self.move_button.setDefault(True)
        self.move_button.clicked.connect(self.carry)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.outcome, 1)
        buttons.addWidget(self.move_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.carried)
        layout.addWidget(self.mapping_basis)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.fill_communes(unit_id)
        self.group.setFocus()  # the one choice the step needs

    # --- loading ---------------------------------------------------------------------------------
    def fill_communes(self, prefer: str | None = None) -> None:
        with self.workspace.db.transaction() as session:
            pending = transition.communes_to_move(session, self.year)
        self.commune.blockSignals(True)
        self.commune.clear()
        for unit_id, name in pending:
            self.commune.addItem(name, unit_id)
        self.commune.setCurrentIndex(max(self.commune.findData(prefer), 0))
        self.commune.blockSignals(False)
        self.move_button.setEnabled(bool(pending))
        if not pending:
            self.plan = None
            self.sets_line.setText(self.tr("Không còn xã nào cần chuyển sang bộ tiêu chí năm {0}.").format(self.year))
            self.carried.clear()
            self.mapping_basis.clear()
            self.table.setRowCount(0)
            self.group.clear()
            return
        self.load()

    def load(self) -> bool:
        unit_id = self.commune.currentData()
        if not unit_id:
            return False
        found = {}

        def read():
            with self.workspace.db.transaction() as session:
                found["plan"] = transition.plan_transition(session, unit_id, self.year)
        if not guarded(self, read):
            return False
        plan = self.plan = found["plan"]
        self.sets_line.setText(self.tr("Năm {0}: {1}. Năm {2}: {3} ({4}).").format(
            plan.from_year, plan.old_set_name, plan.to_year, plan.new_set_name, plan.new_legal_basis))
        self.group.clear()
        self.group.addItem(self.tr("— chọn nhóm —"), "")
        for key in plan.target_keys:
            self.group.addItem(key, key)
        self.group.setCurrentIndex(max(self.group.findData(plan.target_key), 0))
        self.group_help.setText(self.tr("Mức chỉ tiêu theo {0}").format(plan.targets_vary_by) if plan.targets_vary_by
                                else "")
        self.planned.setValue(plan.planned_year or 0)
        self.carried.setText(self._carried_text(plan))
        self.mapping_basis.setText(plan.mapping.basis)
        self._fill_mapping(plan)
        return True

    def _carried_text(self, plan: transition.TransitionPlan) -> str:
        lines = [self.tr("Những gì được chuyển sang năm {0}:").format(plan.to_year),
                 self.tr("• Hồ sơ xã: năm kế hoạch đạt chuẩn, ghi chú{0}.").format(
                     f" (“{plan.note}”)" if plan.note else "")]
        for row in plan.recognitions:
            under = self.tr(" — theo {0}").format(row.set_name) if row.set_name else ""
            revoked = self.tr(" (đã thu hồi)") if row.revoked_date else ""
            lines.append(self.tr("• Công nhận giữ nguyên trong lịch sử: {0} {1} ngày {2}{3}{4}.").format(
                row.label, row.decision_number, vn_date(row.decision_date), under, revoked))
        for item in plan.evidence:
            lines.append(self.tr("• Minh chứng “{0}”: tiêu chí cũ {1} → tiêu chí mới {2}.").format(
                item.file_name, item.old_code, item.new_code))
        if plan.open_links:
            lines.append(self.tr("• {0} nhiệm vụ đang thực hiện gắn với tiêu chí cũ được gắn sang tiêu chí mới "
                                 "tương ứng.").format(len(plan.open_links)))
        lines.append(self.tr("Kết quả đánh giá không chuyển: năm {0} đánh giá lại theo bộ tiêu chí mới.").format(
            plan.to_year))
        if plan.carried_over_on:
            lines.append(self.tr("Xã đã được chuyển ngày {0}; chuyển lại chỉ đổi nhóm xã và năm kế hoạch.").format(
                vn_date(plan.carried_over_on)))
        return "\n".join(lines)

    def _fill_mapping(self, plan: transition.TransitionPlan) -> None:
        self.table.setRowCount(len(plan.mapping.rows))
        unconfirmed = self.tr("chưa xác nhận")
        for r, row in enumerate(plan.mapping.rows):
            old = "; ".join(
                f"{code}. {name} ({STATUS_LABELS.get(plan.old_statuses.get(code), self.tr('chưa đánh giá'))})"
                for code, name in row.old) or self.tr("(dữ liệu không ghép tiêu chí cũ nào)")
            values = [f"{row.new_code}. {row.new_name}", old,
                      self.tr("đã xác nhận") if plan.mapping.confirmed else unconfirmed]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 2 and not plan.mapping.confirmed:
                    item.setForeground(QBrush(UNCONFIRMED_COLOR))
                    item.setToolTip(periods.UNCONFIRMED)
                self.table.setItem(r, column, item)
        self.table.resizeRowsToContents()

    # --- the move --------------------------------------------------------------------------------
    def carry(self) -> bool:
        if self.plan is None:
            return False
        plan, group, planned = self.plan, self.group.currentData() or "", self.planned.value() or None
        done = {}

        def write():
            with self.workspace.db.transaction(self.workspace.user()) as session:
                done["result"] = transition.carry_over(session, plan.unit_id, plan.to_year, group, planned,
                                                       keep_plan=False)
        if not guarded(self, write):
            return False
        result = done["result"]
        self.outcome.setText(self.tr("Đã chuyển {0} sang năm {1} ({2}): {3} minh chứng, {4} nhiệm vụ được gắn "
                                     "sang tiêu chí mới.").format(plan.unit_name, plan.to_year, group or "—",
                                                                 result.evidence_moved, result.links_moved))
        self.fill_communes()
        return True
