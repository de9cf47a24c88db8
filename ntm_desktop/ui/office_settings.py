"""Dialog: the office as printed on reports (header, place, signature, "Nơi nhận")."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget,
)

from ntm_desktop.errors import UserError, ValidationError
from ntm_desktop.services.office import OfficeProfile, default_profile, load_profile, save_profile
from ntm_desktop.ui.common import show_error


class OfficeSettingsDialog(QDialog):
    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle(self.tr("Thông tin cơ quan trên báo cáo"))
        self.setMinimumWidth(560)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, label, hint in (
            ("parent_name", self.tr("Cơ quan chủ quản"), self.tr("ví dụ: UBND tỉnh Lào Cai")),
            ("office_name", self.tr("Cơ quan ban hành"), self.tr("ví dụ: Văn phòng Điều phối nông thôn mới tỉnh")),
            ("report_symbol", self.tr("Ký hiệu báo cáo"), self.tr("ví dụ: BC-VPĐP")),
            ("place_name", self.tr("Địa danh"), self.tr("ví dụ: Lào Cai")),
            ("signing_form", self.tr("Thẩm quyền ký"), self.tr("ví dụ: KT. CHÁNH VĂN PHÒNG (để trống nếu thủ trưởng ký)")),
            ("signer_title", self.tr("Chức vụ người ký"), self.tr("ví dụ: PHÓ CHÁNH VĂN PHÒNG")),
            ("signer_name", self.tr("Họ và tên người ký"), ""),
            ("archive_line", self.tr("Dòng lưu"), self.tr("ví dụ: Lưu: VT, TH.")),
        ):
            edit = QLineEdit()
            edit.setPlaceholderText(hint)
            edit.setObjectName(key)
            self.fields[key] = edit
            form.addRow(label, edit)
        self.recipients = QPlainTextEdit()
        self.recipients.setObjectName("recipients")
        self.recipients.setPlaceholderText(self.tr("Mỗi dòng một nơi nhận, ví dụ: UBND tỉnh (để b/c)"))
        self.recipients.setFixedHeight(90)
        form.addRow(self.tr("Nơi nhận"), self.recipients)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Lưu"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        self.reset_button = buttons.addButton(self.tr("Lấy lại mặc định"), QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.reset_button.clicked.connect(self.reset_defaults)
        layout = QVBoxLayout(self)
        note = QLabel(self.tr("Các thông tin này in ở phần đầu, phần chữ ký và “Nơi nhận” của báo cáo."))
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)
        with workspace.db.transaction() as session:
            self.show_profile(load_profile(session))

    def show_profile(self, profile: OfficeProfile) -> None:
        for key, edit in self.fields.items():
            edit.setText(getattr(profile, key))
        self.recipients.setPlainText("\n".join(profile.recipients))

    def profile(self) -> OfficeProfile:
        values = {key: edit.text() for key, edit in self.fields.items()}
        lines = tuple(line for line in self.recipients.toPlainText().splitlines() if line.strip())
        return OfficeProfile(recipients=lines, **values)

    def reset_defaults(self) -> None:
        with self.workspace.db.transaction() as session:
            self.show_profile(default_profile(session))

    def save(self) -> None:
        try:
            with self.workspace.db.transaction(self.workspace.user()) as session:
                save_profile(session, self.profile())
        except ValidationError as error:
            show_error(self, error)
            if error.field in self.fields:
                self.fields[error.field].setFocus()
            return
        except UserError as error:
            show_error(self, error)
            return
        self.accept()
