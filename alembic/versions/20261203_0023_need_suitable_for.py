"""who a need's work suits

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03

A council may say the work suits small and medium-sized enterprises or VCSEs, so that suppliers searching
for opportunities see it on the results.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("needs", sa.Column("suitable_for", sa.JSON(), server_default="[]", nullable=False))


def downgrade() -> None:
    op.execute("ALTER TABLE needs DROP COLUMN suitable_for")
