"""The office chosen from the official catalogue of administrative units, at first start.

A commune's People's Committee picks its province and its commune; a provincial department or the
province's NTM coordination office picks its province (a department also types its name). The search
box matches without diacritics or case as the user types ("muong bo" finds Xã Mường Bo), among the units
in force and the former ones (a former commune leads to the commune that carries it on). Up and Down move
in the list, Enter or a click chooses. What will be made is said below, from the same checks the set-up
runs (catalogue.check_choice), so a commune of another province is told before anything is written.

The search index is built off the GUI thread as the dialog opens (about half a second); keys typed before it
is ready are not held up, the list follows as soon as it is.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget,
)

from ntm_desktop.catalogue import Catalogue, Entry, OfficeChoice, OfficePlan, catalogue, check_choice
from ntm_desktop.catalogue.data import COMMUNE_KINDS
from ntm_desktop.errors import UserError

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
CATALOGUE_KINDS = ("xa", "so", "vpdp")  # the kinds chosen from the catalogue, in the order offered
RESULTS = 50  # rows the list shows for a search
ROWS_SHOWN = 7
FORMER_TEXT = QColor("#5f6368")
WRONG_TEXT = "#b3261e"


class CatalogueOfficeForm(QWidget):
    """Province, commune (or the department's name) from the catalogue; `choice()` is what set_up_office
    takes. `chosen` is emitted when Enter chose a unit, so the dialog can move on."""

    chosen = Signal()
    changed = Signal()

    def __init__(self, cat: Catalogue | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._cat = cat or catalogue()
        # The search index (about 0.5 s) is built while the person reads the dialog; a search waits for it.
        self._indexing = threading.Thread(target=self._warm_up, name="unit-catalogue-index", daemon=True)
        self._indexing.start()
        self._waiting = QTimer(self, singleShot=True, interval=30)
        self._waiting.timeout.connect(self.refresh)
        self._kind = "xa"
        self._commune: Entry | None = None
        self._note = ""
        self.search_seconds: deque[float] = deque(maxlen=1000)  # each refresh of the list: a keystroke's cost

        self.province = QComboBox()
        self.province.addItem(self.tr("— Chọn tỉnh, thành phố —"), "")
        for entry in self._cat.provinces():
            self.province.addItem(entry.name, entry.code)
        self.province.setMaxVisibleItems(12)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setUniformItemSizes(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # long rows: "…"
        self.results.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay in the search box, as in a completer
        self.results.addItem("Xã")  # one row, to measure
        self.results.setFixedHeight(self.results.sizeHintForRow(0) * ROWS_SHOWN + 2 * self.results.frameWidth())
        self.results.clear()
        self.chosen_label = QLabel()
        self.chosen_label.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("Ví dụ: Sở Nông nghiệp và Môi trường"))
        self.code = QLineEdit()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)

        self._form = form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Tỉnh, thành phố:"), self.province)
        self._search_label = QLabel()
        self._search_label.setBuddy(self.search)
        form.addRow(self._search_label, self.search)
        form.addRow("", self.results)
        form.addRow(self.tr("Đã chọn:"), self.chosen_label)
        form.addRow(self.tr("Tên cơ quan:"), self.name)
        form.addRow(self.tr("Mã cơ quan:"), self.code)
        form.addRow(self.summary)

        self.province.currentIndexChanged.connect(self._province_changed)
        self.search.textChanged.connect(lambda _text: self.refresh())
        self.search.installEventFilter(self)
        self.results.itemClicked.connect(self._choose_item)
        self.name.textChanged.connect(self._update_summary)
        self.code.textChanged.connect(self._update_summary)
        self.set_kind("xa")

    def _warm_up(self) -> None:
        """The index, and the rows of the two searches the form makes before a province is chosen."""
        self._cat.search("a", RESULTS, kinds=COMMUNE_KINDS)
        self._cat.search("a", RESULTS, kinds=("tinh",))

    def ready(self) -> bool:
        """The search index is built: from now on a keystroke answers in milliseconds."""
        return not self._indexing.is_alive()

    # --- what was chosen ------------------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self._kind

    def province_code(self) -> str:
        return self.province.currentData() or ""

    def commune(self) -> Entry | None:
        return self._commune

    def choice(self) -> OfficeChoice:
        commune = self._commune.code if self._kind == "xa" and self._commune else ""
        name = self.name.text() if self._kind == "so" else ""
        code = self.code.text() if self._kind == "so" else ""
        return OfficeChoice(self._kind, self.province_code(), commune, name, code)

    def missing(self) -> str:
        """What still has to be chosen or typed, in Vietnamese; "" when the choice is complete."""
        if self._kind == "xa" and self._commune is None:
            return self.tr("Hãy chọn xã, phường hoặc đặc khu của cơ quan: gõ vài chữ của tên (không cần dấu, "
                           "ví dụ “muong bo”) rồi chọn trong danh sách.")
        if not self.province_code() and self._kind != "xa":
            return self.tr("Hãy chọn tỉnh, thành phố của cơ quan.")
        if self._kind == "so" and not self.name.text().strip():
            return self.tr("Hãy nhập tên cơ quan, ví dụ “Sở Nông nghiệp và Môi trường”.")
        return ""

    # --- the kind of office ---------------------------------------------------------------------------------

    def set_kind(self, kind: str) -> None:
        commune = kind == "xa"
        if commune != (self._kind == "xa"):  # a commune's name is no search for a province, nor the reverse
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
        self._kind = kind
        self._form.setRowVisible(self.chosen_label, commune)
        self._form.setRowVisible(self.name, kind == "so")
        self._form.setRowVisible(self.code, kind == "so")
        if commune:
            self._search_label.setText(self.tr("Tìm &xã, phường:"))
            self.search.setPlaceholderText(self.tr("Gõ tên xã, phường, đặc khu, không cần dấu (ví dụ: muong bo)"))
        else:
            self._search_label.setText(self.tr("Tìm &tỉnh:"))
            self.search.setPlaceholderText(self.tr("Gõ tên tỉnh, thành phố, không cần dấu (ví dụ: lao cai)"))
        self.refresh()

    # --- the list -------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """The list for the search text: the province's communes (all of them while nothing is typed),
        the country's when no province is chosen; provinces for a provincial office."""
        started = time.perf_counter()
        text = self.search.text()
        if text.strip() and not self.ready():
            self._waiting.start()  # the index is still being built: the keys are not held up, the list follows
            self.results.clear()  # nothing stale to choose meanwhile
            return
        province = self.province_code() or None
        if self._kind == "xa":
            if text.strip():
                found = self._cat.search(text, RESULTS, province_code=province, kinds=COMMUNE_KINDS)
            else:
                found = self._cat.communes(province) if province else []
        elif text.strip():
            found = self._cat.search(text, RESULTS, kinds=("tinh",))
        else:
            found = self._cat.provinces()
        self.results.setUpdatesEnabled(False)
        self.results.clear()
        for entry in found:
            item = QListWidgetItem(self._label(entry))
            item.setData(ENTRY_ROLE, entry)
            item.setToolTip(item.text())
            if not entry.in_force:
                item.setForeground(FORMER_TEXT)
            self.results.addItem(item)
        if found:
            self.results.setCurrentRow(self._current_row(found))
        self.results.setUpdatesEnabled(True)
        self.search_seconds.append(time.perf_counter() - started)
        self._update_summary()

    def _current_row(self, found: list[Entry]) -> int:
        """The row the list starts on: the unit already chosen when it is listed, else the first."""
        chosen = self._commune.code if self._kind == "xa" and self._commune else self.province_code()
        for row, entry in enumerate(found):
            if entry.in_force and entry.code == chosen:
                return row
        return 0

    def _label(self, entry: Entry) -> str:
        cat = self._cat
        if entry.in_force:
            if entry.is_province:
                return self.tr("%1 · mã %2").replace("%1", entry.name).replace("%2", entry.code)
            return (self.tr("%1 · %2 · mã %3").replace("%1", entry.name)
                    .replace("%2", cat.province_of(entry).name).replace("%3", entry.code))
        old_province = None if entry.is_province else cat.province_of(entry)
        where = ", ".join(_lower_first(u.name) for u in (cat.district_of(entry), old_province) if u is not None)
        text = self.tr("%1 cũ (%2)").replace("%1", entry.name).replace("%2", where) if where else self.tr(
            "%1 cũ").replace("%1", entry.name)
        now = cat.successor(entry)
        if now is None:
            return text
        now_text = now.name
        if not now.is_province and (old_province is None or cat.province_of(now).name != old_province.name):
            now_text += ", " + _lower_first(cat.province_of(now).name)
        return text + " → " + now_text

    def move(self, step: int) -> None:
        """Up or Down (step ±1), Page Up or Page Down (±ROWS_SHOWN) in the list, from the search box."""
        count = self.results.count()
        if count:
            row = min(max(self.results.currentRow() + step, 0), count - 1)
            self.results.setCurrentRow(row)

    def choose_current(self) -> bool:
        item = self.results.currentItem()
        if item is None:
            return False
        self._choose_item(item)
        return True

    def _choose_item(self, item: QListWidgetItem) -> None:
        self.choose(item.data(ENTRY_ROLE))

    def choose(self, entry: Entry) -> None:
        """Take a unit of the list: a former one stands for the unit in force that carries it on."""
        cat = self._cat
        now = cat.successor(entry) or entry
        self._note = ""
        if not entry.in_force:
            self._note = self.tr("%1 cũ nay thuộc %2.").replace("%1", entry.name).replace("%2", now.name)
            if entry.divided:
                others = ", ".join(e.name for e in cat.successors(entry)[1:])
                self._note += " " + self.tr("Một phần đã sang %1; nếu cơ quan là một trong các đơn vị đó, hãy "
                                            "chọn lại.").replace("%1", others)
        if now.is_province:
            self._set_province(now.code)
        else:
            self._commune = now
            self._set_province(now.province_code)
        self.search.blockSignals(True)
        self.search.setText(now.name)
        self.search.blockSignals(False)
        self.refresh()
        self.chosen.emit()

    def _set_province(self, code: str) -> None:
        index = self.province.findData(code)
        if index >= 0 and index != self.province.currentIndex():
            self.province.blockSignals(True)
            self.province.setCurrentIndex(index)
            self.province.blockSignals(False)

    def _province_changed(self) -> None:
        """Another province: the list shows its units; a commune chosen elsewhere stays, and the summary says
        it is not of this province (set-up refuses it), and the search starts again among this province's."""
        commune = self._commune
        if self._kind == "xa" and commune is not None and commune.province_code != self.province_code():
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
        self.refresh()
        self.changed.emit()

    # --- what will be made ----------------------------------------------------------------------------------

    def plan(self) -> OfficePlan:
        return check_choice(self.choice(), self._cat)

    def _update_summary(self) -> None:
        commune = self._commune
        if commune is not None:
            text = (self.tr("%1 (mã %2), %3").replace("%1", commune.name).replace("%2", commune.code)
                    .replace("%3", self._cat.province_of(commune).name))
            self.chosen_label.setText(text + (f"\n{self._note}" if self._note else ""))
        else:
            self.chosen_label.setText(self.tr("(chưa chọn)"))
        if self._kind == "so":
            proposed = self._proposed_code()
            self.code.setPlaceholderText(self.tr("Để trống: %1").replace("%1", proposed) if proposed else
                                         self.tr("Để trống để dùng chữ đầu của tên, ví dụ 15-SNNMT"))
        missing = self.missing()
        if missing:
            self._say(missing)
            return
        try:
            plan = self.plan()
        except UserError as error:
            self._say(str(error), wrong=True)
            return
        self._say(self._plan_text(plan))

    def _proposed_code(self) -> str:
        if not self.province_code() or not self.name.text().strip():
            return ""
        try:
            return check_choice(OfficeChoice("so", self.province_code(), name=self.name.text()), self._cat).office_code
        except UserError:
            return ""

    def _plan_text(self, plan: OfficePlan) -> str:
        province = plan.province
        body = f"Ủy ban nhân dân {_lower_first(province.name)}"
        text = (self.tr("Sẽ tạo đơn vị của máy: %1 (mã %2), thuộc %3")
                .replace("%1", plan.office_name).replace("%2", plan.office_code).replace("%3", body))
        communes = sum(1 for e in plan.units if e.is_commune)
        if plan.kind == "xa":
            text += self.tr(", cùng Văn phòng Điều phối nông thôn mới %1 (nơi nhận báo cáo).").replace(
                "%1", _lower_first(province.name))
        else:
            text += self.tr(", cùng %1 xã, phường, đặc khu của tỉnh.").replace("%1", str(communes))
        return text + "\n" + self.tr("Tiêu đề báo cáo: cơ quan chủ quản %1, cơ quan ban hành %2.").replace(
            "%1", f"UBND {_lower_first(province.name)}").replace("%2", plan.office_name)

    def _say(self, text: str, wrong: bool = False) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {WRONG_TEXT};" if wrong else "")

    # --- keys in the search box -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: ROWS_SHOWN,
                     Qt.Key.Key_PageUp: -ROWS_SHOWN}
            if key in steps:
                self.move(steps[key])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._waiting.isActive():
                return True  # the list is not there yet: Enter neither chooses nor starts
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._would_change():
                self.choose_current()
                return True
        return super().eventFilter(watched, event)

    def _would_change(self) -> bool:
        """Enter chooses the row under the cursor unless it is already the choice (then Enter goes on to the
        dialog's button)."""
        item = self.results.currentItem()
        if item is None:
            return False
        entry: Entry = item.data(ENTRY_ROLE)
        if not entry.in_force:
            return True
        chosen = self._commune.code if self._kind == "xa" and self._commune else self.province_code()
        return entry.code != chosen


def _lower_first(name: str) -> str:
    """"Thị xã Sa Pa" -> "thị xã Sa Pa" (a unit named inside a sentence)."""
    return name[:1].lower() + name[1:]
