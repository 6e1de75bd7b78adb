"""scenarios in the ladder and in classrooms

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ladder_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('permit_scenarios', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            'sane_scenarios', 'permit_scenarios IS NULL OR permit_scenarios BETWEEN 0 AND 50'
        )

    op.create_table(
        'scenario_assignment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('scenario_id', sa.String(length=60), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('assigned_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['assigned_by_id'], ['user_account.id'], name=op.f('fk_scenario_assignment_assigned_by_id_user_account')),
        sa.ForeignKeyConstraint(['group_id'], ['learning_group.id'], name=op.f('fk_scenario_assignment_group_id_learning_group')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_assignment')),
        sa.UniqueConstraint('group_id', 'scenario_id', name='uq_scenario_assignment_group'),
    )
    with op.batch_alter_table('scenario_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenario_assignment_group_id'), ['group_id'], unique=False)

    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scenario_id', sa.String(length=60), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.drop_column('scenario_id')
    with op.batch_alter_table('scenario_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scenario_assignment_group_id'))
    op.drop_table('scenario_assignment')
    with op.batch_alter_table('ladder_rules', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_ladder_rules_sane_scenarios'), type_='check')
        batch_op.drop_column('permit_scenarios')
