"""The Atom feed of needs open for proposals: valid Atom, filtered like the search page, public needs only."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from sqlalchemy.orm import Session

from exchange.needs.models import Need, NeedStage, Visibility
from exchange.search import indexer
from tests import factories
from tests.client import Client

ATOM = "{http://www.w3.org/2005/Atom}"


def open_need(db: Session, title: str, **fields: object) -> Need:
    need = factories.need(db, factories.officer(db, "BUN"), factories.council(db, "BUN"), title=title, **fields)
    need.stage = NeedStage.OPEN_FOR_PROPOSALS
    indexer.index_need(db, need)
    return need


def titles(client: Client, query: str = "") -> list[str]:
    response = client.get(f"/needs.atom{query}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed" and feed.find(f"{ATOM}id") is not None
    for entry in feed.findall(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}link").get("href", "").startswith("http")  # type: ignore[union-attr]
        assert entry.find(f"{ATOM}updated") is not None and entry.find(f"{ATOM}author/{ATOM}name") is not None
    return [entry.findtext(f"{ATOM}title", "") for entry in feed.findall(f"{ATOM}entry")]


def test_the_feed_lists_public_needs_open_for_proposals_only(client: Client, db: Session) -> None:
    open_need(db, "Digital budget consultation <now & later>")
    open_need(db, "Staff survey", visibility=Visibility.ORGANISATION)
    open_need(db, "Councillor briefing tool", visibility=Visibility.PUBLIC_SECTOR)
    factories.need(db, factories.officer(db, "BUN"), factories.council(db, "BUN"), title="Just an idea for now")
    found = titles(client)
    assert "Digital budget consultation <now & later>" in found
    assert not {"Staff survey", "Councillor briefing tool", "Just an idea for now"} & set(found)


def test_the_feed_is_filtered_like_the_search_page(client: Client, db: Session) -> None:
    region, other_region = factories.regions(db, 2)
    open_need(db, "Meals at home for older residents", region_id=region.id)
    open_need(db, "Meals at home in the hills", region_id=other_region.id)
    assert titles(client, f"?q=meals&region={region.id}") == ["Meals at home for older residents"]
    # A bad filter value is dropped, as on the search page, not an error.
    assert set(titles(client, "?q=meals&region=nonsense")) >= {"Meals at home in the hills"}


def test_the_search_page_links_to_the_feed_for_needs(client: Client) -> None:
    page = client.get("/search?kind=need&q=meals")
    assert 'href="/needs.atom?q=meals&amp;kind=need"' in page.text
