"""the task list's tasks without a deadline read in its order from the directives' arrival

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

The task list shows the tasks without a deadline after all the others, newest directive first. At national
scale (100,000 directives, 45,000 such tasks open) the list sorted all of them for its first 200 rows (0.2 to
0.4 s, while the window waited). An index on the directives' arrival lets it walk the directives newest first and
stop at 200 rows (under 10 ms).
"""
from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_directives_arrival", "directives", ["arrival_year", "arrival_number"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_directives_arrival", table_name="directives")
