"""Ask the clerk to compare a sender's key fingerprint with the sender's printed key slip.

Shown when a package is signed by a key this installation does not know for its sender: the first package
from an office (the one that sets up a new installation too), or a key that differs from the known one (then
with a warning). Nothing of the package has been read yet; only a confirmed fingerprint lets it be opened.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from ntm_desktop.sync.keys import KeyNotConfirmed


def _groups(fingerprint: str) -> str:
    parts = fingerprint.split()
    return "   ".join(parts[:4]) + "\n" + "   ".join(parts[4:])


class KeyConfirmDialog(QDialog):
    def __init__(self, refusal: KeyNotConfirmed, parent: QWidget | None = None):
        super().__init__(parent)
        self._fingerprint = refusal.fingerprint
        self.setWindowTitle(self.tr("Đối chiếu mã khóa của đơn vị gửi"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        if refusal.changed:
            warning = QLabel(self.tr(
                "CẢNH BÁO: gói ghi là của %1 nhưng được ký bằng một khóa KHÁC với khóa máy này đã biết của đơn vị "
                "đó (khóa đã biết: %2). Có thể gói bị giả mạo. Chỉ xác nhận khi đã gọi điện cho đơn vị gửi theo số "
                "điện thoại đã biết và mã khóa dưới đây trùng với phiếu xác nhận khóa mới nhất của họ.")
                .replace("%1", refusal.origin_label).replace("%2", ", ".join(refusal.known)))
            warning.setWordWrap(True)
            warning.setStyleSheet("QLabel { color: #a40000; font-weight: bold; border: 1px solid #a40000; "
                                  "padding: 6px; }")
            layout.addWidget(warning)
            self.warning_label = warning
        else:
            self.warning_label = None
        intro = QLabel(self.tr(
            "Gói ghi là của %1. Máy này chưa biết khóa ký của đơn vị đó, nên chưa đọc gì trong gói. Hãy đối chiếu "
            "mã khóa dưới đây với “Phiếu xác nhận khóa” do %2 in ra (hoặc gọi điện để cán bộ %2 đọc mã khóa), "
            "từng nhóm 4 ký tự:").replace("%1", refusal.origin_label).replace("%2", refusal.origin_code))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.fingerprint_label = QLabel(_groups(refusal.fingerprint))
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(max(font.pointSize(), 10) + 8)
        font.setWeight(QFont.Weight.Bold)
        self.fingerprint_label.setFont(font)
        self.fingerprint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_label.setStyleSheet("QLabel { padding: 12px; background: #f4f4f4; }")
        layout.addWidget(self.fingerprint_label)
        self.matches = QCheckBox(self.tr("Tôi đã đối chiếu: cả 8 nhóm trùng khớp với phiếu xác nhận khóa của %1")
                                 .replace("%1", refusal.origin_code))
        layout.addWidget(self.matches)
        note = QLabel(self.tr("Nếu có nhóm nào khác, bấm “Không nhập gói” và báo cho đơn vị gửi: gói có thể đã bị "
                              "giả mạo."))
        note.setWordWrap(True)
        layout.addWidget(note)
        box = QDialogButtonBox()
        self.confirm_button = QPushButton(self.tr("Xác nhận khóa"))
        self.confirm_button.setEnabled(False)
        box.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = box.addButton(self.tr("Không nhập gói"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setDefault(True)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        self.matches.toggled.connect(self.confirm_button.setEnabled)
        layout.addWidget(box)

    def confirmed_fingerprint(self) -> str:
        return self._fingerprint


def ask_to_confirm(parent: QWidget | None, refusal: KeyNotConfirmed) -> str | None:
    """The fingerprint when the clerk confirms it against the key slip, None otherwise."""
    dialog = KeyConfirmDialog(refusal, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.matches.isChecked():
        return dialog.confirmed_fingerprint()
    return None
