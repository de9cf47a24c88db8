"""Demo data: the real directives shipped in resources/demo, their units and tasks.

Dates are moved next to today so the screens show a live office: directives
that arrived over the last weeks, tasks overdue, due this week, done on time
and late. The choice is deterministic, so the demo looks the same every time.
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
from ntm_desktop.services.deadlines import DeadlineKind, Period, Recurrence
from ntm_desktop.services.directives import DirectiveInput, create_directive
from ntm_desktop.services.tasks import TaskInput, add_progress, complete_task, create_task
from ntm_desktop.text import fold

DOC_TYPE_CODES = {"Công văn": "CV", "Thông báo": "TB", "Kế hoạch": "KH", "Quyết định": "QĐ"}

# (code, name, short name, level, parent code, valid_from, valid_to, successor code)
BASE_UNITS = [
    ("LC", "Ủy ban nhân dân tỉnh Lào Cai", "UBND tỉnh Lào Cai", "tinh", None, None, None, None),
    ("YB", "Ủy ban nhân dân tỉnh Yên Bái", "UBND tỉnh Yên Bái", "tinh", None, None, "2025-06-30", "LC"),
    ("TQ", "Ủy ban nhân dân tỉnh Tuyên Quang", "UBND tỉnh Tuyên Quang", "tinh", None, None, None, None),
    ("BG", "Ủy ban nhân dân tỉnh Bắc Giang", "UBND tỉnh Bắc Giang", "tinh", None, None, "2025-06-30", None),
    ("LC-VP", "Văn phòng Ủy ban nhân dân tỉnh Lào Cai", "Văn phòng UBND tỉnh", "so", "LC", None, None, None),
    ("LC-VPDP", "Văn phòng Điều phối nông thôn mới tỉnh Lào Cai", "VPĐP NTM tỉnh", "so", "LC", None, None, None),
    ("LC-SNNMT", "Sở Nông nghiệp và Môi trường", "Sở NN&MT", "so", "LC", "2025-03-01", None, None),
    ("LC-SNN", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", "so", "LC", None, "2025-02-28", "LC-SNNMT"),
    ("LC-YENBINH", "Ủy ban nhân dân xã Yên Bình", "UBND xã Yên Bình", "xa", "LC", "2025-07-01", None, None),
    ("YB-YENBINH-H", "Ủy ban nhân dân huyện Yên Bình", "UBND huyện Yên Bình", "huyen", "YB", None, "2025-06-30", "LC-YENBINH"),
    ("LC-PYENBAI", "Ủy ban nhân dân phường Yên Bái", "UBND phường Yên Bái", "phuong", "LC", "2025-07-01", None, None),
    ("LC-PVANPHU", "Ủy ban nhân dân phường Văn Phú", "UBND phường Văn Phú", "phuong", "LC", "2025-07-01", None, None),
    ("LC-PAULAU", "Ủy ban nhân dân phường Âu Lâu", "UBND phường Âu Lâu", "phuong", "LC", "2025-07-01", None, None),
    ("TQ-HAMYEN", "Ủy ban nhân dân huyện Hàm Yên", "UBND huyện Hàm Yên", "huyen", "TQ", None, "2025-06-30", None),
    ("TQ-SONDUONG", "Ủy ban nhân dân huyện Sơn Dương", "UBND huyện Sơn Dương", "huyen", "TQ", None, "2025-06-30", None),
]
OFFICE_CODE = "LC-VPDP"
PROVINCE_OF_ISSUER = {"tuyen quang": "TQ", "bac giang": "BG", "lao cai": "LC"}

# Outcomes cycled over tasks, so that every status appears.
PAST_OFFSETS = [-9, -3, -16, -1, -24, -6]
FUTURE_OFFSETS = [2, 5, 12, 1, 26, 40]


def _level_for(name: str) -> str:
    folded = fold(name)
    if folded.startswith("so "):
        return "so"
    if "," in folded or " cac " in f" {folded} " or folded.startswith("cac "):
        return "khac"  # a group of units written as one assignee
    if "huyen" in folded:
        return "huyen"
    if "phuong" in folded:
        return "phuong"
    if " xa " in f" {folded} ":
        return "xa"
    return "khac"


def _code_for(session: Session, prefix: str, name: str) -> str:
    initials = "".join(w[0] for w in fold(name).replace(",", " ").split() if w[0].isalnum()).upper()[:10]
    code, n = f"{prefix}-{initials}", 1
    while units.find_by_code(session, code):
        n += 1
        code = f"{prefix}-{initials}{n}"
    return code


def _unit_named(session: Session, name: str, province: str, office_id: str) -> str:
    parent = units.find_by_code(session, province)
    folded = fold(name)
    for unit in session.scalars(select(Unit).where(Unit.parent_id == parent.id)):
        if fold(unit.name) == folded or fold(unit.short_name or "") == folded:
            return unit.id
    if fold(parent.name) == folded:
        return parent.id
    return units.create_unit(
        session, owner_unit_id=office_id, code=_code_for(session, province, name), name=name,
        level_code=_level_for(name), parent_id=parent.id,
    )


def _is_generic(name: str) -> bool:
    """"các cơ quan liên quan", "địa phương": wording, not a unit to file tasks under."""
    folded = fold(name)
    return folded.startswith("cac ") or "lien quan" in folded or folded in {"dia phuong", "chinh quyen dia phuong"}


def _parse_partial(value: str | None) -> date | None:
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _build_units(session: Session) -> str:
    ids: dict[str, str] = {}
    for code, name, short, level, parent, vfrom, vto, _ in BASE_UNITS:
        ids[code] = units.create_unit(
            session, code=code, name=name, short_name=short, level_code=level,
            parent_id=ids.get(parent), valid_from=_parse_partial(vfrom), valid_to=_parse_partial(vto),
        )
    for code, *_, successor in BASE_UNITS:
        if successor:
            session.get(Unit, ids[code]).successor_id = ids[successor]
    office = ids[OFFICE_CODE]
    for unit_id in ids.values():
        session.get(Unit, unit_id).owner_unit_id = office
    return office


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
    office = _build_units(session)
    settings.put(session, settings.OFFICE_UNIT, office)
    fixtures = load_fixtures()
    task_index = 0
    for n, (doc, full_text) in enumerate(fixtures):
        arrival = today - timedelta(days=4 * (len(fixtures) - n) + 1)
        doc_date = arrival - timedelta(days=2 + n % 3)
        province = next((c for k, c in PROVINCE_OF_ISSUER.items() if k in fold(doc["issuer"])), "LC")
        issuer = _unit_named(session, doc["issuer"], province, office)
        directive_id = create_directive(session, office, DirectiveInput(
            arrival_date=arrival, arrival_number=n + 1, subject=doc["subject"], issuer_unit_id=issuer,
            number_symbol=doc.get("number_symbol") or "", doc_date=doc_date,
            doc_type=DOC_TYPE_CODES.get(doc["doc_type"], "CV"),
            signer=f"{doc.get('signer_title') or ''} {doc.get('signer') or ''}".strip().title(),
            recipients="Lãnh đạo Văn phòng; Phòng Tổng hợp", transfer_date=arrival,
            full_text=full_text,
        ))
        for task in doc.get("tasks", []):
            lead_name = task["assignee"].split(";")[0].strip()
            lead = _unit_named(session, lead_name, province, office)
            named = [c for c in task.get("cooperating", []) if not _is_generic(c)]
            generic = [c for c in task.get("cooperating", []) if _is_generic(c)]
            cooperating = tuple(dict.fromkeys(
                u for u in (_unit_named(session, c, province, office) for c in named) if u != lead
            ))
            deadline = _deadline(task, doc_date, today, task_index)
            if task.get("deadline") and not task.get("recurrence"):
                task_index += 1
            task_id = create_task(session, TaskInput(
                directive_id=directive_id, summary=task["summary"], lead_unit_id=lead,
                cooperating_unit_ids=cooperating, notes="Phối hợp: " + "; ".join(generic) if generic else "",
                **deadline,
            ))
            _progress(session, task_id, task_index, arrival, today)
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
