"""the revision of each directive and task, so that of two saves from the same revision the second is refused;
the audit row names the revision its change made

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

REVISED = ("directives", "tasks")
# Plain ALTER TABLE (SQLite 3.35+ drops a column in place): a table rebuilt by a batch would renumber the rows
# the directives' full-text index refers to.


def upgrade() -> None:
    for table in REVISED:
        op.add_column(table, sa.Column("revision", sa.Integer(), server_default="1", nullable=False))
    op.add_column("audit_log", sa.Column("revision", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_log", "revision")
    for table in REVISED:
        op.drop_column(table, "revision")
