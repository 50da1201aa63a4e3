"""case studies

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26

Case studies: what a council did, with whom, what came of it and how to replicate it.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False)


def _foreign_key(column: str, target: str, table: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "case_studies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("supplier_organisation_id", sa.Integer(), nullable=True),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=400), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("what_we_used", sa.Text(), nullable=False),
        sa.Column("pitch_ids", sa.JSON(), nullable=False),
        sa.Column("offer_ids", sa.JSON(), nullable=False),
        sa.Column("cost", sa.Integer(), nullable=True),
        sa.Column("duration_weeks", sa.Integer(), nullable=True),
        sa.Column("cost_and_time", sa.Text(), nullable=False),
        sa.Column("outcomes", sa.Text(), nullable=False),
        sa.Column("key_figures", sa.JSON(), nullable=False),
        sa.Column("went_wrong", sa.Text(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("prerequisites", sa.Text(), nullable=False),
        sa.Column("contacts", sa.Text(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("draft", "published", name="casestudystatus", native_enum=False, create_constraint=True, length=40),
            nullable=False,
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_reason", sa.String(length=500), server_default="", nullable=False),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _foreign_key("category_id", "categories", "case_studies"),
        _foreign_key("created_by_id", "users", "case_studies", "SET NULL"),
        _foreign_key("hidden_by_id", "users", "case_studies", "SET NULL"),
        _foreign_key("need_id", "needs", "case_studies", "SET NULL"),
        _foreign_key("organisation_id", "organisations", "case_studies", "CASCADE"),
        _foreign_key("outcome_id", "need_outcomes", "case_studies", "SET NULL"),
        _foreign_key("region_id", "regions", "case_studies"),
        _foreign_key("supplier_organisation_id", "organisations", "case_studies", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_studies")),
    )
    for column in ("category_id", "need_id", "organisation_id", "region_id", "supplier_organisation_id"):
        op.create_index(op.f(f"ix_case_studies_{column}"), "case_studies", [column], unique=False)
    op.create_index("ix_case_studies_status_published", "case_studies", ["status", "published_at"], unique=False)

    op.create_table(
        "case_study_interests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_study_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _foreign_key("case_study_id", "case_studies", "case_study_interests", "CASCADE"),
        _foreign_key("created_by_id", "users", "case_study_interests", "SET NULL"),
        _foreign_key("organisation_id", "organisations", "case_study_interests", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_study_interests")),
        sa.UniqueConstraint("case_study_id", "organisation_id", name=op.f("uq_case_study_interests_case_study_id")),
    )
    for column in ("case_study_id", "organisation_id"):
        op.create_index(op.f(f"ix_case_study_interests_{column}"), "case_study_interests", [column], unique=False)

    op.create_table(
        "case_study_terms",
        sa.Column("case_study_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("term", sa.String(length=40), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        _foreign_key("case_study_id", "case_studies", "case_study_terms", "CASCADE"),
        sa.PrimaryKeyConstraint("case_study_id", "term", name=op.f("pk_case_study_terms")),
    )
    op.create_index("ix_case_study_terms_term", "case_study_terms", ["term", "case_study_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_case_study_terms_term", table_name="case_study_terms")
    op.drop_table("case_study_terms")
    for column in ("organisation_id", "case_study_id"):
        op.drop_index(op.f(f"ix_case_study_interests_{column}"), table_name="case_study_interests")
    op.drop_table("case_study_interests")
    op.drop_index("ix_case_studies_status_published", table_name="case_studies")
    for column in ("supplier_organisation_id", "region_id", "organisation_id", "need_id", "category_id"):
        op.drop_index(op.f(f"ix_case_studies_{column}"), table_name="case_studies")
    op.drop_table("case_studies")
