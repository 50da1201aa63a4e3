"""Synthetic but realistic data for scale tests: suppliers and VCSEs, their pitches and offers, council needs.

Everything comes from one seeded random generator, so a seed always gives the same names and texts (the
ids depend on what the database already holds). Rows are written with bulk inserts in batches and their
search documents in bulk too: a hundred thousand listings take a minute or two, not an hour.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from rich.progress import Progress
from sqlalchemy import select
from sqlalchemy.orm import Session

import exchange.models  # noqa: F401  (every mapper must be known before the first query)
from exchange.core.text import slugify
from exchange.listings.models import ListingStatus, Offer, Pitch, PriceModel
from exchange.matching import documents as supplier_documents
from exchange.needs.models import Need, NeedStage, Visibility
from exchange.organisations.models import Organisation, OrganisationKind
from exchange.reference.models import Category, Region
from exchange.search.indexer import BulkIndexer
from exchange.seeding import vocabulary as words
from exchange.seeding.bulk import insert_rows_returning_ids
from exchange.seeding.vocabulary import TOPICS, Topic

BATCH_SIZE = 2000
Indexing = Callable[[dict[str, Any]], None]
# A fixed point in time keeps the data identical for a seed, whenever it is generated.
ANCHOR = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
SPREAD_DAYS = 730

STAGE_WEIGHTS = {
    NeedStage.IDEA: 15,
    NeedStage.EARLY_MARKET_ENGAGEMENT: 20,
    NeedStage.OPEN_FOR_PROPOSALS: 35,
    NeedStage.CLOSED: 10,
    NeedStage.AWARDED: 12,
    NeedStage.NO_SUITABLE_SUPPLIER: 4,
    NeedStage.CANCELLED: 4,
}
VISIBILITY_WEIGHTS = {Visibility.PUBLIC: 85, Visibility.PUBLIC_SECTOR: 10, Visibility.ORGANISATION: 5}
# Price model -> (weight, lowest, highest amount in pounds); None: no amount.
PRICES: dict[PriceModel, tuple[int, tuple[int, int] | None]] = {
    PriceModel.FREE: (25, None),
    PriceModel.ONE_OFF: (15, (500, 60_000)),
    PriceModel.PER_USER: (10, (2, 60)),
    PriceModel.SUBSCRIPTION: (25, (1_200, 48_000)),
    PriceModel.DAY_RATE: (15, (350, 1_200)),
    PriceModel.QUOTE: (10, None),
}
BUDGETS = (5_000, 10_000, 25_000, 40_000, 75_000, 100_000, 250_000, 500_000, 1_000_000)


@dataclass(frozen=True)
class Context:
    """What the generated rows refer to, read once from the database."""

    region_ids: list[int]
    category_ids: dict[str, int | None]  # topic category label -> id (None if that label is not seeded)
    councils: list[tuple[int, int | None]]  # (organisation id, region id)


def _load_context(db: Session) -> Context:
    regions = list(db.scalars(select(Region.id).order_by(Region.id)))
    labels = {label: category_id for category_id, label in db.execute(select(Category.id, Category.label))}
    councils = [
        (row.id, row.region_id)
        for row in db.execute(
            select(Organisation.id, Organisation.region_id)
            .where(Organisation.kind == OrganisationKind.COUNCIL, Organisation.local_authority_code.is_not(None))
            .order_by(Organisation.id)
        )
    ]
    return Context(regions, {topic.category: labels.get(topic.category) for topic in TOPICS}, councils)


def _chunks(total: int) -> Iterator[int]:
    for start in range(0, total, BATCH_SIZE):
        yield min(BATCH_SIZE, total - start)


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _moment(rng: random.Random) -> tuple[datetime, datetime]:
    """A creation time within the last two years before ANCHOR, and a later (or equal) update time."""
    created = ANCHOR - timedelta(days=rng.randrange(SPREAD_DAYS), minutes=rng.randrange(24 * 60))
    updated = min(ANCHOR, created + timedelta(days=rng.choice((0, 0, 0, 1, 7, 30, 90))))
    return created, updated


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def _plural(thing: str) -> str:
    if thing.endswith("s"):
        return thing
    if thing.endswith("y") and thing[-2:-1] not in "aeiou":
        return thing[:-1] + "ies"
    return thing + "s"


def _third_person(benefit: str) -> str:
    """Benefits are written as a council says them ("our budget"); a supplier says "their"."""
    return re.sub(r"\bour\b", "their", re.sub(r"\bwe\b", "they", benefit))


class _Writer:
    """Inserts rows in batches, returning their ids, and queues their search documents."""

    def __init__(self, db: Session, progress: Progress, task: Any) -> None:
        self.db, self.progress, self.task = db, progress, task

    def insert(self, model: Any, rows: list[dict[str, Any]], index: Indexing | None) -> list[int]:
        ids = insert_rows_returning_ids(self.db, model, rows)
        if index is not None:
            for item_id, row in zip(ids, rows, strict=True):
                index({**row, "id": item_id})
        self.progress.advance(self.task, len(rows))
        return ids


class _Evidence:
    """What the matching module knows of each supplier: its name, description and published listings, gathered
    as they are generated and written once at the end, so generated suppliers are matchable like any other."""

    def __init__(self) -> None:
        self.new: dict[int, tuple[str, str, list[str]]] = {}
        self.existing: set[int] = set()

    def add_organisations(self, ids: list[int], rows: list[dict[str, Any]]) -> None:
        for organisation_id, row in zip(ids, rows, strict=True):
            self.new[organisation_id] = (row["name"], row["description"], [])

    def add_listings(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            if row["status"] is not ListingStatus.PUBLISHED:
                continue
            organisation_id = row["organisation_id"]
            if organisation_id in self.new:
                self.new[organisation_id][2].append(f"{row['title']}. {row['summary']}")
            else:
                self.existing.add(organisation_id)

    def write(self, db: Session) -> None:
        supplier_documents.add_suppliers(
            db,
            [
                supplier_documents.document_values(organisation_id, name, description, (), lines)
                for organisation_id, (name, description, lines) in self.new.items()
            ],
        )
        # Suppliers that were already there have a document: it is written again with their new listings.
        for organisation_id in sorted(self.existing):
            supplier_documents.refresh_supplier(db, organisation_id)


def _organisation(rng: random.Random, context: Context, names: set[str], slugs: set[str]) -> dict[str, Any]:
    vcse = rng.random() < 0.25
    for _ in range(20):
        if vcse:
            name = f"{rng.choice(words.PLACES)} {rng.choice(words.VCSE_CAUSE)} {rng.choice(words.VCSE_FORM)}"
        elif rng.random() < 0.5:
            name = f"{rng.choice(words.SUPPLIER_FIRST)} {rng.choice(words.SUPPLIER_SECOND)}"
            name += f" {rng.choice(words.SUPPLIER_SUFFIX)}"
        else:
            first, place = rng.choice(words.SUPPLIER_FIRST), rng.choice(words.PLACES)
            name = f"{first} {place} {rng.choice(words.SUPPLIER_SECOND)} {rng.choice(words.SUPPLIER_SUFFIX)}"
        if name not in names:
            break
    names.add(name)
    slug, n = slugify(name, 200), 2
    while slug in slugs:
        slug, n = f"{slugify(name, 200)}-{n}", n + 1
    slugs.add(slug)
    topic = rng.choice(TOPICS)
    created, updated = _moment(rng)
    kind = OrganisationKind.VCSE if vcse else OrganisationKind.SUPPLIER
    description = (
        f"{'A voluntary and community organisation' if vcse else 'A supplier'} working on "
        f"{_plural(rng.choice(topic.things))} with {rng.choice(topic.audiences)}."
    )
    return {
        "kind": kind,
        "name": name,
        "slug": slug,
        "region_id": rng.choice(context.region_ids) if context.region_ids else None,
        "description": description,
        "verified": rng.random() < 0.7,
        "created_at": created,
        "updated_at": updated,
    }


def _listing_text(rng: random.Random, topic: Topic, offer: bool) -> dict[str, Any]:
    thing, audience = rng.choice(topic.things), rng.choice(topic.audiences)
    benefit = _third_person(rng.choice(topic.benefits))
    if offer:
        title = f"{rng.choice(words.OFFER_BRANDS)} {thing}" if rng.random() < 0.5 else _sentence(thing)
    else:
        opener = rng.choice(words.PITCH_OPENERS)
        title = f"{opener} {thing} for {audience}" if rng.random() < 0.6 else f"{_sentence(thing)} to {benefit}"
    summary = f"{_sentence(thing)} to help councils {benefit}, designed with {audience}."
    evidence = rng.choice(words.EVIDENCE).format(n=rng.randrange(12, 60), small=rng.randrange(2, 30))
    description = " ".join(
        [
            f"Many councils tell us that {rng.choice(topic.pains)}.",
            f"Our {thing} helps {audience} and lets officers {benefit}.",
            *rng.sample(words.HOW, 2),
            evidence,
        ]
    )
    tags = rng.sample(topic.tags, k=min(len(topic.tags), rng.randrange(1, 4)))
    return {"title": title[:200], "summary": summary[:400], "description": description, "tags": tags}


def _listing(rng: random.Random, context: Context, supplier: tuple[int, int | None], offer: bool) -> dict[str, Any]:
    topic = rng.choice(TOPICS)
    created, updated = _moment(rng)
    row = {
        **_listing_text(rng, topic, offer),
        "organisation_id": supplier[0],
        "category_id": context.category_ids.get(topic.category),
        # Most work anywhere; some only near home.
        "region_id": supplier[1] if rng.random() < 0.4 else None,
        "created_by_id": None,
        "status": ListingStatus.WITHDRAWN if rng.random() < 0.03 else ListingStatus.PUBLISHED,
        "created_at": created,
        "updated_at": updated,
    }
    if offer:
        price_model = _weighted(rng, {model: weight for model, (weight, _) in PRICES.items()})
        amounts = PRICES[price_model][1]
        row["price_model"] = price_model
        row["price_amount"] = rng.randrange(amounts[0], amounts[1] + 1) if amounts else None
    return row


def _need(rng: random.Random, context: Context) -> dict[str, Any]:
    organisation_id, region_id = rng.choice(context.councils)
    topic = rng.choice(TOPICS)
    benefit, audience, thing = rng.choice(topic.benefits), rng.choice(topic.audiences), rng.choice(topic.things)
    stage = _weighted(rng, STAGE_WEIGHTS)
    created, updated = _moment(rng)
    budget = rng.choice(BUDGETS) if rng.random() < 0.8 else None
    plain = "," in benefit or rng.random() < 0.6
    title = _sentence(benefit) if plain else f"{_sentence(benefit)} for {audience}"
    return {
        "organisation_id": organisation_id,
        "title": title[:200],
        "summary": f"We want to {benefit}: ideas, products or services that work for {audience}."[:400],
        "problem_statement": (
            f"We want to {benefit}. Today {rng.choice(topic.pains)}. We would like to hear about "
            f"{_plural(thing)} or new ideas, from established suppliers and community groups alike."
        ),
        "users": f"{_sentence(audience)} and the officers who support them.",
        "tried_so_far": rng.choice(("", f"A small trial of a {thing} in one ward.", "Nothing yet.")),
        "stage": stage,
        "visibility": _weighted(rng, VISIBILITY_WEIGHTS),
        "budget_min": budget // 2 if budget and rng.random() < 0.5 else None,
        "budget_max": budget,
        "category_id": context.category_ids.get(topic.category),
        "region_id": region_id,
        "tags": rng.sample(topic.tags, k=min(len(topic.tags), rng.randrange(1, 4))),
        "created_by_id": None,
        "created_at": created,
        "updated_at": updated,
    }


def generate(
    db: Session, *, needs: int, suppliers: int, pitches: int, seed: int = 1, progress: bool = True
) -> dict[str, int]:
    """Add ``suppliers`` organisations, ``pitches`` pitches and as many offers, and ``needs`` needs."""
    rng = random.Random(seed)
    context = _load_context(db)
    if needs and not context.councils:
        raise ValueError("there are no councils to post needs: run `exchange seed` first")
    indexer = BulkIndexer(db)
    evidence = _Evidence()
    total = suppliers + 2 * pitches + needs
    with Progress(disable=not progress, transient=False) as bar:
        task = bar.add_task("Generating", total=total)
        writer = _Writer(db, bar, task)
        pool = _make_organisations(db, rng, context, writer, suppliers, indexer, evidence)
        if pitches and not pool:
            raise ValueError("there are no suppliers to publish pitches: generate some with --suppliers")
        for model, index in ((Pitch, indexer.add_pitch), (Offer, indexer.add_offer)):
            for size in _chunks(pitches):
                rows = [_listing(rng, context, rng.choice(pool), model is Offer) for _ in range(size)]
                writer.insert(model, rows, index)
                evidence.add_listings(rows)
        for size in _chunks(needs):
            writer.insert(Need, [_need(rng, context) for _ in range(size)], indexer.add_need)
        documents = indexer.flush()
        evidence.write(db)
    db.flush()
    return {"organisations": suppliers, "pitches": pitches, "offers": pitches, "needs": needs, "documents": documents}


def _make_organisations(
    db: Session,
    rng: random.Random,
    context: Context,
    writer: _Writer,
    count: int,
    indexer: BulkIndexer,
    evidence: _Evidence,
) -> list[tuple[int, int | None]]:
    """The new organisations (id, region id); with none asked for, the suppliers already there."""
    if count == 0:
        return [
            (row.id, row.region_id)
            for row in db.execute(
                select(Organisation.id, Organisation.region_id)
                .where(Organisation.kind.in_([OrganisationKind.SUPPLIER, OrganisationKind.VCSE]))
                .order_by(Organisation.id)
            )
        ]
    slugs = set(db.scalars(select(Organisation.slug)))
    names: set[str] = set()
    pool: list[tuple[int, int | None]] = []
    for size in _chunks(count):
        rows = [_organisation(rng, context, names, slugs) for _ in range(size)]
        ids = writer.insert(Organisation, rows, None)
        indexer.know_organisations({i: (row["name"], row["kind"].value) for i, row in zip(ids, rows, strict=True)})
        evidence.add_organisations(ids, rows)
        pool.extend((i, row["region_id"]) for i, row in zip(ids, rows, strict=True))
    return pool
