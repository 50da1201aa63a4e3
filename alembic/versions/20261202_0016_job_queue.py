"""job queue

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02

Email is delivered by jobs: a message is claimed before it is sent, waits after a failure, and is set aside
after too many; jobs that fail on every try are set aside for administrators.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "failed_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task", sa.String(length=300), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_failed_jobs")),
    )
    with op.batch_alter_table("failed_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_failed_jobs_failed_at"), ["failed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("failed_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_failed_jobs_failed_at"))
    op.drop_table("failed_jobs")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("failed_at")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("claimed_at")
