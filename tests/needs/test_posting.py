"""Councils post and edit needs through the pages and the API; bad input and final stages change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.audit.models import AuditEvent
from exchange.needs.models import Need, NeedStage, Visibility
from exchange.search.models import SearchDocument
from tests import factories
from tests.client import Client

GOOD: dict[str, Any] = {
    "title": "Reduce missed bin collections",
    "summary": "Residents report missed bins too late for us to act.",
    "problem_statement": "Crews cannot see reports until the next day, so missed bins stay out for a week.",
    "users": "Residents and waste crews",
    "visibility": "public",
    "budget_min": 5000,
    "budget_max": 20000,
    "tags": "waste, bins",
}


def written(db: Session) -> list[int]:
    return [factories.count(db, model) for model in (Need, AuditEvent, SearchDocument)]


def as_form(values: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in values.items()}


@pytest.fixture
def officer(db: Session) -> User:
    return factories.officer(db, "BUN")


@pytest.fixture
def officer_client(client: Client, officer: User) -> Client:
    client.sign_in(officer.email, factories.PASSWORD)
    return client


def test_posting_a_need_through_the_form(officer_client: Client, db: Session) -> None:
    council = factories.council(db, "BUN")
    category = factories.categories(db, 1)[0]
    new_form = officer_client.get("/needs/new")
    assert new_form.status_code == 200 and "Post a need" in new_form.text

    response = officer_client.post(
        "/needs/new", as_form({**GOOD, "organisation_id": council.id, "category_id": category.id})
    )

    assert response.status_code == 303
    need = db.scalars(select(Need).where(Need.organisation_id == council.id)).one()
    assert response.headers["location"] == f"/needs/{need.id}/preview"
    assert need.is_draft
    assert (need.title, need.stage, need.visibility) == (GOOD["title"], NeedStage.IDEA, Visibility.PUBLIC)
    assert (need.budget_min, need.budget_max) == (5000, 20000)
    assert need.tags == ["waste", "bins"] and need.category_id == category.id
    [event] = factories.audit_events(db, "need", need.id)
    assert (event.action, event.data) == ("need.created", {"stage": "idea"})
    page = officer_client.get(f"/needs/{need.id}/preview")
    assert "£5,000 to £20,000" in page.text and "Your draft is saved." in page.text


def test_posting_a_need_through_the_api(officer_client: Client, db: Session) -> None:
    council = factories.council(db, "BUN")

    response = officer_client.api(
        "POST",
        "/api/v1/needs",
        {**GOOD, "organisation_id": council.id, "tags": ["waste"], "visibility": "organisation"},
    )

    assert response.status_code == 201, response.text
    created = response.json()
    assert created["stage"] == "idea" and created["visibility"] == "organisation"
    # One closing date, set with the need's other procurement dates: the need itself has none of its own.
    assert created["budget_max"] == 20000 and "deadline" not in created
    assert factories.audit_events(db, "need", created["id"], "need.created")


def test_editing_a_need_through_the_form_and_the_api(officer_client: Client, officer: User, db: Session) -> None:
    need = factories.need(db, officer, factories.council(db, "BUN"))
    assert 'value="Digital budget consultation"' in officer_client.get(f"/needs/{need.id}/edit").text

    page = officer_client.post(f"/needs/{need.id}/edit", as_form({**GOOD, "title": "Edited on the page"}))
    api = officer_client.api("PUT", f"/api/v1/needs/{need.id}", {**GOOD, "title": "Edited through the API"})

    assert page.status_code == 303 and api.status_code == 200
    db.refresh(need)
    assert need.title == "Edited through the API"
    assert [e.action for e in factories.audit_events(db, "need", need.id)] == [
        "need.created",
        "need.updated",
        "need.updated",
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"budget_min": 20000, "budget_max": 5000}, "budget_max"),
        ({"budget_min": -1}, "budget_min"),
        ({"title": "Bins"}, "title"),
        ({"problem_statement": "Too short"}, "problem_statement"),
        ({"visibility": "everyone"}, "visibility"),
        ({"category_id": 999_999}, "category_id"),
        ({"region_id": 999_999}, "region_id"),
        ({"region_required": "true"}, "region_required"),
        ({"required_certifications": "iso_14001"}, "required_certifications"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    officer_client: Client, db: Session, changes: dict[str, Any], field: str
) -> None:
    council = factories.council(db, "BUN")
    before = written(db)

    page = officer_client.post("/needs/new", as_form({**GOOD, **changes, "organisation_id": council.id}))
    api = officer_client.api("POST", "/api/v1/needs", {**GOOD, **changes, "organisation_id": council.id})

    assert page.status_code == 422
    assert "govuk-error-summary" in page.text and f'href="#{field}"' in page.text
    assert api.status_code == 422
    assert field in api.json()["errors"], api.json()
    assert written(db) == before


def test_a_supplier_cannot_post_a_need(client: Client, db: Session) -> None:
    person = factories.user(db)
    organisation = factories.supplier(db, person)
    client.sign_in(person.email, factories.PASSWORD)
    before = written(db)

    form_page = client.get("/needs/new")
    page = client.post("/needs/new", as_form({**GOOD, "organisation_id": organisation.id}))
    api = client.api("POST", "/api/v1/needs", {**GOOD, "organisation_id": organisation.id})

    assert "Needs are posted by council and public body officers" in form_page.text
    assert page.status_code == api.status_code == 422
    assert "organisation_id" in api.json()["errors"]
    assert written(db) == before


def test_an_officer_cannot_post_for_another_council(officer_client: Client, db: Session) -> None:
    other_council = factories.council(db, "MAN")
    before = written(db)

    response = officer_client.api("POST", "/api/v1/needs", {**GOOD, "organisation_id": other_council.id})

    assert response.status_code == 422 and "organisation_id" in response.json()["errors"]
    assert written(db) == before


@pytest.mark.parametrize("stage", [NeedStage.AWARDED, NeedStage.NO_SUITABLE_SUPPLIER, NeedStage.CANCELLED])
def test_a_need_in_a_final_stage_cannot_be_edited(
    officer_client: Client, officer: User, db: Session, stage: NeedStage
) -> None:
    need = factories.need(db, officer, factories.council(db, "BUN"))
    need.stage = stage
    db.flush()
    before = written(db)

    detail = officer_client.get(f"/needs/{need.id}")
    form_page = officer_client.get(f"/needs/{need.id}/edit")
    page = officer_client.post(f"/needs/{need.id}/edit", as_form({**GOOD, "title": "Changed after the end"}))
    api = officer_client.api("PUT", f"/api/v1/needs/{need.id}", {**GOOD, "title": "Changed after the end"})

    assert f"/needs/{need.id}/edit" not in detail.text
    assert form_page.status_code == page.status_code == api.status_code == 409
    assert "can no longer be changed" in api.json()["detail"]
    db.refresh(need)
    assert need.title == "Digital budget consultation"
    assert written(db) == before


def test_a_need_sets_hard_requirements_for_its_matches(officer_client: Client, db: Session) -> None:
    council = factories.council(db, "BUN")
    region = factories.regions(db, 1)[0]
    form: dict[str, Any] = {
        **as_form(GOOD),
        "organisation_id": str(council.id),
        "region_id": str(region.id),
        "region_required": "true",
        "required_certifications": ["iso_27001", "cyber_essentials"],
    }
    response = officer_client.post("/needs/new", form)
    assert response.status_code == 303
    need = db.scalars(select(Need).order_by(Need.id.desc())).first()
    assert need is not None
    assert need.required_certifications == ["cyber_essentials", "iso_27001"] and need.region_required
    edit_page = officer_client.get(f"/needs/{need.id}/edit").text
    assert 'value="iso_27001" checked' in edit_page and 'value="true" checked' in edit_page


def test_a_need_says_whether_the_work_suits_smes_and_vcses(officer_client: Client, db: Session) -> None:
    council = factories.council(db, "BUN")
    form: dict[str, Any] = {**as_form(GOOD), "organisation_id": str(council.id), "suitable_for": ["vcse", "sme"]}
    response = officer_client.post("/needs/new", form)
    assert response.status_code == 303
    need = db.scalars(select(Need).order_by(Need.id.desc())).first()
    assert need is not None and need.suitable_for == ["sme", "vcse"]
    assert 'value="sme" checked' in officer_client.get(f"/needs/{need.id}/edit").text
    assert "SMEs, VCSEs" in officer_client.get(f"/needs/{need.id}").text
    refused = officer_client.post("/needs/new", {**form, "suitable_for": ["charities"]})
    assert refused.status_code == 422
