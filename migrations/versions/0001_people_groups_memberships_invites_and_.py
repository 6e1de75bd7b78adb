"""people, groups, memberships, invites and login throttling

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 23:49:11.168631
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('auth_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('key', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_failure'))
    )
    with op.batch_alter_table('auth_failure', schema=None) as batch_op:
        batch_op.create_index('ix_auth_failure_scope_key_created', ['scope', 'key', 'created_at'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('username', sa.String(length=40), nullable=True),
    sa.Column('display_name', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.Enum('parent', 'teacher', 'org_admin', 'learner', name='accountkind', native_enum=False, length=20), nullable=False),
    sa.Column('age_band', sa.Enum('under_13', '13_15', '16_17', '18_plus', name='ageband', native_enum=False, length=20), nullable=True),
    sa.Column('locale', sa.String(length=10), nullable=True),
    sa.Column('is_site_admin', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('email IS NOT NULL OR username IS NOT NULL', name=op.f('ck_user_account_has_login')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email')),
    sa.UniqueConstraint('username', name=op.f('uq_user_account_username'))
    )
    op.create_table('learning_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('family', 'classroom', 'workplace', name='groupkind', native_enum=False, length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('join_code', sa.String(length=16), nullable=True),
    sa.Column('join_code_enabled', sa.Boolean(), nullable=False),
    sa.Column('under13_consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('under13_consent_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['under13_consent_by_id'], ['user_account.id'], name=op.f('fk_learning_group_under13_consent_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_group')),
    sa.UniqueConstraint('join_code', name=op.f('uq_learning_group_join_code'))
    )
    op.create_table('invite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('supervisor', 'learner', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_invite_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['group_id'], ['learning_group.id'], name=op.f('fk_invite_group_id_learning_group')),
    sa.ForeignKeyConstraint(['used_by_id'], ['user_account.id'], name=op.f('fk_invite_used_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invite')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invite_token_hash'))
    )
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invite_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invite_group_id'), ['group_id'], unique=False)

    op.create_table('membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('supervisor', 'learner', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('level', sa.Enum('instruction', 'permit', 'provisional', 'licensed', name='level', native_enum=False, length=20), nullable=True),
    sa.Column('level_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_owner', sa.Boolean(), nullable=False),
    sa.Column('manages_account', sa.Boolean(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(role = 'learner' AND level IS NOT NULL) OR (role = 'supervisor' AND level IS NULL)", name=op.f('ck_membership_level_for_learners')),
    sa.ForeignKeyConstraint(['group_id'], ['learning_group.id'], name=op.f('fk_membership_group_id_learning_group')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_membership_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership')),
    sa.UniqueConstraint('group_id', 'user_id', name='uq_membership_group_user')
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_user_id'))
        batch_op.drop_index(batch_op.f('ix_membership_group_id'))

    op.drop_table('membership')
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invite_group_id'))
        batch_op.drop_index(batch_op.f('ix_invite_created_by_id'))

    op.drop_table('invite')
    op.drop_table('learning_group')
    op.drop_table('user_account')
    with op.batch_alter_table('auth_failure', schema=None) as batch_op:
        batch_op.drop_index('ix_auth_failure_scope_key_created')

    op.drop_table('auth_failure')
