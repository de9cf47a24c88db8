"""sync tables

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_import_ledger",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("package_id", sa.String(36), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("origin_unit_id", sa.String(36), nullable=False),
        sa.Column("origin_code", sa.String(40), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("created_utc", sa.String(40), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("file_name", sa.String(300), nullable=False),
        sa.Column("result", sa.String(20), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sync_import_ledger"),
    )
    op.create_index("ix_sync_import_ledger_package_id", "sync_import_ledger", ["package_id"])
    op.create_index("ix_sync_import_ledger_origin_unit_id", "sync_import_ledger", ["origin_unit_id"])
    op.create_table(
        "sync_export_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("package_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("destination_unit_id", sa.String(36), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("file_name", sa.String(300), nullable=False),
        sa.Column("audit_watermark", sa.Integer, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("acknowledged_at", sa.DateTime),
        sa.PrimaryKeyConstraint("id", name="pk_sync_export_log"),
        sa.UniqueConstraint("package_id", name="uq_sync_export_log_package_id"),
        sa.UniqueConstraint("destination_unit_id", "sequence", name="uq_sync_export_log_destination_unit_id_sequence"),
    )
    op.create_index("ix_sync_export_log_destination_unit_id", "sync_export_log", ["destination_unit_id"])
    op.create_table(
        "sync_receipts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("receipt_package_id", sa.String(36), nullable=False),
        sa.Column("from_unit_id", sa.String(36), nullable=False),
        sa.Column("package_id", sa.String(36), nullable=False),
        sa.Column("applied_at", sa.String(40), nullable=False),
        sa.Column("rejected", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sync_receipts"),
    )
    op.create_index("ix_sync_receipts_receipt_package_id", "sync_receipts", ["receipt_package_id"])
    op.create_index("ix_sync_receipts_from_unit_id", "sync_receipts", ["from_unit_id"])
    op.create_index("ix_sync_receipts_package_id", "sync_receipts", ["package_id"])
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("entity", sa.String(50), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("field", sa.String(50), nullable=False),
        sa.Column("local_value", sa.Text),
        sa.Column("incoming_value", sa.Text),
        sa.Column("kept", sa.String(10), nullable=False),
        sa.Column("package_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("resolved", sa.Boolean, nullable=False),
        sa.Column("resolved_at", sa.DateTime),
        sa.Column("resolved_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sync_conflicts"),
    )
    op.create_index("ix_sync_conflicts_entity", "sync_conflicts", ["entity"])
    op.create_index("ix_sync_conflicts_record_id", "sync_conflicts", ["record_id"])
    op.create_index("ix_sync_conflicts_package_id", "sync_conflicts", ["package_id"])
    op.create_index("ix_sync_conflicts_resolved", "sync_conflicts", ["resolved"])
    op.create_table(
        "sync_snapshots",
        sa.Column("entity", sa.String(50), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("entity", "record_id", name="pk_sync_snapshots"),
    )


def downgrade() -> None:
    for table in ("sync_snapshots", "sync_conflicts", "sync_receipts", "sync_export_log", "sync_import_ledger"):
        op.drop_table(table)
