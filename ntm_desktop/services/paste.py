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
from ntm_desktop.parsing.assignees import is_single_unit
from ntm_desktop.services import access, directives, settings, tasks, units
from ntm_desktop.services.assignment import Assignment, UnitChoice, UnitTree, assign
from ntm_desktop.services.deadlines import DeadlineError, DeadlineKind, Recurrence, parse_period
from ntm_desktop.services.directives import DirectiveInput
from ntm_desktop.services.tasks import TaskInput
from ntm_desktop.text import fold, nfc

# Report days used when a recurring instruction names none: monthly and quarterly
# reports before the 15th (the reporting month ends on the 14th), yearly before 15/12.
DEFAULT_RECURRENCE_DAY = 15
DEFAULT_YEARLY_MONTH = 12


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
    urgency: str = ""  # a models.Urgency value
    secrecy: str = ""  # a models.Secrecy value (the register refuses a secret document: services.directives)


def known_units(session: Session) -> list[tuple[str, str]]:
    """(unit_id, name) pairs for the parser: full and short names of every live unit, active ones first; then
    the old names of the communes the catalogue's units were made of in 2025 (catalogue.former)."""
    from ntm_desktop.catalogue.former import former_names

    today = date.today()
    pairs = []
    for row in sorted(units.all_units(session), key=lambda r: not r.is_active(today)):
        pairs.append((row.id, row.name))
        if row.short_name:
            pairs.append((row.id, row.short_name))
    return pairs + former_names(session)


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


def title_case(title: str) -> str:
    """A signer's title as written in a sentence: 'PHÓ CHỦ TỊCH' -> 'Phó Chủ tịch', 'CHÁNH VĂN PHÒNG' -> 'Chánh Văn
    phòng', 'GIÁM ĐỐC' -> 'Giám đốc' (the office itself keeps its capital, "Phó" before it too)."""
    text = re.sub(r"\s+", " ", title).strip().lower()
    text = re.sub(r"^(phó )?(\w)", lambda m: (m.group(1) or "").capitalize() + m.group(2).upper(), text)
    return re.sub(r"\b([Cc])hánh văn phòng\b", r"\1hánh Văn phòng", text)


def _signer(name: str | None, title: str | None) -> str:
    title = (title or "").strip()
    if title and title.isupper():
        title = title_case(title)
    return " ".join(p for p in (title, (name or "").strip()) if p)


def draft_from_proposal(proposal: Proposal, text: str) -> DirectiveDraft:
    """The officer's starting point: the proposal in the shape the register takes.

    An assignee that is a list or a group ("Sở Tài chính, Sở Kế hoạch và Đầu tư",
    "UBND các xã, phường") stays as written: `plan` reads it against the unit tree.
    """
    drafts = []
    for t in proposal.tasks:
        lead = UnitChoice(t.assignee, t.assignee_unit_id if is_single_unit(t.assignee) else None)
        cooperating = [UnitChoice(n, uid if is_single_unit(n) else None)
                       for n, uid in zip(t.cooperating, t.cooperating_unit_ids)]
        drafts.append(TaskDraft(
            summary=t.summary, lead=lead, cooperating=tuple(cooperating),
            deadline=date.fromisoformat(t.deadline) if t.deadline else None,
            deadline_text=t.deadline_text or "", recurrence=t.recurrence, source_line=t.source[0],
        ))
    return DirectiveDraft(
        doc_type=doc_type_code(proposal.doc_type), number_symbol=proposal.number_symbol or "",
        issuer=UnitChoice(proposal.issuer or "", None), doc_date=proposal.date, subject=proposal.subject or "",
        signer=_signer(proposal.signer, proposal.signer_title), recipients="; ".join(proposal.recipients),
        full_text=text, tasks=tuple(drafts), urgency=proposal.urgency, secrecy=proposal.secrecy,
    )


