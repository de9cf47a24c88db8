"""Taking the next arrival number (số đến) as a directive is saved: one clerk at a time per register and year.

Two clerks registering at the same moment on two PCs get consecutive numbers, never the same one and never a
gap: the save first takes its register's turn, then reads the highest number, in the transaction that writes
the directive; the turn ends with that transaction (the unique constraint per office, year and number stays
the last guard).

- PostgreSQL: a transaction-level advisory lock on (office, year): a second clerk's save waits until the first
  one commits or rolls back, and its next statement (READ COMMITTED) sees the number the first one took.
- SQLite: the database's single write lock, taken at once by a write that changes no row; a second writer
  waits for it (busy timeout), then reads the newest data.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ntm_desktop.models import Directive

_PG_LOCK = text("SELECT pg_advisory_xact_lock(hashtext(:office), :year)")
_SQLITE_LOCK = text("DELETE FROM directives WHERE 0")  # begins the write transaction; deletes nothing


def take_turn(session: Session, office_unit_id: str, year: int) -> None:
    """Hold the register of `office_unit_id` for `year` until this transaction ends."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(_PG_LOCK, {"office": office_unit_id, "year": year})
    elif dialect == "sqlite":
        session.execute(_SQLITE_LOCK)


def highest(session: Session, office_unit_id: str, year: int) -> int:
    """The highest number used in the register for the year (tombstoned directives keep theirs), 0 if none."""
    return session.scalar(select(func.max(Directive.arrival_number)).where(
        Directive.office_unit_id == office_unit_id, Directive.arrival_year == year)) or 0


def take_next(session: Session, office_unit_id: str, year: int) -> int:
    """The next number, held for this transaction: the directive saved in it gets the number."""
    take_turn(session, office_unit_id, year)
    return highest(session, office_unit_id, year) + 1
