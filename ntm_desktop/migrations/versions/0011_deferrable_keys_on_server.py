"""foreign keys DEFERRABLE on PostgreSQL (a package's records are checked against each other at its commit)

A package's records may point at each other in any order (a unit at its parent, a task at a directive adopted in
the same transaction), so applying one checks foreign keys at the commit, as SQLite's defer_foreign_keys does.
PostgreSQL defers only the constraints declared DEFERRABLE; INITIALLY IMMEDIATE keeps every other transaction
checked statement by statement. Nothing changes on SQLite.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-12
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _foreign_keys(deferrable: bool) -> list[tuple[str, str]]:
    return op.get_bind().execute(sa.text(
        "SELECT c.conrelid::regclass::text, c.conname FROM pg_constraint c "
        "JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE c.contype = 'f' AND c.condeferrable = :deferrable AND n.nspname = current_schema() "
        "ORDER BY 1, 2"), {"deferrable": deferrable}).all()


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, name in _foreign_keys(False):
        op.execute(f'ALTER TABLE {table} ALTER CONSTRAINT "{name}" DEFERRABLE INITIALLY IMMEDIATE')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, name in _foreign_keys(True):
        op.execute(f'ALTER TABLE {table} ALTER CONSTRAINT "{name}" NOT DEFERRABLE')
