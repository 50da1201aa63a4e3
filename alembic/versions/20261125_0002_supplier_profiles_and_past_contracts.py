"""supplier profiles and past contracts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

A supplier's profile (size, regions, the identifier it was imported under) and its track record.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supplier_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("size", sa.String(length=20), nullable=True),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
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
            name=op.f("fk_supplier_profiles_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_profiles")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_supplier_profiles_organisation_id")),
    )
    with op.batch_alter_table("supplier_profiles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supplier_profiles_external_id"), ["external_id"], unique=False)

    op.create_table(
        "past_contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("buyer_name", sa.String(length=300), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=True),
        sa.Column("awarded_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_past_contracts_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_past_contracts")),
    )
    with op.batch_alter_table("past_contracts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_past_contracts_organisation_id"), ["organisation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("past_contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_past_contracts_organisation_id"))

    op.drop_table("past_contracts")
    with op.batch_alter_table("supplier_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supplier_profiles_external_id"))

    op.drop_table("supplier_profiles")
