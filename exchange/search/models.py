"""One search document per pitch, offer and need, with the facet values search filters and counts on.

The full-text part lives beside this table and is made by the migrations, not by the model:
on SQLite an FTS5 table ``search_fts`` kept in step by triggers, on PostgreSQL a generated
``tsv`` tsvector column with a GIN index (see alembic/versions and ``DATABASE_ONLY_OBJECTS``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.database import Base
from exchange.core.models import UtcDateTime

# Made by hand in migrations because SQLAlchemy has no portable model for them (the triggers that keep
# the full-text index and SearchIndexState.change_token in step are not compared by Alembic either).
DATABASE_ONLY_OBJECTS = frozenset({"search_fts", "tsv", "ix_search_documents_tsv"})


class SearchDocument(Base):
    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "item_id"),
        Index("ix_search_documents_kind_updated", "kind", "updated_at"),
        # Browsing without words lists the newest first.
        Index("ix_search_documents_updated", "updated_at", "id"),
    )

    # Only selective columns are indexed: an index on a column most rows share (visibility, stage,
    # is_free) leads SQLite's planner to it and away from the newest-first index.
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    item_id: Mapped[int] = mapped_column(Integer)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    organisation_name: Mapped[str] = mapped_column(String(200))
    organisation_kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(400))
    body: Mapped[str] = mapped_column(Text)
    category_id: Mapped[int | None] = mapped_column(Integer)
    category_top_id: Mapped[int | None] = mapped_column(Integer, index=True)
    region_id: Mapped[int | None] = mapped_column(Integer, index=True)
    is_free: Mapped[bool | None] = mapped_column(Boolean)
    stage: Mapped[str | None] = mapped_column(String(30))
    visibility: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SearchIndexState(Base):
    """One row whose change token database triggers renew (randomly) on every change to search_documents.

    Cached facet counts are keyed by it: a primary-key read tells a worker whether its cache is current.
    Random, not counting up, so that a rolled-back change cannot leave a token a later change repeats.
    """

    __tablename__ = "search_index_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    change_token: Mapped[int] = mapped_column(BigInteger, default=0)
