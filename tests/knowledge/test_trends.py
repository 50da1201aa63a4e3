"""The public trends page: heat maps of demand and supply, unmet demand and months, each an inline SVG with a
table and a CSV of the same numbers, counted with a fixed number of queries whatever the data."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from exchange.core.models import utcnow
from exchange.knowledge import charts, trends
from exchange.listings import service as listings
from exchange.listings.models import ListingStatus, Pitch
from exchange.needs import service as needs
from exchange.needs.models import NeedStage
from exchange.reference.models import Category, Region
from tests import factories
from tests.client import Client
from tests.knowledge.conftest import HOSTILE


def category(db: Session, label_start: str) -> Category:
    return db.scalars(
        select(Category).where(Category.parent_id.is_(None), Category.label.startswith(label_start))
    ).first()  # type: ignore[return-value]


def region(db: Session, name: str) -> Region:
    return db.scalars(select(Region).where(Region.name == name)).one()


def heat_row(heat: trends.HeatMap, label: str) -> dict[str, int]:
    values = dict(heat.rows).get(label)
    assert values is not None, f"no row {label}"
    return {column.key: value for column, value in zip(heat.columns, values, strict=True)}


def make_data(db: Session) -> dict[str, Any]:
    housing, north_west = category(db, "Housing"), region(db, "North West")
    officer = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    owner = factories.user(db)
    supplier = factories.supplier(db, owner)
    open_need = factories.need(db, officer, council, category_id=housing.id, region_id=north_west.id)
    needs.change_stage(db, factories.viewer(db, officer), open_need.id, NeedStage.OPEN_FOR_PROPOSALS)
    factories.need(db, officer, council, category_id=housing.id, region_id=north_west.id)
    factories.need(db, officer, council, category_id=housing.id, visibility="public_sector")
    factories.pitch(db, owner, supplier, category_id=housing.id, region_id=north_west.id)
    withdrawn = factories.pitch(db, owner, supplier, category_id=housing.id)
    listings.set_status(db, factories.viewer(db, owner), Pitch, withdrawn.id, ListingStatus.WITHDRAWN)
    factories.offer(db, owner, supplier, category_id=housing.id)
    return {"housing": housing, "north_west": north_west}


def test_demand_and_supply_count_only_what_anyone_may_see(db: Session) -> None:
    made = make_data(db)
    found = trends.trends(db, utcnow().date())

    housing = heat_row(found.by_category, made["housing"].label)
    assert housing == {
        "idea": 1,
        "early_market_engagement": 0,
        "open_for_proposals": 1,
        "decided": 0,
        "pitch": 1,
        "offer": 1,
    }
    north_west = heat_row(found.by_region, "North West")
    assert (north_west["idea"], north_west["open_for_proposals"], north_west["pitch"]) == (1, 1, 1)
    assert len(found.by_region.rows) == 12
    unmet = {u.category: u for u in found.unmet}[made["housing"].label]
    assert (unmet.demand, unmet.unanswered, unmet.supply) == (2, 2, 2)
    this_month = found.months[-1]
    assert this_month.label == utcnow().strftime("%Y-%m") and (this_month.needs, this_month.pitches) == (2, 1)
    assert len(found.months) == 12


def test_the_months_run_back_a_year_across_new_year() -> None:
    assert trends.month_labels(date(2026, 2, 14), 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]


@contextmanager
def counting_queries(db: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = db.get_bind()

    def before(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def test_the_figures_take_the_same_few_queries_however_much_there_is(db: Session) -> None:
    trends.trends(db, utcnow().date())  # reference data cached
    with counting_queries(db) as few:
        trends.trends(db, utcnow().date())
    for _ in range(3):
        make_data(db)
    with counting_queries(db) as many:
        trends.trends(db, utcnow().date())
    assert len(many) == len(few) <= 12


def test_the_page_shows_each_chart_as_svg_with_a_table_and_a_csv_link(client: Client, db: Session) -> None:
    make_data(db)
    page = client.get("/trends")
    assert page.status_code == 200
    text = page.text
    # Four charts, and a fifth of session outcomes once the sessions domain records meeting follow-ups.
    sessions = bool(trends.session_outcomes(db).rows)
    assert text.count('<svg class="exchange-chart"') == 4 + sessions and text.count('role="img"') >= 2
    # The heat maps are groups of links (to the search of each cell), not images.
    assert text.count('role="group" aria-label="Heat map') == 2
    for chart in ("categories", "regions", "unmet-demand", "per-month"):
        assert f'href="/trends/{chart}.csv"' in text and f'id="{chart}-table"' in text
    assert "<script" not in text.split("<main")[1].split("</main>")[0]
    assert "Session outcomes" in text
    assert 'href="/trends"' in text  # in the navigation


def test_each_csv_holds_the_numbers_of_its_chart(client: Client, db: Session) -> None:
    made = make_data(db)
    response = client.get("/trends/categories.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:2] == ["Category", "Needs: idea"]
    assert [made["housing"].label, "1", "0", "1", "0", "1", "1"] in rows
    unmet = list(csv.reader(io.StringIO(client.get("/trends/unmet-demand.csv").text)))
    assert [made["housing"].label, "2", "2", "2"] in unmet
    months = list(csv.reader(io.StringIO(client.get("/trends/per-month.csv").text)))
    assert months[-1] == [utcnow().strftime("%Y-%m"), "2", "1"]
    assert client.get("/trends/nothing.csv").status_code == 404


def test_labels_in_charts_are_escaped() -> None:
    heat = trends.HeatMap("Category", [(HOSTILE, [1, 2, 3, 4, 5, 6])])
    for svg in (
        charts.heat_map(heat, HOSTILE),
        charts.unmet_bars([trends.Unmet(HOSTILE, 3, 2, 1)], "Unmet"),
        charts.outcome_bars([(HOSTILE, 3)], "Outcomes"),
    ):
        assert "<script>" not in str(svg) and "&lt;script&gt;" in str(svg)


def test_charts_draw_something_sensible_with_no_data() -> None:
    assert "Nothing yet" in charts.heat_map(trends.HeatMap("Region", []), "Empty")
    months = [trends.Month(label, 0, 0) for label in trends.month_labels(date.today() - timedelta(days=1))]
    assert "<polyline" in charts.monthly_lines(months, "Months")


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((charts._luminance(first), charts._luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_numbers_in_heat_map_cells_read_at_4_5_to_1_whatever_the_shade() -> None:
    for base in (charts.DEMAND, charts.SUPPLY):
        for step in range(11):
            fill = charts._shade(base, step / 10)
            assert contrast(fill, charts._text_on(fill)) >= 4.5, fill
