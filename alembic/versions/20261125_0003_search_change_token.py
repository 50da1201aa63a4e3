"""search index change token, and only selective indexes on search documents

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

A one-row table whose change token database triggers replace with a random number on every change to
search_documents, so that cached facet counts can be checked with one primary-key read. Random rather
than counting up, so that a rolled-back change can never leave a token that a later change repeats.

Indexes on columns most rows share are dropped: they misled SQLite's planner away from the newest-first
index. Plain DROP/CREATE INDEX is used
(not batch mode), because rebuilding search_documents on SQLite would drop its full-text triggers.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNSELECTIVE = ("visibility", "stage", "is_free", "organisation_kind")


def upgrade() -> None:
    for column in UNSELECTIVE:
        op.drop_index(f"ix_search_documents_{column}", table_name="search_documents")
    op.create_table(
        "search_index_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("change_token", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_index_state")),
    )
    op.execute("INSERT INTO search_index_state (id, change_token) VALUES (1, 0)")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite has row triggers only; one small update per changed row.
        for event in ("insert", "update", "delete"):
            op.execute(
                f"""CREATE TRIGGER search_token_after_{event} AFTER {event.upper()} ON search_documents
                BEGIN UPDATE search_index_state SET change_token = random() WHERE id = 1; END"""
            )
    else:
        op.execute(
            """CREATE FUNCTION renew_search_change_token() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
            UPDATE search_index_state SET change_token = floor((random() - 0.5) * 9.2e18)::bigint WHERE id = 1;
            RETURN NULL;
            END $$"""
        )
        op.execute(
            """CREATE TRIGGER search_token_after_change
            AFTER INSERT OR UPDATE OR DELETE ON search_documents
            FOR EACH STATEMENT EXECUTE FUNCTION renew_search_change_token()"""
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS search_token_after_{event}")
    else:
        op.execute("DROP TRIGGER IF EXISTS search_token_after_change ON search_documents")
        op.execute("DROP FUNCTION IF EXISTS renew_search_change_token()")
    op.drop_table("search_index_state")
    for column in UNSELECTIVE:
        op.create_index(f"ix_search_documents_{column}", "search_documents", [column], unique=False)
