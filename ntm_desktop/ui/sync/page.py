"""Sync screen: tabs to send a package, receive one (preview, then apply), conflicts, history, inbox."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QListWidget, QPushButton, QTableView,
    QTabWidget, QVBoxLayout, QWidget,
)

from ntm_desktop.errors import UserError
from ntm_desktop.services import units
from ntm_desktop.services.dates import format_vn_datetime
from ntm_desktop.sync import receipts
from ntm_desktop.sync.apply import ApplyResult, apply_file, entity_label, preview_file
from ntm_desktop.sync.export import export_package
from ntm_desktop.sync.manifest import EXTENSION
from ntm_desktop.sync.preview import OUTCOMES, Plan
from ntm_desktop.ui.background import run_with_progress
from ntm_desktop.ui.common import UnitCombo, show_error
from ntm_desktop.sync.keys import KeyNotConfirmed
from ntm_desktop.ui.sync.excel_tab import ExcelTemplateTab
from ntm_desktop.ui.sync.key_confirm import ask_to_confirm
from ntm_desktop.ui.sync.keys_tab import KeysTab
from ntm_desktop.ui.sync.models import RowsModel
from ntm_desktop.ui.sync.tabs import ConflictsTab, HistoryTab, InboxTab


def table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    return view


class SendTab(QWidget):
    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self._ws = workspace
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Gửi cho đơn vị:")))
        self.destination = UnitCombo([])
        row.addWidget(self.destination, 1)
        layout.addLayout(row)
        self.full = QCheckBox(self.tr("Gửi toàn bộ dữ liệu (khi đơn vị nhận mới cài đặt hoặc bị thiếu gói)"))
        layout.addWidget(self.full)
        buttons = QHBoxLayout()
        self.send_button = QPushButton(self.tr("Lập gói gửi đi…"))
        self.send_button.clicked.connect(self._choose_and_send)
        self.receipt_button = QPushButton(self.tr("Lập giấy báo đã nhận…"))
        self.receipt_button.clicked.connect(self._choose_and_receipt)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.receipt_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result)
        layout.addWidget(QLabel(self.tr("Đơn vị nhận đã có dữ liệu của ta đến đâu:")))
        self.status = QListWidget()
        layout.addWidget(self.status, 1)

    def refresh(self) -> None:
        with self._ws.db.transaction() as session:
            office = self._ws_office(session)
            rows = [u for u in self._ws.units() if u.id != office]  # the shared copy, read once
            statuses = receipts.destination_status(session)
            usual = receipts.usual_destination(session, office)
        current = self.destination.unit_id() or usual
        self.destination.set_units(rows)
        if current:
            self.destination.set_unit_id(current)
        self.status.clear()
        if not statuses:
            self.status.addItem(self.tr("Chưa gửi gói nào. Chọn đơn vị nhận rồi bấm “Lập gói gửi đi…”."))
        for s in statuses:
            extra = (self.tr(" Chưa báo nhận các gói số: ") + ", ".join(map(str, s.unacknowledged))) if s.unacknowledged else ""
            self.status.addItem(s.text + extra)

    @staticmethod
    def _ws_office(session):
        from ntm_desktop.services import settings

        return settings.office_unit_id(session)

    def _code(self) -> str | None:
        unit_id = self.destination.unit_id()
        if not unit_id:
            return None
        with self._ws.db.transaction() as session:
            return units.get_unit(session, unit_id).code

    def _choose_and_send(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Chọn nơi lưu gói (ví dụ USB)"))
        if folder:
            self.send_to(Path(folder))

    def send_to(self, folder: Path) -> Path | None:
        code = self._code()
        if not code:
            self.result.setText(self.tr("Hãy chọn đơn vị nhận."))
            return None
        try:
            user, full = self._ws.user(), self.full.isChecked()

            def work(_say):
                with self._ws.db.transaction(user) as session:
                    return export_package(session, self._ws.folder.files, code, None, out_dir=folder, full=full, user=user)

            result = run_with_progress(self, self.tr("Đang lập gói gửi %1…").replace("%1", code), work)
        except UserError as error:
            show_error(self, error, self.tr("Không lập được gói"))
            return None
        lines = [self.tr("Đã lập gói số %1 gửi %2:").replace("%1", str(result.manifest.sequence)).replace(
            "%2", result.manifest.destination_code), str(result.path)]
        lines += [f"• {entity_label(e)}: {n}" for e, n in result.counts.items() if n]
        if result.files:
            lines.append(self.tr("• Tệp đính kèm: %1").replace("%1", str(result.files)))
        if not any(result.counts.values()):
            lines.append(self.tr("Không có gì thay đổi kể từ lần đơn vị nhận báo đã nhận."))
        self.result.setText("\n".join(lines))
        self.refresh()
        return result.path

    def _choose_and_receipt(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Chọn nơi lưu giấy báo đã nhận"))
        if folder:
            self.receipt_to(Path(folder))

    def receipt_to(self, folder: Path) -> Path | None:
        code = self._code()
        if not code:
            self.result.setText(self.tr("Hãy chọn đơn vị đã gửi gói cho ta."))
            return None
        try:
            user = self._ws.user()
            with self._ws.db.transaction(user) as session:
                path = receipts.export_receipt(session, code, None, out_dir=folder, user=user)
        except UserError as error:
            show_error(self, error, self.tr("Không lập được giấy báo"))
            return None
        self.result.setText(self.tr("Đã lập giấy báo đã nhận: %1").replace("%1", str(path)))
        return path


class ReceiveTab(QWidget):
    HEADERS = ["Loại dữ liệu", "Mới", "Cập nhật", "Không đổi", "Cũ hơn", "Xóa", "Xung đột", "Từ chối"]

    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self._ws = workspace
        self._path: Path | None = None
        self._confirmed_key: str | None = None  # the sender's fingerprint, as the clerk compared it
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Mở gói…"))
        self.open_button.clicked.connect(self._choose)
        row.addWidget(self.open_button)
        row.addWidget(QLabel(self.tr("hoặc kéo thả tệp gói (%1) vào đây").replace("%1", EXTENSION)), 1)
        layout.addLayout(row)
        self.header = QLabel(self.tr("Chưa mở gói nào. Mở gói chỉ để xem trước: chưa có gì thay đổi."))
        self._about = ""  # who sent the open package, when
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        self.model = RowsModel([self.tr(h) for h in self.HEADERS], self)
        self.view = table(self.model)
        layout.addWidget(self.view, 2)
        layout.addWidget(QLabel(self.tr("Bản ghi bị từ chối và lý do:")))
        self.rejections = QListWidget()
        layout.addWidget(self.rejections, 1)
        row = QHBoxLayout()
        self.message = QLabel()
        self.message.setWordWrap(True)
        row.addWidget(self.message, 1)
        self.apply_button = QPushButton(self.tr("Áp dụng"))
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        row.addWidget(self.apply_button)
        layout.addLayout(row)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.open_package(Path(urls[0]))

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Mở gói dữ liệu"), "",
                                              self.tr("Gói dữ liệu NTM (*%1)").replace("%1", EXTENSION))
        if path:
            self.open_package(Path(path))

    def open_package(self, path: Path) -> Plan | ApplyResult | None:
        self._path, self._confirmed_key = None, None
        self.apply_button.setEnabled(False)
        self.model.set_rows([])
        self.rejections.clear()
        self.message.clear()
        try:
            plan = self._preview(path)
        except UserError as error:
            self.header.setText(self.tr("Không mở được gói “%1”:").replace("%1", path.name) + "\n" + str(error))
            return None
        if isinstance(plan, ApplyResult):
            self._about = plan.message
            self.header.setText(plan.message)
            if plan.status == "receipt":
                self._path = path
                self.apply_button.setEnabled(True)
            return plan
        s = plan.summary()
        created = format_vn_datetime(s["created_utc"])  # local time
        self._about = (self.tr("Gói số %1 của %2 (người lập: %3), lập lúc %4, gửi %5.")
                       .replace("%1", str(s["sequence"])).replace("%2", s["origin"]).replace("%3", s["user"] or "-")
                       .replace("%4", created).replace("%5", s["destination"]))
        adopted = "".join("\n" + line for line in plan.package.adoption.lines()) if plan.package.adoption else ""
        edition = plan.package.catalogue_edition  # a newer unit catalogue it carries (sync/catalogue_edition.py)
        adopted += "\n" + edition.preview_line() if edition else ""
        self.header.setText(self._about + " " + self.tr("Chưa có gì thay đổi: xem bảng dưới đây rồi bấm “Áp dụng”.")
                            + adopted)
        self.model.set_rows([(entity_label(e), *[c[o] for o in OUTCOMES]) for e, c in s["counts"].items()])
        for item in s["rejected"]:
            self.rejections.addItem(f"{entity_label(item['entity'])} {item['id']}: {item['reason']}")
        self._path = path
        self.apply_button.setEnabled(True)
        return plan

    def _preview(self, path: Path):
        """The plan; a sender's key not known here is first compared by the clerk with the key slip."""
        reading = self.tr("Đang đọc và kiểm tra gói “%1”…").replace("%1", path.name)
        try:
            return run_with_progress(self, reading, lambda _say: preview_file(self._ws, path))
        except KeyNotConfirmed as refusal:
            confirmed = ask_to_confirm(self, refusal)
            if confirmed is None:
                raise
        plan = run_with_progress(self, reading, lambda _say: preview_file(self._ws, path, confirmed_key=confirmed))
        self._confirmed_key = confirmed
        return plan

    def apply(self) -> ApplyResult | None:
        if self._path is None:
            return None
        try:
            path, confirmed = self._path, self._confirmed_key
            result = run_with_progress(self, self.tr("Đang áp dụng gói “%1” (sao lưu trước, rồi ghi trong một "
                                                     "giao dịch)…").replace("%1", path.name),
                                       lambda _say: apply_file(self._ws, path, confirmed_key=confirmed))
        except UserError as error:
            self.message.setText(str(error))
            return None
        finally:
            self.apply_button.setEnabled(False)
        self.message.setText(result.message)
        if result.status == "applied":
            self.header.setText(self._about + " " + self.tr("Đã áp dụng (có bản sao lưu ngay trước đó)."))
        self._path = None
        return result


