"""Write many incoming records at once: one executemany per table, values converted as the ORM would.

A package can hold tens of thousands of new records. Going through ORM objects
costs a Python object and a flush per record; here each column gets its
converter once (text to NFC, ISO dates parsed and stored in SQLAlchemy's own
format), the folded and sort copies come from the same function the flush
hook uses, and the rows go to SQLite as plain tuples.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any, Callable, Iterable

from sqlalchemy import Date, DateTime, String, Table, Text
from sqlalchemy.engine import Connection, Dialect

from ntm_desktop.services.revisions import DERIVED_FIELDS, derived_values
from ntm_desktop.sync.entities import EntitySpec
from ntm_desktop.text import nfc

Converter = Callable[[Any], Any]


def _converter(column, dialect: Dialect) -> Converter | None:
    """JSON value -> the value SQLAlchemy would bind for this column (None: pass through)."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if isinstance(column.type, DateTime):
        # What export writes ("2026-12-02T03:05:20.123456") becomes SQLAlchemy's stored form by one change.
        sample = process(datetime(2026, 12, 2, 3, 5, 20, 123456))
        if sample == "2026-12-02 03:05:20.123456":
            return lambda v: None if v is None else (
                v.replace("T", " ", 1) if len(v) == 26 and v[10] == "T" else process(datetime.fromisoformat(v)))
        parse = datetime.fromisoformat
    elif isinstance(column.type, Date):
        parse = date.fromisoformat
    elif isinstance(column.type, (String, Text)) and column.name not in DERIVED_FIELDS and column.name != "version":
        parse = nfc
    else:
        parse = None
    if parse and process:
        return lambda v: None if v is None else process(parse(v))
    if parse:
        return lambda v: None if v is None else parse(v)
    return process


@lru_cache(maxsize=None)
def _plan(table: Table, travelling: tuple[str, ...], dialect: Dialect):
    derived = tuple(c.name for c in table.columns if c.name in DERIVED_FIELDS)
    names = travelling + derived
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    converters = tuple((name, _converter(table.c[name], dialect)) for name in travelling)
    return sql, converters, derived


def insert_records(connection: Connection, spec: EntitySpec, records: Iterable[dict]) -> int:
    """Insert whole records (their links too); returns the number of rows written."""
    sql, converters, derived = _plan(spec.table, tuple(spec.columns), connection.dialect)
    rows, pairs = [], {link.name: [] for link in spec.links}
    for record in records:
        values = {name: (convert(record[name]) if convert else record[name]) for name, convert in converters}
        extra = derived_values(spec.name, values.get) if derived else {}
        rows.append(tuple(values.values()) + tuple(extra[name] for name in derived))
        for link in spec.links:
            pairs[link.name].extend((record["id"], other) for other in record.get(link.name, []))
    if rows:
        connection.exec_driver_sql(sql, rows)
    for link in spec.links:
        if pairs[link.name]:
            connection.exec_driver_sql(
                f"INSERT INTO {link.table.name} ({link.own_column}, {link.other_column}) VALUES (?, ?)", pairs[link.name])
    return len(rows)


def insert_rows(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Plain rows (already in Python types) into a system table such as the audit log."""
    if not rows:
        return
    names = tuple(rows[0])
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    processors = [table.c[n].type.dialect_impl(connection.dialect).bind_processor(connection.dialect) for n in names]
    connection.exec_driver_sql(sql, [
        tuple(p(row[n]) if p else row[n] for n, p in zip(names, processors)) for row in rows
    ])
