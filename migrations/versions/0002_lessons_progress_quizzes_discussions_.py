"""lessons: progress, quizzes, discussions, privacy setup, brand profile, family agreement

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 00:06:29.838392
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('brand_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('handle', sa.String(length=30), nullable=False),
    sa.Column('display_name', sa.String(length=80), nullable=False),
    sa.Column('bio', sa.String(length=160), nullable=False),
    sa.Column('avatar', sa.LargeBinary(), nullable=True),
    sa.Column('avatar_type', sa.String(length=20), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_brand_profile_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brand_profile')),
    sa.UniqueConstraint('user_id', name=op.f('uq_brand_profile_user_id'))
    )
    op.create_table('lesson_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.String(length=80), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('best_score', sa.Integer(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('seconds_spent', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_lesson_progress_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_progress')),
    sa.UniqueConstraint('user_id', 'module_id', name='uq_lesson_progress_user_module')
    )
    op.create_table('privacy_setup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_privacy_setup_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_setup')),
    sa.UniqueConstraint('user_id', name=op.f('uq_privacy_setup_user_id'))
    )
    op.create_table('quiz_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.String(length=80), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_quiz_attempt_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_attempt'))
    )
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_quiz_attempt_user_module', ['user_id', 'module_id'], unique=False)

    op.create_table('quiz_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=80), nullable=False),
    sa.Column('choice_ids', sa.String(length=40), nullable=False),
    sa.Column('correct', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['quiz_attempt.id'], name=op.f('fk_quiz_answer_attempt_id_quiz_attempt')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_answer'))
    )
    with op.batch_alter_table('quiz_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_answer_attempt_id'), ['attempt_id'], unique=False)

    op.create_table('family_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'active', 'superseded', name='agreementstatus', native_enum=False, length=20), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('active_since', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_family_agreement_membership_id_membership')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user_account.id'], name=op.f('fk_family_agreement_proposed_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_agreement')),
    sa.UniqueConstraint('membership_id', 'version', name='uq_family_agreement_version')
    )
    with op.batch_alter_table('family_agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_agreement_membership_id'), ['membership_id'], unique=False)

    op.create_table('module_discussion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.String(length=80), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.Column('discussed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_module_discussion_membership_id_membership')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['user_account.id'], name=op.f('fk_module_discussion_supervisor_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_discussion')),
    sa.UniqueConstraint('membership_id', 'module_id', name='uq_module_discussion_once')
    )
    op.create_table('privacy_signoff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_privacy_signoff_membership_id_membership')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['user_account.id'], name=op.f('fk_privacy_signoff_supervisor_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_signoff'))
    )
    with op.batch_alter_table('privacy_signoff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_signoff_membership_id'), ['membership_id'], unique=False)

    op.create_table('agreement_signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['family_agreement.id'], name=op.f('fk_agreement_signature_agreement_id_family_agreement')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_agreement_signature_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_signature')),
    sa.UniqueConstraint('agreement_id', 'user_id', name='uq_agreement_signature_once')
    )
    with op.batch_alter_table('agreement_signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_signature_agreement_id'), ['agreement_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('agreement_signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_signature_agreement_id'))

    op.drop_table('agreement_signature')
    with op.batch_alter_table('privacy_signoff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_signoff_membership_id'))

    op.drop_table('privacy_signoff')
    op.drop_table('module_discussion')
    with op.batch_alter_table('family_agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_agreement_membership_id'))

    op.drop_table('family_agreement')
    with op.batch_alter_table('quiz_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_answer_attempt_id'))

    op.drop_table('quiz_answer')
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_attempt_user_module')

    op.drop_table('quiz_attempt')
    op.drop_table('privacy_setup')
    op.drop_table('lesson_progress')
    op.drop_table('brand_profile')
