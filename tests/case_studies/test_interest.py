"""Others say "we want to try this" once per organisation, and can withdraw it; it is counted on the page and
in the list, audited, and works as a plain form and in place with HTMX."""

from __future__ import annotations

import html

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.case_studies.models import CaseStudyInterest
from tests import factories
from tests.case_studies.conftest import World, create, htmx, sign_in, written
from tests.client import Client


def test_another_council_wants_to_try_it_once_and_can_withdraw(client: Client, db: Session, world: World) -> None:
    case_study = create(db, world)
    sign_in(client, world.other_officer)
    page = client.get(f"/case-studies/{case_study.id}")
    assert "No one has said they want to try this yet." in page.text
    assert f'name="organisation_id" value="{world.other_council.id}"' in page.text

    response = client.post(f"/case-studies/{case_study.id}/interest", {"organisation_id": world.other_council.id})

    assert response.status_code == 303 and response.headers["location"].endswith("#interest")
    interest = db.scalars(select(CaseStudyInterest)).one()
    assert (interest.organisation_id, interest.created_by_id) == (world.other_council.id, world.other_officer.id)
    assert factories.audit_events(db, "case_study", case_study.id, "case_study.interest_added")
    # Once per organisation: marking again changes nothing.
    again = client.post(f"/case-studies/{case_study.id}/interest", {"organisation_id": world.other_council.id})
    assert again.status_code == 303 and len(db.scalars(select(CaseStudyInterest)).all()) == 1

    for person in (None, world.officer):
        sign_in(client, person)
        shown = html.unescape(client.get(f"/case-studies/{case_study.id}").text)
        assert "organisation wants to try this" in shown and world.other_council.name in shown
        listed = html.unescape(client.get("/case-studies").text)
        assert "<strong>1</strong> organisation wants to try this" in listed
    assert client.get(f"/api/v1/case-studies/{case_study.id}").json()["interest_count"] == 1
    assert client.get("/api/v1/case-studies").json()["results"][0]["interest_count"] == 1

    sign_in(client, world.other_officer)
    withdrawn = client.post(
        f"/case-studies/{case_study.id}/interest/withdraw", {"organisation_id": world.other_council.id}
    )
    assert withdrawn.status_code == 303 and db.scalars(select(CaseStudyInterest)).all() == []
    assert factories.audit_events(db, "case_study", case_study.id, "case_study.interest_withdrawn")


def test_with_htmx_the_panel_swaps_in_place(client: Client, db: Session, world: World) -> None:
    case_study = create(db, world)
    sign_in(client, world.other_officer)
    response = htmx(client, f"/case-studies/{case_study.id}/interest", {"organisation_id": world.other_council.id})
    assert response.status_code == 200 and "HX-Request" in response.headers["vary"]
    assert response.text.lstrip().startswith('<div class="exchange-case-study-interest" id="interest"')
    assert 'data-announce="' in response.text  # what happened, read out by the page's live region
    assert "<strong>1</strong> organisation wants" in response.text and 'aria-pressed="true"' in response.text
    assert "<html" not in response.text

    response = htmx(
        client, f"/case-studies/{case_study.id}/interest/withdraw", {"organisation_id": world.other_council.id}
    )
    assert response.status_code == 200 and 'aria-pressed="false"' in response.text


def test_authors_strangers_and_drafts_cannot_be_marked(client: Client, db: Session, world: World) -> None:
    case_study = create(db, world)
    draft = create(db, world, publish=False, title="A draft that nobody else may see")
    sign_in(client, world.officer)
    page = client.get(f"/case-studies/{case_study.id}")
    assert "We want to try this</button>" not in page.text
    before = written(db)
    refused = client.post(f"/case-studies/{case_study.id}/interest", {"organisation_id": world.council.id})
    assert refused.status_code == 422
    sign_in(client, world.supplier_admin)
    refused = client.post(f"/case-studies/{case_study.id}/interest", {"organisation_id": world.supplier.id})
    assert refused.status_code == 422
    sign_in(client, world.other_officer)
    # Acting for an organisation one is not a member of.
    refused = client.post(f"/case-studies/{case_study.id}/interest", {"organisation_id": world.supplier.id})
    assert refused.status_code == 422
    assert client.post(f"/case-studies/{case_study.id}/interest", {"organisation_id": "x"}).status_code == 422
    assert (
        client.post(f"/case-studies/{draft.id}/interest", {"organisation_id": world.other_council.id}).status_code
        == 404
    )
    assert client.post("/case-studies/999999/interest", {"organisation_id": world.other_council.id}).status_code == 404
    sign_in(client, None)
    anonymous = client.post(f"/case-studies/{case_study.id}/interest", {"organisation_id": world.other_council.id})
    assert anonymous.status_code in (303, 401)
    assert written(db) == before


def test_a_supplier_that_did_not_do_the_work_can_want_to_try_it(client: Client, db: Session, world: World) -> None:
    case_study = create(db, world)
    person = factories.user(db, "sam@another.example")
    another = factories.supplier(db, person, name="Another Supplier Ltd")
    sign_in(client, person)
    response = client.post(f"/case-studies/{case_study.id}/interest", {"organisation_id": another.id})
    assert response.status_code == 303
    assert db.scalars(select(CaseStudyInterest.organisation_id)).all() == [another.id]
