"""Full-text search finds words by their stem and by prefix, ranks title matches first, and keeps up with
every change straight away (the same on SQLite FTS5 and PostgreSQL full-text search)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from exchange.core.viewer import ANONYMOUS, Viewer
from exchange.listings import service as listings
from exchange.listings.models import ListingStatus, Offer, Pitch
from exchange.search import indexer
from exchange.search.models import SearchDocument
from exchange.search.schemas import SearchQuery, SearchResults
from exchange.search.service import search
from tests import factories
from tests.client import Client


def listing(db: Session, owner: Any, organisation: Any, title: str, **fields: Any) -> Any:
    """A pitch (or an offer, with a price model) whose words are only the ones the test gives."""
    values = {"summary": "A summary with no search words.", "description": "", **fields}
    if "price_model" in values:
        return factories.offer(db, owner, organisation, title=title, **values)
    return factories.pitch(db, owner, organisation, title=title, **values)


def find(db: Session, q: str, viewer: Viewer = ANONYMOUS, **filters: Any) -> SearchResults:
    return search(db, viewer, SearchQuery(q=q, **filters))


def titles(results: SearchResults) -> list[str]:
    return [hit.title for hit in results.hits]


@pytest.fixture
def owner(db: Session) -> factories.User:
    return factories.user(db)


@pytest.fixture
def organisation(db: Session, owner: factories.User) -> factories.Organisation:
    return factories.supplier(db, owner, name="Quokka Civic Ltd")


@pytest.mark.parametrize("q", ["consultation", "consultations", "Consulting", "CONSULTED", "consul", "consult"])
def test_words_are_found_by_stem_and_by_prefix(db: Session, owner: Any, organisation: Any, q: str) -> None:
    listing(db, owner, organisation, "Resident consultation platform", summary="Ask residents online.")
    listing(db, owner, organisation, "Gritting route planner", summary="Plan winter gritting routes.")

    assert titles(find(db, q)) == ["Resident consultation platform"]


def test_every_word_must_match(db: Session, owner: Any, organisation: Any) -> None:
    listing(db, owner, organisation, "Budget consultation tool", summary="Residents set priorities.")
    listing(db, owner, organisation, "Planning consultation tool", summary="Comment on applications.")

    assert titles(find(db, "budget consultation")) == ["Budget consultation tool"]
    assert find(db, "budget gritting").total == 0


def test_a_title_match_ranks_above_a_body_only_match(db: Session, owner: Any, organisation: Any) -> None:
    listing(db, owner, organisation, "Hedgehog survey app", summary="Count hedgehogs in parks.")
    listing(
        db,
        owner,
        organisation,
        "Parks volunteering scheme",
        summary="Volunteers look after green spaces.",
        description="Volunteers also help with the annual hedgehog survey.",
    )

    results = find(db, "hedgehog")

    # The body-only match is newer, so only the ranking puts the title match first.
    assert titles(results) == ["Hedgehog survey app", "Parks volunteering scheme"]
    assert titles(find(db, "hedgehog", sort="newest")) == ["Parks volunteering scheme", "Hedgehog survey app"]


def test_organisation_names_tags_and_category_labels_are_searchable(db: Session, owner: Any, organisation: Any) -> None:
    category = factories.categories(db, 1)[0]
    listing(db, owner, organisation, "Meals at home", price_model="free", tags=["nutrition"], category_id=category.id)

    assert titles(find(db, "quokka")) == ["Meals at home"]
    assert titles(find(db, "nutrition")) == ["Meals at home"]
    assert titles(find(db, category.label.split()[0])) == ["Meals at home"]


def test_punctuation_and_odd_characters_in_the_words_are_harmless(db: Session, owner: Any, organisation: Any) -> None:
    listing(db, owner, organisation, "Resident consultation platform")

    for q in ['"consultation', "consultation*", "consultation OR x", "'; DROP TABLE users; --", "(((", "NEAR(a b)"]:
        find(db, q)  # no error from FTS5 or to_tsquery
    assert titles(find(db, '"consultation"')) == ["Resident consultation platform"]


def test_an_edit_is_searchable_at_once(client: Client, db: Session, owner: Any, organisation: Any) -> None:
    pitch = listing(db, owner, organisation, "Resident consultation platform")
    client.sign_in(owner.email, factories.PASSWORD)
    assert find(db, "consultation").total == 1

    response = client.post(
        f"/pitches/{pitch.id}/edit",
        {"title": "Streetlight fault reporting", "summary": "Residents report broken streetlights."},
    )

    assert response.status_code == 303
    assert find(db, "consultation").total == 0
    assert titles(find(db, "streetlights")) == ["Streetlight fault reporting"]
    assert [hit["title"] for hit in client.get("/api/v1/search", params={"q": "streetlight"}).json()["results"]] == [
        "Streetlight fault reporting"
    ]


def test_withdrawn_listings_disappear_and_come_back(db: Session, owner: Any, organisation: Any) -> None:
    pitch = listing(db, owner, organisation, "Hedgehog survey app")
    offer = listing(db, owner, organisation, "Hedgehog house kits", price_model="free")
    viewer = factories.viewer(db, owner)

    listings.set_status(db, viewer, Pitch, pitch.id, ListingStatus.WITHDRAWN)
    listings.set_status(db, viewer, Offer, offer.id, ListingStatus.WITHDRAWN)

    for who in (ANONYMOUS, viewer):
        assert find(db, "hedgehog", who).total == 0
        assert find(db, "", who, kind=("pitch", "offer")).total == 0
    listings.set_status(db, viewer, Pitch, pitch.id, ListingStatus.PUBLISHED)
    assert titles(find(db, "hedgehog")) == ["Hedgehog survey app"]


def test_renaming_an_organisation_is_searchable_at_once(
    client: Client, db: Session, owner: Any, organisation: Any
) -> None:
    listing(db, owner, organisation, "Hedgehog survey app")
    assert find(db, "quokka").total == 1  # counted, and remembered until the index changes
    client.sign_in(owner.email, factories.PASSWORD)

    response = client.post(f"/organisations/{organisation.slug}/edit", {"name": "Wombat Works Ltd"})

    assert response.status_code == 303
    renamed = find(db, "wombat")
    assert (renamed.total, titles(renamed)) == (1, ["Hedgehog survey app"])
    assert renamed.hits[0].organisation_name == "Wombat Works Ltd"
    old = find(db, "quokka")
    assert (old.total, titles(old)) == (0, [])


def test_each_result_links_to_its_page(client: Client, db: Session, owner: Any, organisation: Any) -> None:
    officer = factories.officer(db)
    listing(db, owner, organisation, "Hedgehog survey app")
    listing(db, owner, organisation, "Hedgehog house kits", price_model="free")
    factories.need(db, officer, factories.council(db), title="Hedgehog friendly verges")

    results = find(db, "hedgehog")

    assert results.total == 3
    for hit in results.hits:
        page = client.get(hit.url)
        assert page.status_code == 200, hit.url
        assert hit.title in page.text
        assert f'href="{hit.url}"' in client.get("/search", params={"q": "hedgehog"}).text


def test_reindexing_repairs_a_lost_search_document(db: Session, owner: Any, organisation: Any) -> None:

    listing(db, owner, organisation, "Resident consultation platform")
    db.execute(delete(SearchDocument))
    assert find(db, "consultation").total == 0

    assert indexer.rebuild(db) >= 1

    assert titles(find(db, "consultation")) == ["Resident consultation platform"]
