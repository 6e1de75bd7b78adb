"""scenario runs, actions and reflections

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('scenario_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.String(length=60), nullable=False),
    sa.Column('lang', sa.String(length=10), nullable=False),
    sa.Column('guided', sa.Boolean(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('clock', sa.Integer(), nullable=False),
    sa.Column('clock_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hints_seen', sa.String(length=500), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('reflected_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('clock >= 0 AND (score IS NULL OR score BETWEEN 0 AND 100)', name=op.f('ck_scenario_run_numbers_in_range')),
    sa.CheckConstraint('finished_at IS NULL OR (score IS NOT NULL AND passed IS NOT NULL)', name=op.f('ck_scenario_run_finished_has_score')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_scenario_run_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_run'))
    )
    with op.batch_alter_table('scenario_run', schema=None) as batch_op:
        batch_op.create_index('ix_scenario_run_user_finished', ['user_id', 'finished_at'], unique=False)
        batch_op.create_index('ix_scenario_run_user_scenario_started', ['user_id', 'scenario_id', 'started_at'], unique=False)

    op.create_table('scenario_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('target', sa.String(length=60), nullable=True),
    sa.Column('text', sa.String(length=1000), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=True),
    sa.Column('value', sa.String(length=40), nullable=True),
    sa.Column('categories', sa.String(length=400), nullable=False),
    sa.Column('rules', sa.String(length=1000), nullable=False),
    sa.Column('second', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('position >= 0 AND second >= 0', name=op.f('ck_scenario_action_numbers_in_range')),
    sa.ForeignKeyConstraint(['run_id'], ['scenario_run.id'], name=op.f('fk_scenario_action_run_id_scenario_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_action')),
    sa.UniqueConstraint('run_id', 'position', name='uq_scenario_action_run_position')
    )
    op.create_table('scenario_reflection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('prompt_id', sa.String(length=60), nullable=False),
    sa.Column('choice_id', sa.String(length=6), nullable=True),
    sa.Column('text', sa.String(length=2000), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['scenario_run.id'], name=op.f('fk_scenario_reflection_run_id_scenario_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_reflection')),
    sa.UniqueConstraint('run_id', 'prompt_id', name='uq_scenario_reflection_once')
    )
    with op.batch_alter_table('supervision_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scenario_run_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_supervision_event_scenario_run_id'), ['scenario_run_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_supervision_event_scenario_run_id_scenario_run'), 'scenario_run', ['scenario_run_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('supervision_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_supervision_event_scenario_run_id_scenario_run'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_supervision_event_scenario_run_id'))
        batch_op.drop_column('scenario_run_id')

    op.drop_table('scenario_reflection')
    op.drop_table('scenario_action')
    with op.batch_alter_table('scenario_run', schema=None) as batch_op:
        batch_op.drop_index('ix_scenario_run_user_scenario_started')
        batch_op.drop_index('ix_scenario_run_user_finished')

    op.drop_table('scenario_run')
