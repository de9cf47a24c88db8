"""Demo data: the real directives shipped in resources/demo, their units and tasks.

Dates are moved next to today so the screens show a live office: directives
that arrived over the last weeks, tasks overdue, due this week, done on time
and late. The choice is deterministic, so the demo looks the same every time.
Assignees are read as a paste is (services.assignment): "UBND các xã, phường"
gives each commune of the province its own task; a group no unit stands for
("các cơ quan liên quan", the districts that no longer exist) stays in the notes.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Directive, Unit
from ntm_desktop.resources import resource
from ntm_desktop.services import settings, units
from ntm_desktop.services.assignment import UnitChoice, UnitTree, assign
from ntm_desktop.services.deadlines import DeadlineKind, Period, Recurrence
from ntm_desktop.services.demo_units import BASE_UNITS, OFFICE_CODE, build_units
from ntm_desktop.services.directives import DirectiveInput, create_directive
from ntm_desktop.services.paste import guess_level, task_notes
from ntm_desktop.services.tasks import TaskInput, add_progress, complete_task, create_task
from ntm_desktop.text import fold

__all__ = ["BASE_UNITS", "OFFICE_CODE", "build_demo", "load_fixtures"]

DOC_TYPE_CODES = {"Công văn": "CV", "Thông báo": "TB", "Kế hoạch": "KH", "Quyết định": "QĐ"}
PROVINCE_OF_ISSUER = {"tuyen quang": "TQ", "bac giang": "BG", "lao cai": "LC"}

# Outcomes cycled over tasks, so that every status appears.
PAST_OFFSETS = [-9, -3, -16, -1, -24, -6]
FUTURE_OFFSETS = [2, 5, 12, 1, 26, 40]


def _code_for(session: Session, prefix: str, name: str) -> str:
    initials = "".join(w[0] for w in fold(name).replace(",", " ").split() if w[0].isalnum()).upper()[:10]
    code, n = f"{prefix}-{initials}", 1
    while units.find_by_code(session, code):
        n += 1
        code = f"{prefix}-{initials}{n}"
    return code


class _Tree:
    """The demo tree as the directives' assignees are read against it; a name it lacks becomes a unit."""

    def __init__(self, session: Session, office_id: str):
        self.session, self.office = session, office_id
        self.units = UnitTree.read(session)

    def make(self, choice: UnitChoice, province_id: str, on: date) -> str:
        found = choice.unit_id or self.units.find(choice.name, province_id, on)
        if found:
            return found
        province = self.units.units[province_id]
        unit_id = units.create_unit(
            self.session, owner_unit_id=self.office, code=_code_for(self.session, province.code, choice.name),
            name=choice.name, level_code=guess_level(choice.name), parent_id=province_id,
        )
        self.units = UnitTree.read(self.session)
        return unit_id

    def province(self, issuer: str, on: date) -> str:
        """The issuer's province as it stands on `on` (Bắc Giang's letters are now Bắc Ninh's business)."""
        code = next((c for k, c in PROVINCE_OF_ISSUER.items() if k in fold(issuer)), "LC")
        return self.units.current(self.units.units[units.find_by_code(self.session, code).id], on).id

    def issuer(self, name: str, province_id: str, on: date) -> str:
        """The issuer as it signed, even a province merged since."""
        same = [u.id for u in self.units.units.values() if fold(u.name) == fold(name)]
        return same[0] if same else self.make(UnitChoice(name), province_id, on)


def load_fixtures(folder: Path | None = None) -> list[tuple[dict, str]]:
    folder = folder or resource("demo")
    items = []
    for path in sorted(folder.glob("*.json")):
        extraction = json.loads(path.read_text(encoding="utf-8"))
        text_path = path.with_suffix(".txt")
        items.append((extraction, text_path.read_text(encoding="utf-8") if text_path.exists() else ""))
    items.sort(key=lambda item: item[0].get("date") or "")
    return items