class SyncPage(QWidget):
    """Đồng bộ: the page the main window shows; `refresh()` reloads the tab on screen."""

    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self._ws = workspace
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.send = SendTab(workspace)
        self.receive = ReceiveTab(workspace)
        self.conflicts = ConflictsTab(workspace)
        self.history = HistoryTab(workspace)
        self.inbox = InboxTab(workspace)
        self.excel = ExcelTemplateTab(workspace)
        self.keys = KeysTab(workspace)
        self.tabs.addTab(self.send, self.tr("Gửi"))
        self.tabs.addTab(self.receive, self.tr("Nhận"))
        self.tabs.addTab(self.conflicts, self.tr("Xung đột"))
        self.tabs.addTab(self.history, self.tr("Lịch sử"))
        self.tabs.addTab(self.inbox, self.tr("Hộp thư"))
        self.tabs.addTab(self.excel, self.tr("Biểu mẫu Excel cho xã"))
        self.tabs.addTab(self.keys, self.tr("Khóa"))
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout.addWidget(self.tabs)
        self.refresh()

    @property
    def loading(self) -> bool:
        return getattr(self.tabs.currentWidget(), "loading", False)

    def refresh(self) -> None:
        """Reload the tab on screen; each other tab reloads when it is chosen (the history and the inbox
        board of a province read thousands of packages: not all at once)."""
        tab = self.tabs.currentWidget()
        if tab is not self.receive and hasattr(tab, "refresh"):
            tab.refresh()
