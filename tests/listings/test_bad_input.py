"""Bad input on a pitch or an offer gets a clear error and writes nothing: a form with a GOV.UK error
summary (422) on the pages, 422 with field errors on the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.audit.models import AuditEvent
from exchange.listings.models import Offer, Pitch
from exchange.organisations.models import Organisation
from exchange.search.models import SearchDocument
from tests import factories
from tests.client import Client

GOOD: dict[str, Any] = {
    "title": "Community energy advice",
    "summary": "Home visits that cut residents' energy bills.",
    "price_model": "free",
}
# (kind, changes to a good submission, the field the error is about)
BAD_INPUT = [
    ("pitch", {"title": "Tiny"}, "title"),
    ("pitch", {"summary": None}, "summary"),
    ("pitch", {"category_id": 999_999}, "category_id"),
    ("pitch", {"region_id": 999_999}, "region_id"),
    ("offer", {"title": "Tiny"}, "title"),
    ("offer", {"summary": None}, "summary"),
    ("offer", {"price_model": "one_off", "price_amount": None}, "price_amount"),
    ("offer", {"price_model": "day_rate", "price_amount": -5}, "price_amount"),
    ("offer", {"price_model": "barter"}, "price_model"),
    ("offer", {"category_id": 999_999}, "category_id"),
    ("offer", {"region_id": 999_999}, "region_id"),
]
PLURAL = {"pitch": "pitches", "offer": "offers"}


@dataclass
class Setting:
    person: User
    organisation: Organisation
    stranger_organisation: Organisation


@pytest.fixture
def setting(client: Client, db: Session) -> Setting:
    person = factories.user(db)
    organisation = factories.supplier(db, person)
    stranger = factories.supplier(db, factories.user(db))
    client.sign_in(person.email, factories.PASSWORD)
    return Setting(person, organisation, stranger)


def written(db: Session) -> list[int]:
    return [factories.count(db, model) for model in (Pitch, Offer, AuditEvent, SearchDocument)]


def submission(organisation_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    values = {**GOOD, "organisation_id": organisation_id, **changes}
    return {key: value for key, value in values.items() if value is not None}


def as_form(values: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in values.items()}


@pytest.mark.parametrize(("kind", "changes", "field"), BAD_INPUT)
def test_the_form_is_shown_again_with_the_error_and_nothing_is_written(
    client: Client, db: Session, setting: Setting, kind: str, changes: dict[str, Any], field: str
) -> None:
    before = written(db)

    response = client.post(f"/{PLURAL[kind]}/new", as_form(submission(setting.organisation.id, changes)))

    assert response.status_code == 422
    assert "govuk-error-summary" in response.text
    assert f'href="#{field}"' in response.text
    assert f'id="{field}-error"' in response.text
    assert written(db) == before


@pytest.mark.parametrize(("kind", "changes", "field"), BAD_INPUT)
def test_the_api_answers_422_with_the_field_error_and_nothing_is_written(
    client: Client, db: Session, setting: Setting, kind: str, changes: dict[str, Any], field: str
) -> None:
    before = written(db)

    response = client.api("POST", f"/api/v1/{PLURAL[kind]}", submission(setting.organisation.id, changes))

    assert response.status_code == 422
    assert field in response.json()["errors"], response.json()
    assert written(db) == before


@pytest.mark.parametrize("kind", PLURAL)
def test_an_organisation_you_are_not_a_member_of_is_refused(
    client: Client, db: Session, setting: Setting, kind: str
) -> None:
    before = written(db)
    values = submission(setting.stranger_organisation.id, {})

    page = client.post(f"/{PLURAL[kind]}/new", as_form(values))
    api = client.api("POST", f"/api/v1/{PLURAL[kind]}", values)

    assert page.status_code == api.status_code == 422
    assert 'href="#organisation_id"' in page.text
    assert "organisation_id" in api.json()["errors"]
    assert written(db) == before


def test_a_council_cannot_publish_pitches(client: Client, db: Session) -> None:
    officer = factories.officer(db)
    council = factories.council(db)
    client.sign_in(officer.email, factories.PASSWORD)
    before = written(db)

    response = client.api("POST", "/api/v1/pitches", submission(council.id, {}))

    assert response.status_code == 422 and "organisation_id" in response.json()["errors"]
    assert written(db) == before


@pytest.mark.parametrize(("kind", "changes", "field"), [BAD_INPUT[0], BAD_INPUT[3], BAD_INPUT[5], BAD_INPUT[6]])
def test_bad_edits_change_nothing(
    client: Client, db: Session, setting: Setting, kind: str, changes: dict[str, Any], field: str
) -> None:
    make = factories.pitch if kind == "pitch" else factories.offer
    listing = make(db, setting.person, setting.organisation)
    before = written(db)

    page = client.post(f"/{PLURAL[kind]}/{listing.id}/edit", as_form(submission(setting.organisation.id, changes)))
    api = client.api("PUT", f"/api/v1/{PLURAL[kind]}/{listing.id}", submission(setting.organisation.id, changes))

    assert page.status_code == api.status_code == 422
    assert f'href="#{field}"' in page.text and field in api.json()["errors"]
    db.refresh(listing)
    assert (listing.title, listing.region_id) != ("Tiny", 999_999) and listing.summary
    assert written(db) == before


def test_an_unverified_email_cannot_publish(client: Client, db: Session) -> None:
    person = factories.user(db, verified=False)
    organisation = factories.supplier(db, person)
    client.sign_in(person.email, factories.PASSWORD)
    before = written(db)

    page = client.post("/pitches/new", as_form(submission(organisation.id, {})))
    api = client.api("POST", "/api/v1/offers", submission(organisation.id, {}))

    assert page.status_code == api.status_code == 403
    assert "Confirm your email address" in page.text
    assert "Confirm your email address" in api.json()["detail"]
    assert written(db) == before
