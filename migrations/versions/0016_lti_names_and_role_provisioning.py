"""roster sync from a learning platform (LTI Names and Role Provisioning)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("lti_context", schema=None) as batch_op:
        batch_op.add_column(sa.Column("memberships_url", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("platform_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("roster_synced_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_lti_context_platform_id_lti_platform"),
            "lti_platform",
            ["platform_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("lti_context", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_lti_context_platform_id_lti_platform"), type_="foreignkey"
        )
        batch_op.drop_column("roster_synced_at")
        batch_op.drop_column("platform_id")
        batch_op.drop_column("memberships_url")
