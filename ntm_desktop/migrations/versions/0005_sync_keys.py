"""signing keys of offices known to this installation

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("unit_id", sa.String(36), nullable=False),
        sa.Column("unit_code", sa.String(40), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(60), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("previous_key", sa.String(64), nullable=False),
        sa.Column("rotated_at", sa.String(40), nullable=False),
        sa.Column("rotation_signature", sa.String(100), nullable=False),
        sa.Column("confirmed_by", sa.String(200), nullable=False),
        sa.Column("confirmed_at", sa.DateTime, nullable=True),
        sa.Column("revoked_at", sa.DateTime, nullable=True),
        sa.Column("revoked_by", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sync_keys"),
        sa.UniqueConstraint("unit_id", "public_key", name="uq_sync_keys_unit_id_public_key"),
    )
    op.create_index("ix_sync_keys_unit_id", "sync_keys", ["unit_id"])
    op.create_index("ix_sync_keys_fingerprint", "sync_keys", ["fingerprint"])


def downgrade() -> None:
    op.drop_index("ix_sync_keys_fingerprint", table_name="sync_keys")
    op.drop_index("ix_sync_keys_unit_id", table_name="sync_keys")
    op.drop_table("sync_keys")
