"""The incoming register as a list: filtered, searched and sorted in SQL, fetched a page at a time."""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Boolean, Integer, and_, column, exists, func, literal, or_, select, table, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.orm import Session

from ntm_desktop.models import Directive, Task
from ntm_desktop.services.status import TaskStatus, status_condition
from ntm_desktop.text import fold


class DirectiveState(str, enum.Enum):
    NO_TASKS = "no_tasks"
    OVERDUE = "overdue"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return {
            "no_tasks": "Chưa giao nhiệm vụ",
            "overdue": "Có nhiệm vụ quá hạn",
            "in_progress": "Đang thực hiện",
            "done": "Đã hoàn thành",
        }[self.value]


class SortColumn(str, enum.Enum):
    ARRIVAL = "arrival"
    ISSUER = "issuer"
    NUMBER = "number"
    DOC_DATE = "doc_date"
    SUBJECT = "subject"


@dataclass(frozen=True)
class RegisterFilter:
    office_unit_id: str
    year: int | None = None
    issuer: str = ""  # folded match on the issuer's name
    doc_type: str | None = None
    urgency: str | None = None
    state: DirectiveState | None = None
    search: str = ""
    sort: SortColumn = SortColumn.ARRIVAL
    descending: bool = True
    today: date | None = None


@dataclass(frozen=True)
class RegisterRow:
    """One line of the Sổ đăng ký văn bản đến, in the decree's column order."""

    id: str
    arrival_date: date
    arrival_number: int
    issuer_name: str
    number_symbol: str
    doc_date: date | None
    doc_type: str
    subject: str
    recipients: str
    transfer_date: date | None
    notes: str
    urgency: str
    arrival_year: int


_TOKEN = re.compile(r"[0-9a-z]+")


_PHRASE = re.compile(r'["“”]([^"“”]*)["“”]')


def fts_query(search: str) -> str | None:
    """Folded prefix query: "Nông thôn" -> '"nong"* "thon"*' (all tokens must appear, in any order).

    Words in quotes must appear together, in that order: '"nông thôn mới"' -> '"nong thon moi"*'.
    """
    folded = fold(search)
    parts = [f'"{" ".join(tokens)}"*' for tokens in (_TOKEN.findall(p) for p in _PHRASE.findall(folded)) if tokens]
    parts += [f'"{t}"*' for t in _TOKEN.findall(_PHRASE.sub(" ", folded))]
    return " ".join(parts) or None


def _task_alive():
    return and_(Task.directive_id == Directive.id, Task.deleted.is_(False))


def _state_condition(state: DirectiveState, today: date):
    any_task = exists().where(_task_alive())
    if state == DirectiveState.NO_TASKS:
        return ~any_task
    overdue = exists().where(_task_alive(), status_condition(TaskStatus.IN_PROGRESS_OVERDUE, today))
    if state == DirectiveState.OVERDUE:
        return overdue
    open_task = exists().where(_task_alive(), Task.completed_on.is_(None))
    if state == DirectiveState.DONE:
        return and_(any_task, ~open_task)
    return and_(open_task, ~overdue)


def _where(f: RegisterFilter, server: bool = False):
    """The register's conditions. `server`: on the office's PostgreSQL server, where a search and a state are read
    from the word table (migrations 0010, 0012) instead of FTS5 and each directive's tasks."""
    conditions = [Directive.office_unit_id == f.office_unit_id, Directive.deleted.is_(False)]
    if f.year:
        conditions.append(Directive.arrival_year == f.year)
    if f.issuer:
        conditions.append(Directive.issuer_folded.contains(fold(f.issuer), autoescape=True))
    if f.doc_type:
        conditions.append(Directive.doc_type == f.doc_type)
    if f.urgency is not None:
        conditions.append(Directive.urgency == f.urgency)
    if server:
        if fts_query(f.search) or f.state:
            conditions.append(FoldedSearch(f))
        return and_(*conditions)
    if f.state:
        conditions.append(_state_condition(f.state, f.today or date.today()))
    if fts_query(f.search):
        conditions.append(FoldedSearch(f))
    return and_(*conditions)


class FoldedSearch(ColumnElement):
    """The folded search, written for the database it runs on: FTS5 on the SQLite file, the word table's
    full-text index (migration 0010) on the office's PostgreSQL server."""

    type = Boolean()
    inherit_cache = False

    def __init__(self, f: RegisterFilter):
        self.search = f.search
        self.filter = f


