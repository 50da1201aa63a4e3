"""Saved searches: a user keeps a search (words and facets) and is told of new results by email or Atom.

A saved search stores the search page's own query string, so opening it shows exactly the saved search.
Digests list the items created since the last digest (or since saving), newest first.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.audit import service as audit
from exchange.core.errors import NotFound
from exchange.core.viewer import Viewer
from exchange.knowledge.models import Frequency, SavedSearch
from exchange.knowledge.schemas import SavedSearchForm
from exchange.listings.models import Offer, Pitch
from exchange.needs.models import Need
from exchange.search import service as search
from exchange.search.schemas import Hit, SearchQuery

LIST_PARAMS = ("kind", "category", "region", "price", "stage", "organisation_kind", "visibility")
EVERY = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
# A digest run a little early (cron drift) still counts as a day or a week later.
SLACK = timedelta(minutes=30)
DIGEST_SIZE = 50
SHOWN_IN_EMAIL = 10
MODELS: dict[str, Any] = {"need": Need, "pitch": Pitch, "offer": Offer}


def parse(query_string: str) -> SearchQuery:
    """The search a query string asks for, read as leniently as the search page reads it."""
    params = parse_qs(query_string.lstrip("?"), keep_blank_values=False)
    data: dict[str, Any] = {name: params.get(name, []) for name in LIST_PARAMS}
    data.update({name: params[name][0] for name in ("q", "sort") if params.get(name)})
    try:
        return SearchQuery.model_validate(data)
    except ValidationError as error:
        bad = {str(item["loc"][0]) for item in error.errors()}
        return SearchQuery.model_validate({k: v for k, v in data.items() if k not in bad})


def canonical(query: SearchQuery) -> str:
    """The query string of a search (first page), as the search page writes its own links."""
    from exchange.search.views import page_url

    return page_url(query, 1).removeprefix("/search").lstrip("?")


def describe(query: SearchQuery, categories: dict[int, str], regions: dict[int, str]) -> str:
    """The search in words, for lists and emails: “budget” in needs, Housing, North West."""
    parts = [f"“{query.q}”"] if query.q else []
    kinds = {"need": "needs", "pitch": "pitches", "offer": "offers"}
    parts.append(" and ".join(kinds[k] for k in query.kind) if query.kind else "needs, pitches and offers")
    parts.extend(categories.get(c, "") for c in query.category)
    parts.extend(regions.get(r, "") for r in query.region)
    parts.extend("free" if p == "free" else "paid" for p in query.price)
    return ", ".join(part for part in parts if part)


def suggested_name(query: SearchQuery, categories: dict[int, str]) -> str:
    kinds = {"need": "Needs", "pitch": "Pitches", "offer": "Offers"}
    head = " and ".join(kinds[k] for k in query.kind) if query.kind else "Everything"
    about = [f"“{query.q}”"] if query.q else []
    about.extend(categories.get(c, "") for c in query.category[:2])
    return f"{head}: {', '.join(a for a in about if a)}"[:120] if any(about) else head


def create(db: Session, viewer: Viewer, form: SavedSearchForm) -> SavedSearch:
    assert viewer.user_id is not None
    saved = SavedSearch(
        user_id=viewer.user_id,
        name=form.name,
        query=canonical(parse(form.query)),
        frequency=form.frequency,
        feed_token=secrets.token_urlsafe(24),
    )
    db.add(saved)
    db.flush()
    audit.record(db, viewer.user_id, "saved_search.created", "saved_search", saved.id, frequency=form.frequency.value)
    return saved


def saved_by(db: Session, user_id: int) -> list[SavedSearch]:
    return list(db.scalars(select(SavedSearch).where(SavedSearch.user_id == user_id).order_by(SavedSearch.id)))


def own(db: Session, viewer: Viewer, saved_id: int) -> SavedSearch:
    """One of the viewer's own saved searches; anyone else's does not exist for them."""
    saved = db.get(SavedSearch, saved_id)
    if saved is None or saved.user_id != viewer.user_id:
        raise NotFound()
    return saved


def delete(db: Session, viewer: Viewer, saved_id: int) -> None:
    saved = own(db, viewer, saved_id)
    audit.record(db, viewer.user_id, "saved_search.deleted", "saved_search", saved.id)
    db.delete(saved)
    db.flush()


def change_frequency(db: Session, viewer: Viewer, saved_id: int, frequency: Frequency) -> SavedSearch:
    saved = own(db, viewer, saved_id)
    saved.frequency = frequency
    db.flush()
    audit.record(db, viewer.user_id, "saved_search.changed", "saved_search", saved.id, frequency=frequency.value)
    return saved


def by_feed_token(db: Session, token: str) -> SavedSearch:
    saved = db.scalar(select(SavedSearch).where(SavedSearch.feed_token == token)) if token else None
    if saved is None:
        raise NotFound()
    return saved


def newest(db: Session, viewer: Viewer, saved: SavedSearch, limit: int = DIGEST_SIZE) -> list[Hit]:
    query = parse(saved.query).model_copy(update={"sort": "newest", "page": 1, "per_page": limit})
    return search.search(db, viewer, query).hits


def created_since(db: Session, hits: Sequence[Hit], since: datetime) -> list[Hit]:
    """The hits whose item was created after ``since`` (not merely edited), one query per kind."""
    fresh: set[tuple[str, int]] = set()
    for kind, model in MODELS.items():
        ids = [hit.item_id for hit in hits if hit.kind == kind]
        if ids:
            query = select(model.id).where(model.id.in_(ids), model.created_at > since)
            fresh.update((kind, item_id) for item_id in db.scalars(query))
    return [hit for hit in hits if (hit.kind, hit.item_id) in fresh]


def is_due(saved: SavedSearch, now: datetime) -> bool:
    last = saved.last_sent_at or saved.created_at
    return now - last >= EVERY[saved.frequency] - SLACK


@dataclass(frozen=True)
class DigestRun:
    searches_considered: int
    emails_queued: int
