"""Each heat-map cell links to the search listing what it counts: the search finds exactly as many as the cell
says, for everyone (an officer, who may see more in search, too); the page has the links in the picture, the
table and the list that replaces the picture on small screens."""

from __future__ import annotations

import html
from urllib.parse import parse_qsl, urlsplit

from sqlalchemy.orm import Session

from exchange.core.models import utcnow
from exchange.knowledge import trends
from exchange.moderation import service as moderation
from exchange.needs import service as needs
from exchange.needs.models import NeedStage
from tests import factories
from tests.client import Client
from tests.knowledge.test_trends import category, make_data, region


def _api_total(client: Client, link: str) -> int:
    params = parse_qsl(urlsplit(link).query)
    response = client.get("/api/v1/search", params=params)
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


def test_every_cell_links_to_a_search_with_exactly_its_count(client: Client, db: Session) -> None:
    make_data(db)
    housing, north_west = category(db, "Housing"), region(db, "North West")
    officer = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    decided = factories.need(db, officer, council, category_id=housing.id, region_id=north_west.id)
    needs.change_stage(db, factories.viewer(db, officer), decided.id, NeedStage.CANCELLED)
    hidden = factories.need(db, officer, council, category_id=housing.id, region_id=north_west.id)
    moderation.hide(db, factories.viewer(db, factories.admin(db)), "need", hidden.id, "Advertising, not a need")
    found = trends.trends(db, utcnow().date())

    checked = 0
    for heat in (found.by_category, found.by_region):
        links = heat.links()
        for row_index, (label, values) in enumerate(heat.rows):
            if label not in (housing.label, north_west.name):
                continue
            for column_index, value in enumerate(values):
                link = links[row_index][column_index]
                for person in (None, officer):
                    client.http.cookies.clear()  # type: ignore[union-attr]
                    if person is not None:
                        client.sign_in(person.email, factories.PASSWORD)
                    assert _api_total(client, link) == value, (label, heat.columns[column_index].key, link)
                checked += 1
    assert checked == 12
    housing_row = dict(zip(found.by_category.row_ids, found.by_category.rows, strict=True))[housing.id][1]
    assert housing_row[3] == 1  # the cancelled need is in "closed or decided"; the hidden one nowhere


def test_the_search_page_says_the_same_number_as_the_cell(client: Client, db: Session) -> None:
    make_data(db)
    found = trends.by_category(db)
    housing = category(db, "Housing")
    row = found.row_ids.index(housing.id)
    link = found.links()[row][0]  # needs at the idea stage
    page = client.get(link)
    expected = found.rows[row][1][0]
    assert f"<strong>{expected}</strong> result" in page.text


def test_the_trends_page_links_the_picture_the_table_and_the_small_screen_list(client: Client, db: Session) -> None:
    make_data(db)
    found = trends.by_category(db)
    link = found.links()[0][0]
    page = html.unescape(client.get("/trends").text)
    # Once in the picture, once in the table, once in the list for small screens.
    assert page.count(f'href="{link}"') == 3
    assert 'class="exchange-heat-map__list"' in page and "exchange-heat-map__picture" in page
    assert 'role="group"' in page


def test_the_visibility_filter_rejects_unknown_values(client: Client) -> None:
    assert client.get("/api/v1/search", params={"visibility": "secret"}).status_code == 422
    # The page reads leniently: an unknown value is dropped, not a failed page.
    assert client.get("/search?visibility=secret").status_code == 200


def test_the_search_page_keeps_the_visibility_filter_as_a_checkbox(client: Client, db: Session) -> None:
    make_data(db)
    page = client.get("/search?kind=need&visibility=public")
    assert 'name="visibility" type="checkbox" value="public" checked' in page.text
    assert 'name="visibility"' not in client.get("/search?kind=need").text