@compiles(FoldedSearch, "sqlite")
def _fts5(element: FoldedSearch, compiler, **kw) -> str:
    # The unary "+" keeps SQLite from looking up each match by rowid in the (wide)
    # table: it walks the covering index ix_directives_register in register order
    # and checks membership, so a common word among 100,000 rows stays fast.
    return compiler.process(
        text("+directives.rowid IN (SELECT rowid FROM directive_fts WHERE directive_fts MATCH :q)")
        .bindparams(q=fts_query(element.search)), **kw)


# On PostgreSQL: one row per directive not deleted, its words as a tsvector, its folded issuer and its tasks' counts
# (kept by triggers, migrations 0010 and 0012).
_WORDS = table("directive_words", column("directive_id"), column("office_unit_id"), column("arrival_year"),
               column("doc_type"), column("urgency"), column("issuer_folded"), column("tasks"), column("open_tasks"),
               column("open_due"), column("words"))
_NOT_TOKEN = "[^0-9a-z]+"


def _words_state(state: DirectiveState, today: date):
    """_state_condition read from the word table: its tasks not deleted, how many open, the earliest open deadline."""
    if state == DirectiveState.NO_TASKS:
        return _WORDS.c.tasks == 0
    if state == DirectiveState.OVERDUE:
        return _WORDS.c.open_due < today
    if state == DirectiveState.DONE:
        return and_(_WORDS.c.tasks > 0, _WORDS.c.open_tasks == 0)
    return and_(_WORDS.c.open_tasks > 0, or_(_WORDS.c.open_due.is_(None), _WORDS.c.open_due >= today))


def _search_parts(search: str) -> tuple[list[list[str]], list[str]]:
    """The quoted phrases' tokens (phrases of one token are words) and the other words of a search, folded."""
    folded = fold(search)
    phrases = [tokens for tokens in (_TOKEN.findall(p) for p in _PHRASE.findall(folded)) if tokens]
    words = _TOKEN.findall(_PHRASE.sub(" ", folded)) + [p[0] for p in phrases if len(p) == 1]
    return [p for p in phrases if len(p) > 1], words


# tsvector's and tsquery's longest word: a longer one is kept and looked for by its first 2,046 letters (0012)
_LEXEME = 2046


def _lexeme(token: str, prefix: bool) -> str:
    """A token in a tsquery: a prefix ("nong:*") or whole, a token cut to _LEXEME always a prefix."""
    if len(token) > _LEXEME:
        return f"{token[:_LEXEME]}:*"
    return f"{token}:*" if prefix else token


def ts_query(search: str) -> str | None:
    """The search as a PostgreSQL tsquery over the word table: each word a prefix ("nong:* & thon:*"), as in FTS5.

    A phrase's words must all be there, the last as a prefix, the others whole (FTS5's '"giam ngheo"*'); that
    they follow one another is phrase_query's. Tokens are [0-9a-z]+ only, so the text needs no quoting.
    """
    phrases, words = _search_parts(search)
    terms = [_lexeme(t, True) for t in words]
    for tokens in phrases:
        terms += [_lexeme(t, False) for t in tokens[:-1]] + [_lexeme(tokens[-1], True)]
    return " & ".join(dict.fromkeys(terms)) or None


def phrase_query(search: str) -> str | None:
    """ts_query with each quoted phrase's words one after the other ("giam <-> ngheo:*"); None without a phrase
    of two words or more."""
    phrases, _words = _search_parts(search)
    if not phrases:
        return None
    chains = [f"({' <-> '.join([_lexeme(t, False) for t in tokens[:-1]] + [_lexeme(tokens[-1], True)])})"
              for tokens in phrases]
    return " & ".join([ts_query(search), *chains])


def phrase_patterns(search: str) -> list[str]:
    """A regular expression per quoted phrase of two words or more: its tokens one after the other, separated by
    anything that is not a token, the first whole, the last as a prefix ("giam ngheo" -> giam, then ngheo...)."""
    phrases, _words = _search_parts(search)
    return [f"(^|{_NOT_TOKEN[:-1]}){_NOT_TOKEN.join(tokens)}" for tokens in phrases]


