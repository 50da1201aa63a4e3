"""The Matches tab, the shortlist (in place with HTMX, or by plain form posts), opportunities, and the JSON API,
each private to those it belongs to: everyone else gets 404 and nothing changes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.needs.models import Need
from exchange.organisations.models import Organisation
from exchange.profiles.completeness import today
from exchange.proposals.models import NeedProcurement
from exchange.shortlists.models import ShortlistEntry
from tests import factories
from tests.client import Client
from tests.matching.test_service import track_record


@dataclass
class World:
    officer: User
    colleague: User
    need: Need
    supplier: Organisation
    supplier_admin: User


@pytest.fixture
def world(db: Session) -> World:
    officer = factories.officer(db, "BUN")
    colleague = factories.officer(db, "BUN")
    need = factories.need(db, officer, factories.council(db, "BUN"), title="Online budget consultation")
    admin = factories.user(db)
    supplier = factories.supplier(db, admin, name="Civic Voice Ltd")
    track_record(db, supplier, ("Budget consultation for residents", "Burnley Borough Council"))
    track_record(db, factories.supplier(db, name="Road Menders Ltd"), ("Road resurfacing", "Leeds City Council"))
    return World(officer, colleague, need, supplier, admin)


def test_the_council_sees_its_matches_with_reasons_and_a_score(client: Client, world: World) -> None:
    client.sign_in(world.officer.email, factories.PASSWORD)
    page = client.get(f"/needs/{world.need.id}/matches")
    assert page.status_code == 200
    assert "Civic Voice Ltd" in page.text
    assert "Has worked for Burnley Borough Council before (1 contract, self-declared)" in page.text
    assert "% match" in page.text and "Add<span" in page.text
    # The evidence: the past contract most like the need, with its buyer.
    assert "Its work most like this need" in page.text
    assert "Budget consultation for residents" in page.text
    assert "past contract for Burnley Borough Council" in page.text
    # The need page shows the council its tabs; others do not see them.
    assert f'href="/needs/{world.need.id}/matches"' in client.get(f"/needs/{world.need.id}").text


def test_an_officer_shortlists_a_match_in_place_and_a_colleague_sees_it(
    client: Client, other_client: Client, db: Session, world: World
) -> None:
    client.sign_in(world.officer.email, factories.PASSWORD)
    client.get(f"/needs/{world.need.id}/matches")
    response = client.post(
        f"/needs/{world.need.id}/shortlist",
        {"organisation_id": world.supplier.id, "return_to": f"/needs/{world.need.id}/matches"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Shortlisted" in response.text and "<html" not in response.text
    assert factories.count(db, ShortlistEntry, ShortlistEntry.need_id == world.need.id) == 1
    # Twice is still once.
    client.post(f"/needs/{world.need.id}/shortlist", {"organisation_id": world.supplier.id})
    assert factories.count(db, ShortlistEntry, ShortlistEntry.need_id == world.need.id) == 1

    other_client.sign_in(world.colleague.email, factories.PASSWORD)
    shortlist = other_client.get(f"/needs/{world.need.id}/shortlist")
    assert shortlist.status_code == 200 and "Civic Voice Ltd" in shortlist.text
    assert "Shortlisted" in other_client.get(f"/needs/{world.need.id}/matches").text

    removed = other_client.post(
        f"/needs/{world.need.id}/shortlist/{world.supplier.id}/remove",
        {"return_to": f"/needs/{world.need.id}/shortlist"},
    )
    assert removed.status_code == 303 and removed.headers["location"] == f"/needs/{world.need.id}/shortlist"
    assert factories.count(db, ShortlistEntry, ShortlistEntry.need_id == world.need.id) == 0


def test_a_return_address_elsewhere_is_not_followed(client: Client, world: World) -> None:
    client.sign_in(world.officer.email, factories.PASSWORD)
    response = client.post(
        f"/needs/{world.need.id}/shortlist",
        {"organisation_id": world.supplier.id, "return_to": "https://evil.example/"},
    )
    assert response.headers["location"] == f"/needs/{world.need.id}/shortlist"


@pytest.mark.parametrize("who", ["other council", "supplier", "anonymous"])
def test_matches_and_shortlist_are_404_to_everyone_but_the_council(
    client: Client, db: Session, world: World, who: str
) -> None:
    person = {"other council": factories.officer(db, "MAN"), "supplier": world.supplier_admin, "anonymous": None}[who]
    if person is not None:
        client.sign_in(person.email, factories.PASSWORD)
    else:
        client.get("/")
    need_id = world.need.id
    for path in (f"/needs/{need_id}/matches", f"/needs/{need_id}/shortlist", f"/api/v1/needs/{need_id}/matches"):
        assert client.get(path).status_code in ((404,) if person else (404, 401, 303)), path
    posted = client.post(f"/needs/{need_id}/shortlist", {"organisation_id": world.supplier.id})
    assert posted.status_code in ((404,) if person else (303, 401, 404))
    assert factories.count(db, ShortlistEntry) == 0


def test_bad_shortlist_input_is_refused_with_a_message_and_changes_nothing(
    client: Client, db: Session, world: World
) -> None:
    client.sign_in(world.officer.email, factories.PASSWORD)
    council_id = world.need.organisation_id
    for data in ({"organisation_id": "not a number"}, {"organisation_id": council_id}, {}):
        response = client.post(f"/needs/{world.need.id}/shortlist", data)
        assert response.status_code == 422, data
    someone_elses_offer = factories.offer(db, world.supplier_admin, world.supplier)
    other = factories.supplier(db, name="Other Ltd")
    response = client.post(
        f"/needs/{world.need.id}/shortlist", {"organisation_id": other.id, "offer_id": someone_elses_offer.id}
    )
    assert response.status_code == 422 and "not one of this supplier" in response.text
    assert factories.count(db, ShortlistEntry) == 0


def test_the_api_gives_matches_with_reasons_and_points(client: Client, world: World) -> None:
    client.sign_in(world.officer.email, factories.PASSWORD)
    body = client.get(f"/api/v1/needs/{world.need.id}/matches").json()
    first = body["matches"][0]
    assert first["name"] == "Civic Voice Ltd" and 0 < first["percent"] <= 100
    factors = {reason["factor"]: reason for reason in first["reasons"]}
    assert (
        factors["same_buyer"]["reason"] == "Has worked for Burnley Borough Council before (1 contract, self-declared)"
    )
    assert abs(sum(r["points"] for r in first["reasons"]) - first["score"]) < 0.01
    assert first["evidence"][0] == {
        "kind": "contract",
        "title": "Budget consultation for residents",
        "buyer": "Burnley Borough Council",
        "year": None,
        "item": None,
    }


def test_a_supplier_sees_its_opportunities_on_a_page_and_in_the_api(
    client: Client, other_client: Client, db: Session, world: World
) -> None:
    # The card shows the need's one closing date: the day proposals close.
    closes = date(today().year + 1, 12, 10)
    db.add(NeedProcurement(need_id=world.need.id, opens_on=today(), closes_on=closes))
    db.flush()
    client.sign_in(world.supplier_admin.email, factories.PASSWORD)
    page = client.get("/opportunities")
    assert page.status_code == 200 and "Online budget consultation" in page.text
    assert f"closes 10 December {closes.year}" in page.text
    assert "Has worked for Burnley Borough Council before" in page.text
    assert "Your work most like this need" in page.text
    found = client.get(f"/api/v1/organisations/{world.supplier.id}/opportunities").json()
    assert found[0]["need_id"] == world.need.id and found[0]["buyer"] == "Burnley Borough Council"

    other_client.sign_in(world.officer.email, factories.PASSWORD)
    assert other_client.get(f"/api/v1/organisations/{world.supplier.id}/opportunities").status_code == 404


@pytest.mark.parametrize("limit", ["0", "51", "many"])
def test_a_bad_limit_is_refused_with_a_clear_error(client: Client, world: World, limit: str) -> None:
    client.sign_in(world.officer.email, factories.PASSWORD)
    response = client.get(f"/api/v1/needs/{world.need.id}/matches?limit={limit}")
    assert response.status_code == 422
    assert "limit" in response.text


def test_every_link_on_the_matches_page_resolves(client: Client, db: Session, world: World) -> None:
    """Reasons and evidence that name a pitch or an offer link to its page (a pitch lives under /pitches)."""
    factories.pitch(db, world.supplier_admin, world.supplier, title="Online budget consultation for councils")
    factories.offer(
        db,
        world.supplier_admin,
        world.supplier,
        title="Budget consultation simulator",
        summary="Residents balance the council budget online.",
    )
    client.sign_in(world.officer.email, factories.PASSWORD)
    page = client.get(f"/needs/{world.need.id}/matches").text

    links = sorted(set(re.findall(r'href="(/[^"#?]*)', page)))
    listings = [link for link in links if link.startswith(("/pitches/", "/offers/"))]
    assert any(link.startswith("/pitches/") for link in listings), links
    assert not any(link.startswith(("/pitchs/", "/offers/s")) for link in links)
    for link in links:
        if link.startswith(("/static/", "/assets/")) or link.endswith("/sign-out"):
            continue
        assert client.get(link).status_code == 200, link
