"""The factors of a match: each one's strength (0..1) from the facts of a need and a supplier, and its reason.

A pair's raw evidence (BM25 of the need's words over the supplier's documents and over each past contract) is
scaled against the best candidate's, so that strengths compare across needs. The learned weights (see
``matching.ranker``) turn strengths into points; only factors that add points are reasons.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from exchange.matching import ranker

if TYPE_CHECKING:
    from exchange.matching.core import ContractFacts, Corpus, ListingFacts, NeedFacts, SupplierFacts

K1 = 1.5
B = 0.85
FIRST_CONTRACT = 0.7
# Work for the same buyer that only the supplier declares counts this share of work the buyer has confirmed.
DECLARED_SHARE = 0.6
# A past contract at least this close to the best candidate's most similar contract counts as similar work.
SIMILAR_FROM = 0.5
# Five or more similar contracts count in full; ten in the need's category; twenty in all.
SIMILAR_DEPTH = 5
CATEGORY_DEPTH = 10
BUYER_DEPTH = 10
# The text relevance ratio raised high: only candidates close to the best text match get much of it.
LEAD_POWER = 8
TRACK_RECORD_DEPTH = 20
# How many past contracts or listings like the need a match shows as its evidence.
EVIDENCE_SHOWN = 3
# Features that refine a factor, and the factor whose reason they count towards.
FACTOR_OF: Mapping[str, str] = {"text_lead": "text", "buyer_depth": "same_buyer", "buyer_share": "same_buyer"}
SIZE_WORDS: Mapping[str, str] = {
    "micro": "micro business",
    "small": "small business",
    "medium": "medium-sized business",
    "sme": "small or medium-sized business",
}
SMALL_SIZES = frozenset(SIZE_WORDS)


# Where each kind of listing a reason or piece of evidence names lives: words do not pluralise by adding "s".
ITEM_PATHS = {"pitch": "pitches", "offer": "offers"}


def item_path(item: tuple[str, int] | None) -> str | None:
    """The page of a (kind, id) listing, or None when there is none to link to."""
    if item is None or item[0] not in ITEM_PATHS:
        return None
    return f"/{ITEM_PATHS[item[0]]}/{item[1]}"


@dataclass(frozen=True)
class Contribution:
    factor: str
    points: float
    reason: str
    # The pitch or offer a reason names, as (kind, id), so the page can link to it.
    item: tuple[str, int] | None = None

    @property
    def path(self) -> str | None:
        return item_path(self.item)


@dataclass(frozen=True)
class Evidence:
    """A past contract or listing of the supplier that resembles the need, shown beside the match."""

    kind: str  # "contract", "pitch" or "offer"
    title: str
    buyer: str = ""
    year: int | None = None
    # The pitch or offer, as (kind, id), so the page can link to it.
    item: tuple[str, int] | None = None

    @property
    def path(self) -> str | None:
        return item_path(self.item)


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


def factor_weights(model: ranker.Model) -> dict[str, float]:
    """How much each factor shown as a reason can add: its own weight and those of the features refining it."""
    out: dict[str, float] = {}
    for feature, weight in model.weights.items():
        factor = FACTOR_OF.get(feature, feature)
        out[factor] = out.get(factor, 0.0) + weight
    return out


def depth(count: int, full: int) -> float:
    """0 for none, rising with the logarithm of the count to 1 at ``full``."""
    return min(1.0, math.log1p(count) / math.log1p(full))


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
class Raw:
    """A pair's evidence before it is scaled against the other candidates."""

    text: float
    # Each past contract's BM25 for the need, in the supplier's order.
    contract_texts: tuple[float, ...] = ()
    follow_on_text: float = 0.0
    listing: ListingFacts | None = None
    listing_text: float = 0.0

    @property
    def best_contract_text(self) -> float:
        return max(self.contract_texts, default=0.0)

    @property
    def best_work_text(self) -> float:
        """The best of its past contracts and listings: the scale of similar work."""
        return max(self.best_contract_text, self.listing_text)


def raw(need: NeedFacts, supplier: SupplierFacts, corpus: Corpus, contract_length: float) -> Raw:
    query = sorted(need.terms)
    text = bm25(query, supplier.terms, supplier.length, corpus.average_length, corpus)
    values = []
    follow_on = 0.0
    for contract in supplier.contracts:
        value = bm25(query, contract.terms, contract.length, contract_length, corpus)
        values.append(value)
        if same_buyer(contract.buyer_key, need.buyer_key):
            follow_on = max(follow_on, value)
    # A published pitch or offer is scored as a past contract is: BM25 of the need's words over it.
    listing: ListingFacts | None = None
    listing_text = 0.0
    for item in supplier.listings:
        value = bm25(query, item.terms, sum(item.terms.values()), contract_length, corpus)
        if value > listing_text:
            listing, listing_text = item, value
    return Raw(text, tuple(values), follow_on, listing, listing_text)


