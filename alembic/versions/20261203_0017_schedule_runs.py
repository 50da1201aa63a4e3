"""schedule runs

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03

A session's schedule is made by a background job: each request is a run, with its stage for the organiser's
progress page, and a session has at most one unfinished run.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGES = ("queued", "planning", "solving", "saving", "done", "failed")
UNFINISHED = sa.text("finished_at IS NULL")


def _timestamp(name: str) -> sa.Column[sa.DateTime]:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "schedule_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("keep_all", sa.Boolean(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(*STAGES, name="runstage", native_enum=False, create_constraint=True, length=40),
            nullable=False,
        ),
        sa.Column("solve_seconds", sa.Float(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("solving_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], name=op.f("fk_schedule_runs_requested_by_id_users")),
        sa.ForeignKeyConstraint(
            ["session_id"], ["matchmaking_sessions.id"], name=op.f("fk_schedule_runs_session_id_matchmaking_sessions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_runs")),
    )
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schedule_runs_session_id"), ["session_id"], unique=False)
        batch_op.create_index(
            "uq_schedule_runs_one_unfinished",
            ["session_id"],
            unique=True,
            sqlite_where=UNFINISHED,
            postgresql_where=UNFINISHED,
        )


def downgrade() -> None:
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.drop_index("uq_schedule_runs_one_unfinished", sqlite_where=UNFINISHED, postgresql_where=UNFINISHED)
        batch_op.drop_index(batch_op.f("ix_schedule_runs_session_id"))
    op.drop_table("schedule_runs")
