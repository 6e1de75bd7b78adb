"""a version for each group's data, which pages keep figures against

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-02 00:20:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("learning_group", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("data_version", sa.String(length=16), nullable=False, server_default="")
        )
    # A random version each, as new groups get (two databases never share one).
    groups = sa.table("learning_group", sa.column("id", sa.Integer), sa.column("data_version"))
    connection = op.get_bind()
    for (group_id,) in connection.execute(sa.select(groups.c.id)).all():
        connection.execute(
            groups.update()
            .where(groups.c.id == group_id)
            .values(data_version=secrets.token_hex(8))
        )
    with op.batch_alter_table("learning_group", schema=None) as batch_op:
        batch_op.alter_column("data_version", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("learning_group", schema=None) as batch_op:
        batch_op.drop_column("data_version")
