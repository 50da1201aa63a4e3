"""Serendipity: "you might also be interested in" links from a pitch, offer or need to related items of other
organisations, across kinds and councils, so that officers see what others are doing about the same problem."""

from __future__ import annotations

from sqlalchemy import and_, not_, select
from sqlalchemy.orm import Session

from exchange.core.viewer import Viewer
from exchange.matching import candidates, facts
from exchange.search.models import SearchDocument
from exchange.search.schemas import Hit
from exchange.search.service import HIT_COLUMNS, visible_to

WORDS = 8
POOL = 30
# About how many supplier documents the words may be found in (see facts.enough_terms): the engine ranks every
# item that shares any of them, so common words would make each page rank most of the exchange.
REACH = 500


def related(
    db: Session, viewer: Viewer, kind: str, item_id: int, organisation_id: int, text: str, limit: int = 5
) -> list[Hit]:
    """Items of other organisations sharing the most telling words of ``text``, taking kinds in turn."""
    forms = facts.word_forms(text)
    corpus = facts.corpus(db, forms)
    # Words no supplier uses can still be shared with needs: keep them, after the telling ones.
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
    rows = {
        row.id: row for row in db.execute(select(SearchDocument.id, *HIT_COLUMNS).where(SearchDocument.id.in_(ids)))
    }
    by_kind: dict[str, list[Hit]] = {}
    seen_organisations: set[int] = set()
    for document_id in ids:
        row = rows[document_id]
        # One item per organisation: variety is the point.
        if row.organisation_id in seen_organisations:
            continue
        seen_organisations.add(row.organisation_id)
        by_kind.setdefault(row.kind, []).append(Hit(**{k: v for k, v in row._mapping.items() if k != "id"}))
    chosen: list[Hit] = []
    while len(chosen) < limit and any(by_kind.values()):
        for hits in by_kind.values():
            if hits and len(chosen) < limit:
                chosen.append(hits.pop(0))
    return chosen
