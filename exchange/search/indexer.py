"""Keeps one search document per pitch, offer and need, written in the same transaction as the item.

Withdrawn pitches and offers leave the index; needs stay at every stage, with their visibility, so that
search can show each viewer exactly what they may see. Whatever a moderator hid leaves it.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from exchange.core.models import utcnow
from exchange.listings.models import ListingStatus, Offer, Pitch, PriceModel
from exchange.needs.models import Need, NeedStage, Visibility
from exchange.organisations.models import Organisation
from exchange.reference.models import Category, Region
from exchange.search.models import SearchDocument


def _context_words(db: Session, category_id: int | None, region_id: int | None) -> tuple[list[str], int | None]:
    words: list[str] = []
    top_id: int | None = None
    if category_id is not None:
        category = db.get(Category, category_id)
        if category is not None:
            words.append(category.label)
            top_id = category.top_id
            if category.parent_id is not None:
                parent = db.get(Category, category.parent_id)
                if parent is not None:
                    words.append(parent.label)
    if region_id is not None:
        region = db.get(Region, region_id)
        if region is not None:
            words.append(region.name)
    return words, top_id


def _upsert(db: Session, kind: str, item_id: int, values: dict[str, Any]) -> None:
    document = db.scalar(select(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.item_id == item_id))
    if document is None:
        db.add(SearchDocument(kind=kind, item_id=item_id, **values))
    else:
        for key, value in values.items():
            setattr(document, key, value)
    db.flush()


def _common(db: Session, item: Pitch | Offer | Need, extra_text: list[str]) -> dict[str, Any]:
    organisation = db.get_one(Organisation, item.organisation_id)
    words, top_id = _context_words(db, item.category_id, item.region_id)
    body = "\n".join(part for part in [*extra_text, " ".join(item.tags or []), *words] if part)
    return {
        "organisation_id": organisation.id,
        "organisation_name": organisation.name,
        "organisation_kind": organisation.kind.value,
        "title": item.title,
        "summary": item.summary,
        "body": body,
        "category_id": item.category_id,
        "category_top_id": top_id,
        "region_id": item.region_id,
        "updated_at": item.updated_at or utcnow(),
    }


def index_pitch(db: Session, pitch: Pitch) -> None:
    if not pitch.is_public:
        remove(db, "pitch", pitch.id)
        return
    values = _common(db, pitch, [pitch.description])
    _upsert(db, "pitch", pitch.id, {**values, "is_free": None, "stage": None, "visibility": "public"})


def index_offer(db: Session, offer: Offer) -> None:
    if not offer.is_public:
        remove(db, "offer", offer.id)
        return
    values = _common(db, offer, [offer.description, offer.price_model.label])
    _upsert(db, "offer", offer.id, {**values, "is_free": offer.is_free, "stage": None, "visibility": "public"})


def index_need(db: Session, need: Need) -> None:
    if need.is_hidden or need.is_draft:
        remove(db, "need", need.id)
        return
    values = _common(db, need, [need.problem_statement, need.users, need.tried_so_far])
    _upsert(
        db,
        "need",
        need.id,
        {**values, "is_free": None, "stage": need.stage.value, "visibility": need.visibility.value},
    )


def remove(db: Session, kind: str, item_id: int) -> None:
    db.execute(delete(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.item_id == item_id))


def reindex_organisation(db: Session, organisation: Organisation) -> None:
    db.execute(
        update(SearchDocument)
        .where(SearchDocument.organisation_id == organisation.id)
        .values(organisation_name=organisation.name, organisation_kind=organisation.kind.value)
    )


def rebuild(db: Session) -> int:
    """Index every item again (after a bulk import, or to repair the index)."""
    count = 0
    for pitch in db.scalars(select(Pitch)):
        index_pitch(db, pitch)
        count += 1
    for offer in db.scalars(select(Offer)):
        index_offer(db, offer)
        count += 1
    for need in db.scalars(select(Need)):
        index_need(db, need)
        count += 1
    return count


class BulkIndexer:
    """Writes the search documents of many new items at once (imports, generated data).

    The per-item functions above read the organisation, category and region of each item one by one;
    here they are read once and the documents inserted in batches. The documents are the same as
    ``index_pitch``/``index_offer``/``index_need`` would write (see ``_common``); items must be new,
    without a document yet. The full-text part follows by itself (SQLite triggers, PostgreSQL column).
    """

    BATCH_SIZE = 2000

    def __init__(self, db: Session) -> None:
        self.db = db
        self.categories = {c.id: (c.label, c.parent_id) for c in db.scalars(select(Category))}
        self.regions = {r.id: r.name for r in db.scalars(select(Region))}
        self.organisations: dict[int, tuple[str, str]] = {}
        self.pending: list[dict[str, Any]] = []
        self.count = 0

    def know_organisations(self, rows: dict[int, tuple[str, str]]) -> None:
        """Organisation id -> (name, kind) for items about to be added, saving a query per batch."""
        self.organisations.update(rows)

    def _organisation(self, organisation_id: int) -> tuple[str, str]:
        if organisation_id not in self.organisations:
            organisation = self.db.get_one(Organisation, organisation_id)
            self.organisations[organisation_id] = (organisation.name, organisation.kind.value)
        return self.organisations[organisation_id]

    def _document(self, kind: str, item: dict[str, Any], extra_text: list[str]) -> dict[str, Any]:
        words: list[str] = []
        top_id: int | None = None
        category_id, region_id = item.get("category_id"), item.get("region_id")
        if category_id is not None and category_id in self.categories:
            label, parent_id = self.categories[category_id]
            words.append(label)
            top_id = parent_id or category_id
            if parent_id is not None and parent_id in self.categories:
                words.append(self.categories[parent_id][0])
        if region_id is not None and region_id in self.regions:
            words.append(self.regions[region_id])
        tags = item.get("tags") or []
        body = "\n".join(part for part in [*extra_text, " ".join(tags), *words] if part)
        name, organisation_kind = self._organisation(item["organisation_id"])
        return {
            "kind": kind,
            "item_id": item["id"],
            "organisation_id": item["organisation_id"],
            "organisation_name": name,
            "organisation_kind": organisation_kind,
            "title": item["title"],
            "summary": item["summary"],
            "body": body,
            "category_id": category_id,
            "category_top_id": top_id,
            "region_id": region_id,
            "updated_at": item.get("updated_at") or utcnow(),
        }

    def add_pitch(self, item: dict[str, Any]) -> None:
        """``item``: the pitch's column values, as inserted, with its new ``id``."""
        if item.get("status", ListingStatus.PUBLISHED) != ListingStatus.PUBLISHED:
            return
        document = self._document("pitch", item, [item.get("description") or ""])
        self._add({**document, "is_free": None, "stage": None, "visibility": "public"})

    def add_offer(self, item: dict[str, Any]) -> None:
        if item.get("status", ListingStatus.PUBLISHED) != ListingStatus.PUBLISHED:
            return
        price_model = PriceModel(item.get("price_model") or PriceModel.FREE)
        document = self._document("offer", item, [item.get("description") or "", price_model.label])
        self._add({**document, "is_free": price_model is PriceModel.FREE, "stage": None, "visibility": "public"})

    def add_need(self, item: dict[str, Any]) -> None:
        texts = [item.get("problem_statement") or "", item.get("users") or "", item.get("tried_so_far") or ""]
        document = self._document("need", item, texts)
        stage = NeedStage(item.get("stage") or NeedStage.IDEA).value
        visibility = Visibility(item.get("visibility") or Visibility.PUBLIC).value
        self._add({**document, "is_free": None, "stage": stage, "visibility": visibility})

    def _add(self, document: dict[str, Any]) -> None:
        self.pending.append(document)
        if len(self.pending) >= self.BATCH_SIZE:
            self.flush()

    def flush(self) -> int:
        """Write what is pending; returns how many documents were written in all."""
        if self.pending:
            # Core, not the ORM's bulk insert, which would split the batch wherever the None values change.
            # RETURNING makes SQLAlchemy send the batch as a few multi-row INSERTs ("insertmanyvalues")
            # rather than one statement per row: PostgreSQL's change-token trigger runs once per statement.
            table = cast(Table, SearchDocument.__table__)
            self.db.execute(insert(table).returning(table.c.id), self.pending).all()
            self.count += len(self.pending)
            self.pending = []
        return self.count
