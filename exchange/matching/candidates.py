"""Candidate generation through the databases' full-text indexes: any of a few telling words, best first.

Scoring every supplier for every need would not scale; the full-text index finds, in milliseconds, the few
hundred documents that share the rarest words with the need, and only those are scored. The words are
passed unstemmed: each engine stems them as it stemmed the documents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import case, func, literal, literal_column, select, text
from sqlalchemy.orm import Session

from exchange.matching.models import SupplierDocument
from exchange.profiles.models import PastContract
from exchange.search.models import SearchDocument


def _sqlite_match(words: Sequence[str]) -> str:
    return " OR ".join(f'"{word}"' for word in words)


def _tsquery(words: Sequence[str]) -> Any:
    return func.to_tsquery(literal_column("'english'::regconfig"), " | ".join(words))


def suppliers_by_text(
    db: Session, words: Sequence[str], limit: int, weights: Mapping[str, float] | None = None
) -> list[int]:
    """Organisation ids of the supplier documents that best match any of the words.

    SQLite's FTS5 ranks by BM25 itself. PostgreSQL's ``ts_rank`` knows nothing of how rare a word is, so there,
    given the words' weights (inverse document frequencies), documents are ranked by the summed weights of the
    words they contain, then by ``ts_rank``: close to BM25's order, so that its best hits are not cut off.
    """
    if not words:
        return []
    if db.get_bind().dialect.name == "sqlite":
        rows = db.execute(
            text("SELECT rowid FROM supplier_fts WHERE supplier_fts MATCH :match ORDER BY rank LIMIT :limit"),
            {"match": _sqlite_match(words), "limit": limit},
        )
        return [row[0] for row in rows]
    query = _tsquery(words)
    tsv: Any = literal_column("supplier_documents.tsv")
    order: list[Any] = [func.ts_rank(tsv, query).desc()]
    if weights:
        config: Any = literal_column("'english'::regconfig")
        contained = (
            case((tsv.op("@@")(func.to_tsquery(config, word)), weights.get(word, 1.0)), else_=0.0) for word in words
        )
        order.insert(0, sum(contained, start=literal(0.0)).desc())
    return list(
        db.scalars(
            select(SupplierDocument.organisation_id)
            .where(tsv.op("@@")(query))
            .order_by(*order, SupplierDocument.organisation_id)
            .limit(limit)
        )
    )


def suppliers_by_buyer(db: Session, buyer_name: str, limit: int) -> list[int]:
    """Suppliers with a past contract for this buyer (by name, ignoring case), most contracts first."""
    if not buyer_name:
        return []
    return list(
        db.scalars(
            select(PastContract.organisation_id)
            .where(func.lower(PastContract.buyer_name) == func.lower(buyer_name))
            .group_by(PastContract.organisation_id)
            .order_by(func.count().desc(), PastContract.organisation_id)
            .limit(limit)
        )
    )


def documents_by_text(
    db: Session, words: Sequence[str], conditions: Sequence[Any], limit: int, ranked_among: int | None = None
) -> list[int]:
    """Search document ids (needs, pitches, offers) that best match any of the words and meet the conditions.

    With ``ranked_among``, only that many of the newest matching documents are ranked: when even the rarest
    words are common (a third of the exchange), ranking every match would cost a page a full scan of the index,
    and the newest few thousand hold plenty of good ones.
    """
    if not words:
        return []
    if db.get_bind().dialect.name == "sqlite":
        found: Any = (
            select(literal_column("search_fts.rowid").label("doc_id"), literal_column("search_fts.rank").label("rank"))
            .select_from(text("search_fts"))
            .where(text("search_fts MATCH :match").bindparams(match=_sqlite_match(words)))
        )
        if ranked_among:
            found = found.order_by(literal_column("search_fts.rowid").desc()).limit(ranked_among)
        matched = found.subquery("matched")
        statement = (
            select(SearchDocument.id)
            .join(matched, matched.c.doc_id == SearchDocument.id)
            .where(*conditions)
            .order_by(matched.c.rank, SearchDocument.id)
        )
        return list(db.scalars(statement.limit(limit)))
    query = _tsquery(words)
    tsv: Any = literal_column("search_documents.tsv")
    if not ranked_among:
        statement = (
            select(SearchDocument.id)
            .where(tsv.op("@@")(query), *conditions)
            .order_by(func.ts_rank(tsv, query).desc(), SearchDocument.id)
        )
        return list(db.scalars(statement.limit(limit)))
    newest = (
        select(SearchDocument.id, tsv.label("tsv"))
        .where(tsv.op("@@")(query), *conditions)
        .order_by(SearchDocument.id.desc())
        .limit(ranked_among)
        .subquery("newest")
    )
    statement = select(newest.c.id).order_by(func.ts_rank(newest.c.tsv, query).desc(), newest.c.id)
    return list(db.scalars(statement.limit(limit)))


def documents_by_buyer(db: Session, buyer_names: Sequence[str], conditions: Sequence[Any], limit: int) -> list[int]:
    """Search document ids (needs) of the organisations with these names (ignoring case), newest first."""
    if not buyer_names:
        return []
    names = sorted({name.lower() for name in buyer_names})
    return list(
        db.scalars(
            select(SearchDocument.id)
            .where(func.lower(SearchDocument.organisation_name).in_(names), *conditions)
            .order_by(SearchDocument.updated_at.desc(), SearchDocument.id)
            .limit(limit)
        )
    )


def documents_newest(db: Session, conditions: Sequence[Any], limit: int) -> list[int]:
    """Search document ids meeting the conditions, newest first: to fill a short list of candidates."""
    return list(
        db.scalars(
            select(SearchDocument.id)
            .where(*conditions)
            .order_by(SearchDocument.updated_at.desc(), SearchDocument.id)
            .limit(limit)
        )
    )
