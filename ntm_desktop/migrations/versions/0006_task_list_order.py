"""the task list's own order as an index, so a page of the list is read by walking it

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_tasks_list_order', 'tasks', [
        sa.text('(completed_on IS NOT NULL)'), sa.text("coalesce(due_date, '9999-12-31')"),
        'deleted', 'directive_id', 'lead_unit_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_tasks_list_order', table_name='tasks')
