"""proposal invitations

Revision ID: 0024
Revises: 0028
Create Date: 2026-12-03

A council invites chosen suppliers to respond to one of its needs. Each supplier is invited (and told)
once per need, so the pair is unique.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0024"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "proposal_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["users.id"],
            name=op.f("fk_proposal_invitations_invited_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["need_id"], ["needs.id"], name=op.f("fk_proposal_invitations_need_id_needs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_proposal_invitations_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_invitations")),
        sa.UniqueConstraint("need_id", "organisation_id", name=op.f("uq_proposal_invitations_need_id")),
    )
    with op.batch_alter_table("proposal_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposal_invitations_organisation_id"), ["organisation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("proposal_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_invitations_organisation_id"))
    op.drop_table("proposal_invitations")
