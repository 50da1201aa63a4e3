"""session trust

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-03

A meeting suggested from one of a council's needs names the need apart from its reason, so that only people
who may see the need read its title and words. Reasons stored before named the need in their text: they are
reduced to words that name no need (making the schedule again restores the detail).
"""

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


def downgrade() -> None:
    with op.batch_alter_table("session_meetings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_session_meetings_need_id_needs"), type_="foreignkey")
        batch_op.drop_column("need_detail")
        batch_op.drop_column("need_id")
