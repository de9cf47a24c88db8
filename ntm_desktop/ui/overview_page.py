"""The first screen: overdue, due this week, done this week, by unit; newest directives.

It is drawn before the data folder is open (the figures show "…"), and its counts are read off the GUI
thread (counting a province's 300,000 tasks takes longer than a click should freeze the window).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from ntm_desktop.services.dates import format_vn_date
from ntm_desktop.services.due_window import DueWindow
from ntm_desktop.ui.background import Loader

CARD_STYLE = (
    "QPushButton {{ text-align: left; padding: 12px 16px; border-radius: 6px; border: 1px solid {border};"
    " background: {bg}; color: {fg}; font-size: 13px; }} QPushButton:hover {{ border: 2px solid {border}; }}"
)


class OverviewPage(QWidget):
    open_tasks = Signal(object, object)  # unit_id or None, DueWindow or None
    open_directive = Signal(str)

    def __init__(self, workspace=None, parent=None):
        super().__init__(parent)
        self._ws = None
        self._loader = Loader(self)
        self.title = QLabel(self.tr("Tổng quan công việc"))
        self.title.setStyleSheet("font-size: 18px; font-weight: bold;")
        # The counts are the task page's default set ("Tất cả"): say which tasks they cover.
        self.scope_note = QLabel(self.tr(
            "Gồm nhiệm vụ do đơn vị mình hoặc đơn vị cấp dưới chủ trì, phối hợp (dù ai giao) và nhiệm vụ do mình "
            "giao. Bấm vào một ô để xem danh sách."))
        self.scope_note.setWordWrap(True)
        self.scope_note.setStyleSheet("color: #555;")
        self.cards: dict[DueWindow | None, QPushButton] = {}
        self._card_labels = {
            DueWindow.OVERDUE: self.tr("nhiệm vụ quá hạn"),
            DueWindow.THIS_WEEK: self.tr("đến hạn trong tuần này"),
            DueWindow.DONE_THIS_WEEK: self.tr("hoàn thành trong tuần này"),
            None: self.tr("nhiệm vụ đang thực hiện"),
        }
        cards = QHBoxLayout()
        for window, colors in (
            (DueWindow.OVERDUE, ("#b3261e", "#fde2e1", "#7a1a14")),
            (DueWindow.THIS_WEEK, ("#b06000", "#fff1d6", "#6b3b00")),
            (DueWindow.DONE_THIS_WEEK, ("#2e7d32", "#e3f4e1", "#1b4d1e")),
            (None, ("#1f5fa8", "#e2ecf8", "#123a66")),
        ):
            button = QPushButton()
            button.setStyleSheet(CARD_STYLE.format(border=colors[0], bg=colors[1], fg=colors[2]))
            button.setMinimumHeight(78)
            button.setText(f"…\n{self._card_labels[window]}")  # the figure follows once it is counted
            font = button.font()
            font.setPointSize(12)
            button.setFont(font)
            button.clicked.connect(lambda _c=False, w=window: self.open_tasks.emit(None, w))
            self.cards[window] = button
            cards.addWidget(button)

        self.by_unit = QTableWidget(0, 5)
        self.by_unit.setHorizontalHeaderLabels([
            self.tr("Đơn vị chủ trì"), self.tr("Quá hạn"), self.tr("Đến hạn tuần này"),
            self.tr("Hoàn thành tuần này"), self.tr("Đang thực hiện"),
        ])
        for col in range(1, 5):
            self.by_unit.setColumnWidth(col, 150)
        self.by_unit.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.by_unit.verticalHeader().setVisible(False)
        self.by_unit.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.by_unit.cellClicked.connect(self._unit_clicked)
        self.newest = QTableWidget(0, 4)
        self.newest.setHorizontalHeaderLabels([
            self.tr("Số đến"), self.tr("Ngày đến"), self.tr("Tác giả"), self.tr("Trích yếu"),
        ])
        self.newest.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.newest.setColumnWidth(2, 230)
        self.newest.verticalHeader().setVisible(False)
        self.newest.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.newest.cellDoubleClicked.connect(self._newest_opened)

        grid = QGridLayout()
        grid.addWidget(self._heading(self.tr("Nhiệm vụ theo đơn vị chủ trì")), 0, 0)
        grid.addWidget(self.by_unit, 1, 0)
        grid.addWidget(self._heading(self.tr("Văn bản mới đến")), 2, 0)
        grid.addWidget(self.newest, 3, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.scope_note)
        layout.addLayout(cards)
        layout.addLayout(grid)
        self._windows = [DueWindow.OVERDUE, DueWindow.THIS_WEEK, DueWindow.DONE_THIS_WEEK, None]
        self._unit_ids: list[str] = []
        if workspace is not None:
            self.attach(workspace)

    def attach(self, workspace) -> None:
        """The data folder is open: read the figures."""
        from PySide6.QtCore import Qt  # first touched here, after the first paint (its enums take ~10 ms)

        self._ws = workspace
        for button in self.cards.values():  # (the Qt namespace is first touched here, after the first paint)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.refresh()

    @property
    def loading(self) -> bool:
        return self._loader.busy

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet("font-weight: bold; margin-top: 8px;")
        return label

    def refresh(self) -> None:
        """Read the figures again, off the GUI thread; the ones shown stay until the new ones arrive."""
        if self._ws is None:
            return
        workspace = self._ws

        def read():
            from ntm_desktop.services.overview import overview

            office = workspace.office_unit_id()
            if not office:
                return None
            with workspace.db.transaction() as session:
                return overview(session, office)

        self._loader.load(read, self._show)

    def _newest_opened(self, row: int, _column: int) -> None:
        from PySide6.QtCore import Qt

        self.open_directive.emit(self.newest.item(row, 0).data(Qt.ItemDataRole.UserRole))

    def _show(self, data) -> None:
        from PySide6.QtCore import Qt

        if data is None:
            return
        self.title.setText(self.tr("Tổng quan công việc — ngày {d}").format(d=format_vn_date(data.today)))
        counts = {DueWindow.OVERDUE: data.overdue, DueWindow.THIS_WEEK: data.due_this_week,
                  DueWindow.DONE_THIS_WEEK: data.done_this_week, None: data.open_tasks}
        for window, n in counts.items():
            self.cards[window].setText(f"{n}\n{self._card_labels[window]}")
        self.by_unit.setRowCount(len(data.by_unit))
        self._unit_ids = [u.unit_id for u in data.by_unit]
        for r, u in enumerate(data.by_unit):
            values = [u.unit_name, u.overdue, u.due_this_week, u.done_this_week, u.open_tasks]
            for c, value in enumerate(values):
                item = QTableWidgetItem(str(value) if c else value)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    if value:
                        item.setToolTip(self.tr("Bấm để xem danh sách"))
                if c == 1 and value:
                    item.setForeground(Qt.GlobalColor.darkRed)
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                self.by_unit.setItem(r, c, item)
        self.newest.setRowCount(len(data.newest))
        for r, d in enumerate(data.newest):
            first = QTableWidgetItem(f"{d.arrival_number}/{d.arrival_year}")
            first.setData(Qt.ItemDataRole.UserRole, d.id)
            self.newest.setItem(r, 0, first)
            self.newest.setItem(r, 1, QTableWidgetItem(format_vn_date(d.arrival_date)))
            self.newest.setItem(r, 2, QTableWidgetItem(d.issuer_name))
            self.newest.setItem(r, 3, QTableWidgetItem(d.subject))

    def _unit_clicked(self, row: int, column: int) -> None:
        window = {1: DueWindow.OVERDUE, 2: DueWindow.THIS_WEEK, 3: DueWindow.DONE_THIS_WEEK}.get(column)
        self.open_tasks.emit(self._unit_ids[row], window)
