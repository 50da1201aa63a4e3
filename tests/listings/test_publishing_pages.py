"""Suppliers publish, edit, withdraw and republish pitches and offers through the pages; each change is audited."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.listings.models import ListingStatus, Offer, Pitch, PriceModel
from exchange.organisations.models import Organisation
from tests import factories
from tests.client import Client

KINDS = {"pitch": ("pitches", Pitch), "offer": ("offers", Offer)}


def form(kind: str, organisation_id: int, **fields: str) -> dict[str, str]:
    values = {
        "organisation_id": str(organisation_id),
        "title": "Participatory budgeting kit",
        "summary": "Residents vote on how to spend part of the budget.",
        "description": "Workshops, an online vote and a report.\n\nUsed by three councils.",
        "tags": "Budgets, engagement, budgets",
        **fields,
    }
    if kind == "offer":
        values.setdefault("price_model", "day_rate")
        values.setdefault("price_amount", "650")
    return values


@dataclass
class Publisher:
    client: Client
    person: User
    organisation: Organisation


@pytest.fixture
def publisher(client: Client, db: Session) -> Publisher:
    person = factories.user(db, "publisher@civic.example")
    organisation = factories.supplier(db, person, name="Civic Kits Ltd")
    client.sign_in(person.email, factories.PASSWORD)
    return Publisher(client, person, organisation)


@pytest.mark.parametrize("kind", KINDS)
def test_publishing_through_the_form(publisher: Publisher, db: Session, kind: str) -> None:
    client, organisation_id = publisher.client, publisher.organisation.id
    plural, model = KINDS[kind]
    category = factories.categories(db, 1)[0]
    region = factories.regions(db, 1)[0]
    assert client.get(f"/{plural}/new").status_code == 200

    response = client.post(
        f"/{plural}/new", form(kind, organisation_id, category_id=str(category.id), region_id=str(region.id))
    )

    assert response.status_code == 303
    listing = db.scalars(select(model).where(model.organisation_id == organisation_id)).one()
    assert response.headers["location"] == f"/{plural}/{listing.id}"
    assert listing.title == "Participatory budgeting kit"
    assert listing.tags == ["budgets", "engagement"]
    assert (listing.category_id, listing.region_id) == (category.id, region.id)
    assert listing.status is ListingStatus.PUBLISHED
    if isinstance(listing, Offer):
        assert (listing.price_model, listing.price_amount) == (PriceModel.DAY_RATE, 650)
    [event] = factories.audit_events(db, kind, listing.id)
    assert event.action == f"{kind}.published"
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert "Participatory budgeting kit" in page.text and "Civic Kits Ltd" in page.text
    assert "Your " + kind + " is published." in page.text


@pytest.mark.parametrize("kind", KINDS)
def test_editing_through_the_form(publisher: Publisher, db: Session, kind: str) -> None:
    client, organisation_id = publisher.client, publisher.organisation.id
    plural, model = KINDS[kind]
    client.post(f"/{plural}/new", form(kind, organisation_id))
    listing = db.scalars(select(model).where(model.organisation_id == organisation_id)).one()
    edit_page = client.get(f"/{plural}/{listing.id}/edit")
    assert edit_page.status_code == 200 and 'value="Participatory budgeting kit"' in edit_page.text

    changes = {"title": "Street lighting sensors", "price_model": "free", "price_amount": ""}
    response = client.post(f"/{plural}/{listing.id}/edit", form(kind, organisation_id, **changes))

    assert response.status_code == 303 and response.headers["location"] == f"/{plural}/{listing.id}"
    db.refresh(listing)
    assert listing.title == "Street lighting sensors"
    if isinstance(listing, Offer):
        assert (listing.price_model, listing.price_amount, listing.is_free) == (PriceModel.FREE, None, True)
    assert [e.action for e in factories.audit_events(db, kind, listing.id)] == [f"{kind}.published", f"{kind}.updated"]


@pytest.mark.parametrize("kind", KINDS)
def test_withdrawing_and_publishing_again(publisher: Publisher, other_client: Client, db: Session, kind: str) -> None:
    client, organisation_id = publisher.client, publisher.organisation.id
    plural, model = KINDS[kind]
    client.post(f"/{plural}/new", form(kind, organisation_id))
    listing = db.scalars(select(model).where(model.organisation_id == organisation_id)).one()
    url = f"/{plural}/{listing.id}"

    withdrawn = client.post(f"{url}/status", {"status": "withdrawn"})

    assert withdrawn.status_code == 303
    db.refresh(listing)
    assert listing.status is ListingStatus.WITHDRAWN
    own_view = client.get(url)
    assert own_view.status_code == 200 and "Withdrawn: only your organisation can see this" in own_view.text
    assert other_client.get(url).status_code == 404

    again = client.post(f"{url}/status", {"status": "published"})

    assert again.status_code == 303
    db.refresh(listing)
    assert listing.status is ListingStatus.PUBLISHED
    assert other_client.get(url).status_code == 200
    assert [e.action for e in factories.audit_events(db, kind, listing.id)] == [
        f"{kind}.published",
        f"{kind}.withdrawn",
        f"{kind}.published",
    ]


def test_an_unknown_status_is_refused_and_changes_nothing(publisher: Publisher, db: Session) -> None:
    pitch = factories.pitch(db, publisher.person, publisher.organisation)

    response = publisher.client.post(f"/pitches/{pitch.id}/status", {"status": "deleted"})

    assert response.status_code == 422
    db.refresh(pitch)
    assert pitch.status is ListingStatus.PUBLISHED
    assert len(factories.audit_events(db, "pitch", pitch.id)) == 1


def test_a_supplier_with_no_active_organisation_is_told_why_instead_of_a_form(client: Client, db: Session) -> None:
    person = factories.user(db)
    client.sign_in(person.email, factories.PASSWORD)

    page = client.get("/pitches/new")

    assert page.status_code == 200
    assert "you are not an active member of one yet" in page.text
