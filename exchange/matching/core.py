"""The scoring core: plain facts about needs and suppliers in, ranked and explained matches out. No I/O.

A match's score is the sum of weighted factors, each kept with the reason it stands for, so the page shows
the real reasons. Text relevance is BM25 over the supplier's evidence (its track record, pitches and offers),
scaled by the best candidate's and squared, so that a clearly better text match stays ahead while, among
similar ones, track record decides: a past contract with the same buyer, similar work, the same category,
the region, contracts of a similar size.

Hard requirements (a certification the need requires, a region it must be delivered in) are never traded
against the score: a supplier that fails one is set apart with the reason.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# BM25 parameters. Evidence documents are lists of short contract titles; a strong length normalisation (B)
# keeps suppliers with long track records from winning on the number of words alone.
K1 = 1.5
B = 0.85

# How much each factor can add to a score. Text and similar work are squared ratios (0..1) before weighting.
WEIGHTS: Mapping[str, float] = {
    "text": 1.0,
    "similar_work": 0.3,
    "same_buyer": 1.0,
    "follow_on": 0.2,
    "category": 0.3,
    "experience": 0.2,
    "region": 0.2,
    "budget": 0.2,
    "listing": 0.3,
    "small_or_social": 0.05,
    "endorsements": 0.1,
    "completeness": 0.05,
    "case_study": 0.1,
}
MAX_SCORE = sum(WEIGHTS.values())
FIRST_CONTRACT = 0.7
SIZE_WORDS: Mapping[str, str] = {
    "micro": "micro business",
    "small": "small business",
    "medium": "medium-sized business",
    "sme": "small or medium-sized business",
}
SMALL_SIZES = frozenset(SIZE_WORDS)
# A factor adding less than this is too small to be worth a reason on the page.
SHOWN_FROM = 0.01
CERTIFICATION_LABELS: Mapping[str, str] = {
    "cyber_essentials": "Cyber Essentials",
    "cyber_essentials_plus": "Cyber Essentials Plus",
    "iso_27001": "ISO 27001",
    "iso_9001": "ISO 9001",
}
# Cyber Essentials Plus includes Cyber Essentials.
IMPLIED_CERTIFICATIONS: Mapping[str, frozenset[str]] = {"cyber_essentials_plus": frozenset({"cyber_essentials"})}


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


@dataclass(frozen=True)
class Contribution:
    factor: str
    points: float
    reason: str
    # The pitch or offer a reason names, as (kind, id), so the page can link to it.
    item: tuple[str, int] | None = None


@dataclass(frozen=True)
class Match:
    # The other side's id: a supplier's organisation id, or a need's id.
    key: int
    score: float
    contributions: tuple[Contribution, ...]
    requirements_met: tuple[str, ...] = ()
    unmet: tuple[str, ...] = ()

    @property
    def meets_requirements(self) -> bool:
        return not self.unmet

    @property
    def percent(self) -> int:
        return round(100 * self.score / MAX_SCORE)

    @property
    def reasons(self) -> list[Contribution]:
        """The contributions worth showing, largest first."""
        return [c for c in self.contributions if c.points >= SHOWN_FROM]


@dataclass(frozen=True)
class Ranking:
    matches: list[Match]
    # Candidates that fail a hard requirement, best first, each with the reasons.
    not_meeting: list[Match]
    # Every candidate that was scored, whether ranked in or not (benchmarks measure candidate recall with it).
    candidates: tuple[int, ...] = ()


def same_buyer(contract_buyer: str, need_buyer: str) -> bool:
    """The same buyer, or a part of it named within the other: "Home Office" and "Home Office - National Law
    Enforcement Data Programme". Normalised names (see text.normalise_name); one word alone is too loose."""
    if not contract_buyer or not need_buyer:
        return False
    if contract_buyer == need_buyer:
        return True
    shorter, longer = sorted((contract_buyer, need_buyer), key=len)
    return len(shorter.split()) >= 2 and f" {shorter} " in f" {longer} "


def buyer_relationship(contracts: int) -> float:
    """How much a track record with the buyer counts: one contract 70%, three or more in full."""
    return min(1.0, FIRST_CONTRACT + (1 - FIRST_CONTRACT) * math.log1p(contracts - 1) / math.log1p(2))


def region_key(name: str) -> str:
    """Data sets say "North East England" where the exchange says "North East"."""
    key = " ".join(name.lower().split())
    return key.removesuffix(" england").strip()


def bm25(
    query: Iterable[str], document: Mapping[str, int], length: int, average_length: float, corpus: Corpus
) -> float:
    score = 0.0
    norm = K1 * (1 - B + B * length / max(average_length, 1.0))
    for term in query:
        tf = document.get(term, 0)
        if tf:
            score += corpus.idf(term) * tf * (K1 + 1) / (tf + norm)
    return score


