"""First start: which office is this installation? Pick it from the unit tree or create it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QRadioButton, QVBoxLayout,
)

from ntm_desktop.errors import UserError
from ntm_desktop.services import settings, units
from ntm_desktop.ui.common import UnitCombo, show_error
from ntm_desktop.workspace import Workspace


class OfficeDialog(QDialog):
    def __init__(self, workspace: Workspace, parent=None):
        super().__init__(parent)
        self._ws = workspace
        self.setWindowTitle(self.tr("Đơn vị sử dụng phần mềm"))
        with workspace.db.transaction() as session:
            all_units = units.all_units(session)
            levels = [(lv.code, lv.name) for lv in units.levels(session)]
        intro = QLabel(self.tr(
            "Lần đầu sử dụng: hãy cho biết cơ quan, đơn vị đang dùng NTM Desktop trên máy này. "
            "Sổ văn bản đến và số đến được đánh theo đơn vị này."))
        intro.setWordWrap(True)
        self.pick = QRadioButton(self.tr("Chọn trong danh sách đơn vị"))
        self.create_choice = QRadioButton(self.tr("Tạo đơn vị mới"))
        self.existing = UnitCombo(all_units)
        self.code = QLineEdit()
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("Ví dụ: Văn phòng Điều phối nông thôn mới huyện Hàm Yên"))
        self.level = QComboBox()
        for code, name in levels:
            self.level.addItem(name, code)
        self.parent_unit = UnitCombo(all_units, allow_empty=True)
        form = QFormLayout()
        form.addRow(self.pick)
        form.addRow(self.tr("Đơn vị:"), self.existing)
        form.addRow(self.create_choice)
        form.addRow(self.tr("Mã đơn vị:"), self.code)
        form.addRow(self.tr("Tên đơn vị:"), self.name)
        form.addRow(self.tr("Cấp:"), self.level)
        form.addRow(self.tr("Đơn vị cấp trên:"), self.parent_unit)
        (self.pick if all_units else self.create_choice).setChecked(True)
        self.pick.setEnabled(bool(all_units))
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(box)

    def save(self) -> bool:
        try:
            with self._ws.db.transaction(self._ws.user()) as session:
                if self.pick.isChecked():
                    office = self.existing.unit_id()
                    if not office:
                        raise UserError(self.tr("Hãy chọn một đơn vị trong danh sách."))
                else:
                    office = units.create_unit(
                        session, code=self.code.text(), name=self.name.text(),
                        level_code=self.level.currentData(), parent_id=self.parent_unit.unit_id(),
                    )
                settings.put(session, settings.OFFICE_UNIT, office)
        except UserError as error:
            show_error(self, error)
            return False
        self.accept()
        return True
