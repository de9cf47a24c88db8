"""Write many incoming records at once: one executemany per table, values converted as the ORM would.

A package can hold tens of thousands of new records. Going through ORM objects
costs a Python object and a flush per record; here each column gets its
converter once (text to NFC, ISO dates parsed and stored in SQLAlchemy's own
format), the folded and sort copies come from the same function the flush
hook uses, and the rows go to the driver as plain tuples, in its own placeholder style (`?` for SQLite,
`%s` for psycopg on the office's server): SQLAlchemy's per-row parameter handling in a Core executemany costs
about 15 µs a row, eight times what SQLite takes to insert it.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from itertools import chain
from unicodedata import normalize
from typing import Any, Callable, Iterable

from sqlalchemy import Date, DateTime, String, Table, Text
from sqlalchemy.engine import Connection, Dialect

from ntm_desktop.models import AuditEntry
from ntm_desktop.models.base import VersionVector, vector_json
from ntm_desktop.services.revisions import DERIVED_FIELDS, NOT_AUDITED, derived_columns
from ntm_desktop.sync.entities import EntitySpec
from ntm_desktop.text import nfc

Converter = Callable[[Any], Any]


def driver_sql(dialect: Dialect, sql: str) -> str:
    """`sql` written with `?` placeholders, in the driver's own style (none of these statements holds a literal
    `?` or `%`)."""
    if dialect.paramstyle == "qmark":
        return sql
    if dialect.paramstyle in ("format", "pyformat"):
        return sql.replace("?", "%s")
    raise NotImplementedError(f"placeholder style {dialect.paramstyle}")  # pragma: no cover - SQLite, psycopg only


def bind(column, dialect: Dialect) -> Converter:
    """The column's bind conversion for this dialect (the value itself when the driver takes it as it is)."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return process or (lambda v: v)


def defer_foreign_keys(connection: Connection) -> None:
    """Foreign keys checked at the commit of the open write transaction, not at each statement (records of one
    package may point at each other in any order). On the server the constraints are DEFERRABLE (migration
    0011_deferrable_keys_on_server)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
    else:
        connection.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")


IMPORT_CACHE_KIB = 32 * 1024  # SQLite's page cache while a package is written (its default is 2 MiB)


def roomy_cache(connection: Connection) -> int | None:
    """On the SQLite file: a page cache of `IMPORT_CACHE_KIB` for the open write transaction, which writes a
    batch into every table and index in turn (the default 2 MiB evicts each table's pages before its next
    batch). Returns the setting to give back to `restore_cache`; None on the server."""
    if connection.dialect.name != "sqlite":
        return None
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
    return before


@contextmanager
def collector_paused():
    """Python's cycle collector held while a package is made, or read and written, as it was again afterwards
    (a context manager, or a decorator).

    An import keeps a batch's records (tens of thousands of dicts and lists) alive while it plans and writes
    them, and every collection of the older generations walks all of them: about a tenth of a 35,000-record
    import, a fifth of its export. Records hold no cycles, so reference counting frees them as before; what
    the work leaves in cycles (a few ORM objects) is collected once the collector runs again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def restore_cache(connection: Connection, before: int | None) -> None:
    """The page cache as it was before `roomy_cache` (left larger if the connection cannot be asked: the error
    that stopped the import is the one to tell)."""
    if before is not None:
        try:
            connection.exec_driver_sql(f"PRAGMA cache_size={int(before)}")
        except Exception:  # noqa: BLE001 - a cache setting must not hide what went wrong
            pass


def _audit_insert(dialect: Dialect, revision: str) -> str:
    user = dialect.identifier_preparer.quote("user")  # a reserved word on PostgreSQL
    return driver_sql(dialect, f"INSERT INTO {AuditEntry.__tablename__} (at, {user}, entity, record_id, field, old, "
                               f"new, package_id, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, {revision})")


