"""criteria periods: a set's day in force, declared indicator count and summary bands; unconfirmed
indicators; the set a recognition was made under; the day a commune was moved into a new period; the set
a task's criterion link belongs to

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

The national sets already installed get the values the app ships for them; each recognition is
given the set in force on its decision date (the set of the commune's profile that year first).
"""
import json
from datetime import date

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# What the shipped data says for the national sets (resources/criteria/criteria-sets.json, as of this revision).
SHIPPED = {
    "xa-ntm-2021-2025": {
        "in_force_from": None, "indicator_count": 57,
        "summary_bands": [["19 tiêu chí", 19], ["15-18 tiêu chí", 15], ["10-14 tiêu chí", 10], ["5-9 tiêu chí", 5],
                          ["Dưới 5 tiêu chí", 0]],
    },
    "xa-ntm-nang-cao-2021-2025": {"in_force_from": None, "indicator_count": 75, "summary_bands": None},
    "xa-ntm-2026-2030": {
        "in_force_from": date(2026, 2, 15), "indicator_count": 47,
        "summary_bands": [["10 tiêu chí", 10], ["7-9 tiêu chí", 7], ["5-6 tiêu chí", 5], ["3-4 tiêu chí", 3],
                          ["Dưới 3 tiêu chí", 0]],
    },
}


def upgrade() -> None:
    with op.batch_alter_table('criteria_sets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_force_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('indicator_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('summary_bands', sa.Text(), nullable=False, server_default='[]'))
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('commune_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_over_on', sa.Date(), nullable=True))
    with op.batch_alter_table('task_criterion_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('set_code', sa.String(length=60), nullable=False, server_default=''))
    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('set_id', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_recognitions_set_id'), ['set_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_recognitions_set_id_criteria_sets'), 'criteria_sets',
                                    ['set_id'], ['id'])
    _fill_shipped_values()
    _name_recognition_sets()


def _fill_shipped_values() -> None:
    sets = sa.table('criteria_sets', sa.column('code', sa.String), sa.column('in_force_from', sa.Date),
                    sa.column('indicator_count', sa.Integer), sa.column('summary_bands', sa.Text))
    for code, values in SHIPPED.items():
        update = {"in_force_from": values["in_force_from"], "indicator_count": values["indicator_count"]}
        if values["summary_bands"]:
            update["summary_bands"] = json.dumps(values["summary_bands"], ensure_ascii=False, separators=(",", ":"))
        op.execute(sets.update().where(sets.c.code == code).values(**update))


def _name_recognition_sets() -> None:
    conn = op.get_bind()
    sets = conn.execute(sa.text(
        "SELECT id, tier, period_start, period_end, set_version FROM criteria_sets "
        "WHERE NOT deleted AND level IN ('xã', 'xa') ORDER BY set_version DESC")).all()
    profiles = {(u, y): s for u, y, s in conn.execute(sa.text(
        "SELECT unit_id, year, set_id FROM commune_profiles WHERE NOT deleted"))}
    tiers = {s.id: s.tier for s in sets}
    for rid, unit_id, level, when in conn.execute(sa.text(
            "SELECT id, unit_id, level, decision_date FROM recognitions")).all():
        year = date.fromisoformat(str(when)[:10]).year
        tier = "nang_cao" if level in ("nang_cao", "kieu_mau") else "ntm"
        chosen = profiles.get((unit_id, year))
        if chosen is not None and tiers.get(chosen) != tier:
            chosen = None
        for wanted in (tier, "ntm"):  # an advanced commune without an advanced set: the commune set
            if chosen is None:
                chosen = next((s.id for s in sets if s.tier == wanted and (s.period_start or 0) <= year
                               <= (s.period_end or 9999)), None)
        if chosen is not None:
            conn.execute(sa.text("UPDATE recognitions SET set_id = :s WHERE id = :r"), {"s": chosen, "r": rid})


def downgrade() -> None:
    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_recognitions_set_id_criteria_sets'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_recognitions_set_id'))
        batch_op.drop_column('set_id')
    with op.batch_alter_table('commune_profiles', schema=None) as batch_op:
        batch_op.drop_column('carried_over_on')
    with op.batch_alter_table('task_criterion_links', schema=None) as batch_op:
        batch_op.drop_column('set_code')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_column('confirmed')
    with op.batch_alter_table('criteria_sets', schema=None) as batch_op:
        batch_op.drop_column('summary_bands')
        batch_op.drop_column('indicator_count')
        batch_op.drop_column('in_force_from')
