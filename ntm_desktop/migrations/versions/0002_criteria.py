"""criteria tables: sets, criteria, indicators, commune profiles, recognitions, assessments, task links

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('criteria_sets',
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('set_version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=400), nullable=False),
    sa.Column('level', sa.String(length=40), nullable=False),
    sa.Column('tier', sa.String(length=20), nullable=False),
    sa.Column('period_start', sa.Integer(), nullable=True),
    sa.Column('period_end', sa.Integer(), nullable=True),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('targets_vary_by', sa.Text(), nullable=False),
    sa.Column('target_keys', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria_sets')),
    sa.UniqueConstraint('code', 'set_version', name=op.f('uq_criteria_sets_code_set_version'))
    )
    with op.batch_alter_table('criteria_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criteria_sets_owner_unit_id'), ['owner_unit_id'], unique=False)

    op.create_table('criteria',
    sa.Column('set_id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('group_name', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['set_id'], ['criteria_sets.id'], name=op.f('fk_criteria_set_id_criteria_sets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria')),
    sa.UniqueConstraint('set_id', 'code', name=op.f('uq_criteria_set_id_code'))
    )
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criteria_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_criteria_set_id'), ['set_id'], unique=False)

    op.create_table('commune_profiles',
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.String(length=36), nullable=False),
    sa.Column('target_key', sa.String(length=40), nullable=False),
    sa.Column('planned_year', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['set_id'], ['criteria_sets.id'], name=op.f('fk_commune_profiles_set_id_criteria_sets')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_commune_profiles_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commune_profiles')),
    sa.UniqueConstraint('unit_id', 'year', name=op.f('uq_commune_profiles_unit_id_year'))
    )
    with op.batch_alter_table('commune_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commune_profiles_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commune_profiles_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commune_profiles_year'), ['year'], unique=False)

    op.create_table('criterion_assessments',
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=True),
    sa.Column('assessing_unit_id', sa.String(length=36), nullable=True),
    sa.Column('assessed_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('evidence_sha256', sa.String(length=64), nullable=False),
    sa.Column('evidence_name', sa.String(length=260), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['assessing_unit_id'], ['units.id'], name=op.f('fk_criterion_assessments_assessing_unit_id_units')),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_criterion_assessments_criterion_id_criteria')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_criterion_assessments_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion_assessments')),
    sa.UniqueConstraint('unit_id', 'year', 'criterion_id', name=op.f('uq_criterion_assessments_unit_id_year_criterion_id'))
    )
    with op.batch_alter_table('criterion_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criterion_assessments_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_criterion_assessments_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index('ix_criterion_assessments_year_unit', ['year', 'unit_id'], unique=False)

    op.create_table('indicators',
    sa.Column('criterion_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('unit_of_measure', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('comparison', sa.String(length=4), nullable=False),
    sa.Column('targets', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_indicators_criterion_id_criteria')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('criterion_id', 'code', name=op.f('uq_indicators_criterion_id_code'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicators_owner_unit_id'), ['owner_unit_id'], unique=False)

    op.create_table('recognitions',
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('decision_number', sa.String(length=100), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=False),
    sa.Column('revoked_number', sa.String(length=100), nullable=False),
    sa.Column('revoked_date', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_recognitions_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognitions'))
    )
    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recognitions_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recognitions_unit_id'), ['unit_id'], unique=False)

    op.create_table('indicator_assessments',
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.String(length=36), nullable=False),
    sa.Column('measured_value', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_assessments_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_indicator_assessments_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_assessments')),
    sa.UniqueConstraint('unit_id', 'year', 'indicator_id', name=op.f('uq_indicator_assessments_unit_id_year_indicator_id'))
    )
    with op.batch_alter_table('indicator_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_assessments_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_assessments_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index('ix_indicator_assessments_year_unit', ['year', 'unit_id'], unique=False)

    op.create_table('task_criterion_links',
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('criterion_code', sa.String(length=20), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_criterion_links_task_id_tasks')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_task_criterion_links_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_criterion_links')),
    sa.UniqueConstraint('task_id', 'unit_id', 'criterion_code', name=op.f('uq_task_criterion_links_task_id_unit_id_criterion_code'))
    )
    with op.batch_alter_table('task_criterion_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_criterion_links_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_criterion_links_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_criterion_links_unit_id'), ['unit_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('task_criterion_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_criterion_links_unit_id'))
        batch_op.drop_index(batch_op.f('ix_task_criterion_links_task_id'))
        batch_op.drop_index(batch_op.f('ix_task_criterion_links_owner_unit_id'))

    op.drop_table('task_criterion_links')
    with op.batch_alter_table('indicator_assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_indicator_assessments_year_unit')
        batch_op.drop_index(batch_op.f('ix_indicator_assessments_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_assessments_indicator_id'))

    op.drop_table('indicator_assessments')
    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recognitions_unit_id'))
        batch_op.drop_index(batch_op.f('ix_recognitions_owner_unit_id'))

    op.drop_table('recognitions')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_indicators_criterion_id'))

    op.drop_table('indicators')
    with op.batch_alter_table('criterion_assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_criterion_assessments_year_unit')
        batch_op.drop_index(batch_op.f('ix_criterion_assessments_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_criterion_assessments_criterion_id'))

    op.drop_table('criterion_assessments')
    with op.batch_alter_table('commune_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commune_profiles_year'))
        batch_op.drop_index(batch_op.f('ix_commune_profiles_unit_id'))
        batch_op.drop_index(batch_op.f('ix_commune_profiles_owner_unit_id'))

    op.drop_table('commune_profiles')
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criteria_set_id'))
        batch_op.drop_index(batch_op.f('ix_criteria_owner_unit_id'))

    op.drop_table('criteria')
    with op.batch_alter_table('criteria_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criteria_sets_owner_unit_id'))

    op.drop_table('criteria_sets')
