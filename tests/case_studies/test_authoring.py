"""A council writes a case study as a draft, publishes it, edits it; bad input changes nothing; drafts and
hidden case studies are private; stored text is shown as text."""

from __future__ import annotations

import html

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.case_studies.models import CaseStudy, CaseStudyStatus
from exchange.core.models import utcnow
from tests import factories
from tests.case_studies.conftest import HOSTILE, World, create, form_data, sign_in, written
from tests.client import Client


def test_a_council_officer_writes_a_draft_then_publishes_it(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.officer)
    form = client.get(f"/case-studies/new?need={world.need.id}")
    assert form.status_code == 200 and "Write a case study" in form.text
    # Starting from a need with an outcome fills the need and its winning supplier in.
    assert f'<option value="{world.supplier.id}" selected' in form.text

    response = client.post("/case-studies/new", form_data(world, pitch_ids=[str(world.pitch.id)]))

    assert response.status_code == 303
    case_study = db.scalars(select(CaseStudy)).one()
    assert response.headers["location"] == f"/case-studies/{case_study.id}"
    assert case_study.status is CaseStudyStatus.DRAFT and case_study.organisation_id == world.council.id
    assert (case_study.need_id, case_study.outcome_id) == (world.need.id, world.outcome.id)
    assert case_study.pitch_ids == [world.pitch.id] and case_study.cost == 24_000
    assert case_study.steps == ["Agree the budget lines to show", "Build the simulator", "Run drop-ins in libraries"]
    assert case_study.key_figures == ["1,380 responses", "3 times the response of the year before"]
    # A draft: its council sees it, nobody else does, and it is not listed.
    for person in (None, world.other_officer, world.supplier_admin):
        sign_in(client, person)
        assert client.get(f"/case-studies/{case_study.id}").status_code == 404
        assert client.get(f"/api/v1/case-studies/{case_study.id}").status_code == 404
        assert case_study.title not in client.get("/case-studies").text

    sign_in(client, world.officer)
    page = client.get(f"/case-studies/{case_study.id}")
    assert page.status_code == 200 and "Publish the case study" in page.text
    assert client.post(f"/case-studies/{case_study.id}/publish").status_code == 303
    db.refresh(case_study)
    assert case_study.status is CaseStudyStatus.PUBLISHED and case_study.published_at is not None
    actions = [event.action for event in factories.audit_events(db, "case_study", case_study.id)]
    assert actions == ["case_study.created", "case_study.published"]

    sign_in(client, None)
    shown = html.unescape(client.get(f"/case-studies/{case_study.id}").text)
    assert case_study.title in shown and world.supplier.name in shown and "Budget simulator" in shown
    assert f'href="/needs/{world.need.id}"' in shown and "Run drop-ins in libraries" in shown
    assert "questions to the authors" not in shown  # the placeholder is a template comment, not output
    assert case_study.title in html.unescape(client.get("/case-studies").text)


def test_members_edit_and_take_it_back_to_a_draft_others_cannot(client: Client, db: Session, world: World) -> None:
    case_study = create(db, world)
    colleague = factories.officer(db, "BUN")
    sign_in(client, colleague)
    assert client.get(f"/case-studies/{case_study.id}/edit").status_code == 200
    response = client.post(f"/case-studies/{case_study.id}/edit", form_data(world, title="A better title for it all"))
    assert response.status_code == 303
    db.refresh(case_study)
    assert case_study.title == "A better title for it all"
    assert factories.audit_events(db, "case_study", case_study.id, "case_study.updated")

    for person in (world.other_officer, world.supplier_admin):
        sign_in(client, person)
        before = written(db)
        assert client.get(f"/case-studies/{case_study.id}/edit").status_code == 404
        assert client.post(f"/case-studies/{case_study.id}/edit", form_data(world)).status_code == 404
        assert client.post(f"/case-studies/{case_study.id}/unpublish").status_code == 404
        assert written(db) == before

    sign_in(client, colleague)
    assert client.post(f"/case-studies/{case_study.id}/unpublish").status_code == 303
    db.refresh(case_study)
    assert case_study.status is CaseStudyStatus.DRAFT
    assert client.post(f"/case-studies/{case_study.id}/unpublish").status_code == 409


