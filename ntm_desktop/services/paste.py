"""A pasted directive, once reviewed, becomes a registered directive and its tasks in one step.

The parser proposes (ntm_desktop.parsing); the officer reviews a `DirectiveDraft`
built from that proposal; `save_draft` registers the directive, creates the
units that matched nothing and assigns the tasks. It runs inside the caller's
session (one transaction): if any part fails nothing is saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import DOC_TYPES, Unit
from ntm_desktop.parsing import Proposal
from ntm_desktop.parsing.units import match_unit
from ntm_desktop.services import directives, settings, tasks, units
from ntm_desktop.services.deadlines import DeadlineError, DeadlineKind, Recurrence, parse_period
from ntm_desktop.services.directives import DirectiveInput
from ntm_desktop.services.tasks import TaskInput
from ntm_desktop.text import fold, nfc

# Report days used when a recurring instruction names none: monthly and quarterly
# reports before the 15th (the reporting month ends on the 14th), yearly before 15/12.
DEFAULT_RECURRENCE_DAY = 15
DEFAULT_YEARLY_MONTH = 12


@dataclass(frozen=True)
class UnitChoice:
    """A unit as reviewed: a known unit (`unit_id`) or a new one to create under `name`."""

    name: str
    unit_id: str | None = None


@dataclass(frozen=True)
class TaskDraft:
    summary: str
    lead: UnitChoice
    cooperating: tuple[UnitChoice, ...] = ()
    deadline: date | None = None
    deadline_text: str = ""
    recurrence: str | None = None  # Recurrence value, optionally ", by dd/mm"
    source_line: int | None = None


@dataclass(frozen=True)
class DirectiveDraft:
    doc_type: str  # a code of models.DOC_TYPES
    number_symbol: str
    issuer: UnitChoice
    doc_date: str | None  # "YYYY-MM-DD", "YYYY-MM" or "YYYY" as the parser proposes
    subject: str
    signer: str
    recipients: str
    full_text: str
    tasks: tuple[TaskDraft, ...] = field(default=())


def known_units(session: Session) -> list[tuple[str, str]]:
    """(unit_id, name) pairs for the parser: full and short names of every live unit."""
    pairs = []
    for row in units.all_units(session):
        pairs.append((row.id, row.name))
        if row.short_name:
            pairs.append((row.id, row.short_name))
    return pairs


def doc_type_code(name: str | None) -> str:
    """"Kế hoạch" -> "KH"; a code stays itself; unknown or none -> "CV" (công văn)."""
    if not name:
        return "CV"
    if name in DOC_TYPES:
        return name
    folded = fold(name)
    for code, label in DOC_TYPES.items():
        if fold(label) == folded or fold(code) == folded:
            return code
    return "CV"


def _signer(name: str | None, title: str | None) -> str:
    title = (title or "").strip()
    if title and title.isupper():
        title = title[:1] + title[1:].lower()
    return " ".join(p for p in (title, (name or "").strip()) if p)


def is_generic(name: str) -> bool:
    """A cooperating "các cơ quan có liên quan", "địa phương": wording kept in the notes, not a unit."""
    folded = fold(name)
    return folded.startswith("cac ") or "lien quan" in folded or folded in {"dia phuong", "chinh quyen dia phuong"}


def draft_from_proposal(proposal: Proposal, text: str) -> DirectiveDraft:
    """The officer's starting point: the proposal in the shape the register takes."""
    drafts = []
    for t in proposal.tasks:
        leads = [p.strip() for p in t.assignee.split(";") if p.strip()] or [t.assignee]
        lead = UnitChoice(leads[0], t.assignee_unit_id if len(leads) == 1 else None)
        cooperating = [UnitChoice(name) for name in leads[1:]]
        cooperating += [UnitChoice(n, uid) for n, uid in zip(t.cooperating, t.cooperating_unit_ids)]
        drafts.append(TaskDraft(
            summary=t.summary, lead=lead, cooperating=tuple(cooperating),
            deadline=date.fromisoformat(t.deadline) if t.deadline else None,
            deadline_text=t.deadline_text or "", recurrence=t.recurrence, source_line=t.source[0],
        ))
    return DirectiveDraft(
        doc_type=doc_type_code(proposal.doc_type), number_symbol=proposal.number_symbol or "",
        issuer=UnitChoice(proposal.issuer or "", None), doc_date=proposal.date, subject=proposal.subject or "",
        signer=_signer(proposal.signer, proposal.signer_title), recipients="; ".join(proposal.recipients),
        full_text=text, tasks=tuple(drafts),
    )