def _words_where(f: RegisterFilter, counting: bool = False):
    """The word table's rows the filter finds: the search's words, the state, the year, type and urgency (each where
    chosen), and, `counting`, the issuer, so that the server counts them in the narrow table alone. (A page leaves
    the issuer to the directives' rows: asked of both, the server takes its matches for rarer than they are and
    reads every match of a common word before the page, 90 ms instead of 5.)

    The tsqueries go into the statement as literals (their tokens are [0-9a-z]+), so that the server plans each
    search with its own words: a common word walks the register in order and looks each directive up in the word
    table, a rare one reads its few matches from the GIN index first. A phrase is read from the words' positions,
    or, in a text that lost some (exact false: long, or a word repeated past 256 times), from the folded text.
    Counted in a year, the year's rows are read through its index and each checked, without the GIN index (a year
    holds ~10,000 directives at most: 10-35 ms for a common word, where GIN reads all its 40,000 matches first).
    """
    search = f.search
    conditions = []
    if ts_query(search):
        match = f"directive_words.words @@ '{ts_query(search)}'::tsquery"
        conditions.append(text(f"({match}) IS TRUE" if counting and f.year else match))
    phrase = phrase_query(search)
    if phrase:
        checks, values = [], {}
        for n, (tokens, pattern) in enumerate(zip(_search_parts(search)[0], phrase_patterns(search))):
            values[f"phrase_like_{n}"], values[f"phrase_re_{n}"] = f"%{'%'.join(tokens)}%", pattern
            checks.append(f"d.search_folded LIKE :phrase_like_{n} AND d.search_folded ~ :phrase_re_{n}")
        conditions.append(text(
            f"CASE WHEN directive_words.exact THEN directive_words.words @@ '{phrase}'::tsquery "
            f"ELSE (SELECT {' AND '.join(checks)} FROM directives AS d WHERE d.id = directive_words.directive_id) END"
        ).bindparams(**values))
    if f.state:
        conditions.append(_words_state(f.state, f.today or date.today()))
    if f.issuer and counting:
        conditions.append(_WORDS.c.issuer_folded.contains(fold(f.issuer), autoescape=True))
    # the filters narrow the word table's rows too (the year with its index), not only the directives'
    if f.year:
        conditions.append(_WORDS.c.arrival_year == f.year)
    if f.doc_type:
        conditions.append(_WORDS.c.doc_type == f.doc_type)
    if f.urgency is not None:
        conditions.append(_WORDS.c.urgency == f.urgency)
    return conditions


@compiles(FoldedSearch, "postgresql")
def _words_index(element: FoldedSearch, compiler, **kw) -> str:
    matches = select(_WORDS.c.directive_id).where(*_words_where(element.filter))
    found = Directive.id.in_(matches)
    if element.filter.year:
        # "IS TRUE" keeps the server from joining: it reads the matches into a hash once, then walks the year or
        # the register in the list's order until the page is full (20-50 ms for a common word or a rare one alike).
        # Joined, it takes the matches of a word and an issuer or a state for far fewer than they are and reads
        # every match of a common word before the page (the year: sorted them, 70-170 ms). Without these the join
        # is the better plan.
        found = found.is_(True)
    return compiler.process(found, **kw)


