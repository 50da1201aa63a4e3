"""One text policy for every form, JSON body and import line: control characters and text-direction
overrides are refused with a plain message and nothing is saved; Windows line ends are kept as plain ones;
decimals must be finite."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from exchange.core.forms import FormSchema, field_errors
from exchange.core.text_policy import REMOVE_CONTROL, REMOVE_DIRECTION, clean_text
from exchange.listings.models import Pitch
from exchange.organisations.models import Organisation
from tests import factories
from tests.client import Client


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Tidy\x00loop", REMOVE_CONTROL),
        ("Tidy\x1b[31mloop", REMOVE_CONTROL),
        ("Tidy\x07loop", REMOVE_CONTROL),
        ("Tidy\rloop", REMOVE_CONTROL),
        ("Tidy\x85loop", REMOVE_CONTROL),
        ("Leeds \u202eticnuoC", REMOVE_DIRECTION),
        ("Leeds \u2067City\u2069", REMOVE_DIRECTION),
    ],
)
def test_hidden_characters_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        clean_text(text)


def test_tabs_line_ends_and_other_scripts_are_kept() -> None:
    assert clean_text("First line\r\nSecond\tline\nCymraeg: ŵ ŷ, العربية, 中文") == (
        "First line\nSecond\tline\nCymraeg: ŵ ŷ, العربية, 中文"
    )


def test_a_forms_nested_lists_are_checked_and_the_field_named() -> None:
    class Example(FormSchema):
        title: str
        tags: list[str] = []
        criteria: list[dict[str, str]] = []

    with pytest.raises(ValidationError) as raised:
        Example.model_validate({"title": "Fine", "criteria": [{"name": "Price\x1b"}]})

    assert field_errors(raised.value) == {"criteria": REMOVE_CONTROL}


def test_an_organisation_cannot_be_renamed_to_display_as_another(client: Client, db: Session) -> None:
    owner = factories.user(db)
    organisation = factories.supplier(db, owner)
    name_before = organisation.name
    client.sign_in(owner.email, factories.PASSWORD)

    response = client.post(f"/organisations/{organisation.slug}/edit", {"name": "Leeds \u202eticnuoC ytiC"})

    assert response.status_code == 422
    assert "Remove the hidden characters that change the direction of the text" in response.text
    db.expire_all()
    assert db.get_one(Organisation, organisation.id).name == name_before


def test_an_api_body_with_a_control_character_is_a_422_naming_the_field(client: Client, db: Session) -> None:
    owner = factories.user(db)
    supplier = factories.supplier(db, owner)
    client.sign_in(owner.email, factories.PASSWORD)
    body = {"organisation_id": supplier.id, "title": "A pitch\x1b[2J", "summary": "A summary that is long enough."}

    response = client.api("POST", "/api/v1/pitches", body)

    assert response.status_code == 422
    assert response.json()["errors"] == {"title": REMOVE_CONTROL}
    assert factories.count(db, Pitch) == 0


def test_windows_line_ends_are_stored_as_plain_ones(client: Client, db: Session) -> None:
    owner = factories.user(db)
    supplier = factories.supplier(db, owner)
    client.sign_in(owner.email, factories.PASSWORD)
    body = {
        "organisation_id": supplier.id,
        "title": "A pitch with lines",
        "summary": "A summary that is long enough.",
        "description": "One\r\nTwo",
    }

    response = client.api("POST", "/api/v1/pitches", body)

    assert response.status_code == 201, response.text
    assert db.get_one(Pitch, response.json()["id"]).description == "One\nTwo"


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1e400"])
def test_decimals_must_be_finite(amount: str) -> None:
    class Example(FormSchema):
        share: float

    with pytest.raises(ValidationError):
        Example.model_validate_json(f'{{"share": {amount}}}')
