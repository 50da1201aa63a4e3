"""The scoring core: plain facts about needs and suppliers in, ranked and explained matches out. No I/O.

A match's score is the sum of factors, each a strength (0..1) times a learned weight (see ``matching.ranker``),
kept with the reason it stands for, so the page shows the real reasons. Text relevance is BM25 over the
supplier's evidence (its track record, pitches and offers), scaled by the best candidate's; then track record:
past contracts like the need (the best one, and how many), a past contract with the same buyer (self-declared,
or confirmed by that buyer, which counts more), the same category, the region, contracts of a similar size.
Words of council and place names are not evidence: they never reach the scores (see ``matching.places``).

Hard requirements (a certification the need requires, a region it must be delivered in) are never traded
against the score: a supplier that fails one is set apart with the reason (see ``matching.requirements``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from exchange.matching import factors, ranker
from exchange.matching.factors import (
    K1,
    B,
    Contribution,
    Evidence,
    bm25,
    buyer_relationship,
    endorsers,
    same_buyer,
)
from exchange.matching.requirements import CERTIFICATION_LABELS, IMPLIED_CERTIFICATIONS, requirements

# Kept here for the callers that knew them here.
__all__ = [
    "CERTIFICATION_LABELS",
    "IMPLIED_CERTIFICATIONS",
    "K1",
    "B",
    "Contribution",
    "Evidence",
    "bm25",
    "buyer_relationship",
    "endorsers",
    "same_buyer",
]

# How much each factor can add to a score (see matching.ranker).
WEIGHTS: Mapping[str, float] = ranker.DEFAULT.weights
# How much each factor shown as a reason can add (the features that refine it included).
FACTOR_WEIGHTS: Mapping[str, float] = factors.factor_weights(ranker.DEFAULT)
MAX_SCORE = ranker.DEFAULT.max_score
# A factor adding less than this share of the best possible score is too small to be worth a reason on the page.
SHOWN_FROM_SHARE = 0.005


@dataclass(frozen=True)
class Corpus:
    """Statistics of all supplier documents, for inverse document frequencies."""

    documents: int
    average_length: float
    document_frequency: Mapping[str, int]

    def idf(self, term: str) -> float:
        df = self.document_frequency.get(term, 0)
        return math.log(1 + (max(self.documents, df) - df + 0.5) / (df + 0.5))


@dataclass(frozen=True)
class ContractFacts:
    title: str
    buyer: str
    buyer_key: str
    year: int | None
    value: int | None
    categories: frozenset[str]
    terms: Mapping[str, int]
    length: int


@dataclass(frozen=True)
class ListingFacts:
    kind: str  # "pitch" or "offer"
    id: int
    title: str
    terms: Counter[str]


@dataclass(frozen=True)
class CaseStudyFacts:
    """A published case study naming the supplier: the council that wrote it, and the need it came from."""

    id: int
    council: str
    title: str
    need_id: int | None = None


@dataclass(frozen=True)
class ConfirmedWork:
    """Work for a buyer that the buyer itself confirmed on the exchange (a reference a member confirmed)."""

    buyer_id: int
    buyer: str
    year: int | None = None


@dataclass(frozen=True)
class SupplierFacts:
    organisation_id: int
    name: str
    terms: Mapping[str, int]
    length: int
    contracts: Sequence[ContractFacts] = ()
    listings: Sequence[ListingFacts] = ()
    # Normalised region keys (see ``region_key``); empty when the supplier has not said.
    regions: frozenset[str] = frozenset()
    certifications: frozenset[str] = frozenset()
    # "micro", "small", "medium", "large", "sme" or None; VCSE: a voluntary, community or social enterprise.
    size: str | None = None
    is_vcse: bool = False
    endorsements: int = 0
    # The councils that endorsed it, for the reason's words; ``endorsements`` counts them.
    endorsed_by: tuple[str, ...] = ()
    completeness: float | None = None
    case_studies: tuple[CaseStudyFacts, ...] = ()
    confirmed: tuple[ConfirmedWork, ...] = ()


@dataclass(frozen=True)
class NeedFacts:
    terms: Counter[str]
    buyer: str
    buyer_key: str
    # Term -> the need's own word for it, for reasons.
    surface: Mapping[str, str] = field(default_factory=dict)
    region_key: str | None = None
    region_label: str | None = None
    region_required: bool = False
    categories: frozenset[str] = frozenset()
    budget: int | None = None
    required_certifications: frozenset[str] = frozenset()
    # So that a case study about this very need is not counted as evidence for it.
    need_id: int | None = None
    # The buyer's organisation, for work it has confirmed.
    buyer_id: int | None = None


@dataclass(frozen=True)
class Match:
    # The other side's id: a supplier's organisation id, or a need's id.
    key: int
    score: float
    contributions: tuple[Contribution, ...]
    requirements_met: tuple[str, ...] = ()
    unmet: tuple[str, ...] = ()
    # The past contracts or listings most like the need, most alike first.
    evidence: tuple[Evidence, ...] = ()
    max_score: float = MAX_SCORE

    @property
    def meets_requirements(self) -> bool:
        return not self.unmet

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.max_score)

    @property
    def reasons(self) -> list[Contribution]:
        """The contributions worth showing, largest first: each one really moved the score."""
        return [c for c in self.contributions if c.points >= SHOWN_FROM_SHARE * self.max_score]


@dataclass(frozen=True)
class Ranking:
    matches: list[Match]
    # Candidates that fail a hard requirement, best first, each with the reasons.
    not_meeting: list[Match]
    # Every candidate that was scored, whether ranked in or not (benchmarks measure candidate recall with it).
    candidates: tuple[int, ...] = ()


def region_key(name: str) -> str:
    """Data sets say "North East England" where the exchange says "North East"."""
    key = " ".join(name.lower().split())
    return key.removesuffix(" england").strip()


Pair = tuple[int, NeedFacts, SupplierFacts]


class Scorer:
    """Scores pairs against one set of candidates: text relevance is scaled by the best candidate's.

    The pairs share one side: one need with many suppliers, or one supplier with many needs. A pair can be
    scored again later with more facts (see ``matching.service``) and keeps the same scale.
    """

    def __init__(self, pairs: Sequence[Pair], corpus: Corpus, model: ranker.Model | None = None) -> None:
        self.corpus = corpus
        self.model = model or ranker.DEFAULT
        lengths = [c.length for _, _, s in pairs for c in s.contracts]
        self.contract_length = sum(lengths) / len(lengths) if lengths else 1.0
        self.raws = {key: self._raw(need, supplier) for key, need, supplier in pairs}
        best_contract = max((r.best_contract_text for r in self.raws.values()), default=0.0)
        best_work = max((r.best_work_text for r in self.raws.values()), default=0.0)
        self.scale = factors.Raw(
            text=max((r.text for r in self.raws.values()), default=0.0) or 1.0,
            contract_texts=(best_contract or 1.0,),
            listing_text=best_work or 1.0,
        )

    def _raw(self, need: NeedFacts, supplier: SupplierFacts) -> factors.Raw:
        return factors.raw(need, supplier, self.corpus, self.contract_length)

    def strengths(self, key: int, need: NeedFacts, supplier: SupplierFacts) -> dict[str, float]:
        """The pair's factor strengths (0..1): what the ranking's weights multiply."""
        raw = self.raws.get(key) or self._raw(need, supplier)
        return factors.strengths(need, supplier, raw, self.scale, self.model)

    def points(self, key: int, need: NeedFacts, supplier: SupplierFacts) -> float:
        """The pair's score alone, without its reasons or evidence: to rank many candidates and explain a few."""
        values = self.strengths(key, need, supplier)
        return math.fsum(self.model.weights.get(feature, 0.0) * value for feature, value in values.items())

    def leading(self, pairs: Sequence[Pair], count: int) -> list[int]:
        """The keys of the ``count`` best pairs meeting the requirements and of the ``count`` best failing one."""
        ranked = sorted((-self.points(*pair), pair[0], bool(requirements(pair[1], pair[2])[1])) for pair in pairs)
        meeting = [key for _, key, fails in ranked if not fails][:count]
        failing = [key for _, key, fails in ranked if fails][:count]
        return meeting + failing

    def score(self, key: int, need: NeedFacts, supplier: SupplierFacts) -> Match:
        raw = self.raws.get(key) or self._raw(need, supplier)
        contributions = factors.contributions(need, supplier, raw, self.scale, self.corpus, self.model)
        met, unmet = requirements(need, supplier)
        score = math.fsum(c.points for c in contributions)
        return Match(
            key,
            score,
            tuple(contributions),
            tuple(met),
            tuple(unmet),
            factors.evidence(supplier, raw),
            self.model.max_score,
        )


def best(matches: Iterable[Match], limit: int) -> Ranking:
    """The best matches first (ties broken by key, so the input's order does not matter), requirements apart."""
    ordered = sorted(matches, key=lambda m: (-m.score, m.key))
    meeting = [m for m in ordered if m.meets_requirements]
    not_meeting = [m for m in ordered if not m.meets_requirements]
    return Ranking(meeting[:limit], not_meeting[:limit])


def rank(pairs: Sequence[Pair], corpus: Corpus, limit: int = 20, model: ranker.Model | None = None) -> Ranking:
    """Score each (key, need, supplier) pair against the others and return the best, explained."""
    scorer = Scorer(pairs, corpus, model)
    return best((scorer.score(*pair) for pair in pairs), limit)
