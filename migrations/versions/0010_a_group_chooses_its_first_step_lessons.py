"""a group chooses the lessons its first step needs

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-01 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ladder_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_lessons', sa.String(length=1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ladder_rules', schema=None) as batch_op:
        batch_op.drop_column('first_lessons')
