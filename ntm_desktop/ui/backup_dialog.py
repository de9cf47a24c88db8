"""Sao lưu và khôi phục: back up now, the list of backups, restore, the extra folder, a full check."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ntm_desktop import APP_NAME
from ntm_desktop.backup import (
    BACKUP_SUFFIX,
    BackupInfo,
    BackupKind,
    create_backup,
    extra_folder,
    list_backups,
    restore_backup,
    set_extra_folder,
)
from ntm_desktop.backup.office_check import OtherOfficeError
from ntm_desktop.backup.progress import BackupCancelled
from ntm_desktop.db import open_database
from ntm_desktop.errors import UserError
from ntm_desktop.services import access
from ntm_desktop.safety import check_integrity, newest_good_backup
from ntm_desktop.ui.background import run_cancellable, run_with_progress

log = logging.getLogger(__name__)


def _size_text(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, size // 1024)} KB"


class BackupTableModel(QAbstractTableModel):
    HEADERS = ("Thời điểm", "Loại", "Số liệu", "Dung lượng", "Tệp")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[BackupInfo] = []

    def set_backups(self, rows: list[BackupInfo]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def backup(self, row: int) -> BackupInfo:
        return self._rows[row]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.HEADERS):
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        b = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                b.created_at.strftime("%d/%m/%Y %H:%M"),
                b.kind_label(),
                b.counts_text(),
                _size_text(b.size),
                b.path.name,
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(b.path)
        return None


class BackupDialog(QDialog):
    """`restored` fires after a restore: the database was reopened, every screen must refresh."""

    restored = Signal()

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle(self.tr("Sao lưu và khôi phục dữ liệu"))
        self.resize(860, 460)
        self.model = BackupTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.restore_selected())

        self.on_server = bool(getattr(workspace, "on_server", False))
        if self.on_server:
            from ntm_desktop.server.urls import label

            intro = QLabel(self.tr(
                "Dữ liệu của văn phòng ở máy chủ {0}. “Sao lưu ngay” sao lưu cả cơ sở dữ liệu trên máy chủ (bằng "
                "pg_dump nếu máy này có, nếu không thì bằng bản xuất riêng của NTM Desktop) vào thư mục sao lưu "
                "của máy này; khôi phục thay dữ liệu trên máy chủ cho mọi máy của văn phòng."
            ).format(label(workspace.db.url)))
        else:
            intro = QLabel(self.tr(
                "Phần mềm tự sao lưu mỗi ngày khi mở lần đầu, giữ 7 bản hằng ngày, 4 bản hằng tuần và 12 bản hằng "
                "tháng. Nên chọn thêm một thư mục sao lưu trên USB hoặc ổ đĩa khác."
            ))
        intro.setWordWrap(True)
        self.intro = intro
        self.extra_label = QLabel()
        self.extra_label.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.backup_button = QPushButton(self.tr("Sao lưu ngay"))
        self.restore_button = QPushButton(self.tr("Khôi phục…"))
        self.restore_file_button = QPushButton(self.tr("Khôi phục từ tệp khác…"))
        self.extra_button = QPushButton(self.tr("Chọn thư mục sao lưu thêm…"))
        self.check_button = QPushButton(self.tr("Kiểm tra toàn bộ dữ liệu"))
        close_button = QPushButton(self.tr("Đóng"))
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.extra_button.clicked.connect(self.choose_extra_folder)
        self.check_button.clicked.connect(self.full_check)
        close_button.clicked.connect(self.accept)

        actions = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.restore_file_button):
            actions.addWidget(button)
        actions.addStretch(1)
        extra_row = QHBoxLayout()
        extra_row.addWidget(self.extra_label, 1)
        extra_row.addWidget(self.extra_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.check_button)
        bottom.addStretch(1)
        bottom.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(extra_row)
        layout.addLayout(bottom)
        if self.on_server:  # the extra folder and the file's integrity check are the SQLite file's
            for widget in (self.extra_label, self.extra_button, self.check_button):
                widget.hide()
        self.refresh()

    @property
    def folder(self):
        return self.workspace.folder

    def refresh(self) -> None:
        if self.on_server:
            from ntm_desktop.server.backup import list_server_backups

            self.model.set_backups(list_server_backups(self.folder.backups))
        else:
            self.model.set_backups(list_backups(self.folder.backups))
        if self.model.rowCount():
            self.table.selectRow(0)
        self.table.resizeColumnsToContents()
        extra = extra_folder(self.folder.root)
        self.extra_label.setText(
            self.tr("Thư mục sao lưu thêm: %1").replace("%1", str(extra)) if extra
            else self.tr("Chưa chọn thư mục sao lưu thêm (ví dụ trên USB).")
        )
        self.restore_button.setEnabled(self.model.rowCount() > 0)

    def selected_backup(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.backup(rows[0].row()) if rows else None

    def _busy(self, on: bool) -> None:
        if on:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QGuiApplication.restoreOverrideCursor()

    def _error(self, error: Exception) -> None:
        QMessageBox.warning(self, APP_NAME, str(error))

    @Slot()
    def backup_now(self) -> None:
        """Back up with a progress bar; "Hủy" (or Esc) stops it and leaves no new backup behind."""
        if self.on_server:
            self.backup_server_now()
            return
        try:
            result = run_cancellable(self, self.tr("Đang sao lưu dữ liệu…"),
                                     lambda report: create_backup(self.folder, BackupKind.MANUAL, progress=report,
                                                                   db=self.workspace.db))
        except BackupCancelled:
            self.status.setText(self.tr(
                "Đã hủy sao lưu: không có bản sao lưu mới, các bản sao lưu trước vẫn giữ nguyên."))
            self.refresh()
            return
        except UserError as error:
            self._error(error)
            return
        text = self.tr("Đã sao lưu lúc %1 (%2).").replace("%1", result.info.created_at.strftime("%d/%m/%Y %H:%M")).replace(
            "%2", result.info.counts_text())
        if result.copies:
            text += " " + self.tr("Đã chép thêm vào: %1.").replace("%1", ", ".join(str(p.parent) for p in result.copies))
        if result.warnings:
            text += "\n" + "\n".join(result.warnings)
        self.status.setText(text)
        self.refresh()

    # --- the office's server (server.backup) -------------------------------------------------------------
    def backup_server_now(self) -> None:
        """The office's server backed up by the same backup as every other (backup.store.create_backup)."""
        def work(_say):
            # the address with the password typed at start, kept in memory (the open database's)
            return create_backup(self.folder, BackupKind.MANUAL, db=self.workspace.db)

        try:
            result = run_with_progress(self, self.tr("Đang sao lưu dữ liệu trên máy chủ…"), work)
        except (UserError, OSError) as error:
            self._error(error)
            return
        made = result.server
        text = self.tr("Đã sao lưu dữ liệu trên máy chủ ({0}) vào “{1}”.").format(made.method_label(),
                                                                                  made.path.name)
        if made.note:
            text += " " + made.note
        if result.copies:
            text += " " + self.tr("Đã chép thêm vào: %1.").replace("%1", ", ".join(str(p.parent) for p in result.copies))
        if result.warnings:
            text += "\n" + "\n".join(result.warnings)
        self.status.setText(text)
        self.refresh()

    def _restore_server(self, path: Path) -> bool:
        from ntm_desktop.server.backup import restore_server

        url = self.workspace.db.url

        def work(_say):
            access.require_on(self.workspace.db, access.Permission.BACKUPS)
            return restore_server(url, path, backup_folder=self.folder.backups)

        self._busy(True)
        try:
            done = run_with_progress(self, self.tr("Đang khôi phục “%1” lên máy chủ…").replace("%1", Path(path).name),
                                     work)
        except (UserError, OSError) as error:
            self._busy(False)
            self._error(error)
            return False
        self.workspace.db.engine.dispose()  # the tables were replaced: fresh connections from now on
        self._busy(False)
        text = self.tr("Đã khôi phục dữ liệu trên máy chủ từ “%1”; mọi máy của văn phòng thấy dữ liệu này.").replace(
            "%1", Path(path).name)
        if done.safety_backup is not None:
            text += " " + self.tr("Dữ liệu có trên máy chủ ngay trước đó đã được sao lưu vào “%1”.").replace(
                "%1", done.safety_backup.path.name)
        self.status.setText(text)
        self.refresh()
        self.restored.emit()
        return True

    @Slot()
    def restore_selected(self) -> None:
        info = self.selected_backup()
        if info is None:
            return
        if self.on_server:
            question = self.tr(
                "Khôi phục dữ liệu trên máy chủ về bản sao lưu lúc %1?\n\n%2\n\nMọi máy của văn phòng sẽ làm việc "
                "trên dữ liệu này. Dữ liệu đang có trên máy chủ được sao lưu trước, nên có thể quay lại nếu chọn nhầm.")
        else:
            question = self.tr(
                "Khôi phục dữ liệu về bản sao lưu lúc %1?\n\n%2\n\nDữ liệu hiện tại sẽ được sao lưu trước "
                "(bản “Trước khi khôi phục”), nên có thể quay lại nếu chọn nhầm.")
        question = question.replace("%1", info.created_at.strftime("%d/%m/%Y %H:%M")).replace("%2", info.counts_text())
        if self._confirm(question):
            self.restore(info.path)

    @Slot()
    def restore_from_file(self) -> None:
        if self.on_server:
            from ntm_desktop.server.backup import DUMP_SUFFIX, EXPORT_SUFFIX

            kinds = self.tr("Bản sao lưu máy chủ (*%1 *%2);;Tất cả các tệp (*)").replace("%1", DUMP_SUFFIX).replace(
                "%2", EXPORT_SUFFIX)
            start = self.folder.backups
        else:
            kinds = self.tr("Bản sao lưu NTM Desktop (*%1);;Tất cả các tệp (*)").replace("%1", BACKUP_SUFFIX)
            start = extra_folder(self.folder.root) or self.folder.backups
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Chọn bản sao lưu"), str(start), kinds)
        if path and self._confirm(self.tr(
            "Khôi phục dữ liệu từ tệp “%1”?\n\nDữ liệu hiện tại sẽ được sao lưu trước.").replace("%1", Path(path).name)):
            self.restore(Path(path))

    def _confirm(self, question: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Khôi phục dữ liệu"), question, parent=self)
        yes = box.addButton(self.tr("Khôi phục"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Hủy"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes

    def restore(self, path: Path, accept_other_office: bool = False) -> bool:
        """Close the database, restore, reopen it (even when the restore was refused).

        Another office's backup is refused first; the officer is asked (default: No) and only an explicit
        yes restores it.
        """
        if self.on_server:
            return self._restore_server(Path(path))
        self._busy(True)
        old_db, person = self.workspace.db, access.signed_in(self.workspace.db)
        old_db.dispose()
        try:
            result = run_with_progress(
                self, self.tr("Đang kiểm tra và khôi phục “%1”…").replace("%1", Path(path).name),
                lambda _say: restore_backup(self.folder, path, accept_other_office=accept_other_office, db=old_db))
        except UserError as error:
            self.workspace.db = open_database(self.folder.database, backup_dir=self.folder.backups)
            access.sign_in(self.workspace.db, person)
            self._busy(False)
            if isinstance(error, OtherOfficeError):
                if self.confirm_other_office(error):
                    return self.restore(path, accept_other_office=True)
                self.status.setText(self.tr("Chưa khôi phục “%1”: bản sao lưu của đơn vị khác. Dữ liệu không thay đổi.")
                                    .replace("%1", Path(path).name))
                return False
            self._error(error)
            return False
        try:
            self.workspace.db = open_database(self.folder.database, backup_dir=self.folder.backups)
            access.sign_in(self.workspace.db, person)  # checked against the restored accounts by the window
        finally:
            self._busy(False)
        text = self.tr("Đã khôi phục dữ liệu từ “%1”.").replace("%1", Path(path).name)
        if result.missing_files:
            text += " " + self.tr("Thiếu %1 tệp đính kèm (không có trong thư mục sao lưu).").replace(
                "%1", str(len(result.missing_files)))
        if result.office_changed:
            after = result.office_after.label() if result.office_after else self.tr("một máy chưa chọn đơn vị")
            text += " " + self.tr("Máy này giờ làm việc với tư cách %1 (trước đây: %2).").replace(
                "%1", after).replace("%2", result.office_before.label())
        self.status.setText(text)
        self.refresh()
        self.restored.emit()
        return True

    def confirm_other_office(self, error: OtherOfficeError) -> bool:
        """Ask before this installation becomes another office; No is the default (Enter, Esc)."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Bản sao lưu của đơn vị khác"),
                          str(error) + "\n\n" + self.tr(
                              "Chỉ khôi phục khi máy này thật sự chuyển sang làm việc cho đơn vị đó. "
                              "Vẫn khôi phục?"), parent=self)
        yes = box.addButton(self.tr("Vẫn khôi phục"), QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton(self.tr("Không khôi phục"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        box.exec()
        return box.clickedButton() is yes

    @Slot()
    def choose_extra_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Chọn thư mục sao lưu thêm"), str(extra_folder(self.folder.root) or Path.home()))
        if chosen:
            self.set_extra_folder(Path(chosen))

    def set_extra_folder(self, folder: Path | None) -> None:
        if folder is not None and folder.resolve().is_relative_to(self.folder.root):
            self._error(UserError(self.tr("Thư mục sao lưu thêm phải ở ngoài thư mục dữ liệu (ví dụ trên USB).")))
            return
        set_extra_folder(self.folder.root, folder)
        self.refresh()

    @Slot()
    def full_check(self) -> None:
        self._busy(True)
        try:
            result = run_with_progress(self, self.tr("Đang kiểm tra toàn bộ dữ liệu…"),
                                       lambda _say: check_integrity(self.folder.database, full=True))
        finally:
            self._busy(False)
        if result.ok:
            self.status.setText(self.tr("Kiểm tra toàn bộ dữ liệu: không phát hiện lỗi."))
            return
        log.error("integrity_check failed: %s", result.problems)
        newest = newest_good_backup([self.folder.backups, extra_folder(self.folder.root)])
        if newest is None:
            self._error(UserError(self.tr(
                "Cơ sở dữ liệu có lỗi và không tìm thấy bản sao lưu còn tốt. Đừng xóa thư mục dữ liệu; "
                "hãy liên hệ người hỗ trợ kỹ thuật.")))
            return
        if self._confirm(self.tr(
            "Cơ sở dữ liệu có lỗi (có thể do mất điện hoặc ổ đĩa hỏng). Khôi phục bản sao lưu tốt gần nhất “%1”?"
        ).replace("%1", newest.name)):
            self.restore(newest)
