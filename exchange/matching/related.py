"""Serendipity: "you might also be interested in" links from a pitch, offer or need to related items of other
organisations, across kinds and councils, so that officers see what others are doing about the same problem.

Items are ranked on the same evidence as matches: the telling words they share with this item (weighted by how
rare they are among suppliers' documents; council and place names never count), the same category, and for a
pitch or offer, its supplier's past contracts on the same subject. An item sharing too little is not shown, and
each one shown says why it is there.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, not_, select, true
from sqlalchemy import text as sql
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from exchange.core import afterwards
from exchange.core import terms as text
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.matching import candidates, facts
from exchange.matching.models import RelatedList, SupplierDocument
from exchange.search import cache
from exchange.search.models import SearchDocument
from exchange.search.schemas import Hit
from exchange.search.service import HIT_COLUMNS, visible_to

log = logging.getLogger(__name__)

WORDS = 8
POOL = 40
# About how many supplier documents the words may be found in (see facts.enough_terms): the engine ranks every
# item that shares any of them, so common words would make each page rank most of the exchange.
REACH = 500
# At most this many of the newest documents sharing the words are ranked (see candidates.documents_by_text).
RANKED_AMONG = 2000
# An item must share at least this share of the telling words' weight to be shown at all.
RELEVANT_FROM = 0.25
SAME_CATEGORY = 0.15
TRACK_RECORD = 0.15
WORDS_SHOWN = 3
# How long a ranking is reused before it is worked out again (see related).
FRESH_FOR = timedelta(hours=1)


@dataclass(frozen=True)
class Related:
    hit: Hit
    score: float
    # Why it is here, in words: the shared words, the category, the supplier's track record.
    why: str


def _shared(weights: Mapping[str, float], item_text: str) -> tuple[float, list[str]]:
    """The share of the source's word weight (term -> rarity) the item has, and the shared terms, rarest first."""
    item_terms = set(text.terms(item_text))
    total = sum(weights.values()) or 1.0
    shared = sorted((t for t in weights if t in item_terms), key=lambda t: (-weights[t], t))
    return sum(weights[t] for t in shared) / total, shared


def _similar_contracts(db: Session, organisation_ids: set[int], source: Sequence[str]) -> dict[int, int]:
    """Supplier -> how many of its past contracts share at least two of the source's telling words (or its one)."""
    wanted = set(source)
    needed = min(2, len(wanted))
    counts: dict[int, int] = {}
    if not organisation_ids or not needed:
        return counts
    rows = db.execute(
        select(SupplierDocument.organisation_id, SupplierDocument.contracts).where(
            SupplierDocument.organisation_id.in_(organisation_ids)
        )
    )
    for organisation_id, contracts in rows:
        counts[organisation_id] = sum(len(wanted & set(c["terms"])) >= needed for c in contracts)
    return counts


def _why(words: Sequence[str], forms: Mapping[str, set[str]], same_category: bool, contracts: int) -> str:
    shown = ", ".join(f"“{min(forms.get(t, {t}))}”" for t in words[:WORDS_SHOWN])
    parts = [f"Also about {shown}"]
    if same_category:
        parts.append("in the same category")
    if contracts:
        parts.append(f"by a supplier with {contracts} past contract{'s' if contracts > 1 else ''} on the same subject")
    return "; ".join(parts)


def audience(viewer: Viewer) -> str:
    """Whose related items a viewer shares: what they may see beyond public items decides it. Items private to
    the viewer's own organisation are never suggested as related: the point is what others are doing."""
    if viewer.is_admin:
        return "everything"
    return "public_sector" if viewer.public_sector_verified else "public"


AUDIENCE_SEES: dict[str, ColumnElement[bool]] = {
    "public": SearchDocument.visibility == "public",
    "public_sector": SearchDocument.visibility.in_(("public", "public_sector")),
    "everything": true(),
}


def related(
    db: Session, viewer: Viewer, kind: str, item_id: int, organisation_id: int, source_text: str, limit: int = 5
) -> list[Related]:
    """Items of other organisations most like this one, best first, each with why it is here.

    The ranking is the costly part (a full-text query over the whole exchange): it is worked out at most once
    an hour per item and audience, kept in the database for every app worker (``RelatedList``) and in this
    worker's memory. The items themselves are read afresh for each page, through the viewer's own visibility,
    so that a hidden, withdrawn or renamed item shows as it is now. An item published since the ranking was made
    appears within the hour; editing this item's text makes a new ranking at once.
    """
    group = audience(viewer)
    digest = hashlib.sha256(source_text.encode()).hexdigest()
    key = ("related", cache.database_key(db), kind, item_id, group, digest)
    ranking: Ranking | None = cache.get(key)
    if ranking is None or not ranking.fresh:
        ranking = _stored(db, kind, item_id, group, digest)
        if ranking is None:
            ranking = Ranking(_rank(db, group, kind, item_id, organisation_id, source_text, limit * 3), utcnow())
            row = RelatedList(kind=kind, item_id=item_id, audience=group, source_digest=digest)
            row.entries, row.computed_at = ranking.entries, ranking.computed_at
            _store(db, row)
        cache.put(key, ranking)
    return _shown(db, viewer, ranking.entries, limit)


@dataclass(frozen=True)
class Ranking:
    # [{"document_id", "score", "why"}], best first.
    entries: list[dict[str, Any]]
    computed_at: datetime

    @property
    def fresh(self) -> bool:
        return utcnow() - self.computed_at < FRESH_FOR


