"""The clerk compares a sender's key fingerprint with its key slip and confirms it, as a person does."""

from __future__ import annotations

from PySide6.QtCore import Qt

from typing_helpers import focus, press


def confirm_key(dialog, fingerprint: str | None = None) -> None:
    """In the key dialog: the fingerprint is shown in its 8 groups; tick "cả 8 nhóm trùng khớp", then confirm."""
    from ntm_desktop.ui.sync.key_confirm import KeyConfirmDialog

    assert isinstance(dialog, KeyConfirmDialog), type(dialog)
    shown = dialog.fingerprint_label.text().split()
    assert len(shown) == 8 and all(len(group) == 4 for group in shown)
    if fingerprint is not None:
        assert shown == fingerprint.split()
    assert not dialog.confirm_button.isEnabled()  # nothing is confirmed without the tick
    focus(dialog.matches)
    press(Qt.Key.Key_Space, dialog.matches)
    assert dialog.confirm_button.isEnabled()
    dialog.confirm_button.click()
