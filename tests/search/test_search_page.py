"""The search page: the whole page normally, only the results fragment for HTMX, and never an error
for a mangled query string."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from tests import factories
from tests.client import Client


@pytest.fixture
def listings(db: Session) -> None:
    owner = factories.user(db)
    firm = factories.supplier(db, owner, name="Otter Digital Ltd")
    for number in range(1, 24):
        factories.pitch(db, owner, firm, title=f"Otter pitch number {number}", description="")
    factories.offer(db, owner, firm, title="Otter free offer", description="")


def hit_titles(html: str) -> list[str]:
    return re.findall(r'class="exchange-result__title"><a [^>]*>([^<]+)</a>', html)


def test_a_normal_request_gets_the_whole_page(client: Client, listings: None) -> None:
    response = client.get("/search", params={"q": "otter"})

    assert response.status_code == 200
    assert "HX-Request" in [part.strip() for part in response.headers["vary"].split(",")]
    assert response.text.lstrip().startswith("<!DOCTYPE html>")
    assert 'id="search-form"' in response.text and 'id="search-area"' in response.text
    assert "<strong>24</strong> results" in response.text


def test_an_htmx_request_gets_only_the_fragment(client: Client, listings: None) -> None:
    response = client.get("/search", params={"q": "otter", "kind": "offer"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "HX-Request" in [part.strip() for part in response.headers["vary"].split(",")]
    assert "<html" not in response.text and "<body" not in response.text
    assert 'id="search-form"' not in response.text
    assert "exchange-facets" in response.text
    assert hit_titles(response.text) == ["Otter free offer"]


def test_an_htmx_history_restore_gets_the_whole_page(client: Client, listings: None) -> None:
    response = client.get(
        "/search", params={"q": "otter"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.text


def test_the_page_shows_twenty_results_and_links_to_the_next_pages(client: Client, listings: None) -> None:
    first = client.get("/search", params={"q": "otter", "sort": "newest"})
    second = client.get("/search", params={"q": "otter", "sort": "newest", "page": "2"})

    assert len(hit_titles(first.text)) == 20
    assert len(hit_titles(second.text)) == 4
    assert not set(hit_titles(first.text)) & set(hit_titles(second.text))
    assert "/search?q=otter&amp;sort=newest&amp;page=2" in first.text


def test_selected_filters_are_kept_in_the_form(client: Client, listings: None) -> None:
    response = client.get("/search", params={"q": "otter", "kind": "offer", "price": "free"})

    assert re.search(r'id="kind-offer" name="kind" type="checkbox" value="offer"\s+checked', response.text)
    assert re.search(r'id="price-free" name="price" type="checkbox" value="free"\s+checked', response.text)
    assert 'value="otter"' in response.text


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=0",
        "page=-3",
        "page=99999999999999999999",
        "region=xyz",
        "category=1.5",
        "kind=bogus",
        "price=maybe",
        "sort=sideways",
        "q=" + "x" * 500,
        "q=%22%27%3B--&kind=pitch&kind=bogus&region=xyz&page=abc",
        "organisation_kind=%F0%9F%A6%A6",
    ],
)
def test_garbage_in_the_query_string_still_answers_200(client: Client, listings: None, query: str) -> None:
    page = client.get(f"/search?{query}")
    fragment = client.get(f"/search?{query}", headers={"HX-Request": "true"})

    assert page.status_code == fragment.status_code == 200
    assert "Search needs, pitches and offers" in page.text


def test_a_nul_character_in_the_address_is_a_clear_error_not_a_result(client: Client, listings: None) -> None:
    # Every route refuses a NUL in its address (PostgreSQL cannot compare text holding one).
    page = client.get("/search?stage=%00")
    assert page.status_code == 422 and "Text cannot contain a NUL character" in page.text


def test_a_bad_filter_is_dropped_and_the_good_ones_kept(client: Client, listings: None) -> None:
    response = client.get("/search?q=otter&kind=offer&region=xyz&page=abc")

    assert hit_titles(response.text) == ["Otter free offer"]


def test_the_api_refuses_garbage_with_json_errors_instead(client: Client) -> None:
    response = client.get("/api/v1/search?page=abc&region=xyz&kind=bogus")

    assert response.status_code == 422
    assert {"page", "region.0", "kind.0"} <= set(response.json()["errors"])
