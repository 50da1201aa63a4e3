"""Every form's validation errors are said in the exchange's own words, stating the rule, never Pydantic's."""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from pydantic_settings import BaseSettings
from sqlalchemy.orm import Session

import exchange
from exchange.core.forms import field_errors
from tests import factories
from tests.client import Client

# Pydantic's developer wording, which must never reach a person.
PYDANTIC_PHRASES = re.compile(
    r"Input should|String should|Field required|value is not a valid|Value error|Assertion failed|"
    r"relative URL|should have at|should be a valid|Extra inputs|unable to parse|input_value|\[type=",
    re.IGNORECASE,
)
BAD_VALUES: list[Any] = [
    "",
    "x",
    "x" * 20_001,
    "-5",
    "1.5",
    "not a number",
    "99999999999999999999999",
    "31/2/2027",
    "2027-13-45",
    "tidyloop",
    "ftp://tidyloop.example",
    "https://",
    "Hello\x00there",
    ["a", "b"],
    {"nested": 1},
    None,
    10**30,
]


def every_schema() -> list[type[BaseModel]]:
    """Every Pydantic model the exchange defines: the forms, and what its API accepts."""
    for module in pkgutil.walk_packages(exchange.__path__, "exchange."):
        if module.name.endswith((".schemas", ".forms")) or ".schemas." in module.name:
            importlib.import_module(module.name)
    found: dict[str, type[BaseModel]] = {}
    pending = list(BaseModel.__subclasses__())
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if model.__module__.startswith("exchange.") and not issubclass(model, BaseSettings):
            found[f"{model.__module__}.{model.__qualname__}"] = model
    return [found[name] for name in sorted(found)]


SCHEMAS = every_schema()


def messages_for(schema: type[BaseModel], data: dict[str, Any]) -> list[str]:
    try:
        schema.model_validate(data)
    except ValidationError as error:
        return list(field_errors(error).values())
    return []


def test_the_search_for_schemas_finds_the_forms() -> None:
    names = {schema.__name__ for schema in SCHEMAS}
    assert {"SignUp", "NeedForm", "IdentityForm", "OrganisationEdit", "FeedbackForm", "ScoreForm"} <= names
    assert len(SCHEMAS) > 40


@pytest.mark.parametrize("schema", SCHEMAS, ids=[schema.__name__ for schema in SCHEMAS])
def test_every_way_a_form_fails_is_said_in_the_exchanges_words(schema: type[BaseModel]) -> None:
    said: set[str] = set(messages_for(schema, {}))
    for field in schema.model_fields:
        for value in BAD_VALUES:
            said.update(messages_for(schema, {field: value}))
    for message in said:
        assert not PYDANTIC_PHRASES.search(message), f"{schema.__name__}: {message!r}"
        assert message[:1].isupper(), f"{schema.__name__}: {message!r} does not start a sentence"


def test_a_short_answer_is_told_the_minimum() -> None:
    from exchange.needs.schemas import NEED_LABELS, NeedForm

    with pytest.raises(ValidationError) as raised:
        NeedForm.model_validate({"title": "Bins", "summary": "Too short", "problem_statement": ""})
    messages = field_errors(raised.value, NEED_LABELS)
    assert messages["summary"] == "Summary must be 10 characters or more"
    assert messages["title"] == "Title must be 5 characters or more"
    assert messages["problem_statement"].startswith("Enter ")


def test_a_need_with_a_nine_character_summary_is_told_the_rule_on_the_page(client: Client, db: Session) -> None:
    officer = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    client.sign_in(officer.email, factories.PASSWORD)
    form = {
        "organisation_id": str(council.id),
        "title": "Reduce missed bin collections",
        "summary": "Too short",
        "problem_statement": "Crews cannot see reports until the next day, so missed bins stay out for a week.",
        "visibility": "public",
    }
    response = client.post("/needs/new", form)
    assert response.status_code == 422
    assert "Summary must be 10 characters or more" in response.text
    assert not PYDANTIC_PHRASES.search(response.text)


def test_a_website_typed_without_https_is_accepted_and_a_bad_one_is_explained(client: Client, db: Session) -> None:
    founder = factories.user(db)
    organisation = factories.supplier(db, founder, name="Tidyloop Ltd")
    client.sign_in(founder.email, factories.PASSWORD)
    edit = f"/organisations/{organisation.slug}/edit"

    refused = client.post(edit, {"name": "Tidyloop Ltd", "website": "tidyloop"})
    assert refused.status_code == 422
    assert "Enter a website address, like www.example.org" in refused.text
    assert not PYDANTIC_PHRASES.search(refused.text)

    assert client.post(edit, {"name": "Tidyloop Ltd", "website": "tidyloop.example"}).status_code == 303
    db.refresh(organisation)
    assert organisation.website == "https://tidyloop.example/"


def test_the_api_says_the_rule_too(client: Client, db: Session) -> None:
    officer = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    client.sign_in(officer.email, factories.PASSWORD)
    response = client.api(
        "POST",
        "/api/v1/needs",
        {"organisation_id": council.id, "title": "Bins", "summary": "Too short", "problem_statement": "x" * 30},
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["summary"] == "The summary must be 10 characters or more"
    assert not any(PYDANTIC_PHRASES.search(message) for message in errors.values())
