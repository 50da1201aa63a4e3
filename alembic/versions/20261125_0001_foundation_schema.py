"""foundation schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25

The search index's full-text part is written by hand below: SQLite FTS5 with triggers,
PostgreSQL a generated tsvector column with a GIN index.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["categories.id"], name=op.f("fk_categories_parent_id_categories")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
        sa.UniqueConstraint("slug", name=op.f("uq_categories_slug")),
    )
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_categories_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_messages_sent_at"), ["sent_at"], unique=False)

    op.create_table(
        "regions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("nation", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regions")),
        sa.UniqueConstraint("slug", name=op.f("uq_regions_slug")),
    )
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("organisation_name", sa.String(length=200), nullable=False),
        sa.Column("organisation_kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=400), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("category_top_id", sa.Integer(), nullable=True),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("is_free", sa.Boolean(), nullable=True),
        sa.Column("stage", sa.String(length=30), nullable=True),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("kind", "item_id", name=op.f("uq_search_documents_kind")),
    )
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_documents_category_top_id"), ["category_top_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_documents_is_free"), ["is_free"], unique=False)
        batch_op.create_index("ix_search_documents_kind_updated", ["kind", "updated_at"], unique=False)
        batch_op.create_index("ix_search_documents_updated", ["updated_at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_documents_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_documents_organisation_kind"), ["organisation_kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_documents_region_id"), ["region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_documents_stage"), ["stage"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_documents_visibility"), ["visibility"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["users.id"],
            name=op.f("fk_audit_events_actor_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_created_at"), ["created_at"], unique=False)

    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "council",
                "public_body",
                "supplier",
                "vcse",
                "other",
                name="organisationkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=220), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("local_authority_code", sa.String(length=10), nullable=True),
        sa.Column("gss_code", sa.String(length=12), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
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
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], name=op.f("fk_organisations_region_id_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("local_authority_code", name=op.f("uq_organisations_local_authority_code")),
        sa.UniqueConstraint("slug", name=op.f("uq_organisations_slug")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisations_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_organisations_region_id"), ["region_id"], unique=False)

    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("ip_address", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sign_in_attempts_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempts")),
    )
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_attempts_attempted_at"), ["attempted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_sign_in_attempts_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_sign_in_attempts_ip_address"), ["ip_address"], unique=False)

    op.create_table(
        "council_email_domains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_council_email_domains_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_email_domains")),
        sa.UniqueConstraint("domain", name=op.f("uq_council_email_domains_domain")),
    )
    with op.batch_alter_table("council_email_domains", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_council_email_domains_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("member", "admin", name="memberrole", native_enum=False, create_constraint=True, length=40),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum("pending", "active", name="memberstatus", native_enum=False, create_constraint=True, length=40),
            nullable=False,
        ),
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
            name=op.f("fk_members_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_members_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("user_id", "organisation_id", name=op.f("uq_members_user_id")),
    )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_members_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_members_user_id"), ["user_id"], unique=False)

    op.create_table(
        "needs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=400), nullable=False),
        sa.Column("problem_statement", sa.Text(), nullable=False),
        sa.Column("users", sa.Text(), nullable=False),
        sa.Column("tried_so_far", sa.Text(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "idea",
                "early_market_engagement",
                "open_for_proposals",
                "closed",
                "awarded",
                "no_suitable_supplier",
                "cancelled",
                name="needstage",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "visibility",
            sa.Enum(
                "public",
                "public_sector",
                "organisation",
                name="visibility",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("budget_min", sa.Integer(), nullable=True),
        sa.Column("budget_max", sa.Integer(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
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
        sa.ForeignKeyConstraint(["category_id"], ["categories.id"], name=op.f("fk_needs_category_id_categories")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_needs_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_needs_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], name=op.f("fk_needs_region_id_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_needs")),
    )
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_needs_category_id"), ["category_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_needs_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_needs_region_id"), ["region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_needs_stage"), ["stage"], unique=False)

    op.create_table(
        "offers",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "price_model",
            sa.Enum(
                "free",
                "one_off",
                "per_user",
                "subscription",
                "day_rate",
                "quote",
                name="pricemodel",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("price_amount", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=400), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "published",
                "withdrawn",
                name="listingstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
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
        sa.ForeignKeyConstraint(["category_id"], ["categories.id"], name=op.f("fk_offers_category_id_categories")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_offers_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_offers_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], name=op.f("fk_offers_region_id_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
    )
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offers_category_id"), ["category_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_offers_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_offers_region_id"), ["region_id"], unique=False)

    op.create_table(
        "pitches",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=400), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "published",
                "withdrawn",
                name="listingstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
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
        sa.ForeignKeyConstraint(["category_id"], ["categories.id"], name=op.f("fk_pitches_category_id_categories")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_pitches_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_pitches_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], name=op.f("fk_pitches_region_id_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pitches")),
    )
    with op.batch_alter_table("pitches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pitches_category_id"), ["category_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pitches_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pitches_region_id"), ["region_id"], unique=False)

    create_full_text_index()


def downgrade() -> None:
    drop_full_text_index()
    with op.batch_alter_table("pitches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pitches_region_id"))
        batch_op.drop_index(batch_op.f("ix_pitches_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_pitches_category_id"))

    op.drop_table("pitches")
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offers_region_id"))
        batch_op.drop_index(batch_op.f("ix_offers_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_offers_category_id"))

    op.drop_table("offers")
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_needs_stage"))
        batch_op.drop_index(batch_op.f("ix_needs_region_id"))
        batch_op.drop_index(batch_op.f("ix_needs_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_needs_category_id"))

    op.drop_table("needs")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_members_user_id"))
        batch_op.drop_index(batch_op.f("ix_members_organisation_id"))

    op.drop_table("members")
    with op.batch_alter_table("council_email_domains", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_email_domains_organisation_id"))

    op.drop_table("council_email_domains")
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_attempts_ip_address"))
        batch_op.drop_index(batch_op.f("ix_sign_in_attempts_email"))
        batch_op.drop_index(batch_op.f("ix_sign_in_attempts_attempted_at"))

    op.drop_table("sign_in_attempts")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisations_region_id"))
        batch_op.drop_index(batch_op.f("ix_organisations_kind"))

    op.drop_table("organisations")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_created_at"))

    op.drop_table("audit_events")
    op.drop_table("users")
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_documents_visibility"))
        batch_op.drop_index(batch_op.f("ix_search_documents_stage"))
        batch_op.drop_index(batch_op.f("ix_search_documents_region_id"))
        batch_op.drop_index(batch_op.f("ix_search_documents_organisation_kind"))
        batch_op.drop_index(batch_op.f("ix_search_documents_organisation_id"))
        batch_op.drop_index("ix_search_documents_updated")
        batch_op.drop_index("ix_search_documents_kind_updated")
        batch_op.drop_index(batch_op.f("ix_search_documents_is_free"))
        batch_op.drop_index(batch_op.f("ix_search_documents_category_top_id"))

    op.drop_table("search_documents")
    op.drop_table("regions")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_messages_sent_at"))

    op.drop_table("outbox_messages")
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_categories_parent_id"))

    op.drop_table("categories")


SQLITE_FTS = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, organisation_name, summary, body,
        content='search_documents', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER search_fts_after_insert AFTER INSERT ON search_documents BEGIN
        INSERT INTO search_fts(rowid, title, organisation_name, summary, body)
        VALUES (new.id, new.title, new.organisation_name, new.summary, new.body);
    END""",
    """CREATE TRIGGER search_fts_after_delete AFTER DELETE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, organisation_name, summary, body)
        VALUES ('delete', old.id, old.title, old.organisation_name, old.summary, old.body);
    END""",
    """CREATE TRIGGER search_fts_after_update AFTER UPDATE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, organisation_name, summary, body)
        VALUES ('delete', old.id, old.title, old.organisation_name, old.summary, old.body);
        INSERT INTO search_fts(rowid, title, organisation_name, summary, body)
        VALUES (new.id, new.title, new.organisation_name, new.summary, new.body);
    END""",
]

POSTGRES_FTS = [
    """ALTER TABLE search_documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(organisation_name, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(summary, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(body, '')), 'C')) STORED""",
    "CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)",
]


def create_full_text_index() -> None:
    statements = SQLITE_FTS if op.get_bind().dialect.name == "sqlite" else POSTGRES_FTS
    for statement in statements:
        op.execute(statement)


def drop_full_text_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS search_fts_after_{trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_search_documents_tsv")
        op.execute("ALTER TABLE search_documents DROP COLUMN IF EXISTS tsv")