def test_bad_input_shows_an_error_summary_and_writes_nothing(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.officer)
    someone_elses_need = factories.need(db, world.other_officer, world.other_council)
    other_supplier = factories.supplier(db, factories.user(db), name="Other Supplier Ltd")
    cases = [
        ({"title": "", "steps": "", "outcomes": "short"}, ["Enter a title", "Enter the steps to replicate it"]),
        ({"cost": "a lot"}, ["The cost must be an amount in numbers, like 8,000"]),
        ({"need_id": str(someone_elses_need.id)}, ["Choose one of your council"]),
        ({"supplier_organisation_id": str(world.other_council.id)}, ["Choose a supplier from the list"]),
        (
            {"supplier_organisation_id": str(other_supplier.id), "pitch_ids": [str(world.pitch.id)]},
            ["Choose pitches and offers of the supplier named"],
        ),
        ({"organisation_id": str(world.other_council.id)}, ["Choose one of your councils"]),
        ({"steps": "x" * 301}, ["Keep each line to 300 characters or fewer"]),
        ({"summary": "nul\x00byte here"}, ["Remove the control characters"]),
    ]
    before = written(db)
    for changes, messages in cases:
        response = client.post("/case-studies/new", form_data(world, **changes))
        assert response.status_code == 422, changes
        assert "govuk-error-summary" in response.text
        for message in messages:
            assert message in html.unescape(response.text), (changes, message)
    assert written(db) == before


def test_people_without_a_council_are_told_who_writes_case_studies(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.supplier_admin)
    page = client.get("/case-studies/new")
    assert page.status_code == 200 and "written by council and public body officers" in page.text
    before = written(db)
    response = client.post("/case-studies/new", form_data(world))
    assert response.status_code == 422 and written(db) == before
    sign_in(client, None)
    assert client.get("/case-studies/new", follow_redirects=False).status_code in (303, 401)


def test_hostile_text_is_shown_as_text_everywhere(client: Client, db: Session, world: World) -> None:
    fields = ("title", "summary", "problem", "outcomes", "went_wrong", "contacts", "steps", "key_figures")
    case_study = create(db, world, **{field: f"{HOSTILE} {field} long enough text" for field in fields})
    for url in (f"/case-studies/{case_study.id}", "/case-studies", f"/case-studies/{case_study.id}/edit"):
        sign_in(client, world.officer if url.endswith("/edit") else None)
        page = client.get(url)
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        assert "&lt;script&gt;" in page.text


def test_a_hidden_case_study_is_shown_only_to_its_council_and_administrators(
    client: Client, db: Session, world: World
) -> None:
    case_study = create(db, world)
    moderator = factories.admin(db)
    case_study.hidden_at = utcnow()
    case_study.hidden_reason = "Names a member of the public"
    case_study.hidden_by_id = moderator.id
    db.flush()
    for person in (None, world.other_officer, world.supplier_admin):
        sign_in(client, person)
        assert client.get(f"/case-studies/{case_study.id}").status_code == 404
        assert client.get(f"/api/v1/case-studies/{case_study.id}").status_code == 404
        assert case_study.title not in client.get("/case-studies").text
        assert client.get("/api/v1/case-studies").json()["total"] == 0
    for person in (world.officer, moderator):
        sign_in(client, person)
        page = client.get(f"/case-studies/{case_study.id}")
        assert page.status_code == 200
        assert "hidden by the exchange" in page.text and "Names a member of the public" in page.text


def test_the_dashboard_and_a_need_with_an_outcome_link_to_writing_one(
    client: Client, db: Session, world: World
) -> None:
    sign_in(client, world.officer)
    assert 'href="/case-studies/new"' in client.get("/dashboard").text
    assert f'href="/case-studies/new?need={world.need.id}"' in client.get(f"/needs/{world.need.id}").text
    without_outcome = factories.need(db, world.officer, world.council, title="A need still open to ideas")
    assert "/case-studies/new?need=" not in client.get(f"/needs/{without_outcome.id}").text
    sign_in(client, world.other_officer)
    assert "/case-studies/new?need=" not in client.get(f"/needs/{world.need.id}").text
    sign_in(client, world.supplier_admin)
    assert 'href="/case-studies/new"' not in client.get("/dashboard").text


def test_choosing_a_supplier_fetches_its_pitches_and_offers_to_tick(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.officer)
    fragment = client.get(
        f"/case-studies/supplier-listings?supplier_organisation_id={world.supplier.id}", headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert f'value="{world.pitch.id}"' in fragment.text and world.offer.title in fragment.text
    nothing = client.get("/case-studies/supplier-listings?supplier_organisation_id=abc")
    assert nothing.status_code == 200 and 'type="checkbox"' not in nothing.text
    form = client.get(f"/case-studies/new?need={world.need.id}")
    assert 'hx-get="/case-studies/supplier-listings"' in form.text and world.pitch.title in form.text


def test_the_cost_is_taken_as_people_type_money(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.officer)
    assert client.post("/case-studies/new", form_data(world, cost="£ 24,000.00")).status_code == 303
    assert db.scalars(select(CaseStudy.cost)).one() == 24_000
