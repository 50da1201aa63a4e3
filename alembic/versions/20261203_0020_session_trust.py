"""session trust

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-03

A meeting suggested from one of a council's needs names the need apart from its reason, so that only people
who may see the need read its title and words. Reasons stored before named the need in their text: they are
reduced to words that name no need (making the schedule again restores the detail).

Calendars: each session gets a random key its meetings' UIDs derive from, and a sequence raised on every change;
each participant a secret token for the address of its calendar feed.
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0020"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUGGESTED = "Suggested by the exchange"


def upgrade() -> None:
    with op.batch_alter_table("session_meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("need_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("need_detail", sa.String(length=400), server_default="", nullable=False))
        batch_op.create_foreign_key(
            batch_op.f("fk_session_meetings_need_id_needs"), "needs", ["need_id"], ["id"], ondelete="SET NULL"
        )
    meetings = sa.table("session_meetings", sa.column("reason", sa.String))
    op.execute(meetings.update().where(meetings.c.reason.like("Suggested:%")).values(reason=SUGGESTED))

    with op.batch_alter_table("matchmaking_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("calendar_sequence", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("session_participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar_token", sa.String(length=64), nullable=True))
    _fill_with_secrets("matchmaking_sessions", "calendar_key")
    _fill_with_secrets("session_participants", "calendar_token")
    with op.batch_alter_table("matchmaking_sessions", schema=None) as batch_op:
        batch_op.alter_column("calendar_key", existing_type=sa.String(length=64), nullable=False)
    with op.batch_alter_table("session_participants", schema=None) as batch_op:
        batch_op.alter_column("calendar_token", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_session_participants_calendar_token"), ["calendar_token"])


def _fill_with_secrets(table_name: str, column: str) -> None:
    table = sa.table(table_name, sa.column("id", sa.Integer), sa.column(column, sa.String))
    connection = op.get_bind()
    for (row_id,) in connection.execute(sa.select(table.c.id)).all():
        connection.execute(table.update().where(table.c.id == row_id).values({column: secrets.token_urlsafe(32)}))


def downgrade() -> None:
    with op.batch_alter_table("session_participants", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_session_participants_calendar_token"), type_="unique")
        batch_op.drop_column("calendar_token")
    with op.batch_alter_table("matchmaking_sessions", schema=None) as batch_op:
        batch_op.drop_column("calendar_sequence")
        batch_op.drop_column("calendar_key")
    with op.batch_alter_table("session_meetings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_session_meetings_need_id_needs"), type_="foreignkey")
        batch_op.drop_column("need_detail")
        batch_op.drop_column("need_id")
