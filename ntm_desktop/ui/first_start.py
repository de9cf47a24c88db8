"""First start: which office is this installation?

Best: set it up from the full package the office above made for it (its unit tree, directives and tasks
arrive with it). Otherwise: say the office's kind and choose it from the official catalogue of
administrative units (a commune's People's Committee, a provincial department or the province's NTM
coordination office: ui.office_choice), which makes the same units as `ntm-desktop init`
(catalogue.set_up_office); or, for any other body, pick it in the unit tree or create it under its parent.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QMessageBox, QPushButton, QRadioButton, QStackedWidget, QVBoxLayout, QWidget,
)

from ntm_desktop import APP_NAME
from ntm_desktop.catalogue import set_up_office
from ntm_desktop.errors import UserError
from ntm_desktop.services import units
from ntm_desktop.services.dates import format_vn_datetime
from ntm_desktop.services.office import NewUnit, office_levels, set_up_by_hand
from ntm_desktop.sync.apply import entity_label
from ntm_desktop.sync.keys import KeyNotConfirmed
from ntm_desktop.sync.manifest import EXTENSION
from ntm_desktop.sync.setup import SetupOffer, offer, set_up_from_package
from ntm_desktop.ui.background import run_with_progress
from ntm_desktop.ui.common import UnitCombo, show_error
from ntm_desktop.ui.office_choice import CatalogueOfficeForm
from ntm_desktop.ui.sync.key_confirm import ask_to_confirm
from ntm_desktop.workspace import Workspace

BY_HAND = "khac"  # the kind of office typed by hand (not from the catalogue)


class ParentUnitDialog(QDialog):
    """The unit above this office, when the list does not have it yet (a fresh installation)."""

    def __init__(self, levels: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tạo đơn vị cấp trên"))
        self.setMinimumWidth(480)
        self.unit_code = QLineEdit()
        self.unit_code.setPlaceholderText(self.tr("Ví dụ: LC"))
        self.unit_name = QLineEdit()
        self.unit_name.setPlaceholderText(self.tr("Ví dụ: Ủy ban nhân dân tỉnh Lào Cai"))
        self.unit_level = QComboBox()
        for code, name in levels:
            self.unit_level.addItem(name, code)
        self.unit_level.setCurrentIndex(max(self.unit_level.findData("tinh"), 0))
        form = QFormLayout(self)
        note = QLabel(self.tr("Nên dùng đúng mã đơn vị mà cấp trên dùng (hỏi Văn phòng Điều phối cấp tỉnh)."))
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow(self.tr("Mã đơn vị:"), self.unit_code)
        form.addRow(self.tr("Tên đơn vị:"), self.unit_name)
        form.addRow(self.tr("Cấp:"), self.unit_level)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self._check)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def new_unit(self) -> NewUnit:
        return NewUnit(self.unit_code.text().strip(), self.unit_name.text().strip(), self.unit_level.currentData())

    def _check(self) -> None:
        unit = self.new_unit()
        if not unit.code or not unit.name:
            QMessageBox.warning(self, self.windowTitle(), self.tr("Hãy nhập cả mã và tên của đơn vị cấp trên."))
            return
        self.accept()


class OfficeDialog(QDialog):
    def __init__(self, workspace: Workspace, parent=None):
        super().__init__(parent)
        self._ws = workspace
        self._new_parent: NewUnit | None = None
        self._new_parent_label = ""
        self._finished = False  # set up: closing no longer asks whether to quit
        self.setWindowTitle(self.tr("Bắt đầu sử dụng NTM Desktop"))
        with workspace.db.transaction() as session:
            all_units = units.all_units(session)
            self._levels = office_levels(session)
        intro = QLabel(self.tr(
            "Lần đầu sử dụng: hãy cho biết cơ quan, đơn vị dùng NTM Desktop trên máy này. Sổ văn bản đến, "
            "số đến và dữ liệu gửi cấp trên đều theo đơn vị này."))
        intro.setWordWrap(True)

        from_above = QGroupBox(self.tr("Cách 1 (nên dùng): nhận gói dữ liệu từ cấp trên"))
        explain = QLabel(self.tr(
            "Đơn vị cấp trên (ví dụ Văn phòng Điều phối nông thôn mới tỉnh) lập gói “toàn bộ dữ liệu” cho đơn vị "
            "mình trong mục Trao đổi dữ liệu → Gửi, rồi chép qua USB hoặc gửi qua thư điện tử (tệp %1). Máy này "
            "nhận từ gói danh mục đơn vị, văn bản và nhiệm vụ cấp trên giao.").replace("%1", EXTENSION))
        explain.setWordWrap(True)
        self.from_package = QPushButton(self.tr("&Nhận gói dữ liệu từ cấp trên…"))
        self.from_package.setAutoDefault(False)
        self.from_package.clicked.connect(self.choose_package)
        column = QVBoxLayout(from_above)
        column.addWidget(explain)
        row = QHBoxLayout()
        row.addWidget(self.from_package)
        row.addStretch(1)
        column.addLayout(row)

        declare = QGroupBox(self.tr("Cách 2: khai báo cơ quan"))
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Ủy ban nhân dân xã, phường, đặc khu"), "xa")
        self.kind.addItem(self.tr("Sở, ban, ngành của tỉnh"), "so")
        self.kind.addItem(self.tr("Văn phòng Điều phối nông thôn mới tỉnh"), "vpdp")
        self.kind.addItem(self.tr("Cơ quan, đơn vị khác (tự khai báo)"), BY_HAND)
        self._catalogue_error = ""
        try:
            self.catalogue: CatalogueOfficeForm | None = CatalogueOfficeForm()
            self.catalogue.chosen.connect(self._chosen)
            catalogue_page: QWidget = self.catalogue
        except UserError as error:  # the shipped file damaged: the package and "khác" still work
            self.catalogue = None
            self._catalogue_error = str(error)
            catalogue_page = QLabel(self._catalogue_error + "\n\n" + self.tr(
                "Trong lúc chờ cài lại: nhận gói dữ liệu từ cấp trên, hoặc chọn loại “Cơ quan, đơn vị khác” để tự "
                "khai báo đơn vị."))
            catalogue_page.setWordWrap(True)

        by_hand = QWidget()
        self.pick = QRadioButton(self.tr("Chọn trong danh sách đơn vị"))
        self.create_new = QRadioButton(self.tr("Tạo đơn vị mới"))
        self.existing = UnitCombo(all_units)
        self.unit_code = QLineEdit()
        self.unit_code.setPlaceholderText(self.tr("Ví dụ: LC-XHOPTHANH (nên dùng đúng mã cấp trên dùng)"))
        self.unit_name = QLineEdit()
        self.unit_name.setPlaceholderText(self.tr("Ví dụ: Ủy ban nhân dân xã Hợp Thành"))
        self.unit_level = QComboBox()
        for code, name in self._levels:
            self.unit_level.addItem(name, code)
        self.parent_unit = UnitCombo(all_units, allow_empty=True)
        self.parent_unit.lineEdit().setPlaceholderText(self.tr("Ví dụ: Ủy ban nhân dân tỉnh Lào Cai"))
        self.new_parent_button = QPushButton(self.tr("Tạo đơn vị cấp trên…"))
        self.new_parent_button.setAutoDefault(False)
        self.new_parent_button.clicked.connect(self.create_parent)
        parent_row = QHBoxLayout()
        parent_row.addWidget(self.parent_unit, 1)
        parent_row.addWidget(self.new_parent_button)
        form = QFormLayout(by_hand)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.pick)
        form.addRow(self.tr("Đơn vị:"), self.existing)
        form.addRow(self.create_new)
        form.addRow(self.tr("Mã đơn vị:"), self.unit_code)
        form.addRow(self.tr("Tên đơn vị:"), self.unit_name)
        form.addRow(self.tr("Cấp:"), self.unit_level)
        form.addRow(self.tr("Đơn vị cấp trên:"), parent_row)
        (self.pick if all_units else self.create_new).setChecked(True)
        if not all_units:  # a new installation: nothing to pick from
            form.setRowVisible(self.pick, False)
            form.setRowVisible(self.existing, False)
        self.pick.toggled.connect(self._sync_enabled)
        self._sync_enabled()

        self.pages = QStackedWidget()
        self.pages.addWidget(catalogue_page)
        self.pages.addWidget(by_hand)
        kind_form = QFormLayout()
        kind_form.addRow(self.tr("&Loại cơ quan:"), self.kind)
        column = QVBoxLayout(declare)
        column.addLayout(kind_form)
        column.addWidget(self.pages)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        # A tree already holding units (made here before) is most likely where the office is.
        self.kind.setCurrentIndex(self.kind.findData(BY_HAND if all_units or self.catalogue is None else "xa"))
        self._kind_changed()

        box = QDialogButtonBox()
        self.start_button = box.addButton(self.tr("Bắt đầu sử dụng"), QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Thoát"), QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(from_above)
        layout.addWidget(declare)
        layout.addWidget(box)
        self.resize(720, self.sizeHint().height())

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        if kind == BY_HAND:
            self.pages.setCurrentIndex(1)
        else:
            self.pages.setCurrentIndex(0)
            if self.catalogue is not None:
                self.catalogue.set_kind(kind)

    def _chosen(self) -> None:
        """A unit chosen with Enter: on to the department's name, or to the button that starts."""
        if self.catalogue.kind == "so" and not self.catalogue.name.text().strip():
            self.catalogue.name.setFocus()
        else:
            self.start_button.setFocus()

    def _sync_enabled(self) -> None:
        by_list = self.pick.isChecked()
        self.existing.setEnabled(by_list)
        for widget in (self.unit_code, self.unit_name, self.unit_level, self.parent_unit, self.new_parent_button):
            widget.setEnabled(not by_list)

    # --- Cách 1: from the package of the office above -------------------------------------------------------------

    def choose_package(self) -> bool:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Chọn gói dữ liệu cấp trên gửi"), "",
                                              self.tr("Gói dữ liệu NTM (*%1)").replace("%1", EXTENSION))
        return bool(path) and self.set_up_from(Path(path))

    def set_up_from(self, path: Path) -> bool:
        title = self.tr("Nhận gói dữ liệu từ cấp trên")
        reading = self.tr("Đang đọc và kiểm tra gói “%1”…").replace("%1", path.name)
        confirmed = None
        try:
            try:
                seen = run_with_progress(self, reading, lambda _say: offer(self._ws, path))
            except KeyNotConfirmed as refusal:  # the office above's key: compared with its printed key slip
                confirmed = ask_to_confirm(self, refusal)
                if confirmed is None:
                    return False
                seen = run_with_progress(self, reading, lambda _say: offer(self._ws, path, confirmed))
        except UserError as error:
            show_error(self, error, self.tr("Không dùng được gói này"))
            return False
        if QMessageBox.question(self, title, self._offer_text(seen)) != QMessageBox.StandardButton.Yes:
            return False
        try:
            run_with_progress(self, self.tr("Đang nhận dữ liệu từ gói “%1”…").replace("%1", path.name),
                              lambda _say: set_up_from_package(self._ws, path, confirmed_key=confirmed))
        except UserError as error:
            show_error(self, error, self.tr("Chưa nhận được gói"))
            return False
        QMessageBox.information(self, title, self.tr(
            "Đã cài đặt máy này là đơn vị “%1” và nhận dữ liệu từ %2. Từ nay, gói cấp trên gửi tiếp được nhận ở "
            "mục Trao đổi dữ liệu → Nhận; báo cáo tiến độ gửi lên ở mục Trao đổi dữ liệu → Gửi.")
            .replace("%1", seen.office_label()).replace("%2", seen.origin_label()))
        self._finished = True
        self.accept()
        return True

    def _offer_text(self, seen: SetupOffer) -> str:
        counts = "; ".join(f"{entity_label(e)}: {n}" for e, n in seen.counts.items() if n)
        text = (self.tr("Gói “toàn bộ dữ liệu” do %1 lập lúc %2, dành cho đơn vị:")
                .replace("%1", seen.origin_label()).replace("%2", format_vn_datetime(seen.created_utc)))
        text += f"\n\n{seen.office_label()}\n\n" + self.tr("Gói mang: %1.").replace("%1", counts)
        if seen.fingerprint:
            text += "\n\n" + self.tr("Gói được ký bằng khóa có mã %1 (đã đối chiếu).").replace("%1", seen.fingerprint)
        for note in seen.notes:
            text += "\n\n" + note
        return text + "\n\n" + self.tr("Cài đặt máy này là đơn vị trên và nhận dữ liệu này?")

    # --- Cách 2: by hand ------------------------------------------------------------------------------------------

    def create_parent(self) -> None:
        dialog = ParentUnitDialog(self._levels, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._new_parent = dialog.new_unit()
        self._new_parent_label = (self.tr("%1 (tạo mới, mã %2)").replace("%1", self._new_parent.name)
                                  .replace("%2", self._new_parent.code))
        self.parent_unit.set_proposed(self._new_parent_label, self.tr("Được tạo cùng lúc với đơn vị của máy này."))

    def _parent_choice(self) -> tuple[str | None, NewUnit | None]:
        if self._new_parent and self.parent_unit.currentText() == self._new_parent_label:
            return None, self._new_parent
        chosen = self.parent_unit.unit_id()
        if chosen is None and self.parent_unit.currentText().strip():
            raise UserError(self.tr("Không có đơn vị cấp trên “%1” trong danh sách. Hãy chọn trong danh sách, "
                                    "hoặc bấm “Tạo đơn vị cấp trên…”.").replace("%1", self.parent_unit.currentText()))
        return chosen, None

    def save(self) -> bool:
        try:
            if self.kind.currentData() != BY_HAND:
                self._set_up_from_catalogue()
            else:
                self._set_up_by_hand()
        except UserError as error:
            show_error(self, error, self.tr("Chưa cài đặt được"))
            return False
        self._finished = True
        self.accept()
        return True

    def _set_up_from_catalogue(self) -> None:
        """The same as `ntm-desktop init`: every check first, then the units in one transaction."""
        if self.catalogue is None:
            raise UserError(self._catalogue_error)
        missing = self.catalogue.missing()
        if missing:
            raise UserError(missing)
        choice = self.catalogue.choice()
        self.catalogue.plan()  # a commune of another province: refused before anything is written
        with self._ws.db.transaction(self._ws.user()) as session:
            set_up_office(session, choice)

    def _set_up_by_hand(self) -> None:
        with self._ws.db.transaction(self._ws.user()) as session:
            if self.pick.isChecked():
                if not self.existing.unit_id():
                    raise UserError(self.tr("Hãy chọn một đơn vị trong danh sách."))
                set_up_by_hand(session, unit_id=self.existing.unit_id())
            else:
                parent_id, new_parent = self._parent_choice()
                office = NewUnit(self.unit_code.text(), self.unit_name.text(), self.unit_level.currentData())
                set_up_by_hand(session, office=office, parent_id=parent_id, new_parent=new_parent)

    def reject(self) -> None:
        """Esc, "Thoát" or the window's close button: say that the app cannot start without its office."""
        if not self._finished:
            answer = QMessageBox.question(self, APP_NAME, self.tr(
                "Thoát phần mềm?\n\nNTM Desktop cần biết đơn vị sử dụng trước khi làm việc, nên sẽ đóng lại nếu "
                "chưa chọn. Chưa có gì được lưu; lần mở sau phần mềm sẽ hỏi lại.\n\nChọn “Không” để quay lại "
                "nhận gói dữ liệu từ cấp trên hoặc khai báo đơn vị."))
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()
