"""evaluation

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26

Evaluating a need's shortlisted proposals: each evaluator's scores, when moderation started, the agreed
scores and the feedback for each supplier; and each need's outcome.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCORE_RANGE = "score >= 0 AND score <= 100"


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
    ]


def _cascade(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete="CASCADE"
    )


def _set_null(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete="SET NULL"
    )


def upgrade() -> None:
    op.create_table(
        "evaluation_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("evaluator_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint(SCORE_RANGE, name=op.f("ck_evaluation_scores_score_range")),
        _cascade("evaluation_scores", "proposal_id", "proposals"),
        _cascade("evaluation_scores", "criterion_id", "evaluation_criteria"),
        _cascade("evaluation_scores", "evaluator_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_scores")),
        sa.UniqueConstraint(
            "proposal_id", "criterion_id", "evaluator_id", name=op.f("uq_evaluation_scores_proposal_id")
        ),
    )
    op.create_index(op.f("ix_evaluation_scores_criterion_id"), "evaluation_scores", ["criterion_id"], unique=False)
    op.create_index(op.f("ix_evaluation_scores_evaluator_id"), "evaluation_scores", ["evaluator_id"], unique=False)
    op.create_table(
        "moderations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        _cascade("moderations", "need_id", "needs"),
        _set_null("moderations", "started_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderations")),
        sa.UniqueConstraint("need_id", name=op.f("uq_moderations_need_id")),
    )
    op.create_table(
        "agreed_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("moderated_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(SCORE_RANGE, name=op.f("ck_agreed_scores_score_range")),
        _cascade("agreed_scores", "proposal_id", "proposals"),
        _cascade("agreed_scores", "criterion_id", "evaluation_criteria"),
        _set_null("agreed_scores", "moderated_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreed_scores")),
        sa.UniqueConstraint("proposal_id", "criterion_id", name=op.f("uq_agreed_scores_proposal_id")),
    )
    op.create_index(op.f("ix_agreed_scores_criterion_id"), "agreed_scores", ["criterion_id"], unique=False)
    op.create_table(
        "proposal_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        _cascade("proposal_feedback", "proposal_id", "proposals"),
        _set_null("proposal_feedback", "written_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_feedback")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_proposal_feedback_proposal_id")),
    )
    op.create_table(
        "need_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "awarded",
                "no_suitable_supplier",
                "cancelled",
                name="outcomekind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        _cascade("need_outcomes", "need_id", "needs"),
        _set_null("need_outcomes", "organisation_id", "organisations"),
        _set_null("need_outcomes", "proposal_id", "proposals"),
        _set_null("need_outcomes", "recorded_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_outcomes")),
        sa.UniqueConstraint("need_id", name=op.f("uq_need_outcomes_need_id")),
    )


def downgrade() -> None:
    op.drop_table("need_outcomes")
    op.drop_table("proposal_feedback")
    op.drop_index(op.f("ix_agreed_scores_criterion_id"), table_name="agreed_scores")
    op.drop_table("agreed_scores")
    op.drop_table("moderations")
    op.drop_index(op.f("ix_evaluation_scores_evaluator_id"), table_name="evaluation_scores")
    op.drop_index(op.f("ix_evaluation_scores_criterion_id"), table_name="evaluation_scores")
    op.drop_table("evaluation_scores")