def match_draft_units(draft: DirectiveDraft, known: list[tuple[str, str]]) -> DirectiveDraft:
    """Fill unit ids the parser could not (e.g. a co-lead split off an assignee, the issuer)."""
    def choose(choice: UnitChoice) -> UnitChoice:
        return choice if choice.unit_id else replace(choice, unit_id=match_unit(choice.name, known))

    return replace(
        draft, issuer=choose(draft.issuer),
        tasks=tuple(replace(t, lead=choose(t.lead), cooperating=tuple(choose(c) for c in t.cooperating))
                    for t in draft.tasks),
    )


def parse_doc_date(value: str | None) -> tuple[date | None, str]:
    """A full ISO date, or None with the date as written for the notes ("tháng 6/2026", "năm 2025")."""
    if not value:
        return None, ""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return date.fromisoformat(value), ""
        if len(parts) == 2:
            return None, f"Ngày văn bản chưa ghi ngày: tháng {int(parts[1])}/{int(parts[0])}."
        return None, f"Ngày văn bản chỉ ghi năm {int(parts[0])}."
    except ValueError:
        raise ValidationError(f"Ngày văn bản “{value}” không hợp lệ.", "doc_date") from None


def guess_level(name: str) -> str:
    """Level of a new unit from its name: Sở → so, UBND huyện → huyen, xã → xa, phường → phuong, else khac."""
    folded = fold(name)
    if "," in folded or folded.startswith("cac ") or " cac " in folded:
        return "khac"  # a group written as one assignee ("UBND các xã, phường")
    if folded.startswith("so "):
        return "so"
    if re.search(r"\b(uy ban nhan dan|ubnd) huyen\b", folded):
        return "huyen"
    if re.search(r"\bphuong\b", folded):
        return "phuong"
    if re.search(r"\bxa\b", folded) and not re.search(r"\bthi xa\b", folded):
        return "xa"
    return "khac"


def _code_for(session: Session, name: str) -> str:
    initials = "".join(w[0] for w in fold(name).replace(",", " ").split() if w[:1].isalnum()).upper()[:12]
    code, n = f"MOI-{initials or 'DV'}", 1
    while units.find_by_code(session, code):
        n += 1
        code = f"MOI-{initials or 'DV'}{n}"
    return code


class _UnitMaker:
    """Creates each new unit once (same folded name → same unit), under the office's parent."""

    def __init__(self, session: Session, office_unit_id: str):
        self.session = session
        self.office = office_unit_id
        office = session.get(Unit, office_unit_id)
        self.parent_id = (office.parent_id if office else None) or office_unit_id
        self.created: dict[str, str] = {}

    def resolve(self, choice: UnitChoice) -> str:
        if choice.unit_id:
            unit = self.session.get(Unit, choice.unit_id)
            if unit is None or unit.deleted:
                raise ValidationError(f"Đơn vị “{choice.name}” không còn trong danh sách đơn vị.", "lead_unit")
            return unit.id
        name = nfc(choice.name) or ""
        name = name.strip(" ,;.")
        if not name:
            raise ValidationError("Hãy chọn hoặc nhập đơn vị chủ trì.", "lead_unit")
        key = fold(name)
        if key in self.created:
            return self.created[key]
        existing = units.find_by_name(self.session, name)
        unit_id = existing.id if existing else units.create_unit(
            self.session, owner_unit_id=self.office, code=_code_for(self.session, name), name=name,
            level_code=guess_level(name), parent_id=self.parent_id,
        )
        self.created[key] = unit_id
        return unit_id


