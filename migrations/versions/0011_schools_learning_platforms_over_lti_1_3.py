"""schools' learning platforms over LTI 1.3, and OneRoster import records

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('lti_launch_data',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_lti_launch_data'))
    )
    with op.batch_alter_table('lti_launch_data', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_launch_data_expires_at'), ['expires_at'], unique=False)

    op.create_table('lti_platform',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('auth_login_url', sa.String(length=1000), nullable=False),
    sa.Column('auth_token_url', sa.String(length=1000), nullable=False),
    sa.Column('key_set_url', sa.String(length=1000), nullable=False),
    sa.Column('frame_origins', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_platform')),
    sa.UniqueConstraint('issuer', 'client_id', name='uq_lti_platform_issuer_client')
    )
    op.create_table('lti_deployment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('deployment_id', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_deployment_platform_id_lti_platform')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_deployment')),
    sa.UniqueConstraint('platform_id', 'deployment_id', name='uq_lti_deployment_once')
    )
    with op.batch_alter_table('lti_deployment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_deployment_platform_id'), ['platform_id'], unique=False)

    op.create_table('lti_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('sub', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_lti_identity_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_identity')),
    sa.UniqueConstraint('issuer', 'sub', name='uq_lti_identity_issuer_sub')
    )
    with op.batch_alter_table('lti_identity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_identity_user_id'), ['user_id'], unique=False)

    op.create_table('lti_resource_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('resource_link_id', sa.String(length=255), nullable=False),
    sa.Column('target', sa.String(length=120), nullable=True),
    sa.Column('lineitem_url', sa.String(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_resource_link_platform_id_lti_platform')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_resource_link')),
    sa.UniqueConstraint('platform_id', 'resource_link_id', name='uq_lti_resource_link_once')
    )
    with op.batch_alter_table('lti_resource_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_resource_link_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lti_resource_link_target'), ['target'], unique=False)

    op.create_table('lti_context',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('context_id', sa.String(length=255), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['learning_group.id'], name=op.f('fk_lti_context_group_id_learning_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_context')),
    sa.UniqueConstraint('issuer', 'context_id', name='uq_lti_context_issuer_context')
    )
    with op.batch_alter_table('lti_context', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_context_group_id'), ['group_id'], unique=False)

    op.create_table('lti_grade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('sub', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=255), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['link_id'], ['lti_resource_link.id'], name=op.f('fk_lti_grade_link_id_lti_resource_link')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_lti_grade_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_grade')),
    sa.UniqueConstraint('link_id', 'user_id', name='uq_lti_grade_once')
    )
    with op.batch_alter_table('lti_grade', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_grade_link_id'), ['link_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lti_grade_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_lti_grade_user_id'), ['user_id'], unique=False)



    op.create_table('oneroster_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('sourced_id', sa.String(length=255), nullable=False),
    sa.Column('local_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oneroster_record')),
    sa.UniqueConstraint('kind', 'sourced_id', name='uq_oneroster_record_kind_sourced_id')
    )


def downgrade() -> None:
    op.drop_table('oneroster_record')
    with op.batch_alter_table('lti_grade', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_grade_user_id'))
        batch_op.drop_index(batch_op.f('ix_lti_grade_status'))
        batch_op.drop_index(batch_op.f('ix_lti_grade_link_id'))

    op.drop_table('lti_grade')
    with op.batch_alter_table('lti_context', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_context_group_id'))

    op.drop_table('lti_context')
    with op.batch_alter_table('lti_resource_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_resource_link_target'))
        batch_op.drop_index(batch_op.f('ix_lti_resource_link_platform_id'))

    op.drop_table('lti_resource_link')
    with op.batch_alter_table('lti_identity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_identity_user_id'))

    op.drop_table('lti_identity')
    with op.batch_alter_table('lti_deployment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_deployment_platform_id'))

    op.drop_table('lti_deployment')
    op.drop_table('lti_platform')
    with op.batch_alter_table('lti_launch_data', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_launch_data_expires_at'))

    op.drop_table('lti_launch_data')
