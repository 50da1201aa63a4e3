"""The pitches and offers API: create and edit your own, and nobody else's; withdrawn ones are private."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from exchange.core.viewer import Viewer
from exchange.listings import service
from exchange.listings.models import ListingStatus, Offer, Pitch
from tests import factories
from tests.client import Client

KINDS = {"pitch": ("pitches", Pitch), "offer": ("offers", Offer)}


def body(kind: str, organisation_id: int | None = None, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Digital inclusion drop-ins",
        "summary": "Weekly sessions helping residents get online.",
        "description": "Volunteers in libraries.",
        "tags": ["inclusion", "libraries"],
        **fields,
    }
    if organisation_id is not None:
        values["organisation_id"] = organisation_id
    if kind == "offer":
        values.setdefault("price_model", "subscription")
        values.setdefault("price_amount", 1200)
    return values


@pytest.mark.parametrize("kind", KINDS)
def test_create_and_read_through_the_api(client: Client, other_client: Client, db: Session, kind: str) -> None:
    plural, model = KINDS[kind]
    person = factories.user(db)
    organisation = factories.supplier(db, person)
    client.sign_in(person.email, factories.PASSWORD)

    response = client.api("POST", f"/api/v1/{plural}", body(kind, organisation.id))

    assert response.status_code == 201, response.text
    created = response.json()
    assert created["organisation_id"] == organisation.id
    assert created["title"] == "Digital inclusion drop-ins"
    assert created["tags"] == ["inclusion", "libraries"]
    assert created["status"] == "published"
    if kind == "offer":
        assert (created["price_model"], created["price_amount"], created["is_free"]) == ("subscription", 1200, False)
    assert db.get(model, created["id"]) is not None
    assert [e.action for e in factories.audit_events(db, kind, created["id"])] == [f"{kind}.published"]
    public = other_client.get(f"/api/v1/{plural}/{created['id']}")
    assert public.status_code == 200 and public.json()["title"] == created["title"]


@pytest.mark.parametrize("kind", KINDS)
def test_edit_through_the_api(client: Client, db: Session, kind: str) -> None:
    plural, _ = KINDS[kind]
    person = factories.user(db)
    organisation = factories.supplier(db, person)
    listing = (
        factories.pitch(db, person, organisation) if kind == "pitch" else factories.offer(db, person, organisation)
    )
    client.sign_in(person.email, factories.PASSWORD)

    response = client.api("PUT", f"/api/v1/{plural}/{listing.id}", body(kind, title="Library digital helpers"))

    assert response.status_code == 200, response.text
    assert response.json()["title"] == "Library digital helpers"
    db.refresh(listing)
    assert listing.title == "Library digital helpers"
    assert [e.action for e in factories.audit_events(db, kind, listing.id)] == [f"{kind}.published", f"{kind}.updated"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_member_of_another_organisation_gets_404_on_edit(
    client: Client, other_client: Client, db: Session, kind: str
) -> None:
    plural, _ = KINDS[kind]
    owner = factories.user(db)
    organisation = factories.supplier(db, owner)
    listing = factories.pitch(db, owner, organisation) if kind == "pitch" else factories.offer(db, owner, organisation)
    rival = factories.user(db)
    factories.supplier(db, rival)
    other_client.sign_in(rival.email, factories.PASSWORD)

    page = other_client.get(f"/{plural}/{listing.id}/edit")
    post = other_client.post(f"/{plural}/{listing.id}/edit", {"title": "Hijacked title", "summary": "Hijacked summary"})
    status = other_client.post(f"/{plural}/{listing.id}/status", {"status": "withdrawn"})
    api = other_client.api("PUT", f"/api/v1/{plural}/{listing.id}", body(kind, title="Hijacked title"))

    assert page.status_code == post.status_code == status.status_code == api.status_code == 404
    assert api.json() == {"detail": "Not found"}
    db.refresh(listing)
    assert listing.title != "Hijacked title" and listing.status is ListingStatus.PUBLISHED
    assert len(factories.audit_events(db, kind, listing.id)) == 1


def test_a_pending_member_cannot_edit(client: Client, db: Session) -> None:
    owner = factories.user(db)
    organisation = factories.supplier(db, owner)
    pitch = factories.pitch(db, owner, organisation)
    applicant = factories.user(db)
    factories.pending_member(db, applicant, organisation)
    client.sign_in(applicant.email, factories.PASSWORD)

    assert client.api("PUT", f"/api/v1/pitches/{pitch.id}", body("pitch", title="Changed title")).status_code == 404
    assert client.get(f"/pitches/{pitch.id}/edit").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_a_withdrawn_listing_is_404_to_others_and_visible_to_its_members(
    client: Client, other_client: Client, db: Session, kind: str
) -> None:
    plural, model = KINDS[kind]
    owner = factories.user(db)
    colleague = factories.user(db)
    organisation = factories.supplier(db, owner, colleague)
    listing = factories.pitch(db, owner, organisation) if kind == "pitch" else factories.offer(db, owner, organisation)
    service.set_status(db, factories.viewer(db, owner), model, listing.id, ListingStatus.WITHDRAWN)
    outsider = factories.user(db)
    other_client.sign_in(outsider.email, factories.PASSWORD)

    for path in (f"/{plural}/{listing.id}", f"/api/v1/{plural}/{listing.id}"):
        assert other_client.get(path).status_code == 404, path
    listed = other_client.get(f"/api/v1/{plural}").json()
    assert listing.id not in [hit["id"] for hit in listed["results"]]

    client.sign_in(colleague.email, factories.PASSWORD)
    assert client.get(f"/{plural}/{listing.id}").status_code == 200
    assert client.get(f"/api/v1/{plural}/{listing.id}").json()["status"] == "withdrawn"


def test_anonymous_visitors_get_404_for_a_withdrawn_listing(client: Client, db: Session) -> None:
    owner = factories.user(db)
    organisation = factories.supplier(db, owner)
    pitch = factories.pitch(db, owner, organisation)
    service.set_status(
        db,
        Viewer(user_id=owner.id, organisation_ids=frozenset({organisation.id})),
        Pitch,
        pitch.id,
        ListingStatus.WITHDRAWN,
    )

    assert client.get(f"/pitches/{pitch.id}").status_code == 404
    assert client.get(f"/api/v1/pitches/{pitch.id}").status_code == 404


def test_the_lists_show_published_listings_newest_first(client: Client, db: Session) -> None:
    owner = factories.user(db)
    organisation = factories.supplier(db, owner)
    first = factories.pitch(db, owner, organisation, title="First pitch published")
    second = factories.pitch(db, owner, organisation, title="Second pitch published")
    offer = factories.offer(db, owner, organisation)

    pitches = client.get("/api/v1/pitches").json()
    offers = client.get("/api/v1/offers").json()

    assert [hit["id"] for hit in pitches["results"]][:2] == [second.id, first.id]
    assert {hit["kind"] for hit in pitches["results"]} == {"pitch"}
    assert [hit["id"] for hit in offers["results"]] == [offer.id]


@pytest.mark.parametrize("kind", KINDS)
def test_withdraw_and_republish_through_the_api(client: Client, other_client: Client, db: Session, kind: str) -> None:
    plural, _ = KINDS[kind]
    owner = factories.user(db)
    organisation = factories.supplier(db, owner)
    listing = factories.pitch(db, owner, organisation) if kind == "pitch" else factories.offer(db, owner, organisation)
    outsider = factories.user(db)
    other_client.sign_in(outsider.email, factories.PASSWORD)
    client.sign_in(owner.email, factories.PASSWORD)

    assert other_client.api("POST", f"/api/v1/{plural}/{listing.id}/status", {"status": "withdrawn"}).status_code == 404
    bad = client.api("POST", f"/api/v1/{plural}/{listing.id}/status", {"status": "deleted"})
    assert bad.status_code == 422 and "status" in bad.json()["errors"]

    withdrawn = client.api("POST", f"/api/v1/{plural}/{listing.id}/status", {"status": "withdrawn"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert other_client.get(f"/api/v1/{plural}/{listing.id}").status_code == 404
    assert factories.audit_events(db, kind, listing.id, f"{kind}.withdrawn")

    republished = client.api("POST", f"/api/v1/{plural}/{listing.id}/status", {"status": "published"})
    assert republished.status_code == 200
    assert other_client.get(f"/api/v1/{plural}/{listing.id}").status_code == 200