def _stored(db: Session, kind: str, item_id: int, group: str, digest: str) -> Ranking | None:
    """The shared ranking, when another worker (or this one, before a restart) made it recently enough."""
    row = db.execute(
        select(RelatedList.entries, RelatedList.computed_at, RelatedList.source_digest).where(
            RelatedList.kind == kind, RelatedList.item_id == item_id, RelatedList.audience == group
        )
    ).first()
    if row is None or row.source_digest != digest:
        return None
    ranking = Ranking(row.entries, row.computed_at)
    return ranking if ranking.fresh else None


def _store(db: Session, row: RelatedList) -> None:
    """Keep the ranking for the other workers, once this request's own transaction has finished (see
    core.afterwards): the page reading it is a GET, whose transaction only reads."""
    bind = db.get_bind()
    if not afterwards.defer(lambda: _write(bind, row)):
        _write(bind, row)


def _write(bind: Engine | Connection, row: RelatedList) -> None:
    """In a short transaction of its own. Losing the race to another worker, or finding the database busy, only
    means that a later page works the ranking out again."""
    writer_bind = bind.execution_options(sqlite_immediate=True) if isinstance(bind, Engine) else bind
    try:
        with Session(bind=writer_bind, join_transaction_mode="create_savepoint") as writer, writer.begin():
            if writer.get_bind().dialect.name == "postgresql":
                # A ranking lost in a crash is only made again: no need to wait for the disk.
                writer.execute(sql("SET LOCAL synchronous_commit TO OFF"))
            writer.merge(row)
    except SQLAlchemyError:
        log.info("the related items of %s %s were not kept", row.kind, row.item_id, exc_info=True)


def _shown(db: Session, viewer: Viewer, entries: Sequence[Mapping[str, Any]], limit: int) -> list[Related]:
    """The ranked items as they are now, those this viewer may see, one per organisation, at most ``limit``."""
    ids = [entry["document_id"] for entry in entries]
    if not ids:
        return []
    rows = db.execute(select(SearchDocument.id, *HIT_COLUMNS).where(SearchDocument.id.in_(ids), visible_to(viewer)))
    hits = {row.id: Hit(**{k: v for k, v in row._mapping.items() if k != "id"}) for row in rows}
    chosen: list[Related] = []
    seen: set[int] = set()
    for entry in entries:
        hit = hits.get(entry["document_id"])
        # One item per organisation: variety is the point.
        if hit is None or hit.organisation_id in seen:
            continue
        seen.add(hit.organisation_id)
        chosen.append(Related(hit, entry["score"], entry["why"]))
        if len(chosen) == limit:
            break
    return chosen


def _rank(
    db: Session, group: str, kind: str, item_id: int, organisation_id: int, source_text: str, limit: int
) -> list[dict[str, Any]]:
    """The ``limit`` best items of other organisations this audience may see, as RelatedList entries."""
    forms = facts.word_forms(source_text)
    corpus = facts.corpus(db, forms)
    ranked = facts.rarest_terms(corpus, forms) + sorted(t for t in forms if not corpus.document_frequency.get(t))
    words = facts.words_for(facts.enough_terms(corpus, ranked, WORDS, REACH), forms)
    conditions = [
        not_(and_(SearchDocument.kind == kind, SearchDocument.item_id == item_id)),
        SearchDocument.organisation_id != organisation_id,
        AUDIENCE_SEES[group],
    ]
    ids = candidates.documents_by_text(db, words, conditions, POOL, ranked_among=RANKED_AMONG)
    if not ids:
        return []
    category = db.scalar(
        select(SearchDocument.category_top_id).where(SearchDocument.kind == kind, SearchDocument.item_id == item_id)
    )
    rows = db.execute(
        select(
            SearchDocument.id,
            SearchDocument.kind,
            SearchDocument.item_id,
            SearchDocument.organisation_id,
            SearchDocument.category_top_id,
            SearchDocument.title,
            SearchDocument.summary,
            SearchDocument.body,
        ).where(SearchDocument.id.in_(ids))
    )
    found = {row.id: row for row in rows}
    # Bare numbers ("000" of "5,000", a year) say nothing about the subject.
    source = sorted(t for t in forms if not t.isdigit())
    weights = {t: corpus.idf(t) for t in source}
    suppliers = {row.organisation_id for row in found.values() if row.kind in ("pitch", "offer")}
    track_records = _similar_contracts(db, suppliers, source)
    # (-score, kind, item id, ...): best first, ties in the same order on every worker.
    scored: list[tuple[float, str, int, int, int, str]] = []
    for row in found.values():
        share, shared = _shared(weights, f"{row.title}\n{row.summary}\n{row.body}")
        if share < RELEVANT_FROM or not shared:
            continue
        same_category = category is not None and row.category_top_id == category
        contracts = track_records.get(row.organisation_id, 0) if row.kind in ("pitch", "offer") else 0
        score = share + SAME_CATEGORY * same_category + TRACK_RECORD * min(1.0, contracts / 3)
        why = _why(shared, forms, same_category, contracts)
        scored.append((-score, row.kind, row.item_id, row.id, row.organisation_id, why))
    scored.sort()
    entries: list[dict[str, Any]] = []
    seen: set[int] = set()
    for negative_score, _kind, _item, document_id, owner, why in scored:
        if owner not in seen and len(entries) < limit:
            seen.add(owner)
            entries.append({"document_id": document_id, "score": round(-negative_score, 4), "why": why})
    return entries
