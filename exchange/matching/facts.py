"""Reading the facts the scoring core needs from the database, a few queries for many items at once."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import ARRAY, Integer, any_, func, literal, select
from sqlalchemy.orm import Session

from exchange.case_studies import signals
from exchange.core import terms as text
from exchange.knowledge import endorsements
from exchange.listings.models import ListingStatus, Offer, Pitch
from exchange.matching import places
from exchange.matching.core import (
    CaseStudyFacts,
    ConfirmedWork,
    ContractFacts,
    Corpus,
    ListingFacts,
    NeedFacts,
    SupplierFacts,
    region_key,
)
from exchange.matching.models import MatchTerm, SupplierDocument
from exchange.needs.models import Need
from exchange.organisations.models import Organisation, OrganisationKind
from exchange.profiles import service as profiles
from exchange.profiles.models import Reference, SupplierProfile
from exchange.reference.models import Category, Region


def need_text(need: Need, category_label: str | None = None) -> str:
    parts = [need.title, need.summary, need.problem_statement, need.users, need.tried_so_far, " ".join(need.tags or [])]
    if category_label:
        parts.append(category_label)
    return "\n".join(part for part in parts if part)


def _region_names(db: Session) -> dict[int, str]:
    return {region_id: name for region_id, name in db.execute(select(Region.id, Region.name))}


def needs(db: Session, items: Sequence[Need]) -> dict[int, NeedFacts]:
    """Need id -> its facts: words, buyer, region, categories, budget and hard requirements."""
    owners = select(Organisation.id, Organisation.name).where(Organisation.id.in_({n.organisation_id for n in items}))
    buyers = {organisation_id: name for organisation_id, name in db.execute(owners)}
    category_ids = {n.category_id for n in items if n.category_id is not None}
    categories = (
        {
            c_id: label
            for c_id, label in db.execute(select(Category.id, Category.label).where(Category.id.in_(category_ids)))
        }
        if category_ids
        else {}
    )
    regions = _region_names(db)
    facts: dict[int, NeedFacts] = {}
    for need in items:
        label = categories.get(need.category_id) if need.category_id is not None else None
        words = need_text(need, label)
        buyer = buyers.get(need.organisation_id, "")
        region = regions.get(need.region_id) if need.region_id is not None else None
        tags = {tag.lower() for tag in need.tags or []}
        facts[need.id] = NeedFacts(
            terms=Counter(set(places.without_places(text.terms(words)))),
            buyer=buyer,
            buyer_id=need.organisation_id,
            buyer_key=text.normalise_name(buyer),
            surface=text.surface_forms(words),
            region_key=region_key(region) if region else None,
            region_label=region,
            region_required=need.region_required,
            categories=frozenset(tags | ({label.lower()} if label else set())),
            budget=need.budget_max or need.budget_min,
            required_certifications=frozenset(need.required_certifications or []),
            need_id=need.id,
        )
    return facts


def corpus(db: Session, terms: Iterable[str]) -> Corpus:
    """Document counts for the given terms, and the size of the whole collection."""
    documents, average = db.execute(select(func.count(), func.avg(SupplierDocument.length))).one()
    wanted = sorted(set(terms))
    frequency: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        batch = wanted[start : start + 500]
        counts = select(MatchTerm.term, MatchTerm.documents).where(MatchTerm.term.in_(batch))
        frequency.update({term: documents for term, documents in db.execute(counts)})
    return Corpus(int(documents or 0), float(average or 0.0), frequency)


def suppliers(db: Session, organisation_ids: Iterable[int], with_completeness: bool = True) -> dict[int, SupplierFacts]:
    """Organisation id -> its facts, for suppliers that have an evidence document.

    Profile completeness is the costliest fact and the lightest factor: callers ranking many candidates read it
    later, for the leading few only (``with_completeness=False``, then ``with_completeness_of``).
    """
    ids = sorted(set(organisation_ids))
    if not ids:
        return {}
    # Columns, not documents: the body is for full-text search, not needed here.
    documents = {
        row.organisation_id: row
        for row in db.execute(
            select(
                SupplierDocument.organisation_id,
                SupplierDocument.name,
                SupplierDocument.terms,
                SupplierDocument.length,
                SupplierDocument.contracts,
            ).where(among(db, SupplierDocument.organisation_id, ids))
        )
    }
    listings: dict[int, list[ListingFacts]] = defaultdict(list)
    for kind, model in (("pitch", Pitch), ("offer", Offer)):
        for item_id, organisation_id, title, summary in db.execute(
            select(model.id, model.organisation_id, model.title, model.summary)
            .where(
                among(db, model.organisation_id, ids),
                model.status == ListingStatus.PUBLISHED,
                model.hidden_at.is_(None),
            )
            .order_by(model.id)
        ):
            listings[organisation_id].append(ListingFacts(kind, item_id, title, text.term_counts(f"{title} {summary}")))
    regions = _region_names(db)
    where: dict[int, set[str]] = defaultdict(set)
    # An organisation registered as a VCSE is one, whatever its profile says yet.
    vcse_kind: dict[int, bool] = {}
    for organisation_id, region_id, kind in db.execute(
        select(Organisation.id, Organisation.region_id, Organisation.kind).where(among(db, Organisation.id, ids))
    ):
        vcse_kind[organisation_id] = kind is OrganisationKind.VCSE
        if region_id is not None and region_id in regions:
            where[organisation_id].add(region_key(regions[region_id]))
    sizes: dict[int, tuple[str | None, bool]] = {}
    for organisation_id, names, size, is_vcse in db.execute(
        select(
            SupplierProfile.organisation_id, SupplierProfile.regions, SupplierProfile.size, SupplierProfile.is_vcse
        ).where(among(db, SupplierProfile.organisation_id, ids))
    ):
        where[organisation_id].update(region_key(name) for name in names or [])
        sizes[organisation_id] = (size, bool(is_vcse))
    certifications = profiles.certifications_held(db, ids)
    endorsed_by = endorsements.endorsers_of(db, ids)
    completeness = profiles.completeness(db, ids) if with_completeness else {}
    case_studies = signals.written_about(db, ids)
    confirmed = confirmed_work(db, ids)
    return {
        organisation_id: SupplierFacts(
            organisation_id=organisation_id,
            name=document.name,
            terms=document.terms,
            length=document.length,
            contracts=tuple(_contract(evidence) for evidence in document.contracts),
            listings=tuple(listings[organisation_id]),
            regions=frozenset(where[organisation_id]),
            certifications=frozenset(certifications.get(organisation_id, set())),
            size=sizes.get(organisation_id, (None, False))[0],
            is_vcse=sizes.get(organisation_id, (None, False))[1] or vcse_kind.get(organisation_id, False),
            completeness=completeness.get(organisation_id),
            endorsements=len(endorsed_by.get(organisation_id, ())),
            endorsed_by=tuple(endorsed_by.get(organisation_id, ())),
            case_studies=tuple(CaseStudyFacts(*row) for row in case_studies.get(organisation_id, ())),
            confirmed=tuple(confirmed.get(organisation_id, ())),
        )
        for organisation_id, document in documents.items()
    }


def confirmed_work(db: Session, organisation_ids: Sequence[int]) -> dict[int, list[ConfirmedWork]]:
    """Supplier -> its references that the named council or public body has confirmed (not only declared)."""
    found: dict[int, list[ConfirmedWork]] = defaultdict(list)
    rows = db.execute(
        select(Reference.organisation_id, Reference.buyer_organisation_id, Reference.buyer_name, Reference.confirmed_at)
        .where(
            among(db, Reference.organisation_id, organisation_ids),
            Reference.buyer_organisation_id.is_not(None),
            Reference.confirmed_at.is_not(None),
        )
        .order_by(Reference.organisation_id, Reference.confirmed_at.desc(), Reference.id)
    )
    for organisation_id, buyer_id, buyer, confirmed_at in rows:
        if buyer_id is not None:
            found[organisation_id].append(ConfirmedWork(buyer_id, buyer, confirmed_at.year if confirmed_at else None))
    return found


def among(db: Session, column: Any, ids: Sequence[int]) -> Any:
    """``column IN ids``; on PostgreSQL as ``= ANY(array)``, one parameter instead of hundreds, which the driver
    and the server read far faster for the few hundred candidates of a match."""
    if db.get_bind().dialect.name == "postgresql":
        return column == any_(literal(list(ids), ARRAY(Integer)))
    return column.in_(ids)


def _contract(evidence: dict[str, Any]) -> ContractFacts:
    """A past contract as stored on the supplier's document (see documents.Contract.evidence)."""
    return ContractFacts(
        title=evidence["title"],
        buyer=evidence["buyer"],
        buyer_key=evidence["buyer_key"],
        year=evidence["year"],
        value=evidence["value"],
        categories=frozenset(c.lower() for c in evidence["categories"]),
        terms=evidence["terms"],
        length=sum(evidence["terms"].values()),
    )


