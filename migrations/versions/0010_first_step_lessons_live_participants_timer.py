"""a group chooses its first step's lessons; live sessions count who joined, time questions

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ladder_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_lessons', sa.String(length=1000), nullable=True))

    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seconds_per_question', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('step_started_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table('live_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_live_participant_membership_id_membership')),
    sa.ForeignKeyConstraint(['session_id'], ['live_session.id'], name=op.f('fk_live_participant_session_id_live_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_participant')),
    sa.UniqueConstraint('session_id', 'membership_id', name='uq_live_participant_once')
    )
    with op.batch_alter_table('live_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_participant_membership_id'), ['membership_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('live_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_participant_membership_id'))
    op.drop_table('live_participant')

    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.drop_column('step_started_at')
        batch_op.drop_column('seconds_per_question')

    with op.batch_alter_table('ladder_rules', schema=None) as batch_op:
        batch_op.drop_column('first_lessons')
