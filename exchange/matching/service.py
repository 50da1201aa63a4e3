"""Matches for a need, opportunities for a supplier, and related items: candidates from the full-text
indexes, facts from the database, scores and reasons from the scoring core."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core.errors import NotFound
from exchange.core.viewer import Viewer
from exchange.matching import candidates, core, facts, ranker
from exchange.matching.models import SupplierDocument
from exchange.needs import service as needs_service
from exchange.needs.models import Need, NeedStage
from exchange.organisations.models import SUPPLIER_SIDE, Organisation
from exchange.payments import entitlements
from exchange.proposals import procurement
from exchange.search import cache
from exchange.search.models import SearchDocument
from exchange.search.service import visibility_key, visible_to

TEXT_CANDIDATES = 200
BUYER_CANDIDATES = 40
QUERY_TERMS = 24
# How many times the asked-for number of matches is scored again with the costlier facts.
RESCORED = 3
# Matches scoring less than this share of the best possible score are too weak to show anyone.
SHOWN_FROM_PERCENT = 5
# About how many documents the candidate query may match (see facts.enough_terms).
QUERY_REACH = 3000
# Opportunities for a supplier: also the needs that best match all its words (up to this many of them), as
# plain BM25 ranks them, so that a need sharing only common words with its evidence is still scored; and, while
# the needs found are fewer than TEXT_CANDIDATES, the newest others: its buyers or region may still make them fit,
# and words the exchange's tokens leave out (short ones, "uk") may still be shared.
WIDE_CANDIDATES = 100
WIDE_TERMS = 200
# Of the open needs sharing the supplier's words, at most this many of the newest are ranked (see
# candidates.documents_by_text): a need page's common words would otherwise rank a good part of the exchange.
OPPORTUNITIES_RANKED_AMONG = 2000
# Stages at which a need can still take up a supplier's help: from an idea to open for proposals.
OPEN_STAGES = (NeedStage.IDEA, NeedStage.EARLY_MARKET_ENGAGEMENT, NeedStage.OPEN_FOR_PROPOSALS)


@dataclass(frozen=True)
class SupplierMatch:
    organisation_id: int
    name: str
    slug: str
    match: core.Match
    # Supplier Plus: labelled "Featured" where it appears; the ranking and its order are the scores' alone.
    featured: bool = False


@dataclass(frozen=True)
class NeedMatches:
    need: Need
    matches: list[SupplierMatch]
    not_meeting: list[SupplierMatch]


@dataclass(frozen=True)
class Opportunity:
    need: Need
    buyer: str
    match: core.Match
    # The need's one closing date (when proposals close), if it has one.
    closes_on: date | None = None


def _check_council(viewer: Viewer, need: Need) -> None:
    """Matches are the council's working material: its members (and administrators) only."""
    if not (viewer.is_member(need.organisation_id) or viewer.is_admin):
        raise NotFound("need")


def rank_suppliers(db: Session, need: Need, limit: int = 20, model: ranker.Model | None = None) -> core.Ranking:
    """The best suppliers for a need, without access checks (callers check; benchmarks have no viewer)."""
    pairs, corpus = supplier_candidates(db, need, limit)
    ranking = _rank_in_two_steps(db, pairs, corpus, limit, model)
    return replace(ranking, candidates=tuple(key for key, _, _ in pairs))


def supplier_candidates(db: Session, need: Need, limit: int = 20) -> tuple[list[core.Pair], core.Corpus]:
    """The suppliers worth scoring for a need, with their facts (not yet their profile completeness)."""
    need_facts = facts.needs(db, [need])[need.id]
    forms = facts.word_forms(facts.need_text(need))
    corpus = facts.corpus(db, need_facts.terms)
    terms = facts.enough_terms(corpus, facts.rarest_terms(corpus, forms), QUERY_TERMS, QUERY_REACH)
    words = facts.words_for(terms, forms)
    weights = {word: corpus.idf(term) for term in terms for word in forms.get(term, {term})}
    ids = candidates.suppliers_by_text(db, words, TEXT_CANDIDATES, weights)
    ids += candidates.suppliers_by_buyer(db, need_facts.buyer, BUYER_CANDIDATES)
    if len(set(ids)) < limit:
        # Too few words in common: widen to every word, then to any supplier, so a list is never short.
        ids += candidates.suppliers_by_text(db, sorted({w for f in forms.values() for w in f}), TEXT_CANDIDATES)
        ids += list(
            db.scalars(select(SupplierDocument.organisation_id).order_by(SupplierDocument.organisation_id).limit(limit))
        )
    ids = [i for i in dict.fromkeys(ids) if i != need.organisation_id]
    suppliers = facts.suppliers(db, ids, with_completeness=False)
    return [(i, need_facts, suppliers[i]) for i in ids if i in suppliers], corpus


def _rank_in_two_steps(
    db: Session, pairs: list[core.Pair], corpus: core.Corpus, limit: int, model: ranker.Model | None = None
) -> core.Ranking:
    """Score every candidate (the score alone), then explain the leading ones, with their profile completeness."""
    scorer = core.Scorer(pairs, corpus, model)
    leading = scorer.leading(pairs, RESCORED * limit)
    complete = facts.with_completeness_of(db, {key: supplier for key, _, supplier in pairs}, leading)
    need_of = {key: need for key, need, _ in pairs}
    return core.best((scorer.score(key, need_of[key], complete[key]) for key in leading), limit)


def _present(db: Session, ranked: list[core.Match]) -> list[SupplierMatch]:
    ids = [m.key for m in ranked]
    organisations = {o.id: o for o in db.scalars(select(Organisation).where(Organisation.id.in_(ids)))}
    featured = entitlements.organisations_with(db, ids, entitlements.FEATURED)
    return [
        SupplierMatch(m.key, organisations[m.key].name, organisations[m.key].slug, m, m.key in featured)
        for m in ranked
        if m.key in organisations
    ]


