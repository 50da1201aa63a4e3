"""billing pages

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03

Stripe Checkout and billing-portal addresses are asked of Stripe by a job: each request is a row the
administrator's waiting page reads until the address is ready.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str) -> sa.Column[sa.DateTime]:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=40)


def upgrade() -> None:
    op.create_table(
        "billing_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("billingpagekind", "checkout", "portal"), nullable=False),
        sa.Column("price_lookup_key", sa.String(length=100), nullable=True),
        sa.Column("attempt", sa.String(length=64), nullable=True),
        sa.Column("status", _enum("billingpagestatus", "waiting", "ready", "failed"), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("problem", sa.Text(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_billing_pages_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_billing_pages_requested_by_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_pages")),
        sa.UniqueConstraint("attempt", "price_lookup_key", name=op.f("uq_billing_pages_attempt")),
    )
    with op.batch_alter_table("billing_pages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_billing_pages_organisation_id"), ["organisation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("billing_pages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_billing_pages_organisation_id"))
    op.drop_table("billing_pages")
