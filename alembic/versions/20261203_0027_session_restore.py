"""a cancelled session remembers where it was

Revision ID: 0027
Revises: 0024
Create Date: 2026-12-03

Cancelling a session can be undone until its day: the status it had before cancelling is kept, so that
restoring it puts it back there (open for registration, or its agenda published).
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0027"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("matchmaking_sessions", sa.Column("cancelled_from", sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE matchmaking_sessions DROP COLUMN cancelled_from")
