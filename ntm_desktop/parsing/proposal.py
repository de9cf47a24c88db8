"""parse_directive: pasted directive text -> a Proposal of its metadata, tasks and targets.

Source spans
------------
``Proposal.cleaned_text`` is the text after cleaning; its lines are
``cleaned_text.split("\\n")``. ``Proposal.sources`` maps a metadata field name
("doc_type", "number_symbol", "issuer", "place", "date", "subject", "signer",
"signer_title", "recipients", "urgency", "secrecy") to ``(line_index, start_char, end_char)`` in those
lines, so the UI can highlight where a value came from; a field inferred from
other fields (e.g. the issuer of a text without its header) has no entry.
Each ``TaskProposal.source`` is the ``(line_index, 0, len(line))`` of the line
its instruction starts on.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ntm_desktop.parsing.cleaning import clean_lines, fold_keep
from ntm_desktop.parsing.metadata import (
    TITLE_TYPES,
    find_date_place,
    find_doc_type,
    find_issuer,
    find_number_symbol,
    find_recipients,
    find_references,
    find_secrecy,
    find_signature,
    find_subject,
    find_urgency,
)
from ntm_desktop.parsing.targets import find_targets
from ntm_desktop.parsing.tasks import extract_tasks
from ntm_desktop.parsing.units import match_unit

Span = tuple[int, int, int]


@dataclass(frozen=True)
class TaskProposal:
    assignee: str
    assignee_unit_id: str | None  # matched known unit, None = propose a new unit
    cooperating: tuple[str, ...]
    cooperating_unit_ids: tuple[str | None, ...]
    summary: str
    deadline: str | None  # ISO date
    deadline_text: str | None
    recurrence: str | None  # None, "monthly", "quarterly", "yearly"
    source: Span


@dataclass(frozen=True)
class TargetProposal:
    text: str
    count: int | float | None
    of: int | None
    level: str | None
    by: str | None


@dataclass(frozen=True)
class Proposal:
    doc_type: str | None
    number_symbol: str | None
    issuer: str | None
    place: str | None
    date: str | None  # "YYYY-MM-DD", "YYYY-MM" (day blank) or "YYYY"
    subject: str | None
    signer: str | None
    signer_title: str | None
    recipients: tuple[str, ...]
    referenced_documents: tuple[str, ...]
    tasks: tuple[TaskProposal, ...]
    targets: tuple[TargetProposal, ...]
    cleaned_text: str
    sources: dict[str, Span] = field(default_factory=dict, hash=False, compare=False)
    urgency: str = ""  # "", "khan", "thuong_khan", "hoa_toc" (the header's stamp)
    secrecy: str = ""  # "", "mat", "toi_mat", "tuyet_mat" (the header's stamp)


def parse_directive(
    text: str,
    today: _dt.date | None = None,
    known_units: list[tuple[str, str]] | None = None,
) -> Proposal:
    """Propose the metadata, tasks and targets of a pasted directive.

    Nothing is invented: fields not found are None (lists empty) and a text
    without instructions yields no tasks. `today` is accepted for callers that
    resolve relative deadlines; explicit dates and periods do not need it.
    `known_units` are (unit_id, full_name) pairs the assignee names are matched
    against (abbreviations and "Uỷ"/"Ủy" variants tolerated).
    """
    lines = clean_lines(text)
    sources: dict[str, Span] = {}

    def note(name: str, span: Span | None) -> None:
        if span is not None:
            sources[name] = span

    number, span = find_number_symbol(lines)
    note("number_symbol", span)
    date, dspan, place, pspan = find_date_place(lines)
    note("date", dspan)
    note("place", pspan)
    type_line = None
    for i, line in enumerate(lines[:40]):
        stripped = line.strip(" .:")
        if stripped.isupper() and fold_keep(stripped) in TITLE_TYPES:
            type_line = i
            break
    subject, sspan, from_vv = find_subject(lines, type_line)
    note("subject", sspan)
    doc_type, tspan = find_doc_type(lines, number, from_vv)
    note("doc_type", tspan)
    body = "\n".join(lines)
    issuer, ispan = find_issuer(lines, number, place, body)
    note("issuer", ispan)
    noi_nhan = next((i for i, line in enumerate(lines) if fold_keep(line).startswith("noi nhan")), None)
    sig_end = len(lines)
    if noi_nhan is not None:
        for j in range(noi_nhan + 1, len(lines)):
            if fold_keep(lines[j]).startswith(("phu luc", "danh muc")) or lines[j].count("|") >= 3:
                sig_end = j
                break
    title, tispan, signer, nspan = find_signature(lines, sig_end)
    note("signer_title", tispan)
    note("signer", nspan)
    recipients, rspan = find_recipients(lines, noi_nhan)
    note("recipients", rspan)
    references = find_references(lines, number)
    urgency, uspan = find_urgency(lines)
    note("urgency", uspan)
    secrecy, mspan = find_secrecy(lines)
    note("secrecy", mspan)

    raw = extract_tasks(lines, issuer, doc_type, date)
    tasks = []
    targets: list[TargetProposal] = []
    for t in raw:
        d = t.deadline
        coop = tuple(t.cooperating)
        tasks.append(
            TaskProposal(
                assignee=t.assignee,
                assignee_unit_id=match_unit(t.assignee, known_units),
                cooperating=coop,
                cooperating_unit_ids=tuple(match_unit(c, known_units) for c in coop),
                summary=t.summary,
                deadline=d.deadline if d else None,
                deadline_text=d.text if d else None,
                recurrence=d.recurrence if d else None,
                source=(t.line, 0, len(lines[t.line])),
            )
        )
        for g in find_targets(t.text, d.deadline if d else None):
            targets.append(TargetProposal(**g))
    return Proposal(
        doc_type=doc_type,
        number_symbol=number,
        issuer=issuer,
        place=place,
        date=date,
        subject=subject,
        signer=signer,
        signer_title=title,
        recipients=tuple(recipients),
        referenced_documents=tuple(references),
        tasks=tuple(tasks),
        targets=tuple(targets),
        cleaned_text="\n".join(lines),
        sources=sources,
        urgency=urgency,
        secrecy=secrecy,
    )


def proposal_to_dict(p: Proposal) -> dict:
    """The proposal in the shape of the annotated fixtures (JSON-ready)."""
    return {
        "doc_type": p.doc_type,
        "number_symbol": p.number_symbol,
        "issuer": p.issuer,
        "place": p.place,
        "date": p.date,
        "subject": p.subject,
        "signer": p.signer,
        "signer_title": p.signer_title,
        "recipients": list(p.recipients),
        "referenced_documents": list(p.referenced_documents),
        "urgency": p.urgency,
        "secrecy": p.secrecy,
        "tasks": [
            {
                "assignee": t.assignee,
                "cooperating": list(t.cooperating),
                "summary": t.summary,
                "deadline": t.deadline,
                "deadline_text": t.deadline_text,
                "recurrence": t.recurrence,
            }
            for t in p.tasks
        ],
        "targets": [
            {"text": g.text, "count": g.count, "of": g.of, "level": g.level, "by": g.by} for g in p.targets
        ],
    }
