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
