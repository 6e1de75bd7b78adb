"""one privacy sign-off per revision and group

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 01:07:34.289862
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('privacy_signoff', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_privacy_signoff_revision', ['membership_id', 'revision'])



def downgrade() -> None:
    with op.batch_alter_table('privacy_signoff', schema=None) as batch_op:
        batch_op.drop_constraint('uq_privacy_signoff_revision', type_='unique')

