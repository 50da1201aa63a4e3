"""the evaluation panel: assigned evaluators, the moderator, declarations of interest

Revision ID: 0025
Revises: 0026
Create Date: 2026-12-03

Only officers assigned to a need's evaluation score or moderate it, and each declares any conflict of
interest with the suppliers before reading their proposals.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0025"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "evaluation_panel_members"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("is_evaluator", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("is_moderator", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("has_conflict", sa.Boolean(), nullable=True),
        sa.Column("conflict_description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["need_id"], ["needs.id"], name=op.f(f"fk_{TABLE}_need_id_needs"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f(f"fk_{TABLE}_user_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"], ["users.id"], name=op.f(f"fk_{TABLE}_assigned_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint("need_id", "user_id", name=op.f(f"uq_{TABLE}_need_id")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{TABLE}_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_evaluation_panel_members_moderator",
            ["need_id"],
            unique=True,
            sqlite_where=sa.text("is_moderator"),
            postgresql_where=sa.text("is_moderator"),
        )


def downgrade() -> None:
    op.drop_table(TABLE)