def reference_date(draft: DirectiveDraft, arrival_date: date) -> date:
    """The day units are read on: the document's date when it is known in full, else the arrival date."""
    try:
        doc_date, _ = parse_doc_date(draft.doc_date)
    except ValidationError:
        doc_date = None
    return doc_date or arrival_date


def scope_of(tree: UnitTree, draft: DirectiveDraft, office_unit_id: str | None) -> str | None:
    """The province whose units a group means: the issuer's, else the office's."""
    return tree.province_of(draft.issuer.unit_id) or tree.province_of(office_unit_id)


def match_draft_units(draft: DirectiveDraft, tree: UnitTree, office_unit_id: str | None,
                      arrival_date: date | None = None) -> DirectiveDraft:
    """Fill the unit ids of names that mean one unit: the issuer first, then each lead and cooperating unit.

    Among namesakes the unit in the issuer's province wins; a unit that had ended by
    the document's date gives way to its successor.
    """
    on = reference_date(draft, arrival_date or date.today())
    office_scope = tree.province_of(office_unit_id)
    issuer = draft.issuer
    if not issuer.unit_id and issuer.name:
        issuer = replace(issuer, unit_id=tree.find(issuer.name, office_scope, on))
    draft = replace(draft, issuer=issuer)
    scope = scope_of(tree, draft, office_unit_id)

    def choose(choice: UnitChoice) -> UnitChoice:
        if not is_single_unit(choice.name):
            return replace(choice, unit_id=None)
        found = tree.find(choice.name, scope, on)
        if found is None and choice.unit_id in tree.units:  # the parser's looser match
            found = tree.current(tree.units[choice.unit_id], on).id
        return replace(choice, unit_id=found)

    return replace(draft, tasks=tuple(
        replace(t, lead=choose(t.lead), cooperating=tuple(choose(c) for c in t.cooperating)) for t in draft.tasks))


def plan(tree: UnitTree, draft: DirectiveDraft, arrival_date: date, office_unit_id: str | None) -> list[Assignment]:
    """Per reviewed task, the units it goes to (one task per lead); nothing is written."""
    on = reference_date(draft, arrival_date)
    scope = scope_of(tree, draft, office_unit_id)
    return [assign(tree, t.lead, t.cooperating, scope, on) for t in draft.tasks]


def deadline_warnings(draft: DirectiveDraft, arrival_date: date) -> list[str]:
    """Deadlines to look at again before registering; they warn, they do not block.

    A deadline is compared with the document's date when it is known in full, else
    with the arrival date, and the message says which: an old directive may arrive late.
    """
    try:
        doc_date, _ = parse_doc_date(draft.doc_date)
    except ValidationError:
        doc_date = None
    out = []
    for n, task in enumerate(draft.tasks, start=1):
        due = task.deadline
        if due is None or task.recurrence:
            continue
        if doc_date and due < doc_date:
            out.append(f"Nhiệm vụ {n}: hạn xử lý {due:%d/%m/%Y} trước ngày văn bản {doc_date:%d/%m/%Y}.")
        elif due < arrival_date:
            known = "" if doc_date else " (văn bản không ghi đủ ngày tháng)"
            out.append(f"Nhiệm vụ {n}: hạn xử lý {due:%d/%m/%Y} đã qua trước ngày đến {arrival_date:%d/%m/%Y}"
                       f"{known}; nhiệm vụ sẽ tính là quá hạn.")
    return out


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


_PROVINCIAL_BODY = re.compile(
    r"^(?:cong an|thanh tra|thue|bo chi huy|kho bac|van phong|ban quan ly khu kinh te|ban dan toc|dai phat thanh|"
    r"bao|chi cuc|cuc|ngan hang chinh sach)\b.*\btinh\b"
)