def budget_fit(budget: int | None, contracts: Sequence[ContractFacts]) -> tuple[float, int | None]:
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


def strengths(need: NeedFacts, supplier: SupplierFacts, raw: Raw, scale: Raw, model: ranker.Model) -> dict[str, float]:
    """Each factor's strength for the pair, 0..1 (the features of the learned ranking)."""
    best = raw.best_contract_text / scale.best_contract_text
    similar = sum(value >= SIMILAR_FROM * scale.best_contract_text > 0 for value in raw.contract_texts)
    declared = sum(same_buyer(c.buyer_key, need.buyer_key) for c in supplier.contracts)
    confirmed = sum(1 for work in supplier.confirmed if need.buyer_id is not None and work.buyer_id == need.buyer_id)
    in_category = [c for c in supplier.contracts if c.categories & need.categories] if need.categories else []
    fit, _ = budget_fit(need.budget, supplier.contracts)
    written = [c for c in supplier.case_studies if need.need_id is None or c.need_id != need.need_id]
    values = {
        "text": (raw.text / scale.text) ** model.text_power,
        "text_lead": (raw.text / scale.text) ** LEAD_POWER,
        "similar_work": best**model.contract_power,
        "similar_depth": depth(similar, SIMILAR_DEPTH),
        "same_buyer": max(
            DECLARED_SHARE * buyer_relationship(declared) if declared else 0.0,
            buyer_relationship(confirmed) if confirmed else 0.0,
        ),
        "buyer_depth": max(
            DECLARED_SHARE * depth(declared, BUYER_DEPTH), depth(confirmed, BUYER_DEPTH) if confirmed else 0.0
        ),
        "buyer_share": min(1.0, (DECLARED_SHARE * declared + confirmed) / max(1, len(supplier.contracts) + confirmed)),
        "follow_on": raw.follow_on_text / scale.best_contract_text if declared else 0.0,
        "category": len(in_category) / len(supplier.contracts) if in_category else 0.0,
        "experience": depth(len(in_category), CATEGORY_DEPTH),
        "track_record": depth(len(supplier.contracts), TRACK_RECORD_DEPTH),
        "region": 1.0 if need.region_key and need.region_key in supplier.regions else 0.0,
        "budget": fit,
        # The scale's listing text is the best candidate's best work, contract or listing (see core.Scorer).
        "listing": raw.listing_text / scale.listing_text,
        # Councils are asked to open their spending to small firms and social enterprises (Procurement Act 2023).
        "small_or_social": 1.0 if supplier.is_vcse or supplier.size in SMALL_SIZES else 0.0,
        "endorsements": min(1.0, supplier.endorsements / 3),
        "completeness": supplier.completeness or 0.0,
        "case_study": 1.0 if written else 0.0,
    }
    return {factor: min(1.0, max(0.0, value)) for factor, value in values.items()}


