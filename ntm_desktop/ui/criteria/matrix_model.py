"""Table model of the criteria matrix: communes down and criteria across, or the reverse.

The layout is defined once with communes as rows (STT-less: Đơn vị · TC 1…n · Số tiêu
chí đạt · Nhóm theo số tiêu chí đạt · Công nhận · Năm KH đạt chuẩn · the commune's group
or region) plus a last row of per-criterion counts; `transposed` swaps rows and columns.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ntm_desktop.services.criteria.matrix import CommuneLine, Matrix
from ntm_desktop.services.criteria.statuses import CHUA_DAT, CO_BAN_DAT, DAT, NOT_ASSESSED_LABEL, STATUS_LABELS

STATUS_COLORS = {DAT: QColor("#c8e6c9"), CO_BAN_DAT: QColor("#fff0b3"), CHUA_DAT: QColor("#f8c9c4")}
SUMMARY_COLOR = QColor("#e8eef7")
STATUS_MARK = {DAT: "✓", CO_BAN_DAT: "~", CHUA_DAT: "✗"}

UNIT_ROLE = Qt.ItemDataRole.UserRole + 1  # the commune's id (None on the summary line)
CRITERION_ROLE = Qt.ItemDataRole.UserRole + 2  # the criterion's code (None outside criterion columns)
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3  # the status code of a cell


def _tr(text: str) -> str:
    return QCoreApplication.translate("MatrixModel", text)


class MatrixModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._matrix: Matrix | None = None
        self._transposed = False

    # --- data in ---------------------------------------------------------------------------------
    def set_matrix(self, matrix: Matrix) -> None:
        self.beginResetModel()
        self._matrix = matrix
        self.endResetModel()

    def set_transposed(self, transposed: bool) -> None:
        if transposed != self._transposed:
            self.beginResetModel()
            self._transposed = transposed
            self.endResetModel()

    @property
    def transposed(self) -> bool:
        return self._transposed

    @property
    def matrix(self) -> Matrix | None:
        return self._matrix

    # --- the communes-down layout ------------------------------------------------------------
    def _lines(self) -> int:
        return len(self._matrix.communes) + 1 if self._matrix else 0  # + per-criterion counts

    def _fields(self) -> int:
        return 1 + len(self._matrix.criteria) + 5 if self._matrix else 0

    def _field_title(self, field: int) -> str:
        n = len(self._matrix.criteria)
        if field == 0:
            return _tr("Đơn vị")
        if field <= n:
            return _tr("TC {0}").format(self._matrix.criteria[field - 1][0])
        return [_tr("Số tiêu chí đạt"), _tr("Nhóm theo số TC đạt"), _tr("Công nhận"), _tr("Năm KH đạt chuẩn"),
                _tr(self._matrix.target_label)][field - n - 1]

    def _field_tip(self, field: int) -> str | None:
        n = len(self._matrix.criteria)
        if 1 <= field <= n:
            code, name = self._matrix.criteria[field - 1]
            return _tr("Tiêu chí {0}: {1}").format(code, name)
        return None

    def _line_title(self, line: int) -> str:
        if line == len(self._matrix.communes):
            return _tr("Số xã đạt")
        return str(line + 1)

    def _cell(self, line: int, field: int, role: int):
        m = self._matrix
        n = len(m.criteria)
        if line == len(m.communes):
            return self._summary_cell(field, role)
        commune: CommuneLine = m.communes[line]
        if role == UNIT_ROLE:
            return commune.unit_id
        if 1 <= field <= n:
            status = commune.statuses[field - 1]
            tasks = commune.open_tasks[field - 1]
            if role == Qt.ItemDataRole.DisplayRole:
                mark = STATUS_MARK.get(status, "")
                return f"{mark} •{tasks}" if tasks else mark
            if role == Qt.ItemDataRole.BackgroundRole and status in STATUS_COLORS:
                return QBrush(STATUS_COLORS[status])
            if role == Qt.ItemDataRole.ToolTipRole:
                code, name = m.criteria[field - 1]
                text = f"{commune.name} — {_tr('Tiêu chí')} {code}. {name}: "
                text += STATUS_LABELS.get(status, _tr(NOT_ASSESSED_LABEL))
                if tasks:
                    text += "\n" + _tr("{0} nhiệm vụ đang thực hiện gắn với tiêu chí này").format(tasks)
                return text
            if role == CRITERION_ROLE:
                return m.criteria[field - 1][0]
            if role == STATUS_ROLE:
                return status
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if field == 0:
                return commune.name
            extra = field - n - 1
            if extra == 0:
                return commune.result
            if extra == 1:
                return commune.band
            if extra == 2:
                return commune.recognition
            if extra == 3:
                return str(commune.planned_year or "")
            return commune.target_key
        if role == Qt.ItemDataRole.ToolTipRole and field == n + 3 and commune.recognition:
            under = _tr(", theo {0}").format(commune.recognition_set) if commune.recognition_set else ""
            return _tr("Quyết định {0}").format(commune.recognition_decision) + under
        if role == Qt.ItemDataRole.FontRole and field == n + 1:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _summary_cell(self, field: int, role: int):
        m = self._matrix
        n = len(m.criteria)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(SUMMARY_COLOR)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role != Qt.ItemDataRole.DisplayRole:
            if role == Qt.ItemDataRole.TextAlignmentRole and 1 <= field <= n:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if field == 0:
            return _tr("Số xã đạt")
        if field <= n:
            return str(m.met_per_criterion[field - 1])
        if field == n + 1:
            return _tr("TB {0}").format(f"{m.average:.2f}".replace(".", ","))
        return ""

    # --- Qt interface ----------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return self._fields() if self._transposed else self._lines()

    def columnCount(self, parent=QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return self._lines() if self._transposed else self._fields()

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._matrix is None:
            return None
        line, field = (index.column(), index.row()) if self._transposed else (index.row(), index.column())
        return self._cell(line, field, role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if self._matrix is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        along_fields = (orientation == Qt.Orientation.Horizontal) != self._transposed
        if along_fields:
            if section >= self._fields():
                return None
            return self._field_title(section) if role == Qt.ItemDataRole.DisplayRole else self._field_tip(section)
        if section >= self._lines():
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return None
        if self._transposed:
            return (self._matrix.communes[section].name if section < len(self._matrix.communes)
                    else _tr("Số xã đạt"))
        return self._line_title(section)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def cell_target(self, index: QModelIndex) -> tuple[str | None, str | None]:
        """(commune id, criterion code) of a cell, for opening the assessment."""
        return index.data(UNIT_ROLE), index.data(CRITERION_ROLE)
