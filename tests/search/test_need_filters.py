"""Finding opportunities: needs show their closing date, value and who the work suits, filter by them and by
"open now", and closed, cancelled and awarded needs appear only when asked for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from exchange.core.models import utcnow
from exchange.needs.models import Need, NeedStage
from exchange.profiles.completeness import today
from exchange.proposals.models import NeedProcurement
from exchange.search import indexer
from tests import factories
from tests.client import Client


@dataclass(frozen=True)
class World:
    soon: Need
    later: Need
    no_date: Need
    early_closed: Need
    ended: Need
    idea: Need


def need(db: Session, title: str, stage: NeedStage, closes_in: int | None = None, **fields: object) -> Need:
    item = factories.need(db, factories.officer(db, "BUN"), factories.council(db, "BUN"), title=title, **fields)
    item.stage = stage
    if closes_in is not None:
        closes_on = today() + timedelta(days=closes_in)
        db.add(NeedProcurement(need_id=item.id, opens_on=today() - timedelta(days=3), closes_on=closes_on))
    db.flush()
    indexer.index_need(db, item)
    return item


@pytest.fixture
def world(db: Session) -> World:
    open_stage = NeedStage.OPEN_FOR_PROPOSALS
    early_closed = need(db, "Tender closed early for parking", open_stage, 20, budget_max=5_000)
    procurement = db.query(NeedProcurement).filter_by(need_id=early_closed.id).one()
    procurement.closed_early_at = utcnow()
    return World(
        soon=need(
            db,
            "Tender soon for library booking",
            open_stage,
            5,
            budget_min=10_000,
            budget_max=40_000,
            suitable_for=["sme", "vcse"],
        ),
        later=need(db, "Tender later for waste rounds", open_stage, 60, budget_min=100_000, budget_max=250_000),
        no_date=need(db, "Tender with no date for care visits", open_stage),
        early_closed=early_closed,
        ended=need(db, "Tender awarded for housing repairs", NeedStage.AWARDED, -10, budget_max=20_000),
        idea=need(db, "Tender idea for youth clubs", NeedStage.IDEA),
    )


def titles(client: Client, **params: object) -> list[str]:
    response = client.get("/search", params={"q": "tender", "kind": "need", **params})
    assert response.status_code == 200
    return sorted(re.findall(r'class="exchange-result__title"><a [^>]*>([^<]+)</a>', response.text))


def api_titles(client: Client, path: str = "/api/v1/needs", **params: object) -> list[str]:
    response = client.get(path, params={"q": "tender", **params})
    assert response.status_code == 200, response.text
    return sorted(hit["title"] for hit in response.json()["results"])


def test_ended_needs_are_left_out_until_asked_for(client: Client, world: World) -> None:
    shown = titles(client)
    assert world.ended.title not in shown
    assert {world.soon.title, world.idea.title, world.early_closed.title} <= set(shown)
    page = client.get("/search", params={"q": "tender", "kind": "need"}).text
    assert "Include them" in page and "include_ended=true" in page
    assert world.ended.title in titles(client, include_ended="true")
    # Picking an ended stage by hand shows it too.
    assert titles(client, stage="awarded") == [world.ended.title]
    assert world.ended.title not in api_titles(client)
    assert world.ended.title in api_titles(client, include_ended="true")
    assert world.ended.title not in api_titles(client, "/api/v1/search", kind="need")


def test_open_now_keeps_needs_taking_proposals_today(client: Client, world: World) -> None:
    expected = sorted([world.soon.title, world.later.title, world.no_date.title])
    assert titles(client, open_now="true") == expected
    assert api_titles(client, open_now="true") == expected


def test_closing_date_filters(client: Client, world: World) -> None:
    assert titles(client, closes_within="7") == [world.soon.title]
    assert sorted(titles(client, closes_within="30")) == sorted([world.soon.title, world.early_closed.title])
    after = (today() + timedelta(days=30)).isoformat()
    assert titles(client, closes_after=after) == [world.later.title]
    assert api_titles(client, closes_after=after) == [world.later.title]


def test_value_filter_keeps_needs_whose_budget_overlaps(client: Client, world: World) -> None:
    assert titles(client, value_min="50000") == [world.later.title]
    assert titles(client, value_max="8000") == [world.early_closed.title]
    assert titles(client, value_min="30000", value_max="120000") == sorted([world.soon.title, world.later.title])
    assert api_titles(client, value_min="50000") == [world.later.title]


def test_results_show_the_closing_date_value_and_who_the_work_suits(client: Client, world: World) -> None:
    page = client.get("/search", params={"q": "library", "kind": "need"}).text
    closes = today() + timedelta(days=5)
    assert f"Closes {closes.day} {closes:%B %Y}" in page
    assert "£10,000 to £40,000" in page
    assert "Suitable for SMEs and VCSEs" in page
    assert "No closing date set" in client.get("/search", params={"q": "care visits"}).text
    hit = client.get("/api/v1/needs", params={"q": "library"}).json()["results"][0]
    assert hit["closes_on"] == closes.isoformat()
    assert (hit["budget_min"], hit["budget_max"]) == (10_000, 40_000)
    assert hit["suitable_for"] == ["sme", "vcse"]


def test_moving_a_closing_date_shows_at_once(client: Client, db: Session, world: World) -> None:
    assert titles(client, closes_within="7") == [world.soon.title]
    procurement = db.query(NeedProcurement).filter_by(need_id=world.later.id).one()
    procurement.closes_on = today() + timedelta(days=2)
    db.flush()
    assert titles(client, closes_within="7") == sorted([world.soon.title, world.later.title])


def test_bad_filter_values_are_ignored_on_the_page_and_refused_by_the_api(client: Client, world: World) -> None:
    for params in ({"closes_within": "soon"}, {"closes_after": "31/02/2027"}, {"value_min": "-5"}, {"open_now": "x"}):
        assert world.idea.title in titles(client, **params)
    # A highest value below the lowest is dropped; the lowest still applies.
    expected = sorted([world.soon.title, world.later.title, world.early_closed.title])
    assert titles(client, value_min="900", value_max="100") == expected
    for params in ({"closes_within": "0"}, {"closes_after": "tomorrow"}, {"value_max": "lots"}):
        assert client.get("/api/v1/needs", params=params).status_code == 422
    backwards = client.get("/api/v1/search", params={"value_min": "900", "value_max": "100"})
    assert backwards.status_code == 422
    assert "value_min" in backwards.text


def test_the_home_page_lists_open_needs_first(client: Client, world: World, db: Session) -> None:
    # The newest changes are to ended needs: they still come after the open ones.
    for item in (world.ended, world.idea):
        item.updated_at = utcnow() + timedelta(minutes=5)
        indexer.index_need(db, item)
    page = client.get("/").text
    section = page[page.index("New needs") : page.index("New pitches")]
    shown = re.findall(r'class="exchange-result__title"><a [^>]*>([^<]+)</a>', section)
    assert len(shown) == 5
    assert set(shown[:4]) == {world.soon.title, world.later.title, world.no_date.title, world.early_closed.title}
    assert shown[4] == world.idea.title
    assert world.ended.title not in shown
