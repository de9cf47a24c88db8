"""Sync screen tabs: conflicts side by side, history of packages (print, revert), the inbox board."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import (
    QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QListWidget, QMessageBox, QPushButton,
    QSplitter, QTableView, QVBoxLayout, QWidget,
)

from ntm_desktop.errors import UserError
from ntm_desktop.services.dates import format_vn_datetime
from ntm_desktop.sync import conflicts, inbox
from ntm_desktop.sync.apply import entity_label
from ntm_desktop.sync.preview import OUTCOME_LABELS
from ntm_desktop.sync.revert import revert_package
from ntm_desktop.ui.background import Loader, run_with_progress
from ntm_desktop.ui.common import show_error
from ntm_desktop.ui.sync.models import RowsModel

RESULT_LABELS = {"applied": "Đã áp dụng", "refused": "Bị từ chối", "reverted": "Đã hoàn tác"}


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setResizeContentsPrecision(200)  # widths from the first rows, not all ten thousand
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    return view


def _selected_row(view: QTableView) -> int:
    rows = view.selectionModel().selectedRows()
    return rows[0].row() if rows else -1


class ConflictsTab(QWidget):
    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self._ws = workspace
        self._rows: list[conflicts.ConflictRow] = []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Những trường cả hai bên cùng sửa. Hãy chọn giá trị đúng cho từng trường; "
                                        "lựa chọn sẽ được gửi lại cho bên kia trong gói sau.")))
        split = QSplitter()
        self.model = RowsModel([self.tr("Loại"), self.tr("Bản ghi"), self.tr("Trường")], self)
        self.view = _table(self.model)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show())
        split.addWidget(self.view)
        sides = QWidget()
        row = QHBoxLayout(sides)
        self.local_box, self.local = self._side(self.tr("Giá trị ở máy này"))
        self.incoming_box, self.incoming = self._side(self.tr("Giá trị nhận được"))
        row.addWidget(self.local_box)
        row.addWidget(self.incoming_box)
        split.addWidget(sides)
        layout.addWidget(split, 1)
        buttons = QHBoxLayout()
        self.keep_local = QPushButton(self.tr("Giữ giá trị ở máy này"))
        self.keep_incoming = QPushButton(self.tr("Lấy giá trị nhận được"))
        self.keep_local.clicked.connect(lambda: self.choose("local"))
        self.keep_incoming.clicked.connect(lambda: self.choose("incoming"))
        buttons.addStretch(1)
        buttons.addWidget(self.keep_local)
        buttons.addWidget(self.keep_incoming)
        layout.addLayout(buttons)

    def _side(self, title: str):
        box = QGroupBox(title)
        label = QLabel()
        label.setWordWrap(True)
        QFormLayout(box).addRow(label)
        return box, label

    def refresh(self) -> None:
        with self._ws.db.transaction() as session:
            self._rows = conflicts.open_conflicts(session)
            self._shown = [(conflicts.display(session, r.field, r.local_value),
                            conflicts.display(session, r.field, r.incoming_value)) for r in self._rows]
        self.model.set_rows([(r.entity_label, r.record_title, r.field_label) for r in self._rows],
                            [r.id for r in self._rows])
        if self._rows:
            self.view.selectRow(0)
        self._show()

    def _show(self) -> None:
        row = _selected_row(self.view)
        has = 0 <= row < len(self._rows)
        self.keep_local.setEnabled(has)
        self.keep_incoming.setEnabled(has)
        if not has:
            self.local.setText(self.tr("Không có xung đột nào đang chờ."))
            self.incoming.setText("")
            return
        conflict = self._rows[row]
        mark = self.tr(" (đang dùng)")
        local, incoming = self._shown[row]
        self.local.setText(local + (mark if conflict.kept == "local" else ""))
        self.incoming.setText(incoming + (mark if conflict.kept == "incoming" else ""))

    def choose(self, side: str) -> None:
        row = _selected_row(self.view)
        if not 0 <= row < len(self._rows):
            return
        try:
            user = self._ws.user()
            with self._ws.db.transaction(user) as session:
                conflicts.resolve(session, self._rows[row].id, side, user)
        except UserError as error:
            show_error(self, error)
        self.refresh()


class HistoryTab(QWidget):
    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self._ws = workspace
        self._items: list[dict] = []
        self._loader = Loader(self)
        layout = QVBoxLayout(self)
        self.model = RowsModel([self.tr("Chiều"), self.tr("Đơn vị"), self.tr("Số gói"), self.tr("Thời điểm"),
                                self.tr("Kết quả"), self.tr("Tóm tắt"), self.tr("Tệp")], self,
                               formatters={3: format_vn_datetime, 5: self.summary_text})
        self.view = _table(self.model)
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Lưu bản in tóm tắt (PDF)…"))
        self.print_button.clicked.connect(self._choose_pdf)
        self.revert_button = QPushButton(self.tr("Hoàn tác gói đã nhận…"))
        self.revert_button.clicked.connect(lambda: self.revert_selected(confirm=True))
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.revert_button)
        layout.addLayout(buttons)

    @property
    def loading(self) -> bool:
        return self._loader.busy

    def refresh(self) -> None:
        """Read the history off the GUI thread (a province's year is tens of thousands of packages)."""
        self._loader.load(self._read, self._show)

    def _read(self) -> list[dict]:
        items = []
        with self._ws.db.transaction() as session:
            from sqlalchemy import select

            from ntm_desktop.models import ExportLog, ImportLedger, Unit

            codes: dict[str, str] = {}

            def unit_code(unit_id):
                if unit_id not in codes:
                    unit = session.get(Unit, unit_id) if unit_id else None
                    codes[unit_id] = unit.code if unit else ""
                return codes[unit_id]

            # Columns, not records: a province's year of packages is tens of thousands of lines.
            sent = session.execute(select(
                ExportLog.summary, ExportLog.acknowledged_at, ExportLog.kind, ExportLog.destination_unit_id,
                ExportLog.sequence, ExportLog.created_at, ExportLog.file_name, ExportLog.package_id,
            ).order_by(ExportLog.id.desc()))
            received = session.execute(select(
                ImportLedger.result, ImportLedger.summary, ImportLedger.origin_code, ImportLedger.sequence,
                ImportLedger.at, ImportLedger.file_name, ImportLedger.package_id, ImportLedger.kind,
            ).order_by(ImportLedger.id.desc()))
            # Each line's summary is kept as stored and made a sentence when it is shown (`summary_text`).
            sending, receiving = self.tr("Gửi"), self.tr("Nhận")
            acknowledged, waiting, given = self.tr("đã báo nhận"), self.tr("chưa báo nhận"), self.tr("đã gửi")
            for e in sent:
                state = given if e.kind == "receipt" else acknowledged if e.acknowledged_at else waiting
                items.append(dict(direction=sending, unit=unit_code(e.destination_unit_id), seq=e.sequence,
                                  at=e.created_at, result=state,
                                  summary=("receipt", None) if e.kind == "receipt" else ("sent", e.summary),
                                  file=e.file_name, package=e.package_id, received=False))
            results = {}
            for e in received:
                result = results.get(e.result) or results.setdefault(e.result, self.tr(RESULT_LABELS.get(e.result, e.result)))
                items.append(dict(direction=receiving, unit=e.origin_code, seq=e.sequence, at=e.at, result=result,
                                  summary=("refused", e.summary) if e.result == "refused" else ("received", e.summary),
                                  file=e.file_name, package=e.package_id,
                                  received=e.result == "applied" and e.kind != "receipt"))
        items.sort(key=lambda i: i["at"], reverse=True)
        return items

    def summary_text(self, summary: tuple[str, str | None]) -> str:
        """A line's summary as a sentence: what a package sent held, what a package received did."""
        kind, stored = summary
        if kind == "receipt":
            return self.tr("Giấy báo đã nhận")
        if kind == "refused":
            return stored or ""
        data = json.loads(stored or "{}")
        if kind == "sent":
            return ", ".join(f"{entity_label(k)} {v}" for k, v in data.items() if v) or self.tr("(không có thay đổi)")
        counts = data.get("counts", {})
        text = "; ".join(f"{entity_label(k)}: " + ", ".join(f"{OUTCOME_LABELS[o].lower()} {n}" for o, n in c.items() if n)
                         for k, c in counts.items()) if counts else json.dumps(data, ensure_ascii=False)
        if isinstance(data.get("unit_catalogue"), dict):  # the unit catalogue edition it applied
            text += "; " + data["unit_catalogue"].get("message", "")
        return text

    def _show(self, items: list[dict]) -> None:
        self._items = items
        self.model.set_rows([(i["direction"], i["unit"], i["seq"], i["at"], i["result"], i["summary"], i["file"])
                             for i in items], [i["package"] for i in items])

    def summary_html(self) -> str:
        rows = "".join(
            f"<tr><td>{i['direction']}</td><td>{i['unit']}</td><td>{i['seq']}</td><td>{format_vn_datetime(i['at'])}</td>"
            f"<td>{i['result']}</td><td>{self.summary_text(i['summary'])}</td></tr>" for i in self._items)
        return (f"<h2>{self.tr('Sổ theo dõi gói dữ liệu gửi và nhận')}</h2><table border='1' cellspacing='0' cellpadding='3'>"
                f"<tr><th>{self.tr('Chiều')}</th><th>{self.tr('Đơn vị')}</th><th>{self.tr('Số gói')}</th>"
                f"<th>{self.tr('Thời điểm')}</th><th>{self.tr('Kết quả')}</th><th>{self.tr('Tóm tắt')}</th></tr>{rows}</table>")

    def _choose_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Lưu bản in"), "so-theo-doi-goi.pdf", "PDF (*.pdf)")
        if path:
            self.save_pdf(Path(path))

    def save_pdf(self, path: Path) -> Path:
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setResolution(150)
        document = QTextDocument()
        document.setHtml(self.summary_html())
        document.print_(writer)
        return path

    def revert_selected(self, confirm: bool = True) -> int | None:
        row = _selected_row(self.view)
        if not 0 <= row < len(self._items) or not self._items[row]["received"]:
            QMessageBox.information(self, self.tr("Hoàn tác"), self.tr("Hãy chọn một gói đã nhận và đã áp dụng."))
            return None
        if confirm and QMessageBox.question(
                self, self.tr("Hoàn tác gói"),
                self.tr("Trả lại các giá trị trước khi nhận gói này? Việc hoàn tác được lưu như một lần sửa mới "
                        "và sẽ được gửi cho các đơn vị khác.")) != QMessageBox.StandardButton.Yes:
            return None
        try:
            user = self._ws.user()
            with self._ws.db.transaction(user) as session:
                undone = revert_package(session, self._items[row]["package"], user)
        except UserError as error:
            show_error(self, error)
            return None
        self.refresh()
        return undone


class InboxTab(QWidget):
    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self._ws = workspace
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Nhận mọi gói trong một thư mục…"))
        self.open_button.clicked.connect(self._choose)
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.outcomes = QListWidget()
        layout.addWidget(self.outcomes, 1)
        self.model = RowsModel([self.tr("Mã"), self.tr("Đơn vị"), self.tr("Gói mới nhất"), self.tr("Lập lúc"),
                                self.tr("Thiếu gói số"), self.tr("Tệp bị từ chối"), self.tr("Xung đột chờ")], self,
                               formatters={3: format_vn_datetime})
        self.view = _table(self.model)
        layout.addWidget(self.view, 2)
        self._loader = Loader(self)

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Chọn thư mục hộp thư"))
        if folder:
            self.process(Path(folder))

    def process(self, folder: Path) -> None:
        try:
            results = run_with_progress(
                self, self.tr("Đang nhận các gói trong “%1”…").replace("%1", folder.name),
                lambda say: inbox.process_folder(self._ws, folder, progress=lambda n, total, name: say(
                    self.tr("Gói %1/%2: %3").replace("%1", str(n)).replace("%2", str(total)).replace("%3", name))))
        except UserError as error:
            show_error(self, error)
            return
        self.outcomes.clear()
        for r in results:
            self.outcomes.addItem(f"{r.file_name}: {r.message}")
        self.refresh()

    @property
    def loading(self) -> bool:
        return self._loader.busy

    def refresh(self) -> None:
        """Read the board off the GUI thread (one line per office heard from: thousands for a province)."""
        def read() -> list[tuple]:
            with self._ws.db.transaction() as session:
                rows = inbox.board(session)
            return [(r.unit_code, r.unit_name, r.last_sequence or "", r.last_created,
                     ", ".join(map(str, r.gaps)), "; ".join(f"{f}: {why}" for f, why in r.refused),
                     r.conflicts_waiting) for r in rows]

        self._loader.load(read, self.model.set_rows)
