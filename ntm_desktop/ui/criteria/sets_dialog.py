"""Criteria sets: the list of sets and versions, import from Excel, the blank template, target edits."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog, QFileDialog, QHBoxLayout, QLabel, QListWidget, QMessageBox, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout,
)

from ntm_desktop.services.criteria import catalogue, periods
from ntm_desktop.ui import roles
from ntm_desktop.ui.common import guarded


class CriteriaSetsDialog(QDialog):
    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle(self.tr("Bộ tiêu chí"))
        self.resize(1000, 640)
        self.sets = QListWidget()
        self.sets.currentRowChanged.connect(lambda _r: self.show_set())
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.itemChanged.connect(self._edited)
        template = QPushButton(self.tr("Lưu tệp mẫu Excel…"))
        self.import_button = load = QPushButton(self.tr("Nhập bộ tiêu chí từ Excel…"))
        close = QPushButton(self.tr("Đóng"))
        template.clicked.connect(self._save_template)
        load.clicked.connect(self._choose_import)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(template)
        buttons.addWidget(load)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sets, 1)
        layout.addWidget(self.info)
        layout.addWidget(QLabel(self.tr("Chỉ tiêu (sửa trực tiếp tên và mức chỉ tiêu, đánh dấu “Đã xác nhận” khi đã "
                                        "đối chiếu với quyết định của tỉnh; lưu ngay khi sửa):")))
        layout.addWidget(self.table, 3)
        layout.addLayout(buttons)
        roles.fit_sets_dialog(workspace, self)
        self.reload()

    def reload(self, select_id: str | None = None) -> None:
        with self.workspace.db.transaction() as session:
            catalogue.install_shipped_sets(session)
            self.rows = catalogue.set_rows(session)
        self.sets.clear()
        for row in self.rows:
            declared = (self.tr(" (quyết định: {0})").format(row.declared_indicators)
                        if row.declared_indicators and row.declared_indicators != row.indicator_count else "")
            self.sets.addItem(self.tr("{0} — {1} tiêu chí, {2} chỉ tiêu{3} — {4}").format(
                row.label, row.criteria_count, row.indicator_count, declared, row.source))
        ids = [r.id for r in self.rows]
        self.sets.setCurrentRow(ids.index(select_id) if select_id in ids else 0)

    def show_set(self) -> None:
        r = self.sets.currentRow()
        if not 0 <= r < len(self.rows):
            return
        row = self.rows[r]
        with self.workspace.db.transaction() as session:
            chosen = catalogue.get_set(session, row.id)
            keys = list(chosen.target_keys or [])
            indicators = [(i.id, i.criterion.code, i.code, i.name, i.unit_of_measure, dict(i.targets or {}),
                           i.confirmed) for i in catalogue.indicators_of(session, row.id)]
            notes = periods.set_notes(session, chosen)
            since = chosen.in_force_from
        self.keys = keys
        text = self.tr("Căn cứ: {0}.").format(row.legal_basis or "—")
        if since:
            text += self.tr(" Có hiệu lực từ {0}.").format(since.strftime("%d/%m/%Y"))
        text += self.tr(" Mức chỉ tiêu theo: {0}").format(chosen.targets_vary_by or "—")
        self.info.setText("\n".join([text, *notes]))
        self.table.blockSignals(True)
        self.table.clear()
        self.confirmed_column = 4 + len(keys)
        self.table.setColumnCount(5 + len(keys))
        self.table.setHorizontalHeaderLabels([self.tr("Tiêu chí"), self.tr("Mã"), self.tr("Tên chỉ tiêu"),
                                              self.tr("Đơn vị tính"), *keys, self.tr("Đã xác nhận")])
        self.table.setRowCount(len(indicators))
        self.indicator_ids = []
        for n, (indicator_id, criterion, code, name, unit, targets, confirmed) in enumerate(indicators):
            self.indicator_ids.append(indicator_id)
            for column, value in enumerate([criterion, code, name, unit] + [targets.get(k, "") for k in keys]):
                item = QTableWidgetItem(str(value))
                if column < 2:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(n, column, item)
            check = QTableWidgetItem(self.tr("có") if confirmed else self.tr("chưa"))
            check.setFlags((check.flags() | Qt.ItemFlag.ItemIsUserCheckable) & ~Qt.ItemFlag.ItemIsEditable)
            check.setCheckState(Qt.CheckState.Checked if confirmed else Qt.CheckState.Unchecked)
            self.table.setItem(n, self.confirmed_column, check)
        self.table.resizeColumnsToContents()
        self.table.blockSignals(False)

    def _edited(self, item: QTableWidgetItem) -> None:
        r, column = item.row(), item.column()
        indicator_id = self.indicator_ids[r]
        text = item.text()

        def write():
            with self.workspace.db.transaction(self.workspace.user()) as session:
                if column == self.confirmed_column:
                    catalogue.update_indicator(session, indicator_id,
                                               confirmed=item.checkState() == Qt.CheckState.Checked)
                elif column == 2:
                    catalogue.update_indicator(session, indicator_id, name=text)
                elif column == 3:
                    catalogue.update_indicator(session, indicator_id, unit_of_measure=text)
                else:
                    targets = {k: self.table.item(r, 4 + i).text() for i, k in enumerate(self.keys)}
                    catalogue.update_indicator(session, indicator_id, targets=targets)
        if not guarded(self, write):
            self.show_set()  # put back what is stored
        elif column == self.confirmed_column:  # the set's notes count the unconfirmed indicators
            QTimer.singleShot(0, self.show_set)

    def _save_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Lưu tệp mẫu"), "mau-bo-tieu-chi.xlsx",
                                              self.tr("Tệp Excel (*.xlsx)"))
        if path:
            from ntm_desktop.services.criteria.xlsx_template import write_template  # openpyxl: loaded when used

            guarded(self, lambda: write_template(Path(path)))

    def _choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Chọn tệp bộ tiêu chí"), "",
                                              self.tr("Tệp Excel (*.xlsx)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> bool:
        from ntm_desktop.services.criteria.xlsx_import import import_set  # openpyxl: loaded when used

        result = {}

        def run():
            with self.workspace.db.transaction(self.workspace.user()) as session:
                result["value"] = import_set(session, path, self.workspace.office_unit_id())
        if not guarded(self, run):
            return False
        done = result["value"]
        text = self.tr("Đã nhập bộ tiêu chí “{0}” phiên bản {1}: {2} tiêu chí, {3} chỉ tiêu.").format(
            done.code, done.version, done.criteria, done.indicators)
        if done.notices:
            text += "\n\n" + "\n".join(done.notices[:10])
        QMessageBox.information(self, self.tr("Nhập bộ tiêu chí"), text)
        self.reload(done.set_id)
        return True
