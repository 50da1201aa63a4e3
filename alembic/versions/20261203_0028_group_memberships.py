"""group memberships

Revision ID: 0028
Revises: 0023
Create Date: 2026-12-03

Closed groups get members: invited, asking to join, or members. Whoever has posted in a group already
becomes a member of it, so nobody loses a conversation they took part in.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0028"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "group_memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "invited",
                "requested",
                "member",
                name="membershipstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_group_memberships_decided_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_group_memberships_group_id_groups"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_group_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_memberships")),
        sa.UniqueConstraint("group_id", "user_id", name=op.f("uq_group_memberships_group_id")),
    )
    with op.batch_alter_table("group_memberships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_memberships_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_memberships_user_id"), ["user_id"], unique=False)
    # Everyone who has posted in a group (or replied there) is a member of it.
    op.execute(
        sa.text(
            "INSERT INTO group_memberships (group_id, user_id, status, created_at) "
            "SELECT subject_id, author_id, 'member', MIN(created_at) FROM posts "
            "WHERE subject_kind = 'group' AND subject_id IN (SELECT id FROM groups) "
            "GROUP BY subject_id, author_id"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("group_memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_memberships_user_id"))
        batch_op.drop_index(batch_op.f("ix_group_memberships_group_id"))
    op.drop_table("group_memberships")
