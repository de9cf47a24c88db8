"""Every save: text to NFC, folded copies refreshed, version bumped, audit rows written.

One `before_flush` hook does this for all synced records, so no screen or
import path can forget it. A sync import sets ``session.info["package_id"]``:
incoming records keep the version vector they arrived with, and their audit
rows name the package.
"""

from __future__ import annotations

import enum
import json
from datetime import date, datetime

from sqlalchemy import event, inspect, select, String, Text
from sqlalchemy.orm import Session, sessionmaker

from ntm_desktop.models import AuditEntry, Base, Directive, Revised, Setting, Synced, Task, Unit, new_id, utcnow
from ntm_desktop.models.directives import DOC_TYPES
from ntm_desktop.text import fold, nfc, sort_key

DERIVED_FIELDS = {
    "number_folded", "issuer_folded", "issuer_sort", "subject_sort", "search_folded",
    "name_folded", "name_sort", "summary_folded",
}
# Facts each installation derives from records that travel, so they never travel themselves: a task's
# start is its earliest progress report or its completion, whoever reported it; a record's revision counts
# the saves this database made of it (models.base.Revised).
LOCAL_FIELDS = {"started_on", "revision"}
NOT_AUDITED = DERIVED_FIELDS | LOCAL_FIELDS | set(Synced.SYSTEM_FIELDS)


def ensure_installation_id(sessions: sessionmaker) -> str:
    """This installation's id, made on first use and kept in the settings table."""
    with sessions.begin() as session:
        row = session.get(Setting, "installation_id")
        if row is None:
            row = Setting(key="installation_id", value=new_id())
            session.add(row)
        return row.value


def derived_values(table: str, get) -> dict[str, str]:
    """The folded and sort copies of a record of `table`; `get(name)` reads one of its fields.

    The one place they are computed (`_RECIPES`): the flush hook reads an ORM object, a sync
    import reads the incoming row. Each is cut to its column's length: a sort key is about
    twice as long as its text, and the office's PostgreSQL server, unlike the SQLite file,
    refuses a longer value (the order of texts that long is decided well before the cut).
    """
    limits = _limits(table)
    values = {name: make(*map(get, fields)) for name, (make, fields) in _RECIPES.get(table, {}).items()}
    return {name: value[:limits[name]] if name in limits and value else value for name, value in values.items()}


def derived_columns(table: str, columns: dict[str, list]) -> dict[str, list]:
    """`derived_values` of many records at once, a column at a time: `columns[name][i]` is record i's field."""
    limits = _limits(table)
    found = {}
    for name, (make, fields) in _RECIPES.get(table, {}).items():
        values = list(map(make, *(columns[field] for field in fields)))
        if name in limits:
            most = limits[name]
            values = [v[:most] if v and len(v) > most else v for v in values]
        found[name] = values
    return found


_LIMITS: dict[str, dict[str, int]] = {}


def _limits(table: str) -> dict[str, int]:
    limits = _LIMITS.get(table)
    if limits is None:
        columns = Base.metadata.tables[table].c if table in Base.metadata.tables else {}
        limits = _LIMITS[table] = {name: column.type.length for name, column in
                                   ((name, columns[name]) for name in DERIVED_FIELDS if name in columns)
                                   if getattr(column.type, "length", None)}
    return limits


def _directive_search(number_symbol, issuer_name, doc_type, subject, signer, recipients, notes, full_text) -> str:
    return fold(" ".join(filter(None, [number_symbol, issuer_name, DOC_TYPES.get(doc_type, ""), subject, signer,
                                       recipients, notes, full_text])))


def _unit_search(name, short_name, code) -> str:
    return fold(" ".join(filter(None, [name, short_name, code])))


def _subject_sort(subject) -> str:
    return sort_key(subject)[:400]


# Each derived copy: (how it is made, from which fields).
_RECIPES: dict[str, dict[str, tuple]] = {
    "directives": {
        "number_folded": (fold, ("number_symbol",)),
        "issuer_folded": (fold, ("issuer_name",)),
        "issuer_sort": (sort_key, ("issuer_name",)),
        "subject_sort": (_subject_sort, ("subject",)),
        "search_folded": (_directive_search, ("number_symbol", "issuer_name", "doc_type", "subject", "signer",
                                              "recipients", "notes", "full_text")),
    },
    "units": {
        "name_folded": (_unit_search, ("name", "short_name", "code")),
        "name_sort": (sort_key, ("name",)),
    },
    "tasks": {"summary_folded": (fold, ("summary",))},
}


