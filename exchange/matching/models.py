"""What matching keeps in the database: one evidence document per supplier, and how many documents use each term.

The document's full-text part (SQLite FTS5 ``supplier_fts`` with triggers, PostgreSQL a generated ``tsv``
column with a GIN index) is made by the migration, like the search index's: it finds candidates quickly.
The scores are then computed from ``terms`` and ``MatchTerm`` counts by the scoring core, the same way on
both databases.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.database import Base
from exchange.core.models import UtcDateTime

# Made by hand in the migration: full text, and an index on an expression Alembic does not compare.
DATABASE_ONLY_OBJECTS = frozenset({"supplier_fts", "ix_supplier_documents_tsv", "ix_past_contracts_buyer_name_lower"})


class SupplierDocument(Base):
    """A supplier's evidence as text: its name, description, past contracts, pitches and offers."""

    __tablename__ = "supplier_documents"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # Term -> count, as exchange.core.terms makes them; ``length`` is their sum.
    terms: Mapped[dict[str, int]] = mapped_column(JSON)
    # Indexed so that the collection's size and average length are read from the index alone.
    length: Mapped[int] = mapped_column(Integer, index=True)
    # Each past contract as the scoring core reads it (title, buyer, year, value, categories, terms), kept
    # here so that matching reads one row per candidate instead of tokenising its contracts every time.
    contracts: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class MatchTerm(Base):
    """How many supplier documents contain a term: its inverse document frequency for BM25."""

    __tablename__ = "match_terms"

    term: Mapped[str] = mapped_column(String(40), primary_key=True)
    documents: Mapped[int] = mapped_column(Integer)


class RelatedList(Base):
    """The items related to one pitch, offer or need, as one audience may see them, worked out at most once an
    hour and shared by every app worker (see matching.related). Only the ranking is kept: each page reads the
    items themselves afresh, so a hidden or withdrawn item drops out at once."""

    __tablename__ = "related_lists"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    item_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    # Who the ranking was made for: "public", "public_sector" (verified officers) or "everything" (administrators).
    audience: Mapped[str] = mapped_column(String(20), primary_key=True)
    # A digest of the item's own text: editing the item makes a new ranking.
    source_digest: Mapped[str] = mapped_column(String(64))
    # [{"document_id", "score", "why"}], best first.
    entries: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime())