def guess_level(name: str) -> str:
    """Level of a new unit from its name: Sở or a provincial body → so, UBND huyện → huyen, xã, phường, else khac."""
    folded = fold(name)
    if "," in folded or folded.startswith("cac ") or " cac " in folded:
        return "khac"  # a group written as one assignee ("UBND các xã, phường")
    if folded.startswith("so ") or _PROVINCIAL_BODY.match(folded):
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
    """Creates each new unit once (same folded name → same unit), under the province (else the office's parent)."""

    def __init__(self, session: Session, office_unit_id: str, parent_id: str | None):
        self.session = session
        self.office = office_unit_id
        office = session.get(Unit, office_unit_id)
        self.parent_id = parent_id or (office.parent_id if office else None) or office_unit_id
        if not units.may_hold_new_unit(session, self.parent_id):
            self.parent_id = office_unit_id  # the units above are the upper office's to add
        self.created: dict[str, str] = {}

    def resolve(self, choice: UnitChoice) -> str:
        if choice.unit_id:
            unit = self.session.get(Unit, choice.unit_id)
            if unit is None or unit.deleted:
                raise ValidationError(f"Đơn vị “{choice.name}” không còn trong danh sách đơn vị.", "lead_unit")
            return unit.id
        name = (nfc(choice.name) or "").strip(" ,;.")
        if not name:
            raise ValidationError("Hãy chọn hoặc nhập đơn vị chủ trì.", "lead_unit")
        key = fold(name)
        if key not in self.created:
            self.created[key] = units.create_unit(
                self.session, owner_unit_id=self.office, as_part_of=access.Permission.ASSIGN, code=_code_for(self.session, name), name=name,
                level_code=guess_level(name), parent_id=self.parent_id,
            )
        return self.created[key]


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
    issuer_id = draft.issuer.unit_id
    if issuer_id and session.get(Unit, issuer_id) is None:
        issuer_id = None
    directive_id = directives.create_directive(session, office, DirectiveInput(
        arrival_date=arrival_date,
        arrival_number=None,  # the register's next number, taken as it is saved
        subject=draft.subject, issuer_unit_id=issuer_id, issuer_name=draft.issuer.name,
        number_symbol=nfc(draft.number_symbol) or "", doc_date=doc_date, doc_type=doc_type_code(draft.doc_type),
        signer=draft.signer, recipients=draft.recipients, notes=written, full_text=draft.full_text,
        urgency=draft.urgency, secrecy=draft.secrecy,
    ))
    tree = UnitTree.read(session)
    assignments = plan(tree, draft, arrival_date, office)
    maker = _UnitMaker(session, office, scope_of(tree, draft, office))
    for n, (task, assignment) in enumerate(zip(draft.tasks, assignments), start=1):
        try:
            if not (nfc(task.lead.name) or "").strip(" ,;.") and not task.lead.unit_id:
                raise ValidationError("Hãy chọn hoặc nhập đơn vị chủ trì.", "lead_unit")
            leads = [maker.resolve(c) for c in assignment.leads] or [office]  # nobody listable: the office follows up
            cooperating = [maker.resolve(c) for c in assignment.cooperating]
            for lead in dict.fromkeys(leads):
                tasks.create_task(session, TaskInput(
                    directive_id=directive_id, summary=task.summary, lead_unit_id=lead,
                    cooperating_unit_ids=tuple(u for u in dict.fromkeys(cooperating) if u != lead),
                    notes=task_notes(assignment), **deadline_fields(task),
                ), allow_early_deadline=True)
        except ValidationError as error:
            raise ValidationError(f"Nhiệm vụ {n}: {error}", error.field) from None
    return directive_id


def task_notes(assignment: Assignment) -> str:
    """The wording a unit list could not hold: the lead phrase as written, the cooperating groups."""
    lines = []
    if assignment.lead_wording:
        lines.append(f"Giao theo văn bản: {assignment.lead_wording}")
    if assignment.cooperating_wording:
        lines.append("Phối hợp: " + "; ".join(assignment.cooperating_wording))
    return "\n".join(lines)
