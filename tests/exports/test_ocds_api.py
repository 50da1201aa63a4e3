"""The OCDS endpoints: one public need's release, and a release package of every public need, a page at a
time with ``links.next``. Needs that are not public are never published."""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.needs.models import Visibility
from exchange.ocds.release import ENQUIRIES_EXTENSION
from tests import factories
from tests.client import Client
from tests.evaluation.conftest import Evaluation, award, close_proposals, fully_evaluated
from tests.exports.ocds_schema import assert_valid_release


def test_a_public_needs_release_for_anyone(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    fully_evaluated(db, ev)
    close_proposals(db, ev)
    award(db, ev)

    response = client.get(f"/api/v1/needs/{ev.need.id}/ocds")

    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    release = response.json()
    assert_valid_release(release)
    assert release["awards"][0]["suppliers"][0]["name"] == "Pennine Community Meals"
    for private in ("Rival", "Agreed 70", "Strong on welfare checks", ev.world.officer.name, ev.world.colleague.name):
        assert private not in response.text, private


def test_needs_that_are_not_public_have_no_release(client: Client, db: Session) -> None:
    officer = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    hidden = [
        factories.need(db, officer, council, title=f"Hidden {v.value}", visibility=v)
        for v in (Visibility.PUBLIC_SECTOR, Visibility.ORGANISATION)
    ]
    client.sign_in(officer.email, factories.PASSWORD)  # even for the council that posted them

    for need in hidden:
        assert client.get(f"/api/v1/needs/{need.id}/ocds").status_code == 404
    assert client.get("/api/v1/needs/2147483647/ocds").status_code == 404
    assert "Hidden" not in client.get("/api/v1/ocds/releases").text


def test_the_release_package_pages_through_every_public_need(client: Client, db: Session) -> None:
    officer = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    public = [factories.need(db, officer, council, title=f"Public need {n}") for n in range(3)]
    factories.need(db, officer, council, title="Council only", visibility=Visibility.ORGANISATION)

    first = client.get("/api/v1/ocds/releases?limit=2").json()
    second = client.get(first["links"]["next"].removeprefix("http://testserver")).json()

    assert first["version"] == "1.1" and first["extensions"] == [ENQUIRIES_EXTENSION]
    assert first["publisher"]["name"] == "Open Innovation Exchange" and "publishedDate" in first
    assert first["uri"] == "http://testserver/api/v1/ocds/releases?limit=2&offset=0"
    assert first["links"]["next"] == "http://testserver/api/v1/ocds/releases?limit=2&offset=2"
    assert "links" not in second
    releases = first["releases"] + second["releases"]
    assert [r["ocid"] for r in releases] == [f"ocds-oix-{need.id}" for need in public]
    for release in releases:
        assert_valid_release(release)
    assert client.get("/api/v1/ocds/releases?offset=10").json()["releases"] == []


def test_bad_paging_is_refused(client: Client) -> None:
    for query in ("limit=0", "limit=101", "offset=-1", "limit=ten"):
        response = client.get(f"/api/v1/ocds/releases?{query}")
        assert response.status_code == 422, query
