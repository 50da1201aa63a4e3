"""supplier profile details: identity, assurances, declarations and references

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

The supplier profile gains its identity and policy answers (all nullable: the supplier import bulk-inserts
profiles without them, and None means "not answered yet"); past contracts gain an outcome. New tables
hold certifications, insurance, declarations against the exclusion grounds and references.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEGAL_FORMS = (
    "limited_company",
    "llp",
    "sole_trader",
    "cic",
    "charity",
    "co_operative",
    "partnership",
    "other",
)
HOSTING_LOCATIONS = ("uk", "eea", "elsewhere", "not_applicable")
ACCESSIBILITY_CONFORMANCE = ("full", "partial", "not_conformant", "not_applicable")
CERTIFICATION_KINDS = ("cyber_essentials", "cyber_essentials_plus", "iso_27001", "iso_9001", "other")
INSURANCE_KINDS = ("employers_liability", "public_liability", "professional_indemnity")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=40)


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
    ]


def _owner(table: str) -> list[Any]:
    return [
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f(f"fk_{table}_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


PROFILE_COLUMNS = (
    ("legal_name", sa.String(length=200)),
    ("trading_names", sa.JSON()),
    ("legal_form", _enum(LEGAL_FORMS, "legalform")),
    ("companies_house_number", sa.String(length=8)),
    ("charity_number", sa.String(length=20)),
    ("other_register", sa.String(length=200)),
    ("vat_number", sa.String(length=14)),
    ("registered_address", sa.Text()),
    ("contact_address", sa.Text()),
    ("trading_started_on", sa.Date()),
    ("is_vcse", sa.Boolean()),
    ("policies_held", sa.JSON()),
    ("ico_registration_number", sa.String(length=10)),
    ("modern_slavery_statement_required", sa.Boolean()),
    ("hosting_location", _enum(HOSTING_LOCATIONS, "hostinglocation")),
    ("accessibility_conformance", _enum(ACCESSIBILITY_CONFORMANCE, "accessibilityconformance")),
)


def upgrade() -> None:
    with op.batch_alter_table("supplier_profiles") as batch_op:
        for name, type_ in PROFILE_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    op.add_column("past_contracts", sa.Column("outcome", sa.Text(), nullable=True))

    op.create_table(
        "certifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(CERTIFICATION_KINDS, "certificationkind"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        *_timestamps(),
        *_owner("certifications"),
    )
    op.create_index(op.f("ix_certifications_organisation_id"), "certifications", ["organisation_id"], unique=False)

    op.create_table(
        "insurances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(INSURANCE_KINDS, "insurancekind"), nullable=False),
        sa.Column("cover_amount", sa.BigInteger(), nullable=False),
        sa.Column("insurer", sa.String(length=200), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        *_timestamps(),
        *_owner("insurances"),
    )
    op.create_index(op.f("ix_insurances_organisation_id"), "insurances", ["organisation_id"], unique=False)

    op.create_table(
        "declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ground", sa.String(length=40), nullable=False),
        sa.Column("applies", sa.Boolean(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        *_timestamps(),
        *_owner("declarations"),
        sa.UniqueConstraint("organisation_id", "ground", name=op.f("uq_declarations_organisation_id")),
    )
    op.create_index(op.f("ix_declarations_organisation_id"), "declarations", ["organisation_id"], unique=False)

    op.create_table(
        "supplier_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("buyer_organisation_id", sa.Integer(), nullable=True),
        sa.Column("buyer_name", sa.String(length=200), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("contact_email", sa.String(length=320), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("period", sa.String(length=100), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        *_owner("supplier_references"),
        sa.ForeignKeyConstraint(
            ["buyer_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_supplier_references_buyer_organisation_id_organisations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["users.id"],
            name=op.f("fk_supplier_references_confirmed_by_id_users"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(
        op.f("ix_supplier_references_organisation_id"), "supplier_references", ["organisation_id"], unique=False
    )
    op.create_index(
        op.f("ix_supplier_references_buyer_organisation_id"),
        "supplier_references",
        ["buyer_organisation_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("supplier_references")
    op.drop_table("declarations")
    op.drop_table("insurances")
    op.drop_table("certifications")
    with op.batch_alter_table("past_contracts") as batch_op:
        batch_op.drop_column("outcome")
    with op.batch_alter_table("supplier_profiles") as batch_op:
        # A rebuilt SQLite table would otherwise keep CHECK constraints on columns that no longer exist.
        for enum_name in ("legalform", "hostinglocation", "accessibilityconformance"):
            batch_op.drop_constraint(op.f(f"ck_supplier_profiles_{enum_name}"), type_="check")
        for name, _ in reversed(PROFILE_COLUMNS):
            batch_op.drop_column(name)
