"""sealed proposals

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03

A need's proposals stay sealed to its council until they are opened: after the closing date, or when the
council closes proposals early with a reason.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("need_procurements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closed_early_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closed_early_reason", sa.String(length=500), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("need_procurements", schema=None) as batch_op:
        batch_op.drop_column("closed_early_reason")
        batch_op.drop_column("closed_early_at")
        batch_op.drop_column("opened_at")
