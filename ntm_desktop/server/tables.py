"""Copying rows into the server's tables: in batches, self-references last, sequences moved past the copied ids."""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.engine import Connection

BATCH = 5_000


def _self_references(table: Table) -> list[str]:
    """Columns that point at the same table (a unit's parent, its successor): filled in after every row is in."""
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def copy_rows(target: Connection, table: Table, rows: Iterable) -> int:
    """Insert `rows` (mappings of column name to value) in batches; self-references are set once all are in."""
    later = _self_references(table)
    pk = [c.name for c in table.primary_key]
    links: list[dict] = []
    batch: list[dict] = []
    copied = 0
    for row in rows:
        values = dict(row)
        if later:
            links.append({**{f"k_{c}": values[c] for c in pk}, **{f"v_{c}": values[c] for c in later}})
            values.update({c: None for c in later})
        batch.append(values)
        if len(batch) >= BATCH:
            target.execute(insert(table), batch)
            copied += len(batch)
            batch = []
    if batch:
        target.execute(insert(table), batch)
        copied += len(batch)
    links = [link for link in links if any(link[f"v_{c}"] is not None for c in later)]
    if links:
        statement = update(table).where(*[table.c[c] == bindparam(f"k_{c}") for c in pk]).values(
            {c: bindparam(f"v_{c}") for c in later})
        for start in range(0, len(links), BATCH):
            target.execute(statement, links[start:start + BATCH])
    return copied


def restart_sequences(target: Connection, table: Table) -> None:
    """Rows came with their numbers (the audit log's id): the next number the server gives follows them."""
    for column in table.primary_key:
        if column.autoincrement is True or (column.autoincrement == "auto" and len(table.primary_key) == 1
                                             and column.type.python_type is int):
            sequence = target.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                      {"t": table.name, "c": column.name}).scalar()
            if sequence:
                target.execute(text(f"SELECT setval(:s, COALESCE((SELECT max({column.name}) FROM {table.name}), 0) "
                                    "+ 1, false)"), {"s": sequence})


def count_rows(conn: Connection, table: Table) -> int:
    return conn.execute(select(func.count()).select_from(table)).scalar_one()


def count_rows(conn: Connection, table: Table) -> int:
    return conn.execute(select(func.count()).select_from(table)).scalar_one()
