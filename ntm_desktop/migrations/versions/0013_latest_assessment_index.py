"""each commune's latest assessment read from an index

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

The criteria page's warnings name a commune whose latest assessment, of any year, is more than a year old. That
latest date was found by reading every assessment row of every year (315,000 rows at national scale, 0.16 s);
an index on (unit_id, deleted, assessed_on) holds all the query reads, so the rows themselves are not read.
"""
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_criterion_assessments_unit_latest", "criterion_assessments",
                    ["unit_id", "deleted", "assessed_on"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_criterion_assessments_unit_latest", table_name="criterion_assessments")
