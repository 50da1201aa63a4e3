"""Serendipity: "you might also be interested in" links from a pitch, offer or need to related items of other
organisations, across kinds and councils, so that officers see what others are doing about the same problem.

Items are ranked on the same evidence as matches: the telling words they share with this item (weighted by how
rare they are among suppliers' documents; council and place names never count), the same category, and for a
pitch or offer, its supplier's past contracts on the same subject. An item sharing too little is not shown, and
each one shown says why it is there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, not_, select
from sqlalchemy.orm import Session

from exchange.core import terms as text
from exchange.core.viewer import Viewer
from exchange.matching import candidates, facts
from exchange.matching.models import SupplierDocument
from exchange.search import cache
from exchange.search.models import SearchDocument
from exchange.search.schemas import Hit
from exchange.search.service import HIT_COLUMNS, visibility_key, visible_to

WORDS = 8
POOL = 40
# About how many supplier documents the words may be found in (see facts.enough_terms): the engine ranks every
# item that shares any of them, so common words would make each page rank most of the exchange.
REACH = 500
# An item must share at least this share of the telling words' weight to be shown at all.
RELEVANT_FROM = 0.25
SAME_CATEGORY = 0.15
TRACK_RECORD = 0.15
WORDS_SHOWN = 3


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


def related(
    db: Session, viewer: Viewer, kind: str, item_id: int, organisation_id: int, source_text: str, limit: int = 5
) -> list[Related]:
    """Items of other organisations most like this one, best first, each with why it is here.

    Worked out once per version of the search index for everyone who may see the same items (see search.cache):
    an item page is read far more often than anything on the exchange changes. A supplier's new past contract
    shows in the "why" once the index next changes.
    """
    key = ("related", *cache.index_version(db), visibility_key(viewer), kind, item_id, source_text, limit)
    return cache.cached(key, lambda: _related(db, viewer, kind, item_id, organisation_id, source_text, limit))


def _related(
    db: Session, viewer: Viewer, kind: str, item_id: int, organisation_id: int, source_text: str, limit: int
) -> list[Related]:
    forms = facts.word_forms(source_text)
    corpus = facts.corpus(db, forms)
    ranked = facts.rarest_terms(corpus, forms) + sorted(t for t in forms if not corpus.document_frequency.get(t))
    words = facts.words_for(facts.enough_terms(corpus, ranked, WORDS, REACH), forms)
    conditions = [
        not_(and_(SearchDocument.kind == kind, SearchDocument.item_id == item_id)),
        SearchDocument.organisation_id != organisation_id,
        visible_to(viewer),
    ]
    ids = candidates.documents_by_text(db, words, conditions, POOL)
    if not ids:
        return []
    category = db.scalar(
        select(SearchDocument.category_top_id).where(SearchDocument.kind == kind, SearchDocument.item_id == item_id)
    )
    rows = db.execute(select(SearchDocument.id, SearchDocument.body, *HIT_COLUMNS).where(SearchDocument.id.in_(ids)))
    found = {row.id: row for row in rows}
    # Bare numbers ("000" of "5,000", a year) say nothing about the subject.
    source = sorted(t for t in forms if not t.isdigit())
    weights = {t: corpus.idf(t) for t in source}
    suppliers = {row.organisation_id for row in found.values() if row.kind in ("pitch", "offer")}
    track_records = _similar_contracts(db, suppliers, source)
    scored: list[Related] = []
    for row in found.values():
        share, shared = _shared(weights, f"{row.title}\n{row.summary}\n{row.body}")
        if share < RELEVANT_FROM or not shared:
            continue
        same_category = category is not None and row.category_top_id == category
        contracts = track_records.get(row.organisation_id, 0) if row.kind in ("pitch", "offer") else 0
        score = share + SAME_CATEGORY * same_category + TRACK_RECORD * min(1.0, contracts / 3)
        hit = Hit(**{k: v for k, v in row._mapping.items() if k not in ("id", "body")})
        scored.append(Related(hit, score, _why(shared, forms, same_category, contracts)))
    scored.sort(key=lambda r: (-r.score, r.hit.kind, r.hit.item_id))
    chosen: list[Related] = []
    seen: set[int] = set()
    for item in scored:
        # One item per organisation: variety is the point.
        if item.hit.organisation_id not in seen and len(chosen) < limit:
            seen.add(item.hit.organisation_id)
            chosen.append(item)
    return chosen