def matched_words(need: NeedFacts, supplier: SupplierFacts, corpus: Corpus, limit: int = 3) -> list[str]:
    found = [term for term in need.terms if term in supplier.terms]
    found.sort(key=lambda term: (-corpus.idf(term), term))
    return [need.surface.get(term, term) for term in found[:limit]]


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def reasons(need: NeedFacts, supplier: SupplierFacts, raw: Raw, scale: Raw, corpus: Corpus) -> dict[str, str]:
    """The words of each factor's reason (shown only for factors that add points)."""
    out: dict[str, str] = {}
    words = ", ".join(f"“{word}”" for word in matched_words(need, supplier, corpus))
    out["text"] = f"Its track record and listings mention {words}"
    if raw.contract_texts and raw.best_contract_text > 0:
        contract = supplier.contracts[raw.contract_texts.index(raw.best_contract_text)]
        when = f" in {contract.year}" if contract.year else ""
        buyer = f" for {contract.buyer}" if contract.buyer else ""
        out["similar_work"] = f"Delivered similar work{buyer}{when}: “{contract.title}”"
    similar = sum(value >= SIMILAR_FROM * scale.best_contract_text > 0 for value in raw.contract_texts)
    out["similar_depth"] = f"{_count(similar, 'past contract')} on the same subject"
    declared = [c for c in supplier.contracts if same_buyer(c.buyer_key, need.buyer_key)]
    if declared:
        who = declared[0].buyer or need.buyer
        out["same_buyer"] = f"Has worked for {who} before ({_count(len(declared), 'contract')}, self-declared)"
        out["follow_on"] = f"Its work for {need.buyer} is on the same subject"
    confirmed = [w for w in supplier.confirmed if need.buyer_id is not None and w.buyer_id == need.buyer_id]
    if confirmed and buyer_relationship(len(confirmed)) >= DECLARED_SHARE * buyer_relationship(max(len(declared), 1)):
        out["same_buyer"] = f"Has worked for {confirmed[0].buyer} before (confirmed by {confirmed[0].buyer})"
    if need.categories and supplier.contracts:
        in_category = [c for c in supplier.contracts if c.categories & need.categories]
        shared = sorted(set().union(*(c.categories & need.categories for c in in_category)))
        out["category"] = f"Past work in {', '.join(shared)}"
        out["experience"] = f"{_count(len(in_category), 'past contract')} in it"
    out["track_record"] = f"A track record of {_count(len(supplier.contracts), 'past contract')}"
    out["region"] = f"Works in {need.region_label or need.region_key}"
    _, closest = budget_fit(need.budget, supplier.contracts)
    if closest is not None:
        out["budget"] = f"Has delivered a contract of a similar size (£{closest:,})"
    if raw.listing is not None:
        kind = "offers" if raw.listing.kind == "offer" else "pitches"
        out["listing"] = f"{kind.capitalize()}: {raw.listing.title}"
    if supplier.is_vcse:
        out["small_or_social"] = "A voluntary, community or social enterprise"
    elif supplier.size in SMALL_SIZES:
        out["small_or_social"] = f"A {SIZE_WORDS[supplier.size]}"
    out["endorsements"] = f"Endorsed by {endorsers(supplier.endorsed_by, supplier.endorsements)}"
    if supplier.completeness:
        out["completeness"] = f"Profile {round(100 * supplier.completeness)}% complete"
    written = [c for c in supplier.case_studies if need.need_id is None or c.need_id != need.need_id]
    if written:
        out["case_study"] = f"{written[0].council} wrote up a case study of its work: {written[0].title}"
    return out


def contributions(
    need: NeedFacts, supplier: SupplierFacts, raw: Raw, scale: Raw, corpus: Corpus, model: ranker.Model
) -> list[Contribution]:
    """Each factor that adds points, with its reason, largest first. Features that refine one factor (the lead
    in text relevance, the depth and share of work for the same buyer) add to that factor's points."""
    words = reasons(need, supplier, raw, scale, corpus)
    points: dict[str, float] = {}
    for feature, strength in strengths(need, supplier, raw, scale, model).items():
        factor = FACTOR_OF.get(feature, feature)
        if strength > 0 and model.weights.get(feature, 0.0) > 0 and factor in words:
            points[factor] = points.get(factor, 0.0) + model.weights[feature] * strength
    item = (raw.listing.kind, raw.listing.id) if raw.listing is not None else None
    out = [
        Contribution(factor, value, words[factor], item if factor == "listing" else None)
        for factor, value in points.items()
    ]
    out.sort(key=lambda c: (-c.points, c.factor))
    return out


def evidence(supplier: SupplierFacts, raw: Raw, limit: int = EVIDENCE_SHOWN) -> tuple[Evidence, ...]:
    """The past contracts and listings most like the need (sharing its words), most alike first."""
    ranked = sorted(
        (value, -n, contract)
        for n, (value, contract) in enumerate(zip(raw.contract_texts, supplier.contracts, strict=True))
        if value > 0
    )
    chosen = [Evidence("contract", c.title, c.buyer, c.year) for _, _, c in reversed(ranked)][:limit]
    if raw.listing is not None and raw.listing_text > 0 and len(chosen) < limit:
        listing = raw.listing
        chosen.append(Evidence(listing.kind, listing.title, "", None, (listing.kind, listing.id)))
    return tuple(chosen)


def endorsers(names: Sequence[str], count: int) -> str:
    """The endorsing councils in words: "Burnley Borough Council", "A and B" or "A, B and 3 other councils"."""
    if not names:
        return f"{count} council{'s' if count > 1 else ''}"
    others = count - min(len(names), 2)
    if others <= 0:
        return " and ".join(names[:2])
    return f"{', '.join(names[:2])} and {others} other council{'s' if others > 1 else ''}"
