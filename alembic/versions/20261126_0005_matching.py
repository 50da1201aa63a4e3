"""matching: supplier evidence documents with full text, term counts, and needs' hard requirements

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

The full-text part of supplier_documents is written by hand, as for the search index: SQLite FTS5 with
triggers, PostgreSQL a generated tsvector column with a GIN index.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_FULL_TEXT = [
    """CREATE VIRTUAL TABLE supplier_fts USING fts5(
        name, body, content='supplier_documents', content_rowid='organisation_id', tokenize='porter unicode61')""",
    """CREATE TRIGGER supplier_fts_after_insert AFTER INSERT ON supplier_documents BEGIN
        INSERT INTO supplier_fts(rowid, name, body) VALUES (new.organisation_id, new.name, new.body);
    END""",
    """CREATE TRIGGER supplier_fts_after_delete AFTER DELETE ON supplier_documents BEGIN
        INSERT INTO supplier_fts(supplier_fts, rowid, name, body)
            VALUES ('delete', old.organisation_id, old.name, old.body);
    END""",
    """CREATE TRIGGER supplier_fts_after_update AFTER UPDATE ON supplier_documents BEGIN
        INSERT INTO supplier_fts(supplier_fts, rowid, name, body)
            VALUES ('delete', old.organisation_id, old.name, old.body);
        INSERT INTO supplier_fts(rowid, name, body) VALUES (new.organisation_id, new.name, new.body);
    END""",
]
POSTGRESQL_FULL_TEXT = [
    """ALTER TABLE supplier_documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(name, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(body, '')), 'C')) STORED""",
    "CREATE INDEX ix_supplier_documents_tsv ON supplier_documents USING gin (tsv)",
]


def upgrade() -> None:
    op.create_table(
        "supplier_documents",
        sa.Column("organisation_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("contracts", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_supplier_documents_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_supplier_documents")),
    )
    op.create_index(op.f("ix_supplier_documents_length"), "supplier_documents", ["length"], unique=False)
    op.create_table(
        "match_terms",
        sa.Column("term", sa.String(length=40), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_match_terms")),
    )
    op.add_column("needs", sa.Column("required_certifications", sa.JSON(), server_default="[]", nullable=False))
    op.add_column("needs", sa.Column("region_required", sa.Boolean(), server_default=sa.false(), nullable=False))
    # Finding the suppliers that have worked for a buyer, by name in any case.
    op.execute("CREATE INDEX ix_past_contracts_buyer_name_lower ON past_contracts (lower(buyer_name))")
    statements = SQLITE_FULL_TEXT if op.get_bind().dialect.name == "sqlite" else POSTGRESQL_FULL_TEXT
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS supplier_fts_after_{trigger}")
        op.execute("DROP TABLE IF EXISTS supplier_fts")
    op.execute("DROP INDEX ix_past_contracts_buyer_name_lower")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): batch mode would copy the table.
    op.execute("ALTER TABLE needs DROP COLUMN region_required")
    op.execute("ALTER TABLE needs DROP COLUMN required_certifications")
    op.drop_table("match_terms")
    op.drop_table("supplier_documents")
