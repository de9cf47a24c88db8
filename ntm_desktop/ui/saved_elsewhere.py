"""The message a form shows when its record was saved on another PC since it was opened (nothing was written).

It says what changed (services.concurrency builds the text) and offers two ways on: load the newest version,
or keep what was typed on screen (to copy it first; saving again is refused until the form is reloaded).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from ntm_desktop.services.concurrency import RecordChangedError


def _tr(text: str) -> str:
    return QCoreApplication.translate("saved_elsewhere", text)


def offer_reload(parent: QWidget, error: RecordChangedError) -> bool:
    """Show the refusal; True when the officer chose to load the newest version."""
    headline, _, rest = str(error).partition("\n")
    box = QMessageBox(QMessageBox.Icon.Warning, _tr("Đã có người lưu trước"), headline,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("saved_elsewhere")
    box.setInformativeText(rest)  # what changed, then what to do
    # wide enough that each change reads on one line where it fits
    box.setStyleSheet("QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel { min-width: 560px; }")
    reload = box.addButton(_tr("Tải lại bản mới nhất"), QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton(_tr("Giữ nội dung đang nhập"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is reload
