"""sessions

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26

Matchmaking sessions: the session (its slots, tables and deadlines), its participants with their availability,
their wishes about whom to meet, the meetings of the schedule, and each side's follow-up after a meeting.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "matchmaking_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("venue", sa.String(length=300), nullable=False),
        sa.Column("online_link", sa.String(length=500), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("grid", sa.JSON(), nullable=False),
        sa.Column("slots", sa.JSON(), nullable=False),
        sa.Column("tables", sa.Integer(), nullable=False),
        sa.Column("max_meetings", sa.Integer(), nullable=False),
        sa.Column("open_to", sa.JSON(), nullable=False),
        sa.Column("exclusive_organisations", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("registration_closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("preferences_close_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "open",
                "provisional",
                "final",
                "cancelled",
                name="sessionstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("schedule_figures", sa.JSON(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("max_meetings >= 1", name=op.f("ck_matchmaking_sessions_max_meetings")),
        sa.CheckConstraint("tables >= 1", name=op.f("ck_matchmaking_sessions_tables")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_matchmaking_sessions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_matchmaking_sessions_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matchmaking_sessions")),
    )
    with op.batch_alter_table("matchmaking_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_matchmaking_sessions_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_matchmaking_sessions_status"), ["status"], unique=False)

    op.create_table(
        "session_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("registered_by_id", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(length=100), server_default="", nullable=False),
        sa.Column("attendees", sa.String(length=400), server_default="", nullable=False),
        sa.Column(
            "side",
            sa.Enum("council", "supplier", name="side", native_enum=False, create_constraint=True, length=40),
            nullable=False,
        ),
        sa.Column("available", sa.JSON(), nullable=True),
        sa.Column("max_meetings", sa.Integer(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("no_show", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_session_participants_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["registered_by_id"], ["users.id"], name=op.f("fk_session_participants_registered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["matchmaking_sessions.id"],
            name=op.f("fk_session_participants_session_id_matchmaking_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_participants")),
        sa.UniqueConstraint("session_id", "organisation_id", "team", name=op.f("uq_session_participants_session_id")),
    )
    with op.batch_alter_table("session_participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_participants_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_session_participants_session_id"), ["session_id"], unique=False)

    op.create_table(
        "session_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("table_number", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["cancelled_by_id"],
            ["session_participants.id"],
            name=op.f("fk_session_meetings_cancelled_by_id_session_participants"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["session_participants.id"],
            name=op.f("fk_session_meetings_council_id_session_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["matchmaking_sessions.id"],
            name=op.f("fk_session_meetings_session_id_matchmaking_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["session_participants.id"],
            name=op.f("fk_session_meetings_supplier_id_session_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_meetings")),
    )
    with op.batch_alter_table("session_meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_meetings_session_id"), ["session_id"], unique=False)
        batch_op.create_index(
            "uq_session_meetings_place",
            ["session_id", "slot", "table_number"],
            unique=True,
            sqlite_where=sa.text("cancelled_at IS NULL"),
            postgresql_where=sa.text("cancelled_at IS NULL"),
        )

    op.create_table(
        "session_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column(
            "level",
            sa.Enum("must", "like", "no", name="wishlevel", native_enum=False, create_constraint=True, length=40),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["session_participants.id"],
            name=op.f("fk_session_preferences_participant_id_session_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["matchmaking_sessions.id"],
            name=op.f("fk_session_preferences_session_id_matchmaking_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["session_participants.id"],
            name=op.f("fk_session_preferences_target_id_session_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_preferences")),
        sa.UniqueConstraint("participant_id", "target_id", name=op.f("uq_session_preferences_participant_id")),
    )
    with op.batch_alter_table("session_preferences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_preferences_session_id"), ["session_id"], unique=False)

    op.create_table(
        "meeting_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "send_proposal",
                "arrange_demo",
                "keep_in_touch",
                "not_a_fit",
                name="followupkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=500), server_default="", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["session_meetings.id"],
            name=op.f("fk_meeting_follow_ups_meeting_id_session_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["session_participants.id"],
            name=op.f("fk_meeting_follow_ups_participant_id_session_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_meeting_follow_ups_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_follow_ups")),
        sa.UniqueConstraint("meeting_id", "participant_id", name=op.f("uq_meeting_follow_ups_meeting_id")),
    )
    with op.batch_alter_table("meeting_follow_ups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_follow_ups_meeting_id"), ["meeting_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("meeting_follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_follow_ups_meeting_id"))

    op.drop_table("meeting_follow_ups")
    with op.batch_alter_table("session_preferences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_preferences_session_id"))

    op.drop_table("session_preferences")
    with op.batch_alter_table("session_meetings", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_session_meetings_place",
            sqlite_where=sa.text("cancelled_at IS NULL"),
            postgresql_where=sa.text("cancelled_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_session_meetings_session_id"))

    op.drop_table("session_meetings")
    with op.batch_alter_table("session_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_participants_session_id"))
        batch_op.drop_index(batch_op.f("ix_session_participants_organisation_id"))

    op.drop_table("session_participants")
    with op.batch_alter_table("matchmaking_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_matchmaking_sessions_status"))
        batch_op.drop_index(batch_op.f("ix_matchmaking_sessions_organisation_id"))

    op.drop_table("matchmaking_sessions")
