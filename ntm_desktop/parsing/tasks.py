"""Tasks assigned by a directive: one per instruction, with lead unit, cooperating units and deadline.

The genre (DOMAIN.md §4): after a trigger line ("... yêu cầu:", "... như sau:",
"... kết luận:") come numbered items. An item either names a unit and its duty
in one paragraph ("2. Sở Tài chính chủ trì, phối hợp với ...: ...", "Giao X
...") or is a unit heading followed by bullets or paragraphs, one task each.
In a Kế hoạch, the "Tổ chức thực hiện" section has one block per unit: its
bullets are merged into one task unless a bullet has its own deadline or
recurrence. A letter laid out the same way (a division of standing duties: many
unit headings with several bullets each, see `_DUTY_BLOCKS`) is read the same
way. An annex table (Nhiệm vụ | Chủ trì | Phối hợp | Thời gian) gives one task
per row; a body bullet that restates a row (same lead, same deadline, the row's
words) is that row's task, not a second one.
Closing formulas ("Trên đây là ...", "Căn cứ ý kiến chỉ đạo trên ...",
"... yêu cầu ... triển khai thực hiện./.") end the instructions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ntm_desktop.parsing.cleaning import FOOTNOTE, MARKER, fold_keep
from ntm_desktop.parsing.deadline_text import DeadlineFound, find_deadline
from ntm_desktop.parsing.units import canonical, unit_at_start, unit_chain


@dataclass
class RawTask:
    assignee: str
    line: int
    text: str  # the instruction text (after the list marker)
    assignee_span: tuple[int, int] | None = None  # within `text`
    cooperating: list[str] = field(default_factory=list)
    summary: str = ""
    deadline: DeadlineFound | None = None
    cell_deadline: str | None = None
    bullets: int = 1  # instructions merged into this task


_TRIGGER = re.compile(r"(yeu cau|nhu sau|sau|giao nhiem vu|ket luan|chi dao|de nghi|nhiem vu)\s*:\s*$")
_CLOSING_START = re.compile(r"^(trong qua trinh (?:to chuc )?(?:trien khai )?(?:thuc hien|trien khai),? (?:neu )?co (?:kho khan|vuong mac)|tren day|can cu (y kien|noi dung|chi dao)|yeu cau (cac|thu truong)|de nghi (cac|thu truong)|noi nhan)")
# A closing formula that a reflowed paragraph carries after its last instruction ("… theo quy định. Trong quá
# trình thực hiện, nếu có khó khăn, vướng mắc, …"): the instruction ends at its full stop, and so do the tasks.
_CLOSING_INSIDE = re.compile(r"\.\s+(?=" + _CLOSING_START.pattern[1:] + ")")
# "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.": the notice's closing formula.
_CLOSING_NOTICE = re.compile(r"\bthong bao (?:de|cho|den)\b[^.;]{0,80}\bbiet\b")
# "Giám đốc các sở, … Chủ tịch UBND các xã nghiêm túc thực hiện Chỉ thị này./.": the directive's closing article.
_CLOSING_EXECUTE = re.compile(
    r"\b(?:thuc hien|thi hanh)\s+(?:chi thi|quyet dinh|thong bao|cong van|ke hoach|nghi quyet|van ban)\s+nay\s*\./\.?\s*$"
)
_CLOSING_ISSUER = re.compile(r"(uy ban nhan dan|ubnd|chu tich)[^.;:]{0,40}\b(yeu cau|de nghi)\b")
# A heading "1. Trách nhiệm chung của các cơ quan, đơn vị": duties every unit addressed shares.
_SHARED_DUTIES = re.compile(r"^(?:trách nhiệm|nhiệm vụ)\s+chung\s+(?:của|đối với)\s+(?P<who>.+?)[\s:.]*$", re.I)
# Unit headings with two or more bullets each from which a letter divides standing duties: one task per unit.
# Conclusions and letters that give a few units a few bullets each keep one task per bullet.
_DUTY_BLOCKS = 5
_COOP = re.compile(r"phoi hop(?: chat che)?(?: voi)?\s+")
# Capital letters only ("À-Ỹ" in a class takes the small letters between them too: "các cơ quan, đơn vị" is one).
_CAPITALS = "".join(ch for ch in map(chr, range(0x41, 0x1EFA)) if ch.isalpha() and ch.isupper())
_SPLIT_COOP = re.compile(r",\s+(?=[" + _CAPITALS + r"]|các\s)|\s+và\s+(?=các\s|Ủy ban|Uỷ ban|UBND|Sở\s|Công an|Văn phòng|Ban\s|Thuế|Thanh tra)")


def _is_issuer(name: str, issuer_canon: str) -> bool:
    c = canonical(name)
    if not c:
        return True
    if issuer_canon and c == issuer_canon:
        return True
    return c in {"uy ban nhan dan tinh", "uy ban nhan dan huyen", "chu tich uy ban nhan dan tinh", "chu tich",
                 "uy ban nhan dan xa", "van phong dieu phoi trung uong"} or c.startswith("chu tich uy ban nhan dan tinh")


def _cooperating(text: str) -> tuple[list[str], int]:
    """Cooperating units named after "phối hợp với"; returns (names, end offset)."""
    folded = fold_keep(text)
    m = _COOP.search(folded)
    if not m:
        return [], -1
    rest = text[m.end():]
    span = unit_at_start(rest)
    if not span:
        return [], -1
    names = [n.strip(" ,;") for n in _SPLIT_COOP.split(rest[: span[1]]) if n.strip(" ,;")]
    return names, m.end() + span[1]


def _summary(text: str, after: int, deadline: DeadlineFound | None) -> str:
    body = text[after:] if 0 <= after < len(text) else text
    if deadline and deadline.text and deadline.start >= after:
        body = text[after:deadline.start] + text[deadline.end:]
    body = re.sub(r"^[\s,:;.-]+", "", body)
    body = re.sub(r"\s+", " ", body).strip(" ,;.")
    body = re.sub(r"\s*\./\.?$", "", body)
    if len(body) > 300:
        cut = body.rfind(" ", 0, 300)
        body = body[: cut if cut > 0 else 300].rstrip(" ,;") + "…"
    return body[:1].upper() + body[1:]


def _make(assignee: str, line: int, text: str, name_end: int, cell_deadline: str | None = None) -> RawTask:
    coop, coop_end = _cooperating(text)
    after = max(name_end, coop_end)
    colon = text.find(":", after)
    if 0 <= colon - after <= 3:
        after = colon + 1
    deadline = find_deadline(cell_deadline, cell=True) if cell_deadline is not None else find_deadline(text)
    name = assignee.strip(" ,;:.")
    name = name[:1].upper() + name[1:]
    return RawTask(name, line, text, None, coop, _summary(text, after, None if cell_deadline else deadline), deadline)


def _clauses(text: str) -> list[tuple[int, str]]:
    """Split an item into clauses at ";" and sentence ends, keeping offsets."""
    out = []
    pos = 0
    for m in re.finditer(r";\s+|\.\s+(?=[A-ZĐÀ-Ỹ])|,\s+(?=(?:giao|đồng thời)\s)", text):
        out.append((pos, text[pos:m.start()]))
        pos = m.end()
    out.append((pos, text[pos:]))
    return out


def _tasks_in_paragraph(text: str, line: int, issuer_canon: str, want_any: bool) -> list[RawTask]:
    """Tasks of a paragraph that names its own units ("Giao X ...", "X chủ trì ...", "...; đồng thời Y ...")."""
    found: list[tuple[int, int, int]] = []  # (clause start, name start, name end) absolute
    clauses = _clauses(text)
    chain = unit_chain(text)
    if chain and chain[1] > len(clauses[0][1]):
        # A chain of units joined by ";" heads the paragraph: it is one assignee.
        if not _is_issuer(text[chain[0]:chain[1]], issuer_canon):
            found.append((0, chain[0], chain[1]))
        clauses = [(o, c) for o, c in clauses if o > chain[1]]
        if not want_any:
            clauses = []
    for offset, clause in clauses:
        span = unit_chain(clause)
        if span is None:
            gm = re.search(r"\bgiao\s+", fold_keep(clause))
            if gm:
                sub = unit_at_start(clause[gm.end():])
                if sub:
                    span = (gm.end() + sub[0], gm.end() + sub[1])
        if span is None:
            continue
        rest = fold_keep(clause[span[1]:]).strip()
        if not rest or rest.startswith((",", ".")) and len(rest) < 3:
            continue
        name = clause[span[0]:span[1]]
        if _is_issuer(name, issuer_canon):
            continue
        found.append((offset, offset + span[0], offset + span[1]))
        if not want_any:
            break
    tasks = []
    for k, (cstart, ns, ne) in enumerate(found):
        cend = found[k + 1][0] if k + 1 < len(found) else len(text)
        chunk = text[cstart:cend]
        t = _make(text[ns:ne], line, chunk, ne - cstart)
        tasks.append(t)
    return tasks


def _table_tasks(lines: list[str]) -> list[RawTask]:
    tasks: list[RawTask] = []
    cols: dict[str, int] | None = None
    width = 0
    for i, line in enumerate(lines):
        if line.count("|") < 3:
            cols = None if line and not line.startswith("|") else cols
            continue
        cells = [c.strip() for c in line.split("|")]
        folded = [fold_keep(c) for c in cells]
        if any("chu tri" in f for f in folded) and any(("nhiem vu" in f or "noi dung" in f) for f in folded):
            cols = {}
            for k, f in enumerate(folded):
                if "chu tri" in f and "lead" not in cols:
                    cols["lead"] = k
                elif "phoi hop" in f and "coop" not in cols:
                    cols["coop"] = k
                elif ("thoi gian" in f or "thoi han" in f) and "time" not in cols:
                    cols["time"] = k
                elif ("nhiem vu" in f or "noi dung" in f) and "task" not in cols:
                    cols["task"] = k
            width = len(cells)
            continue
        if cols is None or "lead" not in cols or abs(len(cells) - width) > 1:
            continue
        lead = cells[cols["lead"]] if cols["lead"] < len(cells) else ""
        what = cells[cols.get("task", 1)] if cols.get("task", 1) < len(cells) else ""
        if not lead or not what or re.fullmatch(r"\(\d+\)", lead):
            continue
        time = cells[cols["time"]] if "time" in cols and cols["time"] < len(cells) else ""
        t = _make(lead, i, what, 0, cell_deadline=time)
        t.summary = what.strip(" .")
        coop = cells[cols["coop"]] if "coop" in cols and cols["coop"] < len(cells) else ""
        t.cooperating = [c.strip(" .") for c in re.split(r";\s*", coop) if c.strip(" .")]
        tasks.append(t)
    return tasks


def extract_tasks(lines: list[str], issuer: str | None, doc_type: str | None,
                  document_date: str | None = None) -> list[RawTask]:
    """The tasks of a directive; `document_date` gives its year to deadlines written without one.

    A document issued with the directive and printed after its signature (a decision's "Kế hoạch … ban hành kèm
    theo Quyết định …") gives its own tasks, read as a document of its type.
    """
    attached = _attached_document(lines)
    if attached is None:
        tasks = _extract_tasks(lines, issuer, doc_type)
    else:
        at, attached_type = attached
        tasks = _extract_tasks(lines[:at], issuer, doc_type)
        for t in _extract_tasks(lines[at:], issuer, attached_type):
            t.line += at
            tasks.append(t)
    if document_date:
        for t in tasks:
            if not (t.deadline and (t.deadline.deadline or t.deadline.recurrence)):
                found = find_deadline(t.text, document_date=document_date)
                if found.deadline:
                    t.deadline = found
    tasks.sort(key=lambda t: t.line)  # in the order the directive gives them (an annex's rows where they stand)
    return tasks


_ATTACHED = re.compile(r"\bkem theo (?:quyet dinh|cong van|thong bao|chi thi|ke hoach|van ban)\b")


def _attached_document(lines: list[str]) -> tuple[int, str] | None:
    """(line, type) of a document printed after the signature that says it is issued with this one, else None."""
    from ntm_desktop.parsing.metadata import document_type_title

    noi_nhan = next((i for i, line in enumerate(lines) if fold_keep(line).startswith("noi nhan")), None)
    if noi_nhan is None:
        return None
    for i in range(noi_nhan + 1, len(lines)):
        kind = document_type_title(lines[i])
        if kind and any(_ATTACHED.search(fold_keep(line)) for line in lines[i + 1:i + 6]):
            return i, kind
    return None


def _extract_tasks(lines: list[str], issuer: str | None, doc_type: str | None) -> list[RawTask]:
    issuer_canon = canonical(issuer)
    n = len(lines)
    end = n
    for i, line in enumerate(lines):
        if fold_keep(line).startswith("noi nhan"):
            end = i
            break
    start = 0
    for i in range(end):
        if _TRIGGER.search(fold_keep(lines[i])):
            start = i + 1
            break
    else:
        for i in range(min(end, 40)):
            if fold_keep(lines[i]).startswith("kinh gui"):
                start = i + 1
    tasks: list[RawTask] = []
    heading: str | None = None  # unit of the current block
    heading_pure = False
    heading_group = False
    section = ""
    merged: dict[str, RawTask] = {}
    plan = doc_type == "Kế hoạch"
    duty_letter = not plan and _duty_blocks(lines, start, end, issuer_canon) >= _DUTY_BLOCKS
    umbrella: RawTask | None = None  # "X chủ trì, phối hợp với Y thực hiện các nhiệm vụ sau:" over its bullets
    sections: list[tuple[int, str]] = []  # (line, folded title) where each section starts
    i = start
    while i < end:
        line = lines[i]
        i += 1
        if not line or line.count("|") >= 3:
            continue
        folded = fold_keep(line)
        m = MARKER.match(line)
        if m is None and FOOTNOTE.match(line):
            continue  # a footnote: the texts a sentence cites
        body = line[m.end():] if m else line
        closing = _CLOSING_INSIDE.search(fold_keep(body))
        if closing:
            body = body[: closing.start() + 1]
            end = i  # nothing after this line is an instruction
        if m is None and _TRIGGER.search(folded) and len(tasks) == 0:
            heading = None
            continue
        if m is None and (_CLOSING_START.match(folded) or _CLOSING_NOTICE.search(folded) or _CLOSING_EXECUTE.search(folded)
                          or (_CLOSING_ISSUER.search(folded) and not folded.endswith(":"))):
            if tasks or heading:
                break
            continue
        if m and m.group("roman") or (m is None and line.isupper() and len(line) < 120):
            section = fold_keep(body)
            sections.append((i - 1, section))
            heading, heading_pure, heading_group = None, False, False
            umbrella = None
            merged = {}
            continue
        merge = (plan and "to chuc thuc hien" in section) or (duty_letter and umbrella is None)
        if m and (m.group("num") or m.group("letter")):
            heading_name = _unit_heading(body, issuer_canon)
            if heading_name:
                heading = heading_name
                heading_pure = True
                heading_group = fold_keep(heading).startswith("cac ")
                umbrella = None
                continue
            shared = _SHARED_DUTIES.match(body.replace("**", "").strip())
            if shared:
                who = shared.group("who").strip(" ,;:.")
                heading = f"{who[:1].upper()}{who[1:]} (trách nhiệm chung)"
                heading_pure, heading_group = True, False
                umbrella = None
                continue
            found = _tasks_in_paragraph(body, i - 1, issuer_canon, want_any=True)
            if found or not (m.group("letter") and heading and heading_pure):
                heading, heading_pure, heading_group = None, False, False
                umbrella = None
                if len(found) == 1 and body.rstrip().endswith(":") and _bullets_follow(lines, i, end):
                    # An umbrella sentence: its bullets are the tasks, each with its lead and cooperating units.
                    umbrella = found[0]
                    heading, heading_pure = umbrella.assignee, True
                    continue
                if found:
                    tasks.extend(found)
                    heading = found[0].assignee
                continue
            # "a) Tham mưu …" under "1. Sở Nông nghiệp và Môi trường": a lettered duty of that unit, as a bullet.
        # A bullet or a plain paragraph.
        own: list[RawTask] = []
        lead = fold_keep(body)
        if lead.startswith(("doi voi", "rieng")) or not heading:
            own = _tasks_in_paragraph(body, i - 1, issuer_canon, want_any=heading_group or not heading)
            if own and heading and lead.startswith(("doi voi", "rieng")):
                for t in own:
                    t.assignee = _narrow(heading, t.assignee)
        elif heading_group:
            own = _tasks_in_paragraph(body, i - 1, issuer_canon, want_any=True)
        if own:
            tasks.extend(own)
            continue
        if heading and (m is not None or heading_pure):
            t = _make(heading, i - 1, body, 0)
            if umbrella is not None:
                t.cooperating = t.cooperating or list(umbrella.cooperating)
                t.deadline = t.deadline if t.deadline and t.deadline.text else umbrella.deadline
            if merge and not (t.deadline and (t.deadline.deadline or t.deadline.recurrence)):
                key = canonical(heading)
                if key in merged:
                    _absorb(merged[key], t)
                    continue
                merged[key] = t
            tasks.append(t)
        if m is None and line.rstrip().endswith("./.") and tasks:
            break
    tasks = [t for t in tasks if not _boilerplate(t.summary)]
    if plan:
        tasks = _plan_tasks(tasks, sections)
    rows = _table_tasks(lines)
    if rows:
        tasks = [t for t in tasks if not any(_restates(t, row) for row in rows)]
    tasks.extend(rows)
    return tasks


def _lead_clause(summary: str, limit: int = 160) -> str:
    """The first clause of an instruction's summary, cut at a word under `limit` characters."""
    clause = re.split(r";\s+|\.\s+(?=[A-ZĐÀ-Ỹ])", summary, maxsplit=1)[0].rstrip(" ,;.…")
    if len(clause) > limit:
        cut = clause.rfind(" ", 0, limit)
        clause = clause[: cut if cut > 0 else limit].rstrip(" ,;") + "…"
    return clause


def _absorb(into: RawTask, bullet: RawTask) -> None:
    """One more bullet of a unit's standing duties: its text, its cooperating units, its lead clause."""
    if into.bullets == 1:
        into.summary = _lead_clause(into.summary)
    into.bullets += 1
    into.text += " " + bullet.text
    into.cooperating += [c for c in bullet.cooperating if canonical(c) not in {canonical(x) for x in into.cooperating}]
    lead = _lead_clause(bullet.summary)
    first = lead.split(" ", 1)[0]
    if not first.isupper() and unit_at_start(lead) is None:
        lead = lead[:1].lower() + lead[1:]  # "Kiểm tra ..." goes on the list; "UBND tỉnh ...", "Sở ..." keep theirs
    into.summary += "; " + lead


def _unit_heading(body: str, issuer_canon: str) -> str | None:
    """The unit a numbered item names and nothing else ("2. Thanh tra tỉnh"), else None."""
    chain = unit_chain(body)
    rest = body[chain[1]:].strip(" :.*") if chain else body
    if chain and not rest and not _is_issuer(body[chain[0]:chain[1]], issuer_canon):
        return body[chain[0]:chain[1]]
    return None


def _duty_blocks(lines: list[str], start: int, end: int, issuer_canon: str) -> int:
    """How many numbered unit headings in the instructions carry two or more bullets."""
    blocks = 0
    bullets: int | None = None  # bullets under the current unit heading, None outside one
    for line in lines[start:end]:
        m = MARKER.match(line)
        if not m:
            continue
        if m.group("bullet"):
            if bullets is not None:
                bullets += 1
            continue
        blocks += bullets is not None and bullets >= 2
        body = line[m.end():]
        bullets = 0 if (m.group("num") or m.group("letter")) and _unit_heading(body, issuer_canon) else None
    return blocks + (bullets is not None and bullets >= 2)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", fold_keep(text)) if len(w) > 1}


def _restates(task: RawTask, row: RawTask) -> bool:
    """A body instruction with the annex row's lead and deadline that contains (nearly) all the row's words."""
    if not (task.deadline and task.deadline.deadline and row.deadline):
        return False
    if task.deadline.deadline != row.deadline.deadline or canonical(task.assignee) != canonical(row.assignee):
        return False
    want = _words(row.summary)
    return bool(want) and len(want & _words(task.text)) >= 0.8 * len(want)


def _plan_tasks(tasks: list[RawTask], sections: list[tuple[int, str]]) -> list[RawTask]:
    """In a plan with a "Tổ chức thực hiện" section, the tasks are given there (and after it: reporting).

    The units named under "Mục đích, yêu cầu" or "Nhiệm vụ, giải pháp" describe the plan's solutions; the same
    duties come back, per unit, under "Tổ chức thực hiện".
    """
    start = next((line for line, title in sections if "to chuc thuc hien" in title), None)
    if start is None or not any(t.line > start for t in tasks):
        return tasks
    return [t for t in tasks if t.line > start]


def _bullets_follow(lines: list[str], i: int, end: int) -> bool:
    """The next non-empty line (from index i) is a bullet ("-", "+", "•")."""
    for line in lines[i:end]:
        if line:
            m = MARKER.match(line)
            return bool(m and m.group("bullet"))
    return False


_BOILERPLATE_WORDS = re.compile(
    r"\b(?:nghiem tuc|khan truong|kip thoi|to chuc|trien khai|thuc hien|theo (?:dung )?quy dinh(?: cua phap luat)?|"
    r"theo chuc nang,? nhiem vu(?: duoc giao)?|(?:cac )?noi dung (?:tren|nay)|van ban nay|ke hoach nay|"
    r"(?:y kien )?chi dao (?:tren|nay)|(?:chi thi|quyet dinh|thong bao|cong van|nghi quyet|ke hoach) nay|"
    r"co hieu qua|hieu qua|dung quy dinh|day du|cac|va|lien quan|chiu trach nhiem|"
    r"can cu|(?:chuc nang,? )?nhiem vu duoc giao|duoc giao)\b"
)


def _boilerplate(summary: str) -> bool:
    """"Tổ chức triển khai thực hiện theo quy định./.": a closing formula, not a task."""
    rest = _BOILERPLATE_WORDS.sub(" ", fold_keep(summary))
    return not re.search(r"[a-z0-9]", rest)



def _narrow(heading: str, name: str) -> str:
    """'Đối với huyện Tân Yên' under 'UBND các huyện, ...' -> 'UBND huyện Tân Yên'."""
    folded = fold_keep(name)
    if re.match(r"^(huyen|xa|phuong|thi xa|thanh pho|thi tran)\b", folded):
        hm = re.match(r"^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\b", heading)
        if hm:
            return f"{hm.group(1)} {name[:1].lower() + name[1:]}"
    return name
