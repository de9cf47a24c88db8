"""The criteria page: the communes × criteria matrix for a year, its summary and the warnings."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QSplitter, QTableView,
    QVBoxLayout, QWidget,
)

from ntm_desktop.services.criteria import catalogue, matrix, periods, transition, warnings
from ntm_desktop.services.access import Permission
from ntm_desktop.ui import roles
from ntm_desktop.ui.background import Loader
from ntm_desktop.ui.common import guarded
from ntm_desktop.ui.criteria.assessment_dialog import AssessmentDialog
from ntm_desktop.ui.criteria.matrix_model import MatrixModel, UNIT_ROLE
from ntm_desktop.ui.criteria.profile_dialog import ProfileDialog
from ntm_desktop.ui.criteria.sets_dialog import CriteriaSetsDialog
from ntm_desktop.ui.criteria.transition_dialog import TransitionDialog

NOTE_COLOR = QColor("#8a4b00")
WARNING_ORDER = {warnings.REVOCATION: 0, warnings.PLAN_AT_RISK: 1, warnings.STALE: 2}
WARNING_TITLES = {warnings.REVOCATION: "Nguy cơ thu hồi", warnings.PLAN_AT_RISK: "Chưa đạt kế hoạch",
                  warnings.STALE: "Đánh giá đã cũ"}


class CriteriaPage(QWidget):
    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.model = MatrixModel(self)
        self._loader = Loader(self)
        self._warnings_loader = Loader(self)  # the warnings follow the matrix
        self._sized_for: tuple | None = None  # the set and criteria the columns' widths were measured for

        self.year = QComboBox()
        self.year.currentIndexChanged.connect(lambda _i: self.load_year())
        self.transpose = QCheckBox(self.tr("Xã theo cột"))
        self.transpose.toggled.connect(self.model.set_transposed)
        assess = QPushButton(self.tr("Đánh giá…"))
        profile = QPushButton(self.tr("Hồ sơ xã…"))
        sets = QPushButton(self.tr("Bộ tiêu chí…"))
        self.move_button = QPushButton()
        self.move_button.setVisible(False)
        assess.clicked.connect(lambda: self.open_assessment(self.view.currentIndex()))
        profile.clicked.connect(self.open_profile)
        sets.clicked.connect(self.open_sets)
        self.move_button.clicked.connect(self.open_transition)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Năm:")))
        bar.addWidget(self.year)
        bar.addWidget(self.transpose)
        bar.addStretch(1)
        for button in (self.move_button, assess, profile, sets):
            bar.addWidget(button)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(False)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.doubleClicked.connect(self.open_assessment)
        self.view.horizontalHeader().setMinimumSectionSize(28)
        self.view.horizontalHeader().setResizeContentsPrecision(50)  # widths from the first communes, not all
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.legend = QLabel(self.tr("✓ Đạt   ~ Cơ bản đạt   ✗ Chưa đạt   •n: số nhiệm vụ đang thực hiện gắn với tiêu "
                                     "chí. Nhấp đúp một ô để mở phiếu đánh giá."))
        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)
        self.warnings.itemDoubleClicked.connect(self._warning_opened)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.heading)
        top_layout.addWidget(self.view, 1)
        top_layout.addWidget(self.summary)
        top_layout.addWidget(self.legend)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(QLabel(self.tr("<b>Cảnh báo</b>")))
        bottom_layout.addWidget(self.warnings)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self.refresh()

    # --- loading ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the years and the matrix of the chosen year."""
        with self.workspace.db.transaction() as session:
            if not catalogue.set_rows(session):
                catalogue.install_shipped_sets(session)
            years = matrix.years_with_data(session)
        this_year = date.today().year
        years = sorted(set(years) | {this_year})
        keep = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        for year in years:
            self.year.addItem(str(year), year)
        chosen = keep if keep in years else this_year  # the page opens on the current year
        self.year.setCurrentIndex(max(self.year.findData(chosen), 0))
        self.year.blockSignals(False)
        self.load_year()

    def current_year(self) -> int:
        return self.year.currentData() or date.today().year

    @property
    def loading(self) -> bool:
        return self._loader.busy

    def load_year(self) -> None:
        """Read the year's matrix, then its warnings, off the GUI thread (3,321 communes take longer than a
        click may freeze the window); the table fills in first, the warnings below it next."""
        year, workspace = self.current_year(), self.workspace

        def read():
            with workspace.db.transaction() as session:
                data = matrix.build_matrix(session, year)
                notes = periods.set_notes(session, catalogue.get_set(session, data.set_id)) if data.set_id else []
                pending = len(transition.communes_to_move(session, year))
            return year, data, notes, pending

        def read_warnings():
            with workspace.db.transaction() as session:
                return warnings.warnings_for_year(session, year), warnings.notes_for_year(session, year)

        def show(loaded) -> None:
            self._show_year(loaded)
            # The rows painted first: while a thread reads, each cell painted waits for it to yield (the GIL).
            self.view.viewport().repaint()
            self._warnings_loader.load(read_warnings, lambda found: self._show_warnings(year, *found, loaded[2]))

        self._warnings_loader.cancel()
        self._loader.load(read, show)

    def _show_year(self, loaded) -> None:
        year, data, _set_notes, pending = loaded
        self.model.set_matrix(data)
        columns = (data.set_id, data.criteria)
        if columns != self._sized_for:  # another year on the same set keeps its widths (measuring takes 70 ms)
            self.view.resizeColumnsToContents()
            self._sized_for = columns
        basis = f" ({data.legal_basis})" if data.legal_basis else ""
        if not data.set_id:
            self.heading.setText(self.tr("Chưa có bộ tiêu chí xã nông thôn mới cho năm {0}. Bấm “Bộ tiêu chí…” để "
                                         "nhập bộ tiêu chí của tỉnh.").format(year))
        elif data.communes:
            self.heading.setText(self.tr("<b>Kết quả thực hiện Bộ tiêu chí năm {0}</b> — {1} tiêu chí — {2}{3}")
                                 .format(year, data.total_criteria, data.set_name, basis))
        else:
            self.heading.setText(self.tr("<b>Năm {0} áp dụng {1}</b>{2} — {3} tiêu chí. Chưa có xã nào được theo dõi "
                                         "trong năm này: bấm “Hồ sơ xã…” để thêm xã{4}.").format(
                year, data.set_name, basis, data.total_criteria,
                self.tr(", hoặc “Chuyển xã sang bộ tiêu chí mới…”") if pending else ""))
        self.move_button.setText(self.tr("Chuyển {0} xã sang bộ tiêu chí mới…").format(pending))
        self.move_button.setVisible(bool(pending) and roles.may(self.workspace, Permission.CRITERIA))
        bands = "; ".join(f"{label}: {count} xã" for label, count in data.band_counts)
        self.summary.setText(self.tr("{0} xã. {1}. Bình quân {2} tiêu chí/xã.").format(
            len(data.communes), bands, f"{data.average:.2f}".replace(".", ",")))
        self.warnings.clear()
        self.warnings.addItem(self.tr("Đang xem xét cảnh báo…"))

    def _show_warnings(self, year: int, found, year_notes, set_notes) -> None:
        notes = set_notes + year_notes
        self.warnings.clear()
        for warning in sorted(found, key=lambda w: WARNING_ORDER.get(w.kind, 9)):
            title = self.tr(WARNING_TITLES.get(warning.kind, ""))
            item = QListWidgetItem(f"[{title}] {warning.unit_name}: {warning.message}")
            item.setData(Qt.ItemDataRole.UserRole, warning.unit_id)
            self.warnings.addItem(item)
        if not found:
            self.warnings.addItem(self.tr("Không có cảnh báo cho năm {0}.").format(year))
        for note in notes:  # what the set's data does not hold yet, after the warnings
            item = QListWidgetItem(self.tr("[Lưu ý] {0}").format(note))
            item.setForeground(QBrush(NOTE_COLOR))
            self.warnings.addItem(item)

    # --- actions ---------------------------------------------------------------------------------
    def _selected_unit(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(UNIT_ROLE) if index.isValid() else None

    def open_assessment(self, index) -> None:
        unit_id, code = self.model.cell_target(index) if index.isValid() else (None, None)
        if not unit_id:
            return
        dialog = AssessmentDialog(self.workspace, unit_id, self.current_year(), code, self)
        dialog.exec()
        self.load_year()

    def _warning_opened(self, item: QListWidgetItem) -> None:
        unit_id = item.data(Qt.ItemDataRole.UserRole)
        if unit_id:
            AssessmentDialog(self.workspace, unit_id, self.current_year(), None, self).exec()
            self.load_year()

    def open_profile(self) -> None:
        dialog = ProfileDialog(self.workspace, self._selected_unit(), self.current_year(), self)
        dialog.exec()
        self.refresh()

    def open_transition(self) -> None:
        TransitionDialog(self.workspace, self.current_year(), self._selected_unit(), self).exec()
        self.refresh()

    def open_sets(self) -> None:
        CriteriaSetsDialog(self.workspace, self).exec()
        guarded(self, self.refresh)