def _recurrence_day(text: str, recurrence: str) -> tuple[int | None, int | None]:
    if m := re.search(r"by\s+(\d{1,2})(?:/(\d{1,2}))?", recurrence):
        return int(m.group(1)), int(m.group(2)) if m.group(2) else None
    if m := re.search(r"ngay\s+(\d{1,2})(?:\s*/\s*(\d{1,2}))?", fold(text)):
        return int(m.group(1)), int(m.group(2)) if m.group(2) else None
    return None, None


def deadline_fields(task: TaskDraft) -> dict:
    """TaskInput deadline fields: a recurrence, a period due at its end, a date, or none."""
    text = nfc(task.deadline_text) or ""
    if task.recurrence:
        recurrence = Recurrence(task.recurrence.split(",")[0].strip())
        day, month = _recurrence_day(text, task.recurrence)
        if recurrence == Recurrence.YEARLY:
            month = month or DEFAULT_YEARLY_MONTH
        return dict(deadline_kind=DeadlineKind.RECURRING, recurrence=recurrence,
                    recurrence_day=day or DEFAULT_RECURRENCE_DAY,
                    recurrence_month=month if recurrence == Recurrence.YEARLY else None, deadline_text=text)
    if task.deadline is None:
        return dict(deadline_kind=DeadlineKind.NONE, deadline_text=text)
    folded = fold(text)
    written_date = re.search(r"\d{1,2}\s*(/|-|\.|thang)\s*\d{1,2}\s*(/|-|\.|nam)\s*\d{4}", folded)
    if text and not written_date:
        try:
            period = parse_period(text)
        except DeadlineError:
            period = None
        if period is not None and period.end == task.deadline:
            return dict(deadline_kind=DeadlineKind.PERIOD, period_text=period.label, deadline_text=text)
    return dict(deadline_kind=DeadlineKind.DATE, deadline_date=task.deadline, deadline_text=text)


def save_draft(session: Session, draft: DirectiveDraft, arrival_date: date, office_unit_id: str | None = None) -> str:
    """Register the directive and create its tasks (and any new units); returns the directive id.

    Runs in the caller's transaction: a ValidationError leaves nothing behind
    once the caller's session rolls back.
    """
    office = office_unit_id or settings.office_unit_id(session)
    if not office:
        raise ValidationError("Chưa chọn cơ quan đang dùng phần mềm. Hãy hoàn tất bước khởi động lần đầu.")
    doc_date, written = parse_doc_date(draft.doc_date)
    maker = _UnitMaker(session, office)
    issuer_id = draft.issuer.unit_id
    if issuer_id and session.get(Unit, issuer_id) is None:
        issuer_id = None
    directive_id = directives.create_directive(session, office, DirectiveInput(
        arrival_date=arrival_date,
        arrival_number=directives.next_arrival_number(session, office, arrival_date.year),
        subject=draft.subject, issuer_unit_id=issuer_id, issuer_name=draft.issuer.name,
        number_symbol=nfc(draft.number_symbol) or "", doc_date=doc_date, doc_type=doc_type_code(draft.doc_type),
        signer=draft.signer, recipients=draft.recipients, notes=written, full_text=draft.full_text,
    ))
    for n, task in enumerate(draft.tasks, start=1):
        try:
            lead = maker.resolve(task.lead)
            cooperating, generic = [], []
            for choice in task.cooperating:
                if not choice.unit_id and is_generic(choice.name):
                    generic.append(choice.name)
                    continue
                unit_id = maker.resolve(choice)
                if unit_id != lead and unit_id not in cooperating:
                    cooperating.append(unit_id)
            tasks.create_task(session, TaskInput(
                directive_id=directive_id, summary=task.summary, lead_unit_id=lead,
                cooperating_unit_ids=tuple(cooperating),
                notes="Phối hợp: " + "; ".join(generic) if generic else "", **deadline_fields(task),
            ))
        except ValidationError as error:
            raise ValidationError(f"Nhiệm vụ {n}: {error}", error.field) from None
    return directive_id