def _deadline(task: dict, doc_date: date, today: date, index: int) -> TaskInput | dict:
    """The task's deadline moved next to today, keeping its form (date, period, recurrence, none)."""
    recurrence = task.get("recurrence")
    if recurrence:
        kind = recurrence.split(",")[0].strip()
        day, month = 31, 12
        if "by" in recurrence:
            d, m = recurrence.split("by")[1].strip().split("/")
            day, month = int(d), int(m)
        rec = Recurrence(kind)
        return dict(deadline_kind=DeadlineKind.RECURRING, recurrence=rec, recurrence_day=day if rec != Recurrence.MONTHLY else 15,
                    recurrence_month=month if rec == Recurrence.YEARLY else None,
                    deadline_text=task.get("deadline_text") or "")
    if not task.get("deadline"):
        return dict(deadline_kind=DeadlineKind.NONE, deadline_text=task.get("deadline_text") or "")
    if index % 6 == 2:  # falls due by this Sunday, so "due this week" is never empty whatever the weekday
        due = today + timedelta(days=6 - today.weekday())
        return dict(deadline_kind=DeadlineKind.DATE, deadline_date=due, deadline_text=f"Trước ngày {due:%d/%m/%Y}")
    offsets = PAST_OFFSETS if index % 3 != 2 else FUTURE_OFFSETS
    due = max(today + timedelta(days=offsets[index % len(offsets)]), doc_date + timedelta(days=5))
    text = (task.get("deadline_text") or "").lower()
    if "quý" in text or "tháng" in text and "ngày" not in text or ("năm" in text and "ngày" not in text):
        if "quý" in text:
            period = Period(due.year, quarter=(due.month - 1) // 3 + 1)
        elif "tháng" in text:
            period = Period(due.year, month=due.month)
        else:
            period = Period(due.year)
        return dict(deadline_kind=DeadlineKind.PERIOD, period_text=period.label, deadline_text=f"Trong {period.label}")
    return dict(deadline_kind=DeadlineKind.DATE, deadline_date=due, deadline_text=f"Trước ngày {due:%d/%m/%Y}")


def build_demo(session: Session, today: date | None = None) -> str:
    """Fill an empty database with the demo office, its units, directives and tasks."""
    today = today or date.today()
    if session.scalar(select(Directive.id).limit(1)) or session.scalar(select(Unit.id).limit(1)):
        raise ValidationError("Thư mục dữ liệu đã có dữ liệu; dữ liệu mẫu chỉ nạp vào thư mục trống.")
    office = build_units(session)
    settings.put(session, settings.OFFICE_UNIT, office)
    fixtures = load_fixtures()
    tree = _Tree(session, office)
    task_index = 0
    for n, (doc, full_text) in enumerate(fixtures):
        arrival = today - timedelta(days=4 * (len(fixtures) - n) + 1)
        doc_date = arrival - timedelta(days=2 + n % 3)
        province = tree.province(doc["issuer"], doc_date)
        directive_id = create_directive(session, office, DirectiveInput(
            arrival_date=arrival, arrival_number=n + 1, subject=doc["subject"],
            issuer_unit_id=tree.issuer(doc["issuer"], province, doc_date),
            number_symbol=doc.get("number_symbol") or "", doc_date=doc_date,
            doc_type=DOC_TYPE_CODES.get(doc["doc_type"], "CV"),
            signer=f"{doc.get('signer_title') or ''} {doc.get('signer') or ''}".strip().title(),
            recipients="Lãnh đạo Văn phòng; Phòng Tổng hợp", transfer_date=arrival,
            full_text=full_text,
        ))
        for task in doc.get("tasks", []):
            assignment = assign(tree.units, UnitChoice(task["assignee"]),
                                tuple(UnitChoice(c) for c in task.get("cooperating", [])), province, doc_date)
            leads = [tree.make(c, province, doc_date) for c in assignment.leads] or [office]
            cooperating = [tree.make(c, province, doc_date) for c in assignment.cooperating]
            deadline = _deadline(task, doc_date, today, task_index)
            if task.get("deadline") and not task.get("recurrence"):
                task_index += 1
            for k, lead in enumerate(dict.fromkeys(leads)):  # each unit of a group: its own task and pace
                task_id = create_task(session, TaskInput(
                    directive_id=directive_id, summary=task["summary"], lead_unit_id=lead,
                    cooperating_unit_ids=tuple(u for u in dict.fromkeys(cooperating) if u != lead),
                    notes=task_notes(assignment), **deadline,
                ))
                _progress(session, task_id, task_index + k, arrival, today)
    from ntm_desktop.services.demo_criteria import build_criteria_demo

    build_criteria_demo(session, office, today)
    return office


def _progress(session: Session, task_id: str, index: int, arrival: date, today: date) -> None:
    from ntm_desktop.services.tasks import load

    task = load(session, task_id)
    due = task.due_date
    report_day = min(today, arrival + timedelta(days=2))
    if index % 5 == 4:
        return  # never touched: not started, or overdue without a word
    add_progress(session, task_id, report_day, "Đã giao chuyên viên theo dõi, đang triển khai.", "Chuyên viên VPĐP")
    if due and due < today:
        if index % 3 == 0:
            complete_task(session, task_id, max(report_day, due - timedelta(days=1)), f"{120 + index}/BC-VPĐP")
        elif index % 3 == 1:
            complete_task(session, task_id, min(today, due + timedelta(days=2)), f"{120 + index}/BC-VPĐP")
    elif due and index % 7 == 0:
        complete_task(session, task_id, report_day, f"{120 + index}/BC-VPĐP")
