"""The Khóa tab: this office's key fingerprint and its slip, and the keys of other offices known here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from ntm_desktop.errors import UserError
from ntm_desktop.services.dates import format_vn_datetime
from ntm_desktop.sync import keys
from ntm_desktop.ui.common import show_error
from ntm_desktop.ui.sync.models import RowsModel


class KeysTab(QWidget):
    HEADERS = ["Mã đơn vị", "Mã khóa", "Trạng thái", "Từ lúc", "Nguồn", "Ghi chú"]

    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self._ws = workspace
        self._rows: list[dict] = []
        layout = QVBoxLayout(self)
        self.own_label = QLabel()
        self.own_label.setWordWrap(True)
        self.own_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.own_label)
        row = QHBoxLayout()
        self.slip_button = QPushButton(self.tr("In phiếu xác nhận khóa (PDF)…"))
        self.slip_button.clicked.connect(self._choose_slip)
        self.new_key_button = QPushButton(self.tr("Tạo khóa mới…"))
        self.new_key_button.clicked.connect(lambda: self.new_key(confirm=True))
        row.addWidget(self.slip_button)
        row.addWidget(self.new_key_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr("Khóa của các đơn vị mà máy này biết (gói ký bằng khóa khác bị từ chối):")))
        self.model = RowsModel([self.tr(h) for h in self.HEADERS], self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().hide()
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.confirm_button = QPushButton(self.tr("Xác nhận khóa đang chờ…"))
        self.confirm_button.clicked.connect(lambda: self.confirm_selected(ask=True))
        self.revoke_button = QPushButton(self.tr("Thu hồi khóa…"))
        self.revoke_button.clicked.connect(lambda: self.revoke_selected(ask=True))
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.revoke_button)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        office, user = self._ws.office_unit_id(), self._ws.user()
        try:
            with self._ws.db.transaction(user) as session:
                mine = keys.own_key(session).fingerprint if office else ""
                rows = [dict(id=r.id, code=r.unit_code, fingerprint=r.fingerprint, status=r.status,
                             since=r.revoked_at or r.confirmed_at or r.created_at, source=r.source, note=r.note)
                        for r in keys.known_keys(session)]
        except UserError as error:
            self.own_label.setText(str(error))
            return
        self.own_label.setText(
            self.tr("Mã khóa của đơn vị này: %1\nĐơn vị nhận gói của ta đối chiếu mã này với phiếu xác nhận khóa.")
            .replace("%1", mine) if mine else self.tr("Máy này chưa có đơn vị sử dụng."))
        self._rows = rows
        self.model.set_rows([(r["code"], r["fingerprint"], self.tr(keys.STATUS_LABELS.get(r["status"], r["status"])),
                              format_vn_datetime(r["since"]), r["source"], r["note"]) for r in rows],
                            [r["id"] for r in rows])

    def _selected(self) -> dict | None:
        chosen = self.view.selectionModel().selectedRows()
        return self._rows[chosen[0].row()] if chosen and chosen[0].row() < len(self._rows) else None

    def _choose_slip(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Lưu phiếu xác nhận khóa"), "phieu-xac-nhan-khoa.pdf",
                                              "PDF (*.pdf)")
        if path:
            self.save_slip(Path(path))

    def save_slip(self, path: Path) -> Path | None:
        from ntm_desktop.reports.key_slip import write_key_slip

        try:
            with self._ws.db.transaction(self._ws.user()) as session:
                return write_key_slip(session, path)
        except UserError as error:
            show_error(self, error)
            return None

    def new_key(self, confirm: bool = True) -> str | None:
        if confirm and QMessageBox.question(self, self.tr("Tạo khóa mới"), self.tr(
                "Tạo khóa mới cho đơn vị này? Gói gửi đi từ nay ký bằng khóa mới, có chữ ký chuyển giao của khóa cũ; "
                "gói nào ký bằng khóa cũ lập sau lúc này sẽ bị từ chối. Hãy in lại phiếu xác nhận khóa và gửi cho "
                "đơn vị cấp trên.")) != QMessageBox.StandardButton.Yes:
            return None
        try:
            user = self._ws.user()
            with self._ws.db.transaction(user) as session:
                fingerprint = keys.rotate(session, user).fingerprint
        except UserError as error:
            show_error(self, error)
            return None
        self.refresh()
        return fingerprint

    def confirm_selected(self, ask: bool = True) -> bool:
        row = self._selected()
        if row is None or row["status"] != "pending":
            QMessageBox.information(self, self.tr("Xác nhận khóa"), self.tr("Hãy chọn một khóa đang “Chờ xác nhận”."))
            return False
        if ask and QMessageBox.question(self, self.tr("Xác nhận khóa"), self.tr(
                "CẢNH BÁO: khóa %1 khác với khóa máy này đang dùng cho %2. Chỉ xác nhận sau khi đã gọi điện cho %2 "
                "theo số điện thoại đã biết và mã khóa trùng với phiếu xác nhận khóa mới nhất của họ. Xác nhận?")
                .replace("%1", row["fingerprint"]).replace("%2", row["code"])) != QMessageBox.StandardButton.Yes:
            return False
        try:
            user = self._ws.user()
            with self._ws.db.transaction(user) as session:
                keys.confirm_pending(session, row["id"], user)
        except UserError as error:
            show_error(self, error)
            return False
        self.refresh()
        return True

    def revoke_selected(self, ask: bool = True) -> bool:
        row = self._selected()
        if row is None:
            QMessageBox.information(self, self.tr("Thu hồi khóa"), self.tr("Hãy chọn một khóa trong danh sách."))
            return False
        if ask and QMessageBox.question(self, self.tr("Thu hồi khóa"), self.tr(
                "Thu hồi khóa %1 của %2 (máy bị mất, khóa bị lộ)? Gói ký bằng khóa này lập từ lúc này sẽ bị từ chối, "
                "và các gói ta gửi đi tiếp theo báo việc thu hồi cho các đơn vị nhận.")
                .replace("%1", row["fingerprint"]).replace("%2", row["code"])) != QMessageBox.StandardButton.Yes:
            return False
        try:
            user = self._ws.user()
            with self._ws.db.transaction(user) as session:
                keys.revoke(session, row["id"], user)
        except UserError as error:
            show_error(self, error)
            return False
        self.refresh()
        return True
