"""The commune profile: set, region or group and planned year for a year; recognitions; history."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton, QSpinBox,
    QVBoxLayout,
)

from ntm_desktop.services import units
from ntm_desktop.services.criteria import catalogue, history, profiles
from ntm_desktop.services.criteria.statuses import COMMUNE_LEVELS, RECOGNITION_LABELS
from ntm_desktop.ui import roles
from ntm_desktop.ui.common import DateEdit, UnitCombo, guarded, vn_date


class ProfileDialog(QDialog):
    def __init__(self, workspace, unit_id: str | None, year: int, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.year = year
        self.setWindowTitle(self.tr("Hồ sơ xã — năm {0}").format(year))
        self.resize(760, 640)
        with workspace.db.transaction() as session:
            communes = [u for u in units.all_units(session) if u.level_code in COMMUNE_LEVELS]
            self.sets = [r for r in catalogue.set_rows(session)
                         if (r.period_start or 0) <= year <= (r.period_end or 9999)]
        self.commune = UnitCombo(communes)
        self.commune.set_unit_id(unit_id)
        self.commune.currentIndexChanged.connect(lambda _i: self.load())
        self.criteria_set = QComboBox()
        for row in self.sets:
            self.criteria_set.addItem(row.label, row.id)
        self.criteria_set.currentIndexChanged.connect(lambda _i: self._fill_keys())
        self.target_key = QComboBox()
        self.target_help = QLabel()
        self.target_help.setWordWrap(True)
        self.planned = QSpinBox()
        self.planned.setRange(0, 2100)
        self.planned.setSpecialValueText(self.tr("(chưa có)"))
        self.note = QLineEdit()
        self.save_button = save = QPushButton(self.tr("Lưu hồ sơ năm {0}").format(year))
        save.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow(self.tr("Xã:"), self.commune)
        form.addRow(self.tr("Bộ tiêu chí:"), self.criteria_set)
        form.addRow(self.tr("Vùng / nhóm xã:"), self.target_key)
        form.addRow("", self.target_help)
        form.addRow(self.tr("Năm kế hoạch đạt chuẩn:"), self.planned)
        form.addRow(self.tr("Ghi chú:"), self.note)
        form.addRow("", save)

        self.recognitions = QListWidget()
        self.level = QComboBox()
        for code, label in RECOGNITION_LABELS.items():
            self.level.addItem(self.tr(label), code)
        self.decision_number = QLineEdit()
        self.decision_number.setPlaceholderText(self.tr("Số quyết định, ví dụ 1856/QĐ-UBND"))
        self.decision_date = DateEdit(date.today())
        self.add_button = add = QPushButton(self.tr("Thêm quyết định công nhận"))
        add.clicked.connect(self.add_recognition)
        self.revoked_number = QLineEdit()
        self.revoked_number.setPlaceholderText(self.tr("Số quyết định thu hồi"))
        self.revoked_date = DateEdit(date.today())
        self.revoke_button = revoke = QPushButton(self.tr("Thu hồi quyết định đang chọn"))
        revoke.clicked.connect(self.revoke)
        add_row, revoke_row = QHBoxLayout(), QHBoxLayout()
        for widget in (self.level, self.decision_number, self.decision_date, add):
            add_row.addWidget(widget)
        for widget in (self.revoked_number, self.revoked_date, revoke):
            revoke_row.addWidget(widget)
        box = QGroupBox(self.tr("Quyết định công nhận"))
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.recognitions)
        box_layout.addLayout(add_row)
        box_layout.addLayout(revoke_row)

        self.history = QLabel()
        self.history.setWordWrap(True)
        history_box = QGroupBox(self.tr("Kết quả các năm (cả các xã đã sáp nhập vào xã này)"))
        QVBoxLayout(history_box).addWidget(self.history)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(box, 1)
        layout.addWidget(history_box)
        layout.addWidget(close)
        roles.fit_profile_dialog(workspace, self)
        self.load()

    def _fill_keys(self, keep: str = "") -> None:
        self.target_key.clear()
        self.target_key.addItem("", "")
        with self.workspace.db.transaction() as session:
            set_id = self.criteria_set.currentData()
            chosen = catalogue.get_set(session, set_id) if set_id else None
            keys = chosen.target_keys if chosen is not None else []
            varies = chosen.targets_vary_by if chosen is not None else ""
        self.target_help.setText(self.tr("Mức chỉ tiêu khác nhau theo {0}.").format(varies) if varies else "")
        for key in keys:
            self.target_key.addItem(key, key)
        self.target_key.setCurrentIndex(max(self.target_key.findData(keep), 0))

    def load(self) -> None:
        unit_id = self.commune.unit_id()
        self.recognitions.clear()
        if not unit_id:
            self._fill_keys()
            self.history.setText("")
            return
        with self.workspace.db.transaction() as session:
            profile = profiles.get_profile(session, unit_id, self.year)
            found = profiles.recognitions(session, [unit_id])
            past = history.commune_history(session, unit_id)
        if profile is not None:
            self.criteria_set.setCurrentIndex(max(self.criteria_set.findData(profile.set_id), 0))
        self._fill_keys(profile.target_key if profile else "")
        self.planned.setValue(profile.planned_year or 0 if profile else 0)
        self.note.setText(profile.note if profile else "")
        self._recognition_ids = []
        for row in found:
            text = f"{row.label}: {row.decision_number} ngày {vn_date(row.decision_date)}"
            if row.set_name:
                text += self.tr(" — theo {0}").format(row.set_name)
            if row.revoked_date:
                text += self.tr(" — đã thu hồi: {0} ngày {1}").format(row.revoked_number, vn_date(row.revoked_date))
            self.recognitions.addItem(text)
            self._recognition_ids.append(row.id)
        lines = [f"{r.year}: {r.unit_name} đạt {r.result}" + (self.tr(" (một phần, nay thuộc đơn vị này)") if r.part else "")
                 for r in past.results]
        names = {r.unit_id: r.unit_name for r in past.results}
        lines += [f"{names.get(r.unit_id, '')} — {r.label}: {r.decision_number} ({vn_date(r.decision_date)})"
                  for r in past.recognitions if r.unit_id != unit_id]
        self.history.setText("\n".join(lines) or self.tr("Chưa có kết quả đánh giá."))

    def save(self) -> bool:
        unit_id = self.commune.unit_id()

        def write():
            with self.workspace.db.transaction(self.workspace.user()) as session:
                profiles.save_profile(session, unit_id, self.year, self.criteria_set.currentData(),
                                      self.target_key.currentData() or "", self.planned.value() or None,
                                      self.note.text())
        if not unit_id:
            return False
        ok = guarded(self, write)
        if ok:
            self.load()
        return ok

    def add_recognition(self) -> bool:
        unit_id = self.commune.unit_id()

        def write():
            with self.workspace.db.transaction(self.workspace.user()) as session:
                profiles.add_recognition(session, unit_id, self.level.currentData(), self.decision_number.text(),
                                         self.decision_date.value())
        ok = bool(unit_id) and guarded(self, write)
        if ok:
            self.decision_number.clear()
            self.load()
        return ok

    def revoke(self) -> bool:
        row = self.recognitions.currentRow()
        if row < 0:
            return False

        def write():
            with self.workspace.db.transaction(self.workspace.user()) as session:
                profiles.revoke_recognition(session, self._recognition_ids[row], self.revoked_number.text(),
                                            self.revoked_date.value())
        ok = guarded(self, write)
        if ok:
            self.load()
        return ok
