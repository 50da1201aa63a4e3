"""session trust

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03

A meeting suggested from one of a council's needs names the need apart from its reason, so that only people
who may see the need read its title and words. Reasons stored before named the need in their text: they are
reduced to words that name no need (making the schedule again restores the detail).

Calendars: each session gets a random key its meetings' UIDs derive from, and a sequence raised on every change;
each participant a secret token for the address of its calendar feed, and the meetings taken off its published
agenda (its calendar goes on showing them cancelled).

Every change here is one SQLite makes in place: rebuilding these tables would cascade deletes to the rows that
refer to them.
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUGGESTED = "Suggested by the exchange"


def upgrade() -> None:
    op.add_column("session_meetings", sa.Column("need_id", sa.Integer(), nullable=True))
    op.add_column(
        "session_meetings", sa.Column("need_detail", sa.String(length=400), server_default="", nullable=False)
    )
    meetings = sa.table("session_meetings", sa.column("reason", sa.String))
    op.execute(meetings.update().where(meetings.c.reason.like("Suggested:%")).values(reason=SUGGESTED))

    op.add_column(
        "matchmaking_sessions", sa.Column("calendar_key", sa.String(length=64), server_default="", nullable=False)
    )
    op.add_column(
        "matchmaking_sessions", sa.Column("calendar_sequence", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "session_participants", sa.Column("calendar_token", sa.String(length=64), server_default="", nullable=False)
    )
    op.add_column("session_participants", sa.Column("calendar_dropped", sa.JSON(), nullable=True))
    _fill_with_secrets("matchmaking_sessions", "calendar_key")
    _fill_with_secrets("session_participants", "calendar_token")
    op.create_index("uq_session_participants_calendar_token", "session_participants", ["calendar_token"], unique=True)


def _fill_with_secrets(table_name: str, column: str) -> None:
    table = sa.table(table_name, sa.column("id", sa.Integer), sa.column(column, sa.String))
    connection = op.get_bind()
    for (row_id,) in connection.execute(sa.select(table.c.id)).all():
        connection.execute(table.update().where(table.c.id == row_id).values({column: secrets.token_urlsafe(32)}))


def downgrade() -> None:
    op.drop_index("uq_session_participants_calendar_token", table_name="session_participants")
    op.drop_column("session_participants", "calendar_dropped")
    op.drop_column("session_participants", "calendar_token")
    op.drop_column("matchmaking_sessions", "calendar_sequence")
    op.drop_column("matchmaking_sessions", "calendar_key")
    op.drop_column("session_meetings", "need_detail")
    op.drop_column("session_meetings", "need_id")
