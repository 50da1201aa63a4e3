"""hidden needs

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26

Needs can be reported and hidden by moderators, like pitches and offers: a need's hidden time and reason, and
"need" as a kind of reported content.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTENT_KINDS = ("post", "case_study", "pitch", "offer")


def _allow_content_kinds(kinds: Sequence[str]) -> None:
    # The kind is a string with a CHECK constraint (non-native enum): the constraint is what changes. On SQLite
    # the batch rebuilds the reports table with the new constraint; PostgreSQL alters it in place.
    allowed = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_reports_contentkind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_reports_contentkind"), sa.text(f"content_kind IN ({allowed})"))


def upgrade() -> None:
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("hidden_reason", sa.String(length=500), server_default="", nullable=False))
    _allow_content_kinds((*CONTENT_KINDS, "need"))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM reports WHERE content_kind = 'need'"))
    _allow_content_kinds(CONTENT_KINDS)
    # Not in a batch: SQLite drops these plain columns in place, where a batch would rebuild the needs table,
    # and dropping the old one would cascade into every table that refers to needs.
    op.drop_column("needs", "hidden_reason")
    op.drop_column("needs", "hidden_at")
