"""needs are drafted, previewed, then published

Revision ID: 0026
Revises: 0027
Create Date: 2026-12-03

A need saved from the form is a draft that only its council sees until it is published. Every need that
exists already was public from the moment it was saved, so it counts as published when it was created.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0026"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("needs", sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE needs SET published_at = created_at")
    op.create_index("ix_needs_published_at", "needs", ["published_at"])


def downgrade() -> None:
    op.drop_index("ix_needs_published_at", table_name="needs")
    op.execute("ALTER TABLE needs DROP COLUMN published_at")