@dataclass
class _Raw:
    """A pair's evidence before it is scaled against the other candidates."""

    text: float
    best_contract: ContractFacts | None
    best_contract_text: float
    follow_on_text: float
    listing: ListingFacts | None
    listing_share: float


def _raw(need: NeedFacts, supplier: SupplierFacts, corpus: Corpus, contract_length: float) -> _Raw:
    query = sorted(need.terms)
    text = bm25(query, supplier.terms, supplier.length, corpus.average_length, corpus)
    best: ContractFacts | None = None
    best_text = follow_on = 0.0
    for contract in supplier.contracts:
        value = bm25(query, contract.terms, contract.length, contract_length, corpus)
        if value > best_text:
            best, best_text = contract, value
        if same_buyer(contract.buyer_key, need.buyer_key):
            follow_on = max(follow_on, value)
    listing: ListingFacts | None = None
    share = 0.0
    total_idf = sum(corpus.idf(term) for term in query) or 1.0
    for item in supplier.listings:
        matched = sum(corpus.idf(term) for term in query if term in item.terms) / total_idf
        if matched > share:
            listing, share = item, matched
    return _Raw(text, best, best_text, follow_on, listing, share)


def _matched_words(need: NeedFacts, supplier: SupplierFacts, corpus: Corpus, limit: int = 3) -> list[str]:
    found = [term for term in need.terms if term in supplier.terms]
    found.sort(key=lambda term: (-corpus.idf(term), term))
    return [need.surface.get(term, term) for term in found[:limit]]


def _budget_fit(budget: int | None, contracts: Sequence[ContractFacts]) -> tuple[float, int | None]:
    """1 when a past contract was the same size as the budget, falling to 0 at a hundredfold difference."""
    if not budget or budget <= 0:
        return 0.0, None
    best, closest = 0.0, None
    for contract in contracts:
        if contract.value and contract.value > 0:
            fit = max(0.0, 1 - abs(math.log10(budget) - math.log10(contract.value)) / 2)
            if fit > best:
                best, closest = fit, contract.value
    return best, closest


def _pounds(value: int) -> str:
    return f"£{value:,}"


def _contributions(
    need: NeedFacts, supplier: SupplierFacts, raw: _Raw, scale: _Raw, corpus: Corpus
) -> list[Contribution]:
    out: list[Contribution] = []

    def add(factor: str, strength: float, reason: str, item: tuple[str, int] | None = None) -> None:
        if strength > 0:
            out.append(Contribution(factor, WEIGHTS[factor] * strength, reason, item))

    if raw.text > 0:
        words = ", ".join(f"“{word}”" for word in _matched_words(need, supplier, corpus))
        add("text", (raw.text / scale.text) ** 2, f"Its track record and listings mention {words}")
    contract = raw.best_contract
    if contract is not None and raw.best_contract_text > 0:
        when = f" in {contract.year}" if contract.year else ""
        buyer = f" for {contract.buyer}" if contract.buyer else ""
        strength = (raw.best_contract_text / scale.best_contract_text) ** 2
        add("similar_work", strength, f"Delivered similar work{buyer}{when}: “{contract.title}”")
    for_buyer = [c for c in supplier.contracts if same_buyer(c.buyer_key, need.buyer_key)]
    if for_buyer:
        count = len(for_buyer)
        add(
            "same_buyer",
            buyer_relationship(count),
            f"Has worked for {for_buyer[0].buyer or need.buyer} before ({count} contract{'s' if count > 1 else ''})",
        )
        if raw.follow_on_text > 0:
            add(
                "follow_on",
                raw.follow_on_text / scale.best_contract_text,
                f"Its work for {need.buyer} is on the same subject",
            )
    if need.categories and supplier.contracts:
        in_category = [c for c in supplier.contracts if c.categories & need.categories]
        if in_category:
            shared = sorted(set().union(*(c.categories & need.categories for c in in_category)))
            add("category", len(in_category) / len(supplier.contracts), f"Past work in {', '.join(shared)}")
            # Depth of track record: ten or more contracts in the need's category count in full.
            depth = min(1.0, math.log1p(len(in_category)) / math.log1p(10))
            add("experience", depth, f"{len(in_category)} past contract{'s' if len(in_category) > 1 else ''} in it")
    if need.region_key and need.region_key in supplier.regions:
        add("region", 1.0, f"Works in {need.region_label or need.region_key}")
    fit, closest = _budget_fit(need.budget, supplier.contracts)
    if closest is not None:
        add("budget", fit, f"Has delivered a contract of a similar size ({_pounds(closest)})")
    if raw.listing is not None:
        kind = "offers" if raw.listing.kind == "offer" else "pitches"
        item = (raw.listing.kind, raw.listing.id)
        add("listing", raw.listing_share, f"{kind.capitalize()}: {raw.listing.title}", item)
    # Councils are asked to open their spending to small firms and social enterprises (Procurement Act 2023).
    if supplier.is_vcse:
        add("small_or_social", 1.0, "A voluntary, community or social enterprise")
    elif supplier.size in SMALL_SIZES:
        add("small_or_social", 1.0, f"A {SIZE_WORDS[supplier.size]}")
    if supplier.endorsements:
        n = supplier.endorsements
        add("endorsements", min(1.0, n / 3), f"Endorsed by {endorsers(supplier.endorsed_by, n)}")
    if supplier.completeness:
        add("completeness", supplier.completeness, f"Profile {round(100 * supplier.completeness)}% complete")
    written = [c for c in supplier.case_studies if need.need_id is None or c.need_id != need.need_id]
    if written:
        add("case_study", 1.0, f"{written[0].council} wrote up a case study of its work: {written[0].title}")
    return out