def matches_for_need(db: Session, viewer: Viewer, need_id: int, limit: int = 20) -> NeedMatches:
    need = needs_service.get(db, viewer, need_id)
    _check_council(viewer, need)
    ranking = rank_suppliers(db, need, limit)
    return NeedMatches(need, _present(db, _strong(ranking.matches)), _present(db, _strong(ranking.not_meeting)))


def _strong(matches: list[core.Match]) -> list[core.Match]:
    return [m for m in matches if m.percent >= SHOWN_FROM_PERCENT]


def opportunities(db: Session, viewer: Viewer, organisation_id: int, limit: int = 10) -> list[Opportunity]:
    """Open needs this viewer may see, ranked for one of the viewer's supplier organisations.

    The ranking is worked out once per version of the search index and of the supplier's own evidence, for
    everyone who may see the same needs (a supplier's dashboard shows it on every visit); the needs themselves,
    and their closing dates, are read afresh each time.
    """
    organisation = db.get(Organisation, organisation_id)
    if organisation is None or not (viewer.is_member(organisation_id) or viewer.is_admin):
        raise NotFound("organisation")
    if organisation.kind not in SUPPLIER_SIDE:
        return []
    evidence = db.scalar(select(SupplierDocument.updated_at).where(SupplierDocument.organisation_id == organisation_id))
    key = ("opportunities", *cache.index_version(db), organisation_id, evidence, visibility_key(viewer), limit)
    ranked = cache.cached(key, lambda: _ranked_opportunities(db, viewer, organisation_id, limit))
    needs = {n.id: n for n in db.scalars(select(Need).where(Need.id.in_([need_id for need_id, _, _ in ranked])))}
    closing = procurement.closing_dates(db, set(needs))
    return [
        Opportunity(needs[need_id], buyer, match, closing.get(need_id))
        for need_id, buyer, match in ranked
        if need_id in needs and needs_service.can_see(viewer, needs[need_id])
    ]


def _ranked_opportunities(
    db: Session, viewer: Viewer, organisation_id: int, limit: int
) -> list[tuple[int, str, core.Match]]:
    """(need id, buyer, match) of the strong matches: plain values, kept across requests and sessions."""
    conditions = [
        SearchDocument.kind == "need",
        SearchDocument.stage.in_([s.value for s in OPEN_STAGES]),
        SearchDocument.organisation_id != organisation_id,
        visible_to(viewer),
    ]
    ranked = rank_needs(db, organisation_id, conditions, limit, lambda need: needs_service.can_see(viewer, need))
    return [(ranked.needs[m.key].id, ranked.buyers[m.key], m) for m in _strong(ranked.ranking.matches)]


@dataclass(frozen=True)
class RankedNeeds:
    ranking: core.Ranking
    needs: dict[int, Need]
    buyers: dict[int, str]


def rank_needs(
    db: Session,
    organisation_id: int,
    conditions: list[Any],
    limit: int = 10,
    can_see: Callable[[Need], bool] | None = None,
    model: ranker.Model | None = None,
) -> RankedNeeds:
    """Needs (search documents meeting the conditions) ranked for a supplier, without access checks of its own:
    the conditions and ``can_see`` say what the caller may see. Candidates: needs sharing the supplier's most
    telling words, and needs of the buyers it has worked for."""
    empty = RankedNeeds(core.Ranking([], []), {}, {})
    supplier = facts.suppliers(db, [organisation_id]).get(organisation_id)
    document = db.get(SupplierDocument, organisation_id)
    if supplier is None or document is None:
        return empty
    forms = facts.word_forms(f"{document.name}\n{document.body}")
    corpus = facts.corpus(db, forms)
    terms = facts.enough_terms(corpus, facts.weightiest_terms(corpus, supplier.terms), QUERY_TERMS, QUERY_REACH)
    words = facts.words_for(terms, forms)
    document_ids = candidates.documents_by_text(
        db, words, conditions, TEXT_CANDIDATES, ranked_among=OPPORTUNITIES_RANKED_AMONG
    )
    wide = facts.words_for(facts.weightiest_terms(corpus, supplier.terms)[:WIDE_TERMS], forms)
    document_ids += candidates.documents_by_text(
        db, wide, conditions, WIDE_CANDIDATES, ranked_among=OPPORTUNITIES_RANKED_AMONG
    )
    if len(set(document_ids)) < TEXT_CANDIDATES:
        document_ids += candidates.documents_newest(db, conditions, TEXT_CANDIDATES)
    buyers = sorted({c.buyer for c in supplier.contracts if c.buyer})
    document_ids += candidates.documents_by_buyer(db, buyers, conditions, BUYER_CANDIDATES)
    if not document_ids:
        return empty
    need_ids = list(db.scalars(select(SearchDocument.item_id).where(SearchDocument.id.in_(document_ids))))
    found = {n.id: n for n in db.scalars(select(Need).where(Need.id.in_(need_ids)))}
    visible = [n for n in found.values() if can_see is None or can_see(n)]
    need_facts = facts.needs(db, visible)
    corpus = facts.corpus(db, {t for f in need_facts.values() for t in f.terms})
    pairs = [(n.id, need_facts[n.id], supplier) for n in visible]
    ranking = core.rank(pairs, corpus, limit, model)
    return RankedNeeds(
        replace(ranking, candidates=tuple(n.id for n in visible)),
        found,
        {key: f.buyer for key, f in need_facts.items()},
    )