def _converter(column, dialect: Dialect) -> Callable[[list], list] | None:
    """A column's JSON values -> the values SQLAlchemy would bind for it, a whole column at a time (None: passed
    through), chosen once per column and dialect."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if isinstance(column.type, VersionVector) and process:  # its bind: vector_json(value or {})
        return lambda values: vector_texts([v or {} for v in values])
    if isinstance(column.type, DateTime):
        # What export writes ("2026-12-02T03:05:20.123456") becomes SQLAlchemy's stored form by one change
        # (SQLite's text); a driver taking datetime objects (psycopg) gets them parsed.
        sample = process(datetime(2026, 12, 2, 3, 5, 20, 123456)) if process else None
        if sample == "2026-12-02 03:05:20.123456":
            slow = lambda v: process(datetime.fromisoformat(v))  # noqa: E731
            return lambda values: [v if v is None else v.replace("T", " ", 1) if len(v) == 26 and v[10] == "T"
                                   else slow(v) for v in values]
        parse = datetime.fromisoformat
    elif isinstance(column.type, Date):
        # A checked "YYYY-MM-DD" is already the stored form where the driver takes text (SQLite).
        if process and process(date(2026, 12, 2)) == "2026-12-02":
            slow = lambda v: process(date.fromisoformat(v))  # noqa: E731
            return lambda values: [v if v is None or len(v) == 10 and v[4] == "-" == v[7] else slow(v)
                                   for v in values]
        parse = date.fromisoformat
    elif isinstance(column.type, (String, Text)) and column.name not in DERIVED_FIELDS and column.name != "version":
        parse = nfc
    else:
        parse = None
    if parse is nfc and not process:  # the most common column kind: `nfc` of a whole column at once
        return nfc_column
    if parse and process:
        return lambda values: [None if v is None else process(parse(v)) for v in values]
    if parse:
        return lambda values: [None if v is None else parse(v) for v in values]
    return (lambda values: list(map(process, values))) if process else None


def nfc_column(values: list) -> list:
    """`text.nfc` of each value (None kept): the column's texts normalized as one text, joined by NUL.

    NUL is a starter that composes with nothing, so NFC treats each part as it would alone; a value that holds
    a NUL itself (nfc removes it, which may join what it parted) or is not text takes `nfc` one by one."""
    texts = [v for v in values if v is not None] if None in values else values
    try:
        joined = "\x00".join(texts)
    except TypeError:
        joined = None
    if joined is None or joined.count("\x00") != len(texts) - 1:
        return [v if v is None else normalize("NFC", v.replace("\x00", "")).strip() for v in values]
    parts = [p.strip() for p in normalize("NFC", joined).split("\x00")] if texts else []
    if texts is values:
        return parts
    found = iter(parts)
    return [None if v is None else next(found) for v in values]


def vector_texts(vectors: list) -> list[str]:
    """`vector_json` of each vector; a package's records mostly share a few one-installation vectors, each
    written once (found as each vector's items, in C; a vector that is not a dict of whole counts, one by
    one)."""
    try:
        counts = set(map(type, chain.from_iterable(map(dict.values, vectors))))
        keys = list(map(tuple, map(dict.items, vectors))) if counts <= {int} else None
    except TypeError:  # not a dict
        keys = None
    if keys is not None:
        texts_of = {key: vector_json(dict(key)) for key in set(keys)}
        return list(map(texts_of.__getitem__, keys))
    made: dict[tuple, str] = {}
    texts = []
    for vector in vectors:
        if type(vector) is dict and len(vector) == 1:
            ((key, count),) = vector.items()
            if type(count) is int:
                text = made.get((key, count))
                if text is None:
                    text = made[(key, count)] = vector_json(vector)
                texts.append(text)
                continue
        texts.append(vector_json(vector))
    return texts


@lru_cache(maxsize=None)
def _plan(table: Table, travelling: tuple[str, ...], dialect: Dialect):
    derived = tuple(c.name for c in table.columns if c.name in DERIVED_FIELDS)
    converters = tuple((name, _converter(table.c[name], dialect)) for name in travelling)
    return converters, derived


def _columns(connection: Connection, spec: EntitySpec, records: list[dict]) -> dict[str, list]:
    """Database values column by column, derived copies included (one comprehension per column is much
    cheaper than a dict per record)."""
    converters, derived = _plan(spec.table, tuple(spec.columns), connection.dialect)
    columns = {}
    for name, convert in converters:
        raw = [r[name] for r in records]
        columns[name] = convert(raw) if convert else raw
    if derived:
        extras = derived_columns(spec.name, columns)
        for name in derived:
            columns[name] = extras[name]
    return columns


def _insert_links(connection: Connection, link, records: list[dict]) -> None:
    pairs = [(r["id"], other) for r in records for other in r.get(link.name, [])]
    if pairs:
        connection.exec_driver_sql(driver_sql(
            connection.dialect, f"INSERT INTO {link.table.name} ({link.own_column}, {link.other_column}) VALUES (?, ?)"),
            pairs)


def insert_records(connection: Connection, spec: EntitySpec, records: Iterable[dict]) -> int:
    """Insert whole records (their links too); returns the number of rows written."""
    records = list(records)
    if not records:
        return 0
    columns = _columns(connection, spec, records)
    names = list(columns)
    connection.exec_driver_sql(driver_sql(
        connection.dialect, f"INSERT INTO {spec.table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"),
        list(zip(*columns.values())))
    for link in spec.links:
        _insert_links(connection, link, records)
    return len(records)


def _audit_text(value) -> str | None:
    """A JSON value as the flush hook writes it in the audit log (revert parses it back)."""
    if value is None:
        return None
    if isinstance(value, list):
        return json.dumps(sorted(value))
    return str(value)


def update_records(connection: Connection, spec: EntitySpec, pairs: list[tuple[dict, dict]], at: datetime,
                   user: str, package_id: str) -> int:
    """Overwrite existing rows with their new state, one audit row per changed field; pairs: (local, new).

    Returns the number of fields that changed.
    """
    if not pairs:
        return 0
    records = [new for _, new in pairs]
    columns = _columns(connection, spec, records)
    names = [n for n in columns if n != "id"]
    revised = "revision" in spec.table.c  # a change that arrived is a new revision (models.base.Revised)
    bump = ", revision = revision + 1" if revised else ""
    connection.exec_driver_sql(driver_sql(
        connection.dialect, f"UPDATE {spec.table.name} SET {', '.join(f'{n} = ?' for n in names)}{bump} WHERE id = ?"),
        list(zip(*(columns[n] for n in names), columns["id"])))
    audited = [n for n in spec.columns if n != "id" and n not in NOT_AUDITED]
    texts = {n: columns[n] if isinstance(spec.table.c[n].type, (String, Text)) else [r[n] for r in records]
             for n in audited}
    stamp = bind(spec.table.c.updated_at, connection.dialect)(at)
    audit = []
    for i, (local, new) in enumerate(pairs):
        for name in audited:
            old_text, new_text = _audit_text(local.get(name)), _audit_text(texts[name][i])
            if old_text != new_text:
                audit.append((stamp, user, spec.name, new["id"], name, old_text, new_text, package_id))
    for link in spec.links:
        moved = [(local, new) for local, new in pairs if sorted(local.get(link.name, [])) != sorted(new.get(link.name, []))]
        if not moved:
            continue
        connection.exec_driver_sql(driver_sql(connection.dialect, f"DELETE FROM {link.table.name} WHERE {link.own_column} = ?"),
                                   [(new["id"],) for _, new in moved])
        _insert_links(connection, link, [new for _, new in moved])
        audit += [(stamp, user, spec.name, new["id"], link.audit_field, _audit_text(local.get(link.name, [])),
                   _audit_text(new.get(link.name, [])), package_id) for local, new in moved]
    if audit:
        # The audit row names the revision the change made, read back from the row just updated.
        revision = f"(SELECT revision FROM {spec.table.name} WHERE id = ?)" if revised else "NULL"
        connection.exec_driver_sql(
            _audit_insert(connection.dialect, revision),
            [row + (row[3],) for row in audit] if revised else audit)
    return len(audit)


def insert_audit(connection: Connection, at: datetime, user: str, entity: str, record_ids: list[str],
                 package_id: str) -> None:
    """One audit row per record a package created ("*": the whole record), naming the package."""
    table = AuditEntry.__table__
    stamp = bind(table.c.at, connection.dialect)(at)
    created = table.metadata.tables.get(entity)
    revision = "1" if created is not None and "revision" in created.c else "NULL"  # a record's first revision
    if connection.dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 38):  # JSON functions built in
        # One statement: SQLite makes a row per id of one JSON array (in its order), half the cost of binding
        # eight values per row. The ids are checked UUIDs.
        user_column = connection.dialect.identifier_preparer.quote("user")
        connection.exec_driver_sql(
            f"INSERT INTO {table.name} (at, {user_column}, entity, record_id, field, old, new, package_id, revision) "
            f"SELECT ?, ?, ?, value, '*', NULL, NULL, ?, {revision} FROM json_each(?)",
            (stamp, user, entity, package_id, json.dumps(record_ids)))
        return
    connection.exec_driver_sql(
        _audit_insert(connection.dialect, revision),
        [(stamp, user, entity, record_id, "*", None, None, package_id) for record_id in record_ids],
    )