def endorsers(names: Sequence[str], count: int) -> str:
    """The endorsing councils in words: "Burnley Borough Council", "A and B" or "A, B and 3 other councils"."""
    if not names:
        return f"{count} council{'s' if count > 1 else ''}"
    others = count - min(len(names), 2)
    if others <= 0:
        return " and ".join(names[:2])
    return f"{', '.join(names[:2])} and {others} other council{'s' if others > 1 else ''}"


def _requirements(need: NeedFacts, supplier: SupplierFacts) -> tuple[list[str], list[str]]:
    met: list[str] = []
    unmet: list[str] = []
    held = set(supplier.certifications)
    for certification in supplier.certifications:
        held |= IMPLIED_CERTIFICATIONS.get(certification, frozenset())
    for certification in sorted(need.required_certifications):
        label = CERTIFICATION_LABELS.get(certification, certification)
        if certification in held:
            met.append(f"Holds {label}, which this need requires")
        else:
            unmet.append(f"Does not hold a current {label} certificate, which this need requires")
    if need.region_required and need.region_key:
        region = need.region_label or need.region_key
        if not supplier.regions:
            unmet.append(f"Has not said it works in {region}, where this need must be delivered")
        elif need.region_key not in supplier.regions:
            unmet.append(f"Does not work in {region}, where this need must be delivered")
    return met, unmet


Pair = tuple[int, NeedFacts, SupplierFacts]


class Scorer:
    """Scores pairs against one set of candidates: text relevance is scaled by the best candidate's.

    The pairs share one side: one need with many suppliers, or one supplier with many needs. A pair can be
    scored again later with more facts (see ``matching.service``) and keeps the same scale.
    """

    def __init__(self, pairs: Sequence[Pair], corpus: Corpus) -> None:
        self.corpus = corpus
        lengths = [c.length for _, _, s in pairs for c in s.contracts]
        self.contract_length = sum(lengths) / len(lengths) if lengths else 1.0
        self.raws = {key: _raw(need, supplier, corpus, self.contract_length) for key, need, supplier in pairs}
        self.scale = _Raw(
            text=max((r.text for r in self.raws.values()), default=0.0) or 1.0,
            best_contract=None,
            best_contract_text=max((r.best_contract_text for r in self.raws.values()), default=0.0) or 1.0,
            follow_on_text=0.0,
            listing=None,
            listing_share=0.0,
        )

    def score(self, key: int, need: NeedFacts, supplier: SupplierFacts) -> Match:
        raw = self.raws.get(key) or _raw(need, supplier, self.corpus, self.contract_length)
        contributions = _contributions(need, supplier, raw, self.scale, self.corpus)
        contributions.sort(key=lambda c: (-c.points, c.factor))
        met, unmet = _requirements(need, supplier)
        score = math.fsum(c.points for c in contributions)
        return Match(key, score, tuple(contributions), tuple(met), tuple(unmet))


def best(matches: Iterable[Match], limit: int) -> Ranking:
    """The best matches first (ties broken by key, so the input's order does not matter), requirements apart."""
    ordered = sorted(matches, key=lambda m: (-m.score, m.key))
    meeting = [m for m in ordered if m.meets_requirements]
    not_meeting = [m for m in ordered if not m.meets_requirements]
    return Ranking(meeting[:limit], not_meeting[:limit])


def rank(pairs: Sequence[Pair], corpus: Corpus, limit: int = 20) -> Ranking:
    """Score each (key, need, supplier) pair against the others and return the best, explained."""
    scorer = Scorer(pairs, corpus)
    return best((scorer.score(*pair) for pair in pairs), limit)
