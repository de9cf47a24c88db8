"""Declarative base and the columns every synced record carries."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone

from sqlalchemy import MetaData, String, Text, TypeDecorator, Boolean, DateTime, Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_.-]+\Z")  # \Z: "$" would let a final newline through


def vector_json(vector) -> str:
    """Compact JSON with sorted keys, as json.dumps(sort_keys=True, separators=(",", ":")) writes it.

    The column type is also used for other small JSON values (lists of keys): those go through json.

    Installation ids are UUIDs: those are written directly (a vector is stored for every record that
    moves, so this runs tens of thousands of times per package); anything else goes through json."""
    if type(vector) is dict and len(vector) == 1:  # the most common: one installation changed the record
        ((key, count),) = vector.items()
        if type(key) is str and type(count) is int and _PLAIN_KEY.match(key):
            return f'{{"{key}":{count}}}'
    if type(vector) is dict and all(type(k) is str and _PLAIN_KEY.match(k) and type(v) is int
                                    for k, v in vector.items()):
        return "{" + ",".join(f'"{k}":{v}' for k, v in sorted(vector.items())) + "}"
    return json.dumps(vector, sort_keys=True, separators=(",", ":"))


class VersionVector(TypeDecorator):
    """A version vector {installation_id: counter} stored as compact JSON."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return vector_json(value or {})

    def process_result_value(self, value, dialect):
        return json.loads(value) if value else {}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Synced:
    """Columns that let a record travel between installations (see SYNC.md).

    - id: UUID made where the record is born;
    - owner_unit_id: the unit whose data this is (only it, or units above it, may change it by sync);
    - version: version vector bumped on each local save;
    - updated_at: UTC time of the last change;
    - deleted: tombstone instead of a hard delete.
    """

    # Audit and versioning skip these; they change with every save.
    SYSTEM_FIELDS = ("version", "updated_at")

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    owner_unit_id: Mapped[str | None] = mapped_column(String(36), index=True)
    version: Mapped[dict] = mapped_column(VersionVector, default=dict, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class Revised:
    """A record officers edit in a form, possibly on two PCs at once: its revision counts its saves here.

    Every save that changes it (a form's, a package's) adds one; the UPDATE is written `WHERE revision =` the
    revision the session read (SQLAlchemy's version counter), so of two saves made from the same revision the
    second changes no row and is refused. The revision never travels by sync: each database counts its own
    (`services.revisions` raises it, with the version vector; `services.concurrency` names what changed).
    """

    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1", nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls):
        # Raised by services.revisions only when the record changes (a derived fact such as a task's start
        # is written without a new revision), so the counter is not generated on every UPDATE.
        return {"version_id_col": cls.revision, "version_id_generator": False}
