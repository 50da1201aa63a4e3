"""The organisation directory: filter by kind and by name, on the page and through the API; each page."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from exchange.organisations.models import Organisation, OrganisationKind
from tests import factories
from tests.client import Client


def listed(html: str) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="/organisations/[^"]+">([^<]+)</a></td>', html)


def test_filtering_by_kind_and_name_on_the_page(client: Client, db: Session) -> None:
    factories.supplier(db, name="Pangolin Data Ltd")
    factories.supplier(db, name="Pangolin Care CIC", kind=OrganisationKind.VCSE)
    factories.supplier(db, name="Unrelated Ltd")

    by_name = client.get("/organisations", params={"q": "pangolin"})
    by_both = client.get("/organisations", params={"q": "  PANGOLIN  ", "kind": "vcse"})

    assert listed(by_name.text) == ["Pangolin Care CIC", "Pangolin Data Ltd"]
    assert "<strong>2</strong> organisations" in by_name.text
    assert listed(by_both.text) == ["Pangolin Care CIC"]
    assert '<option value="vcse" selected>' in by_both.text


def test_councils_are_listed_with_the_council_filter(client: Client, db: Session) -> None:
    response = client.get("/organisations", params={"kind": "council", "q": "Burnley"})

    assert listed(response.text) == ["Burnley Borough Council"]


def test_a_name_filter_with_like_wildcards_matches_them_literally(client: Client, db: Session) -> None:
    factories.supplier(db, name="100% Recycled Ltd")
    factories.supplier(db, name="1000 Trees Ltd")

    response = client.get("/organisations", params={"q": "100%"})

    assert listed(response.text) == ["100% Recycled Ltd"]


def test_bad_filters_on_the_page_are_ignored(client: Client, db: Session) -> None:
    for params in ({"kind": "dragon"}, {"page": "abc"}, {"page": "-1"}, {"q": "x" * 500}):
        assert client.get("/organisations", params=params).status_code == 200, params


def test_the_directory_is_paged(client: Client, db: Session) -> None:
    first = client.get("/organisations", params={"kind": "council"})
    councils = factories.count(db, Organisation, Organisation.kind == OrganisationKind.COUNCIL)
    last_page = -(-councils // 50)
    last = client.get("/organisations", params={"kind": "council", "page": str(last_page)})

    assert len(listed(first.text)) == 50
    assert len(listed(last.text)) == councils - 50 * (last_page - 1)
    assert f"Page {last_page} of {last_page}" in last.text


def test_the_api_filters_the_same_way(client: Client, db: Session) -> None:
    factories.supplier(db, name="Pangolin Data Ltd")
    factories.supplier(db, name="Pangolin Care CIC", kind=OrganisationKind.VCSE)

    everything = client.get("/api/v1/organisations", params={"q": "pangolin"}).json()
    suppliers = client.get("/api/v1/organisations", params={"q": "pangolin", "kind": "supplier"}).json()

    assert everything["total"] == 2
    assert [o["name"] for o in suppliers["results"]] == ["Pangolin Data Ltd"]
    assert suppliers["results"][0]["kind"] == "supplier"
    assert client.get("/api/v1/organisations", params={"kind": "dragon"}).status_code == 422


def test_an_organisation_is_found_by_id_through_the_api(client: Client, db: Session) -> None:
    organisation = factories.supplier(db, name="Pangolin Data Ltd")

    response = client.get(f"/api/v1/organisations/{organisation.id}")

    assert response.status_code == 200 and response.json()["slug"] == organisation.slug
    assert client.get("/api/v1/organisations/999999").status_code == 404


def test_an_organisation_page_lists_its_published_pitches_and_offers(client: Client, db: Session) -> None:
    owner = factories.user(db)
    organisation = factories.supplier(db, owner, name="Pangolin Data Ltd")
    factories.pitch(db, owner, organisation, title="Pangolin pitch")
    factories.offer(db, owner, organisation, title="Pangolin offer")

    page = client.get(f"/organisations/{organisation.slug}")

    assert page.status_code == 200
    assert "Pangolin pitch" in page.text and "Pangolin offer" in page.text
    assert "You manage this organisation" not in page.text
    assert client.get("/organisations/no-such-organisation").status_code == 404
