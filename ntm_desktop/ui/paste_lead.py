"""The lead cell of a pasted task: the unit box, and under it what the assignee becomes once registered."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ntm_desktop.services.assignment import Assignment
from ntm_desktop.services.units import UnitRow
from ntm_desktop.ui.unit_combo import UnitCombo


def _tr(text: str) -> str:
    return QCoreApplication.translate("PasteLead", text)


def _names(choices, limit: int = 3) -> str:
    names = [c.name for c in choices]
    return "; ".join(names[:limit]) + ("; …" if len(names) > limit else "")


def describe(assignment: Assignment, office_name: str, typed_cooperating: int = 0) -> tuple[str, str]:
    """(line under the box, tooltip): how many tasks the assignee gives, to whom.

    `typed_cooperating`: how many cooperating names the row holds; more units than
    that means a group ("các sở, ngành") was read as its units, which is said too.
    """
    leads, cooperating = assignment.leads, assignment.cooperating
    everyone = "\n".join(c.name for c in leads)
    if cooperating and len(cooperating) > typed_cooperating:
        everyone += ("\n\n" if everyone else "") + _tr("Phối hợp:") + "\n" + "\n".join(c.name for c in cooperating)
    if not leads:
        return (_tr("→ Chưa có đơn vị nào thuộc nhóm này: {office} theo dõi, nguyên văn ghi vào ghi chú.")
                .format(office=office_name), assignment.lead_wording)
    if len(leads) > 1:
        return (_tr("→ {n} nhiệm vụ, mỗi đơn vị một: {names}").format(n=len(leads), names=_names(leads)), everyone)
    lead = leads[0]
    new = "" if lead.unit_id else _tr(" (đơn vị mới, sẽ được thêm vào danh sách)")
    if assignment.lead_wording:
        extra = _tr("; phối hợp: {names}").format(names=_names(cooperating)) if cooperating else ""
        return _tr("→ Chủ trì: {lead}{new}{extra}").format(lead=lead.name, new=new, extra=extra), everyone
    if cooperating and len(cooperating) > typed_cooperating:
        line = _tr("→ Phối hợp: {n} đơn vị ({names})").format(n=len(cooperating), names=_names(cooperating))
        return (_tr("→ Đơn vị mới.") + " " + line[2:] if new else line), everyone
    return (_tr("→ Đơn vị mới, sẽ được thêm vào danh sách đơn vị.") if new else "", "")


class LeadCell(QWidget):
    """A UnitCombo for the lead unit and a line saying what the assignee becomes."""

    edited = Signal()

    def __init__(self, units: list[UnitRow], parent: QWidget | None = None):
        super().__init__(parent)
        self.combo = UnitCombo(units)
        self.plan_label = QLabel()
        self.plan_label.setWordWrap(True)
        self.plan_label.setStyleSheet("color: #555555; font-size: 11px;")
        box = QVBoxLayout(self)
        box.setContentsMargins(2, 1, 2, 1)
        box.setSpacing(0)
        box.addWidget(self.combo)
        box.addWidget(self.plan_label, 1)
        self.combo.currentTextChanged.connect(lambda _text: self.edited.emit())
        self.combo.currentTextChanged.connect(self.combo.setToolTip)  # the whole name, where the cell cuts it

    def show_plan(self, assignment: Assignment, office_name: str, typed_cooperating: int = 0) -> None:
        line, tooltip = describe(assignment, office_name, typed_cooperating)
        self.plan_label.setText(line)
        self.plan_label.setToolTip(tooltip)
        self.plan_label.setVisible(bool(line))
