"""A need saved from the form is a draft: only its council sees it (404 for everyone else), it is nowhere
suppliers look, and it goes public only when the council publishes it with dates that are in the future and
in order. Publishing tells suppliers what posting a need used to tell them at once."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.audit.models import AuditEvent
from exchange.core.models import utcnow
from exchange.matching import service as matching
from exchange.matching.documents import refresh_supplier
from exchange.needs import service as needs
from exchange.needs.models import Need, NeedStage
from exchange.notifications.models import Notification
from exchange.organisations.models import Organisation
from exchange.payments.models import Subscription
from exchange.profiles.completeness import today
from exchange.proposals.models import NeedProcurement
from exchange.search.models import SearchDocument
from tests import factories
from tests.client import Client

TITLE = "Sensors that warn of damp in council homes"


@dataclass
class Council:
    organisation: Organisation
    officer: User
    other_officer: User
    supplier: User
    admin: User


@pytest.fixture
def council(db: Session) -> Council:
    officer = factories.officer(db, "BUN")
    organisation = factories.council(db, "BUN")
    other_officer = factories.officer(db, "MAN")
    supplier = factories.user(db)
    factories.supplier(db, supplier)
    return Council(organisation, officer, other_officer, supplier, factories.admin(db))


def draft(db: Session, council: Council, **fields: Any) -> Need:
    return factories.need(db, council.officer, council.organisation, draft=True, title=TITLE, **fields)


def dates(db: Session, need: Need, **values: date | None) -> None:
    db.add(NeedProcurement(need_id=need.id, **values))
    db.flush()


def days(n: int) -> date:
    return today() + timedelta(days=n)


def as_(client: Client, person: User | None) -> Client:
    assert client.http is not None
    client.http.cookies.clear()
    if person is not None:
        client.sign_in(person.email, factories.PASSWORD)
    return client


def written(db: Session) -> list[Any]:
    return [
        factories.count(db, AuditEvent),
        factories.count(db, SearchDocument),
        factories.count(db, Need, Need.published_at.is_not(None)),
    ]


def test_saving_the_form_makes_a_draft_the_council_previews(client: Client, db: Session, council: Council) -> None:
    as_(client, council.officer)
    form = {
        "title": TITLE,
        "summary": "Tenants report damp too late to stop the mould.",
        "problem_statement": "We hear of damp only when mould has grown; sensors could warn us months sooner.",
        "visibility": "public",
        "organisation_id": str(council.organisation.id),
        "budget_min": "£8,000",
        "budget_max": "£ 20,000.00",
    }
    response = client.post("/needs/new", form)

    assert response.status_code == 303
    need = db.scalars(select(Need).where(Need.title == TITLE)).one()
    assert need.is_draft and (need.budget_min, need.budget_max) == (8000, 20000)
    assert response.headers["location"] == f"/needs/{need.id}/preview"
    assert factories.count(db, SearchDocument, SearchDocument.kind == "need", SearchDocument.item_id == need.id) == 0
    preview = html.unescape(client.get(f"/needs/{need.id}/preview").text)
    assert "Check your need before you publish it" in preview and TITLE in preview
    assert "£8,000 to £20,000" in preview  # the need as suppliers will see it
    assert f'action="/needs/{need.id}/publish"' in preview and f'href="/needs/{need.id}/edit"' in preview
    assert "Manage this need" not in preview  # no council controls in what suppliers will see


@pytest.mark.parametrize("who", ["anonymous", "supplier", "other council", "administrator"])
def test_a_draft_is_404_to_everyone_but_its_council(client: Client, db: Session, council: Council, who: str) -> None:
    need = draft(db, council)
    person = {
        "anonymous": None,
        "supplier": council.supplier,
        "other council": council.other_officer,
        "administrator": council.admin,
    }[who]
    as_(client, person)
    before = written(db)
    for path in ("", "/procurement", "/clarifications/new"):
        assert client.get(f"/needs/{need.id}{path}").status_code in (303, 404), path
    for path in ("", "/ocds", "/procurement"):
        assert client.get(f"/api/v1/needs/{need.id}{path}").status_code == 404, path
    if person is not None:
        assert client.get(f"/needs/{need.id}/preview").status_code == 404
        assert client.post(f"/needs/{need.id}/publish").status_code == 404
    assert written(db) == before and need.is_draft

    as_(client, council.officer)
    assert client.get(f"/needs/{need.id}").status_code == 200
    assert client.get(f"/api/v1/needs/{need.id}").json()["published_at"] is None


def test_a_draft_is_in_no_search_feed_published_data_or_home_page(
    client: Client, db: Session, council: Council
) -> None:
    need = draft(db, council)
    needs.change_stage(db, factories.viewer(db, council.officer), need.id, NeedStage.OPEN_FOR_PROPOSALS)
    dates(db, need, opens_on=days(0), closes_on=days(30))

    def seen_anywhere(person: User | None) -> list[str]:
        as_(client, person)
        places = {
            "search": client.get("/search?q=damp").text,
            "api search": client.get("/api/v1/needs?q=damp").text,
            "feed": client.get("/needs.atom").text,
            "ocds": client.get("/api/v1/ocds/releases").text,
            "home": client.get("/").text,
        }
        return [place for place, text in places.items() if TITLE in html.unescape(text)]

    assert seen_anywhere(None) == []
    assert seen_anywhere(council.supplier) == []
    assert seen_anywhere(council.admin) == []

    as_(client, council.officer)
    assert client.post(f"/needs/{need.id}/publish").status_code == 303
    assert set(seen_anywhere(None)) == {"search", "api search", "feed", "ocds", "home"}


def test_the_dashboard_lists_the_councils_drafts(client: Client, db: Session, council: Council) -> None:
    need = draft(db, council)
    published = factories.need(db, council.officer, council.organisation, title="Already public need")
    page = as_(client, council.officer).get("/dashboard").text
    assert "Your drafts" in page and f'href="/needs/{need.id}/preview"' in page
    drafts_part = page.split("Your drafts")[1].split("Your needs")[0]
    assert published.title not in drafts_part
    assert "Your drafts" not in as_(client, council.other_officer).get("/dashboard").text


def test_editing_a_draft_goes_back_to_its_preview(client: Client, db: Session, council: Council) -> None:
    need = draft(db, council)
    as_(client, council.officer)
    form = {
        "title": "Sensors that warn of damp early",
        "summary": need.summary,
        "problem_statement": need.problem_statement,
        "visibility": "public",
        "organisation_id": str(council.organisation.id),
    }
    response = client.post(f"/needs/{need.id}/edit", form)
    assert response.headers["location"] == f"/needs/{need.id}/preview"
    db.refresh(need)
    assert need.is_draft and need.title == "Sensors that warn of damp early"


BAD_DATES = [
    ({"opens_on": -20, "closes_on": -1}, "closes_on", "The date proposals close must be in the future"),
    ({"opens_on": 1, "closes_on": 0}, "closes_on", "The date proposals close must be in the future"),
    ({"opens_on": 1, "closes_on": 20, "questions_close_on": 20}, "closes_on", "must be after the questions close"),
    ({"opens_on": 1, "closes_on": 20, "questions_close_on": 25}, "closes_on", "must be after the questions close"),
    ({"opens_on": 1, "closes_on": 20, "questions_close_on": -3}, "questions_close_on", "must be in the future"),
    ({"opens_on": -2, "closes_on": 20}, "opens_on", "must be today or in the future"),
    ({}, "closes_on", "Set the date proposals close"),
]


@pytest.mark.parametrize(
    ("offsets", "field", "message"), BAD_DATES, ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD_DATES)]
)
def test_publishing_with_bad_dates_is_refused_and_changes_nothing(
    client: Client, db: Session, council: Council, offsets: dict[str, int], field: str, message: str
) -> None:
    need = draft(db, council)
    needs.change_stage(db, factories.viewer(db, council.officer), need.id, NeedStage.OPEN_FOR_PROPOSALS)
    if offsets:
        dates(db, need, **{name: days(n) for name, n in offsets.items()})
    as_(client, council.officer)
    before = written(db)

    response = client.post(f"/needs/{need.id}/publish")

    assert response.status_code == 422
    text = html.unescape(response.text)
    assert "govuk-error-summary" in text and f'href="#{field}"' in text and f'id="{field}"' in text
    assert message in text
    assert written(db) == before and need.is_draft
    assert as_(client, council.supplier).get(f"/needs/{need.id}").status_code == 404


def _subscribe(db: Session, organisation_id: int) -> None:
    db.add(
        Subscription(
            organisation_id=organisation_id,
            stripe_subscription_id=f"sub_drafts_{organisation_id}",
            plan_key="supplier_plus",
            price_lookup_key="supplier_plus_monthly",
            status="active",
            current_period_end=utcnow() + timedelta(days=20),
            cancel_at_period_end=False,
        )
    )
    db.flush()


def test_publishing_with_good_dates_makes_it_public_and_alerts_matching_suppliers(
    client: Client, db: Session, council: Council
) -> None:
    founder = factories.user(db)
    supplier = factories.supplier(db, founder, name="Damp Watch Ltd")
    factories.pitch(db, founder, supplier, title="Sensors that warn of damp in council homes before mould")
    refresh_supplier(db, supplier.id)
    _subscribe(db, supplier.id)
    need = draft(db, council)
    needs.change_stage(db, factories.viewer(db, council.officer), need.id, NeedStage.EARLY_MARKET_ENGAGEMENT)
    dates(db, need, opens_on=days(0), questions_close_on=days(10), closes_on=days(20))
    db.commit()
    alerts = select(Notification).where(Notification.user_id == founder.id, Notification.kind == "opportunity_alert")
    assert list(db.scalars(alerts)) == []  # a draft alerts nobody
    matched = [o.need.id for o in matching.opportunities(db, factories.viewer(db, founder), supplier.id, 50)]
    assert need.id not in matched  # nor is it among the supplier's opportunities

    response = as_(client, council.officer).post(f"/needs/{need.id}/publish")

    assert response.status_code == 303 and response.headers["location"] == f"/needs/{need.id}"
    db.expire_all()
    assert not db.get_one(Need, need.id).is_draft
    assert factories.audit_events(db, "need", need.id, "need.published")
    assert factories.count(db, SearchDocument, SearchDocument.kind == "need", SearchDocument.item_id == need.id) == 1
    assert len(list(db.scalars(alerts))) == 1
    matched = [o.need.id for o in matching.opportunities(db, factories.viewer(db, founder), supplier.id, 50)]
    assert need.id in matched
    assert as_(client, council.supplier).get(f"/needs/{need.id}").status_code == 200
    # Published once: the preview and a second publish are gone.
    as_(client, council.officer)
    assert client.get(f"/needs/{need.id}/preview").status_code == 404
    assert client.post(f"/needs/{need.id}/publish").status_code == 404


def test_the_api_publishes_a_new_need_at_once(client: Client, db: Session, council: Council) -> None:
    as_(client, council.officer)
    body = {
        "organisation_id": council.organisation.id,
        "title": TITLE,
        "summary": "Tenants report damp too late to stop the mould.",
        "problem_statement": "We hear of damp only when mould has grown; sensors could warn us months sooner.",
        "budget_max": 20000,
    }
    response = client.api("POST", "/api/v1/needs", body)
    assert response.status_code == 201, response.text
    assert response.json()["published_at"] is not None
    assert as_(client, None).get(f"/needs/{response.json()['id']}").status_code == 200


@pytest.mark.parametrize(("typed", "message"), [("8k", "in numbers"), ("-500", "£0 or more"), ("1.005", "2 numbers")])
def test_a_budget_that_is_not_money_is_refused(
    client: Client, db: Session, council: Council, typed: str, message: str
) -> None:
    as_(client, council.officer)
    form = {
        "title": TITLE,
        "summary": "Tenants report damp too late to stop the mould.",
        "problem_statement": "We hear of damp only when mould has grown; sensors could warn us months sooner.",
        "organisation_id": str(council.organisation.id),
        "budget_max": typed,
    }
    before = written(db)
    response = client.post("/needs/new", form)
    assert response.status_code == 422 and f'value="{typed}"' in response.text
    assert "The highest budget must" in response.text and message in html.unescape(response.text)
    assert written(db) == before and factories.count(db, Need) == 0
