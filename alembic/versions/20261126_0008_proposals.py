"""proposals

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26

Needs that invite proposals: each need's procurement settings (dates, shortlist size), its essential and
nice-to-have requirements and weighted evaluation criteria, clarification questions, suppliers' proposals
with their answers to each requirement, and the proposal a shortlist entry came from.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
    ]


def _need(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["need_id"], ["needs.id"], name=op.f(f"fk_{table}_need_id_needs"), ondelete="CASCADE"
    )


def _user(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="SET NULL")


def upgrade() -> None:
    op.create_table(
        "need_procurements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("shortlist_size", sa.Integer(), nullable=True),
        sa.Column("opens_on", sa.Date(), nullable=True),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("questions_close_on", sa.Date(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        _need("need_procurements"),
        _user("need_procurements", "updated_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_procurements")),
        sa.UniqueConstraint("need_id", name=op.f("uq_need_procurements_need_id")),
    )
    op.create_table(
        "need_requirements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "essential",
                "nice_to_have",
                name="requirementkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        _need("need_requirements"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_requirements")),
    )
    op.create_index(op.f("ix_need_requirements_need_id"), "need_requirements", ["need_id"], unique=False)
    op.create_table(
        "evaluation_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        _need("evaluation_criteria"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_criteria")),
    )
    op.create_index(op.f("ix_evaluation_criteria_need_id"), "evaluation_criteria", ["need_id"], unique=False)
    op.create_table(
        "clarifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("asked_by_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        _need("clarifications"),
        _user("clarifications", "asked_by_id"),
        _user("clarifications", "answered_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clarifications")),
    )
    op.create_index(op.f("ix_clarifications_need_id"), "clarifications", ["need_id"], unique=False)
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "withdrawn",
                name="proposalstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("price", sa.Integer(), nullable=True),
        sa.Column("price_note", sa.String(length=300), nullable=False),
        sa.Column("approach", sa.Text(), nullable=False),
        sa.Column("attach_profile", sa.Boolean(), nullable=False),
        sa.Column("profile_completeness", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        _need("proposals"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_proposals_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        _user("proposals", "created_by_id"),
        _user("proposals", "submitted_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
        sa.UniqueConstraint("need_id", "organisation_id", name=op.f("uq_proposals_need_id")),
    )
    op.create_index(op.f("ix_proposals_organisation_id"), "proposals", ["organisation_id"], unique=False)
    op.create_table(
        "proposal_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("requirement_id", sa.Integer(), nullable=False),
        sa.Column("meets", sa.Boolean(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_proposal_answers_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requirement_id"],
            ["need_requirements.id"],
            name=op.f("fk_proposal_answers_requirement_id_need_requirements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_answers")),
        sa.UniqueConstraint("proposal_id", "requirement_id", name=op.f("uq_proposal_answers_proposal_id")),
    )
    op.create_index(op.f("ix_proposal_answers_requirement_id"), "proposal_answers", ["requirement_id"], unique=False)
    # SQLite cannot add a foreign key to an existing table: batch mode copies the table there (a small one),
    # and is a plain ALTER TABLE on PostgreSQL.
    with op.batch_alter_table("shortlist_entries") as batch_op:
        batch_op.add_column(sa.Column("proposal_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_shortlist_entries_proposal_id_proposals"),
            "proposals",
            ["proposal_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    # The same on the way back: DROP COLUMN on PostgreSQL (which drops the constraint too), a copy on SQLite.
    with op.batch_alter_table("shortlist_entries") as batch_op:
        batch_op.drop_column("proposal_id")
    op.drop_index(op.f("ix_proposal_answers_requirement_id"), table_name="proposal_answers")
    op.drop_table("proposal_answers")
    op.drop_index(op.f("ix_proposals_organisation_id"), table_name="proposals")
    op.drop_table("proposals")
    op.drop_index(op.f("ix_clarifications_need_id"), table_name="clarifications")
    op.drop_table("clarifications")
    op.drop_index(op.f("ix_evaluation_criteria_need_id"), table_name="evaluation_criteria")
    op.drop_table("evaluation_criteria")
    op.drop_index(op.f("ix_need_requirements_need_id"), table_name="need_requirements")
    op.drop_table("need_requirements")
    op.drop_table("need_procurements")
