"""sealed proposals and one closing date

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03

A need's proposals stay sealed to its council until they are opened: after the closing date, or when the
council closes proposals early with a reason.

A need has one closing date, the day proposals close (``need_procurements.closes_on``). The need's separate
``deadline`` goes: where a need had no proposals closing date its deadline becomes that date, and where it had
both the proposals closing date stands, as it is the one suppliers were held to.
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
    op.execute(
        "UPDATE need_procurements SET closes_on ="
        " (SELECT needs.deadline FROM needs WHERE needs.id = need_procurements.need_id)"
        " WHERE closes_on IS NULL"
    )
    op.execute(
        "INSERT INTO need_procurements (need_id, closes_on)"
        " SELECT id, deadline FROM needs"
        " WHERE deadline IS NOT NULL AND id NOT IN (SELECT need_id FROM need_procurements)"
    )
    # Not a batch operation: on SQLite that copies and drops the needs table, and with foreign keys on (they
    # cannot be switched off inside the migration's transaction) dropping it deletes every row that cascades
    # from a need. SQLite 3.35 and later drop a plain column in place, as PostgreSQL does.
    op.execute("ALTER TABLE needs DROP COLUMN deadline")


def downgrade() -> None:
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deadline", sa.Date(), nullable=True))
    op.execute(
        "UPDATE needs SET deadline ="
        " (SELECT need_procurements.closes_on FROM need_procurements WHERE need_procurements.need_id = needs.id)"
    )
    with op.batch_alter_table("need_procurements", schema=None) as batch_op:
        batch_op.drop_column("closed_early_reason")
        batch_op.drop_column("closed_early_at")
        batch_op.drop_column("opened_at")
