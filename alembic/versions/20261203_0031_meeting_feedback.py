"""meeting feedback

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-03

After a meeting each side may say how useful it was (1 to 5) with a note, for the session's organiser: one
answer per side of each meeting, removed with the meeting.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "meeting_feedback"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("given_by_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f(f"ck_{TABLE}_rating")),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["session_meetings.id"],
            name=op.f(f"fk_{TABLE}_meeting_id_session_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["session_participants.id"],
            name=op.f(f"fk_{TABLE}_participant_id_session_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["given_by_id"], ["users.id"], name=op.f(f"fk_{TABLE}_given_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint("meeting_id", "participant_id", name=op.f(f"uq_{TABLE}_meeting_id")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{TABLE}_meeting_id"), ["meeting_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(f"ix_{TABLE}_meeting_id"))
    op.drop_table(TABLE)
