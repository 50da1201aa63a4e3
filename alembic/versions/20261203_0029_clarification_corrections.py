"""clarifications: the council rewords a question and corrects a published answer

Revision ID: 0029
Revises: 0025
Create Date: 2026-12-03

A corrected answer is shown as corrected, with the answer it replaced, so that bidders who read the first
one see what changed.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0029"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("question_edited_at", "corrected_at", "earlier_answer")


def upgrade() -> None:
    op.add_column("clarifications", sa.Column("question_edited_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("clarifications", sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("clarifications", sa.Column("earlier_answer", sa.Text(), nullable=True))


def downgrade() -> None:
    for column in reversed(COLUMNS):
        op.execute(f"ALTER TABLE clarifications DROP COLUMN {column}")
