"""related lists

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-03

The ranking of the items related to each pitch, offer and need, per audience, shared by every app worker.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "related_lists"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("item_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("source_digest", sa.String(length=64), nullable=False),
        sa.Column("entries", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "item_id", "audience", name=op.f("pk_related_lists")),
    )


def downgrade() -> None:
    op.drop_table(TABLE)
