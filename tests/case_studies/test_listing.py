"""The list of case studies and its JSON API: searched by words (stems and beginnings of words), filtered by
category, region and council; bad parameters get a 422 from the API."""

from __future__ import annotations

import html

from sqlalchemy.orm import Session

from exchange.needs.models import Visibility
from exchange.reference.models import Category
from tests import factories
from tests.case_studies.conftest import World, create, sign_in
from tests.client import Client


def _titles(client: Client, query: str) -> list[str]:
    return [item["title"] for item in client.get(f"/api/v1/case-studies{query}").json()["results"]]


def test_search_finds_words_and_their_beginnings_in_the_title_and_body(
    client: Client, db: Session, world: World
) -> None:
    budget = create(db, world)
    meals = create(
        db,
        world,
        title="Hot meals at home with a welfare check",
        summary="Volunteers deliver meals and check on older residents.",
        problem="Older residents leaving hospital had nobody calling in on them.",
        outcomes="Fewer readmissions; 40 volunteers recruited across the borough.",
        steps="Recruit volunteers\nAgree referral routes with the hospital",
        need_id="",
    )
    assert _titles(client, "?q=consultation") == [budget.title]
    assert _titles(client, "?q=consult") == [budget.title]  # the beginning of a word
    assert _titles(client, "?q=volunteer") == [meals.title]  # a body word, singular for "volunteers"
    assert _titles(client, "?q=readmissions+volunteers") == [meals.title]  # every word must be found
    assert _titles(client, "?q=meals+consultation") == []
    assert _titles(client, "?q=zebra") == []
    assert set(_titles(client, "")) == {budget.title, meals.title}
    # The title counts more than the body.
    welfare = create(db, world, title="Welfare rights advice in libraries", need_id="", steps="Book rooms")
    assert _titles(client, "?q=welfare")[0] == welfare.title

    page = client.get("/case-studies?q=consult")
    assert page.status_code == 200 and "<strong>1</strong> case study" in page.text
    assert budget.title in html.unescape(page.text) and meals.title not in html.unescape(page.text)


def test_filters_by_category_region_and_council(client: Client, db: Session, world: World) -> None:
    first, second = factories.categories(db, 2)
    north, south = factories.regions(db, 2)
    ours = create(db, world, category_id=str(first.id), region_id=str(north.id))
    leeds_viewer = factories.viewer(db, world.other_officer)
    from exchange.case_studies import service
    from exchange.case_studies.schemas import CaseStudyForm
    from tests.case_studies.conftest import form_data

    data = form_data(world, category_id=str(second.id), region_id=str(south.id), title="Leeds tried something else")
    data.update(need_id=None, supplier_organisation_id=None)
    data.pop("organisation_id")
    theirs = service.create(db, leeds_viewer, world.other_council.id, CaseStudyForm.model_validate(data))
    service.publish(db, leeds_viewer, theirs.id)

    top = db.get(Category, first.parent_id)
    assert top is not None
    assert _titles(client, f"?category={top.id}") == [ours.title]
    assert _titles(client, f"?region={south.id}") == [theirs.title]
    assert _titles(client, f"?council={world.other_council.id}") == [theirs.title]
    assert _titles(client, f"?council={world.council.id}&region={south.id}") == []

    page = client.get(f"/case-studies?council={world.other_council.id}")
    shown = html.unescape(page.text)
    assert theirs.title in shown and ours.title not in shown
    assert f'<option value="{world.other_council.id}" selected>' in page.text
    fragment = client.get(f"/case-studies?region={north.id}", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and ours.title in html.unescape(fragment.text)
    assert "HX-Request" in fragment.headers["vary"]
    # A hand-edited address shows everything rather than an error.
    assert client.get("/case-studies?region=abc&page=0").status_code == 200


def test_the_api_gives_the_whole_case_study_and_refuses_bad_parameters(
    client: Client, db: Session, world: World
) -> None:
    case_study = create(db, world, offer_ids=[str(world.offer.id)])
    body = client.get(f"/api/v1/case-studies/{case_study.id}").json()
    assert body["council"]["name"] == world.council.name and body["supplier"]["id"] == world.supplier.id
    assert body["used"] == [
        {"kind": "offer", "id": world.offer.id, "title": world.offer.title, "url": f"/offers/{world.offer.id}"}
    ]
    assert body["steps"][0] == "Agree the budget lines to show" and body["status"] == "published"
    assert (body["need_id"], body["outcome_id"]) == (world.need.id, world.outcome.id)
    for query in ("?page=0", "?per_page=500", "?region=abc", "?council=0", "?q=" + "x" * 201):
        assert client.get(f"/api/v1/case-studies{query}").status_code == 422, query
    assert client.get("/api/v1/case-studies/0").status_code == 422  # as for every API path id out of range
    assert client.get("/case-studies/0").status_code == 404
    assert client.get("/api/v1/case-studies/123456789").status_code == 404
    sign_in(client, world.officer)
    assert client.get("/api/v1/case-studies").json()["total"] == 1


def test_a_private_need_is_not_named_to_those_who_may_not_see_it(client: Client, db: Session, world: World) -> None:
    world.need.visibility = Visibility.ORGANISATION
    db.flush()
    case_study = create(db, world)
    body = client.get(f"/api/v1/case-studies/{case_study.id}").json()
    assert (body["need_id"], body["outcome_id"]) == (None, None)
    assert f'href="/needs/{world.need.id}"' not in client.get(f"/case-studies/{case_study.id}").text
    sign_in(client, world.officer)
    assert client.get(f"/api/v1/case-studies/{case_study.id}").json()["need_id"] == world.need.id
    assert f'href="/needs/{world.need.id}"' in client.get(f"/case-studies/{case_study.id}").text
