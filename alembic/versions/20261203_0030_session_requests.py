"""registration questions and approval, meeting requests, named tables, reminders

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-03

Organisers ask registering organisations questions and may approve each registration first; participants
ask each other for meetings; tables get names and meetings a video link; each participant's agenda reminder
is recorded once sent. Existing registrations are approved: they took part before approval existed.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("matchmaking_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("questions", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("requires_approval", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("table_names", sa.JSON(), nullable=True))
    with op.batch_alter_table("session_participants", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "approval",
                sa.Enum(
                    "pending",
                    "approved",
                    "declined",
                    name="approval",
                    native_enum=False,
                    create_constraint=True,
                    length=40,
                ),
                server_default="approved",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("decline_reason", sa.String(length=400), server_default="", nullable=False))
        batch_op.add_column(sa.Column("answers", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("session_meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("video_link", sa.String(length=500), server_default="", nullable=False))
    op.create_table(
        "session_meeting_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.String(length=500), server_default="", nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "declined",
                name="requeststatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["users.id"], name=op.f("fk_session_meeting_requests_answered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_session_meeting_requests_requested_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["session_participants.id"],
            name=op.f("fk_session_meeting_requests_requester_id_session_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["matchmaking_sessions.id"],
            name=op.f("fk_session_meeting_requests_session_id_matchmaking_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["session_participants.id"],
            name=op.f("fk_session_meeting_requests_target_id_session_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_meeting_requests")),
        sa.UniqueConstraint("requester_id", "target_id", name=op.f("uq_session_meeting_requests_requester_id")),
    )
    with op.batch_alter_table("session_meeting_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_meeting_requests_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_session_meeting_requests_requester_id"), ["requester_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_session_meeting_requests_target_id"), ["target_id"], unique=False)


def downgrade() -> None:
    op.drop_table("session_meeting_requests")
    with op.batch_alter_table("session_meetings", schema=None) as batch_op:
        batch_op.drop_column("video_link")
    with op.batch_alter_table("session_participants", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
        batch_op.drop_column("answers")
        batch_op.drop_column("decline_reason")
        batch_op.drop_constraint("approval", type_="check")
        batch_op.drop_column("approval")
    with op.batch_alter_table("matchmaking_sessions", schema=None) as batch_op:
        batch_op.drop_column("table_names")
        batch_op.drop_column("requires_approval")
        batch_op.drop_column("questions")
