"""The public trends page: heat maps of demand and supply, unmet demand, what is rising, session outcomes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer
from exchange.core.errors import NotFound
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.models import utcnow
from exchange.core.templating import render
from exchange.core.viewer import Viewer
from exchange.knowledge import charts, trends

router = APIRouter(route_class=TransactionalRoute)
CHARTS = ("categories", "regions", "unmet-demand", "per-month", "session-outcomes")


def _today() -> date:
    return utcnow().date()


def heat_rows(heat: trends.HeatMap) -> tuple[list[str], list[list[object]]]:
    header = [heat.dimension, *(column.label for column in heat.columns)]
    return header, [[label, *values] for label, values in heat.rows]


def chart_table(
    found: trends.Trends, chart: str, for_csv: bool = False
) -> tuple[list[str], Sequence[Sequence[object]]]:
    """The header and rows of one chart's numbers: the same for its table on the page and its CSV."""
    if chart == "categories":
        return heat_rows(found.by_category)
    if chart == "regions":
        return heat_rows(found.by_region)
    if chart == "unmet-demand":
        if for_csv:
            header = ["Category", "Needs with no proposal yet", "Needs looking for a solution", "Pitches and offers"]
            return header, [[u.category, u.unanswered, u.demand, u.supply] for u in found.unmet]
        header = ["Category", "Needs with no proposal yet", "Pitches and offers"]
        return header, [[u.category, u.unanswered, u.supply] for u in found.unmet]
    if chart == "per-month":
        return ["Month", "Needs posted", "Pitches published"], [
            [m.label if for_csv else m.name, m.needs, m.pitches] for m in found.months
        ]
    if chart == "session-outcomes":
        return ["Follow-up outcome", "Meetings"], [[name, count] for name, count in found.sessions.rows]
    raise NotFound()


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        # A spreadsheet would run a cell that starts with "=" or similar as a formula.
        writer.writerow([f"'{v}" if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row])
    return out.getvalue()


@router.get("/trends", response_class=HTMLResponse)
def trends_page(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    found = trends.trends(db, _today())
    context = {
        "page_title": "Trends: what councils need and what is on offer",
        "found": found,
        "tables": {chart: chart_table(found, chart) for chart in CHARTS},
        # Each number of a heat map links to the search listing what it counts, in the table as in the picture.
        "links": {"categories": found.by_category.links(), "regions": found.by_region.links()},
        "charts": {
            "categories": charts.heat_map(
                found.by_category, "Heat map of needs by stage, pitches and offers in each category"
            ),
            "regions": charts.heat_map(
                found.by_region, "Heat map of needs by stage, pitches and offers in each region"
            ),
            "unmet-demand": charts.unmet_bars(
                found.unmet, "Bar chart of the categories with the most needs still looking for a solution"
            ),
            "per-month": charts.monthly_lines(
                found.months, "Line chart of needs posted and pitches published in each of the last 12 months"
            ),
            "session-outcomes": charts.outcome_bars(
                found.sessions.rows, "Bar chart of what came of meetings at matchmaking sessions"
            ),
        },
    }
    return render(request, "knowledge/trends.html", context)


@router.get("/trends/{chart}.csv")
def trends_csv(chart: str, db: Session = Depends(get_db)) -> Response:
    if chart not in CHARTS:
        raise NotFound()
    header, rows = chart_table(trends.trends(db, _today()), chart, for_csv=True)
    return Response(
        _csv(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="exchange-trends-{chart}.csv"'},
    )
