"""Sync screen tab for communes without the app: export the Excel template, preview a filled one, apply it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLabel, QListWidget, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from ntm_desktop.errors import UserError
from ntm_desktop.services import units
from ntm_desktop.services.criteria.statuses import COMMUNE_LEVELS
from ntm_desktop.sync.apply import ApplyResult, entity_label
from ntm_desktop.sync.preview import OUTCOME_LABELS, OUTCOMES, Plan
from ntm_desktop.ui.background import run_with_progress
from ntm_desktop.ui.common import UnitCombo, show_error
from ntm_desktop.ui.sync.models import RowsModel
from ntm_desktop.ui.sync.tabs import _table


def excel_template():
    """The workbook module, loaded when a workbook is first made or read (openpyxl takes a fifth of a second
    to load: the sync page opens without it)."""
    from ntm_desktop.sync import excel_template as module

    return module


@dataclass(frozen=True)
class _Previewed:
    """The workbook last previewed, for the commune and year it was previewed against."""

    path: Path
    unit_id: str
    code: str
    name: str
    year: int
    sha256: str


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class ExcelTemplateTab(QWidget):
    """Biểu mẫu Excel cho xã: the district serves a commune that has no NTM Desktop."""

    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self._ws = workspace
        self._previewed: _Previewed | None = None
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Dành cho xã chưa cài NTM Desktop: xuất biểu mẫu Excel để xã điền tiến độ nhiệm vụ và "
                               "đánh giá tiêu chí, rồi mở tệp xã gửi lại (hoặc kéo thả tệp vào đây) để xem trước "
                               "và áp dụng."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addSpacing(4)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Xã:")))
        self.commune = UnitCombo([])
        self.commune.currentTextChanged.connect(lambda _t: self._selection_changed())
        row.addWidget(self.commune, 1)
        row.addSpacing(12)
        row.addWidget(QLabel(self.tr("Năm:")))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.valueChanged.connect(lambda _v: self._selection_changed())
        row.addWidget(self.year)
        layout.addLayout(row)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(self.tr("Xuất biểu mẫu…"))
        self.export_button.clicked.connect(self._choose_export)
        self.open_button = QPushButton(self.tr("Mở biểu mẫu đã điền…"))
        self.open_button.clicked.connect(self._choose_filled)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.header)
        self.model = RowsModel([self.tr("Loại dữ liệu")] + [self.tr(OUTCOME_LABELS[o]) for o in OUTCOMES], self)
        self.view = _table(self.model)
        layout.addWidget(self.view, 2)
        layout.addWidget(QLabel(self.tr("Bản ghi bị từ chối và lý do:")))
        self.rejections = QListWidget()
        self.rejections.setWordWrap(True)
        layout.addWidget(self.rejections, 1)
        row = QHBoxLayout()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.message, 1)
        self.apply_button = QPushButton(self.tr("Áp dụng"))
        self.apply_button.clicked.connect(self.apply)
        row.addWidget(self.apply_button)
        layout.addLayout(row)
        self._clear(self.tr("Chưa mở biểu mẫu nào. Mở biểu mẫu chỉ để xem trước: chưa có gì thay đổi."))

    # The commune and year -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the communes, keeping the one chosen (a previewed workbook stays previewed)."""
        rows = [u for u in self._ws.units() if u.level_code in COMMUNE_LEVELS]  # the shared copy, read once
        current = self.commune.unit_id()
        self.commune.blockSignals(True)
        try:
            self.commune.set_units(rows)
            if current:
                self.commune.set_unit_id(current)
        finally:
            self.commune.blockSignals(False)
        self._selection_changed()

    def _chosen(self) -> tuple[str, str, str] | None:
        """(unit id, code, name) of the chosen commune, or None."""
        unit_id = self.commune.unit_id()
        if not unit_id:
            return None
        with self._ws.db.transaction() as session:
            unit = units.get_unit(session, unit_id)
        return unit.id, unit.code, unit.name

    def _selection_changed(self) -> None:
        """A preview holds only for the commune and year it was made for."""
        p = self._previewed
        if p is not None and (self.commune.unit_id() != p.unit_id or self.year.value() != p.year):
            self._clear(self.tr("Đã đổi xã hoặc năm: hãy mở lại biểu mẫu đã điền để xem trước."))

    def _clear(self, header: str) -> None:
        self._previewed = None
        self.apply_button.setEnabled(False)
        self.model.set_rows([])
        self.rejections.clear()
        self.message.clear()
        self.header.setText(header)

    # Export -----------------------------------------------------------------------------------------------------

    def default_file_name(self) -> str:
        chosen = self._chosen()
        code = chosen[1] if chosen else "XA"
        return f"bieu-mau-{code}-{self.year.value()}.xlsx"

    def _choose_export(self) -> None:
        if self._chosen() is None:
            self.message.setText(self.tr("Hãy chọn xã."))
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Lưu biểu mẫu Excel cho xã"), self.default_file_name(),
                                              self.tr("Tệp Excel (*.xlsx)"))
        if path:
            path = Path(path)
            self.export_to(path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx"))

    def export_to(self, path: Path) -> Path | None:
        """Write the template for the chosen commune and year to `path`."""
        chosen = self._chosen()
        if chosen is None:
            self.message.setText(self.tr("Hãy chọn xã."))
            return None
        _, code, name = chosen
        year = self.year.value()
        try:
            with self._ws.db.transaction() as session:
                written = excel_template().export_template(session, code, year, Path(path))
        except UserError as error:
            show_error(self, error, self.tr("Không xuất được biểu mẫu"))
            return None
        except OSError as error:  # a read-only or full USB stick, a file open in Excel
            show_error(self, UserError(self.tr("Không ghi được tệp “%1” (%2). Hãy chọn nơi lưu khác hoặc đóng tệp "
                                               "đang mở trong Excel.").replace("%1", Path(path).name).replace(
                "%2", error.strerror or str(error))), self.tr("Không xuất được biểu mẫu"))
            return None
        self.message.setText(self.tr("Đã xuất biểu mẫu năm %1 cho %2: %3. Gửi tệp này cho xã điền các cột nền vàng.")
                             .replace("%1", str(year)).replace("%2", name).replace("%3", str(written)))
        return written

    # Preview and apply ------------------------------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if any(u.isLocalFile() and u.toLocalFile().lower().endswith(".xlsx") for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        """A filled workbook dropped on the tab (from an email or a USB stick) opens like "Mở biểu mẫu đã điền…"."""
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        workbooks = [p for p in paths if p.lower().endswith(".xlsx")]
        if workbooks:
            self.open_filled(Path(workbooks[0]))

    def _choose_filled(self) -> None:
        if self._chosen() is None:
            self.message.setText(self.tr("Hãy chọn xã trước khi mở biểu mẫu của xã."))
            return
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Mở biểu mẫu xã đã điền"), "",
                                              self.tr("Tệp Excel (*.xlsx)"))
        if path:
            self.open_filled(Path(path))

    def open_filled(self, path: Path) -> Plan | None:
        """Preview a filled workbook for the chosen commune and year; changes nothing."""
        path = Path(path)
        self._clear(self.tr("Đang xem biểu mẫu “%1”…").replace("%1", path.name))
        chosen = self._chosen()
        if chosen is None:
            self.header.setText(self.tr("Hãy chọn xã trước khi mở biểu mẫu của xã."))
            return None
        unit_id, code, name = chosen
        year = self.year.value()
        try:
            plan = run_with_progress(self, self.tr("Đang đọc biểu mẫu “%1”…").replace("%1", path.name),
                                     lambda _say: excel_template().preview_template(self._ws, path, code, year))
            sha = _sha256(path)
        except UserError as error:
            self.header.setText(self.tr("Không mở được biểu mẫu “%1”:").replace("%1", path.name) + "\n" + str(error))
            show_error(self, error, self.tr("Không mở được biểu mẫu"))
            return None
        except OSError as error:
            self.header.setText(self.tr("Không đọc được tệp “%1”.").replace("%1", path.name))
            show_error(self, UserError(self.tr("Không đọc được tệp “%1” (%2).").replace("%1", path.name).replace(
                "%2", error.strerror or str(error))), self.tr("Không mở được biểu mẫu"))
            return None
        s = plan.summary()
        self.model.set_rows([(entity_label(e), *[c[o] for o in OUTCOMES]) for e, c in s["counts"].items()])
        for item in s["rejected"]:
            self.rejections.addItem(f"{entity_label(item['entity'])} {item['id']}: {item['reason']}")
        where = self.tr("Biểu mẫu “%1” của %2, năm %3.").replace("%1", path.name).replace("%2", name).replace(
            "%3", str(year))
        if plan.already:
            self.header.setText(where + " " + plan.already)
            return plan
        if not any(a.writes for actions in plan.actions.values() for a in actions):
            self.header.setText(where + " " + self.tr("Không có nội dung mới để nhập (xã chưa điền cột nền vàng "
                                                      "nào, hoặc mọi dòng đều bị từ chối)."))
            return plan
        self.header.setText(where + " " + self.tr("Chưa có gì thay đổi: kiểm tra bảng dưới đây rồi bấm “Áp dụng”."))
        self._previewed = _Previewed(path, unit_id, code, name, year, sha)
        self.apply_button.setEnabled(True)
        return plan

    def apply(self) -> ApplyResult | None:
        """Import the previewed workbook in one transaction; on any refusal nothing changes."""
        p = self._previewed
        if p is None:
            return None
        self._previewed = None
        self.apply_button.setEnabled(False)
        try:
            if _sha256(p.path) != p.sha256:
                raise UserError(self.tr("Tệp biểu mẫu đã thay đổi từ lúc xem trước (có thể vừa được lưu lại trong "
                                        "Excel). Chưa nhập gì; hãy mở lại biểu mẫu để xem trước."))
            user = self._ws.user()
            result = run_with_progress(self, self.tr("Đang nhập biểu mẫu của %1…").replace("%1", p.code),
                                       lambda _say: excel_template().import_template(self._ws, p.path, p.code, p.year, user=user))
        except OSError as error:
            show_error(self, UserError(self.tr("Không đọc được tệp “%1” (%2). Chưa nhập gì.").replace(
                "%1", p.path.name).replace("%2", error.strerror or str(error))), self.tr("Không áp dụng được biểu mẫu"))
            return None
        except UserError as error:
            self.message.setText(str(error))
            show_error(self, error, self.tr("Không áp dụng được biểu mẫu"))
            return None
        done = (self.tr("Đã nhập biểu mẫu “%1” của %2, năm %3.") if result.status == "applied"
                else self.tr("Biểu mẫu “%1” của %2, năm %3 đã được nhập trước đó; lần này không thay đổi gì."))
        self.header.setText(done.replace("%1", p.path.name).replace("%2", p.name).replace(
            "%3", str(p.year)))
        self.message.setText(result.message)
        return result