def rarest_terms(corpus_: Corpus, terms: Iterable[str]) -> list[str]:
    """Terms some supplier uses, rarest (most telling) first."""
    used = [term for term in set(terms) if corpus_.document_frequency.get(term, 0) > 0]
    return sorted(used, key=lambda term: (corpus_.document_frequency[term], term))


def enough_terms(corpus_: Corpus, ranked: Sequence[str], most: int, documents: int, fewest: int = 1) -> list[str]:
    """The first terms of a ranking, stopping once they would match about ``documents`` documents.

    A full-text query for any of many common words makes the engine rank tens of thousands of documents;
    the most telling few words find the best candidates at a fraction of the cost.
    """
    chosen: list[str] = []
    reach = 0
    for term in ranked[:most]:
        if len(chosen) >= fewest and reach + corpus_.document_frequency.get(term, 0) > documents:
            break
        chosen.append(term)
        reach += corpus_.document_frequency.get(term, 0)
    return chosen


def weightiest_terms(corpus_: Corpus, counts: Mapping[str, int]) -> list[str]:
    """A document's terms, those it uses often and others rarely (tf x idf) first."""
    weights = {t: corpus_.idf(t) * n for t, n in counts.items() if corpus_.document_frequency.get(t, 0) > 0}
    return sorted(weights, key=lambda term: (-weights[term], term))


def word_forms(source: str) -> dict[str, set[str]]:
    """Each term of a text -> the words that wrote it ("consultation", "consultations"); council and place names
    are left out: they are no evidence of the work (see ``matching.places``)."""
    forms: dict[str, set[str]] = defaultdict(set)
    for word in text.words(source):
        term = text.stem(word)
        if not places.is_place(term):
            forms[term].add(word)
    return forms


def words_for(terms: Sequence[str], forms: dict[str, set[str]]) -> list[str]:
    """The words of the given terms, for a full-text query (each engine stems them its own way)."""
    return [word for term in terms for word in sorted(forms.get(term, {term}))]


def with_completeness_of(
    db: Session, suppliers_: Mapping[int, SupplierFacts], ids: Iterable[int]
) -> dict[int, SupplierFacts]:
    """The given suppliers' facts with their profile completeness read in."""
    wanted = [i for i in ids if i in suppliers_]
    shares = profiles.completeness(db, wanted)
    return {i: replace(suppliers_[i], completeness=shares.get(i)) for i in wanted}