def _derive(obj: Synced) -> None:
    for name, value in derived_values(obj.__tablename__, lambda field: getattr(obj, field)).items():
        setattr(obj, name, value)


def _normalize_text(obj: Synced) -> None:
    for column in inspect(type(obj)).columns:
        if isinstance(column.type, (String, Text)) and column.key not in DERIVED_FIELDS:
            value = getattr(obj, column.key, None)
            if isinstance(value, str):
                normalized = nfc(value)
                if normalized != value:
                    setattr(obj, column.key, normalized)


def _plain(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(sorted(getattr(v, "id", v) for v in value))
    if isinstance(value, (dict,)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _changes(obj: Synced) -> list[tuple[str, str | None, str | None]]:
    state = inspect(obj)
    changes = []
    for attr in state.mapper.attrs:
        key = attr.key
        if key in NOT_AUDITED:
            continue
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        if hasattr(attr, "direction"):  # relationship
            if not getattr(attr, "uselist", False) or attr.secondary is None:
                continue  # many-to-one: the foreign key column is audited instead
            old = list(hist.unchanged) + list(hist.deleted)
            new = list(hist.unchanged) + list(hist.added)
        else:
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
        if _plain(old) != _plain(new):
            changes.append((key, _plain(old), _plain(new)))
    return changes


def _bump(obj: Synced, installation: str) -> None:
    vector = dict(obj.version or {})
    vector[installation] = vector.get(installation, 0) + 1
    obj.version = vector
    obj.updated_at = utcnow()


def _next_revision(session: Session, obj: Synced, created: bool) -> int | None:
    """The revision this save makes (None for a record without one); the UPDATE checks the one it replaces.

    One new revision per record and transaction, however many flushes the save takes."""
    if not isinstance(obj, Revised):
        return None
    from ntm_desktop.services.concurrency import this_transaction

    raised = this_transaction(session, "ntm_revisions_raised")
    if created:
        obj.revision = 1
    elif obj.id not in raised:
        obj.revision = (obj.revision or 0) + 1
    raised.add(obj.id)
    return obj.revision


def _before_flush(session: Session, _context, _instances) -> None:
    package_id = session.info.get("package_id")
    user = session.info.get("user", "")
    pending = [o for o in session.new if isinstance(o, Synced)]
    dirty = [o for o in session.dirty if isinstance(o, Synced) and session.is_modified(o)]
    if not pending and not dirty:
        return
    installation = session.info["installation_id"]
    entries: list[AuditEntry] = []
    for obj in pending:
        _normalize_text(obj)
        _derive(obj)
        if obj.id is None:
            obj.id = new_id()
        if not (package_id and obj.version):
            obj.version = {}
            _bump(obj, installation)
        snapshot = {k: v for k, _, v in _changes(obj)}
        entries.append(AuditEntry(
            user=user, entity=obj.__tablename__, record_id=obj.id, field="*",
            old=None, new=json.dumps(snapshot, ensure_ascii=False, sort_keys=True),
            package_id=package_id, revision=_next_revision(session, obj, created=True),
        ))
    for obj in dirty:
        _normalize_text(obj)
        _derive(obj)
        changes = _changes(obj)
        if not changes:
            continue
        if not package_id:
            _bump(obj, installation)
        revision = _next_revision(session, obj, created=False)  # a change that arrived is a change all the same
        for field, old, new in changes:
            entries.append(AuditEntry(
                user=user, entity=obj.__tablename__, record_id=obj.id, field=field,
                old=old, new=new, package_id=package_id, revision=revision,
            ))
    session.add_all(entries)


def install(sessions: sessionmaker) -> None:
    """Attach the hook to every session the factory makes (idempotent)."""
    # A flag on the factory, not event.contains(): the event registry is keyed by id(), and a
    # new factory can reuse the id of a collected one, which then looked "already installed".
    if not getattr(sessions, "_ntm_revisions_installed", False):
        event.listen(sessions, "before_flush", _before_flush)
        sessions._ntm_revisions_installed = True
    sessions.kw.setdefault("info", {})["installation_id"] = ensure_installation_id(sessions)


def audit_trail(session: Session, record_id: str) -> list[AuditEntry]:
    return list(
        session.scalars(select(AuditEntry).where(AuditEntry.record_id == record_id).order_by(AuditEntry.id))
    )