def _server(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _count_words(session: Session, f: RegisterFilter) -> int | None:
    """On the server, a search or a state is counted in the narrow word table alone, whatever the other filters
    (its rows are the directives not deleted): 40,000 matches in ~35 ms instead of 100-900 ms through the
    directives' wide rows and their tasks. None where this does not apply (no search and no state)."""
    if not _server(session) or not (ts_query(f.search) or f.state):
        return None
    return session.scalar(select(func.count()).select_from(_WORDS).where(
        _WORDS.c.office_unit_id == f.office_unit_id, *_words_where(f, counting=True)))


_ORDER = {
    SortColumn.ARRIVAL: (Directive.arrival_year, Directive.arrival_number),
    SortColumn.ISSUER: (Directive.issuer_sort, Directive.arrival_year, Directive.arrival_number),
    SortColumn.NUMBER: (Directive.number_folded, Directive.arrival_number),
    SortColumn.DOC_DATE: (Directive.doc_date, Directive.arrival_number),
    SortColumn.SUBJECT: (Directive.subject_sort, Directive.arrival_number),
}

_COLUMNS = (
    Directive.id, Directive.arrival_date, Directive.arrival_number, Directive.issuer_name,
    Directive.number_symbol, Directive.doc_date, Directive.doc_type, Directive.subject,
    Directive.recipients, Directive.transfer_date, Directive.notes, Directive.urgency,
    Directive.arrival_year,
)


def count(session: Session, f: RegisterFilter) -> int:
    counted = _count_words(session, f)
    if counted is not None:
        return counted
    return session.scalar(select(func.count()).select_from(Directive).where(_where(f, _server(session))))


# How far a page on the server first walks the register in the list's order, looking each directive up in the word
# table: this many directives per row of the pages up to it, and at least WALK_LEAST; a second walk at most
# WALK_MOST.
WALK_PER_ROW = 20
WALK_LEAST = 2_000
WALK_MOST = 20_000


def _walked_page(session: Session, f: RegisterFilter, offset: int, limit: int) -> list[RegisterRow] | None:
    """On the server, a page of a search or a state read by walking the first directives of the list (the other
    filters on their rows) and looking each up in the word table: the page when it is full there, else None.

    Where the matches are common (1 in 20 or more) the page is full after a few hundred look-ups (2-10 ms), whatever
    the server thinks of the words: it takes the matches of two words that go together ("dat chuan": 14,158) for a
    seventh of what they are, and would read every match from the GIN index and then each directive (100-170 ms).
    A walk that found some but too few goes once more, as far as they say the page needs (the overdue are rarer
    among the latest directives); rarer matches are left to the full query, which reads them from the GIN index."""
    needed = offset + limit
    walk = max(WALK_LEAST, WALK_PER_ROW * needed)
    if not _common_enough(session, f, walk, needed):
        return None
    rows = _walk(session, f, walk, offset, limit)
    if len(rows) < limit and rows and walk < WALK_MOST:
        walk = min(WALK_MOST, walk * needed * 3 // (2 * (offset + len(rows))) + 1)
        rows = _walk(session, f, walk, offset, limit)
    return [RegisterRow(*row) for row in rows] if len(rows) == limit else None


def _walk(session: Session, f: RegisterFilter, walk: int, offset: int, limit: int) -> list:
    plain = replace(f, search="", state=None)
    shown = {c.key for c in _COLUMNS}
    first = (select(*_COLUMNS, *[c for c in _ORDER[f.sort] if c.key not in shown]).where(_where(plain))
             .order_by(*_order(f)).limit(walk).subquery())
    # a scalar subquery is looked up for each directive walked; an EXISTS could be read as a join from the GIN index
    found = (select(literal(True)).select_from(_WORDS)
             .where(_WORDS.c.directive_id == first.c.id, *_words_where(f)).scalar_subquery())
    order = [first.c[c.key].desc() if f.descending else first.c[c.key].asc() for c in _ORDER[f.sort]]
    return session.execute(select(*[first.c[c.key] for c in _COLUMNS]).where(found.is_(True))
                           .order_by(*order).offset(offset).limit(limit)).all()


def _common_enough(session: Session, f: RegisterFilter, walk: int, needed: int) -> bool:
    """Whether the server expects the walk to fill the page, from its own estimate of the word table's matches,
    trusted to a quarter (it takes words that go together for rarer than they are): a rare search ("giam ngheo"
    2019, 662 matches) goes to the GIN index at once instead of looking up every directive walked (20-25 ms)."""
    statement = select(func.count()).select_from(_WORDS).where(
        _WORDS.c.office_unit_id == f.office_unit_id, *_words_where(f))
    compiled = statement.compile(dialect=session.get_bind().dialect)
    connection = session.connection()
    plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    matches = plan[0]["Plan"]["Plans"][0]["Plan Rows"]
    rows = connection.exec_driver_sql(
        "SELECT greatest(reltuples, 1) FROM pg_class WHERE oid = 'directive_words'::regclass").scalar()
    return matches / rows * walk * 4 >= needed


def _order(f: RegisterFilter):
    return [c.desc() if f.descending else c.asc() for c in _ORDER[f.sort]]


def page(session: Session, f: RegisterFilter, offset: int, limit: int) -> list[RegisterRow]:
    server = _server(session)
    if server and limit > 0 and (fts_query(f.search) or f.state):
        walked = _walked_page(session, f, offset, limit)
        if walked is not None:
            return walked
    query = select(*_COLUMNS).where(_where(f, server)).order_by(*_order(f)).offset(offset).limit(limit)
    return [RegisterRow(*row) for row in session.execute(query)]


def years(session: Session, office_unit_id: str) -> list[int]:
    return list(session.scalars(
        select(Directive.arrival_year).where(Directive.office_unit_id == office_unit_id)
        .distinct().order_by(Directive.arrival_year.desc())
    ))


def task_progress(session: Session, directive_ids: list[str], today: date) -> dict[str, tuple[int, int, int]]:
    """Per directive on a page: (tasks, done, overdue)."""
    if not directive_ids:
        return {}
    overdue = status_condition(TaskStatus.IN_PROGRESS_OVERDUE, today)
    rows = session.execute(
        select(
            Task.directive_id, func.count(),
            func.sum(Task.completed_on.is_not(None).cast(Integer)),
            func.sum(overdue.cast(Integer)),
        ).where(Task.directive_id.in_(directive_ids), Task.deleted.is_(False)).group_by(Task.directive_id)
    )
    return {d: (n, done or 0, late or 0) for d, n, done, late in rows}

