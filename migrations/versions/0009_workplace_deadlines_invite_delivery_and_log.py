"""workplace: acknowledgement deadlines, invite delivery, the workplace log

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'group_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column(
            'kind',
            sa.Enum(
                'invite_resent',
                'invite_cancelled',
                'reminded',
                'deadline_set',
                name='groupeventkind',
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column('detail', sa.String(length=254), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['actor_id'], ['user_account.id'], name=op.f('fk_group_event_actor_id_user_account')
        ),
        sa.ForeignKeyConstraint(
            ['group_id'], ['learning_group.id'], name=op.f('fk_group_event_group_id_learning_group')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_group_event')),
    )
    with op.batch_alter_table('group_event', schema=None) as batch_op:
        batch_op.create_index('ix_group_event_group_created', ['group_id', 'created_at'], unique=False)
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column('email_failed_at', sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table('policy_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acknowledge_by', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('policy_version', schema=None) as batch_op:
        batch_op.drop_column('acknowledge_by')
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.drop_column('email_failed_at')
        batch_op.drop_column('emailed_at')
    with op.batch_alter_table('group_event', schema=None) as batch_op:
        batch_op.drop_index('ix_group_event_group_created')
    op.drop_table('group_event')
