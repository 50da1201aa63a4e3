"""The offer form pre-selects no price model: whoever publishes chooses, and is told plainly if they do not."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from exchange.listings.models import Offer
from tests import factories
from tests.client import Client

OFFER = {"title": "Repairs reporting with photos", "summary": "Tenants report repairs with photos and book a visit."}
MESSAGE = "Choose how the offer is priced: free, a price, or priced on request"


def signed_in_supplier(client: Client, db: Session) -> int:
    person = factories.user(db)
    organisation = factories.supplier(db, person)
    client.sign_in(person.email, factories.PASSWORD)
    return organisation.id


def test_the_new_offer_form_has_no_price_model_chosen(client: Client, db: Session) -> None:
    signed_in_supplier(client, db)
    page = client.get("/offers/new").text
    price_radios = re.findall(r'<input[^>]*name="price_model"[^>]*>', page)
    assert len(price_radios) == 6
    assert not any("checked" in radio for radio in price_radios)


def test_an_offer_without_a_price_model_is_refused_and_nothing_is_published(client: Client, db: Session) -> None:
    organisation_id = signed_in_supplier(client, db)

    page = client.post("/offers/new", {**OFFER, "organisation_id": str(organisation_id), "price_amount": "1200"})
    api = client.api("POST", "/api/v1/offers", {**OFFER, "organisation_id": organisation_id, "price_amount": 1200})

    assert page.status_code == 422 and MESSAGE in page.text and 'href="#price_model"' in page.text
    assert 'value="1200"' in page.text  # what was typed is kept
    assert api.status_code == 422 and api.json()["errors"]["price_model"] == MESSAGE
    assert factories.count(db, Offer) == 0


def test_a_chosen_price_model_is_what_is_published(client: Client, db: Session) -> None:
    organisation_id = signed_in_supplier(client, db)
    form = {**OFFER, "organisation_id": str(organisation_id), "price_model": "subscription", "price_amount": "1200"}
    assert client.post("/offers/new", form).status_code == 303
    [offer] = db.query(Offer).all()
    assert (offer.price_model.value, offer.price_amount, offer.is_free) == ("subscription", 1200, False)


@pytest.mark.parametrize(
    ("typed", "stored"), [("8,000", 8000), ("£8,000", 8000), ("£ 8,000.00", 8000), ("8000.50", 8001)]
)
def test_the_price_is_taken_as_people_type_money(client: Client, db: Session, typed: str, stored: int) -> None:
    organisation_id = signed_in_supplier(client, db)
    form = {**OFFER, "organisation_id": str(organisation_id), "price_model": "one_off", "price_amount": typed}
    assert client.post("/offers/new", form).status_code == 303
    assert db.query(Offer).one().price_amount == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("8k", "must be an amount in numbers"),
        ("-8,000", "must be £0 or more"),
        ("8000.505", "must have no more than 2 numbers after"),
    ],
)
def test_a_price_that_is_not_money_is_refused(client: Client, db: Session, typed: str, message: str) -> None:
    organisation_id = signed_in_supplier(client, db)
    form = {**OFFER, "organisation_id": str(organisation_id), "price_model": "one_off", "price_amount": typed}
    page = client.post("/offers/new", form)
    assert page.status_code == 422 and f"The price {message}" in page.text and f'value="{typed}"' in page.text
    assert factories.count(db, Offer) == 0
