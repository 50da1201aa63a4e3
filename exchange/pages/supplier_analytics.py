"""Profile analytics for Supplier Plus: views of a supplier's public pages, the needs matching it and the
invitations to respond it received, by week (views from payments, matches from matching, invitations from
proposals). Never its shortlistings: a council's shortlist is private to the council."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.models import utcnow
from exchange.core.templating import render
from exchange.core.viewer import Viewer
from exchange.matching import service as matching
from exchange.payments import entitlements, service
from exchange.payments.chart import Series, bar_chart
from exchange.payments.models import ProfileView
from exchange.payments.plans import catalogue
from exchange.payments.views import payments_enabled
from exchange.proposals.models import ProposalInvitation

router = APIRouter(route_class=TransactionalRoute)
WEEKS = 12


@dataclass(frozen=True)
class Week:
    starts: date
    views: int
    matches: int
    invitations: int


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly(db: Session, viewer: Viewer, organisation_id: int, today: date | None = None) -> list[Week]:
    """The last twelve weeks, oldest first, each starting on a Monday."""
    first = _week_start(today or utcnow().date()) - timedelta(weeks=WEEKS - 1)
    starts = [first + timedelta(weeks=n) for n in range(WEEKS)]
    views = {s: 0 for s in starts}
    for day, count in db.execute(
        select(ProfileView.day, ProfileView.views).where(
            ProfileView.organisation_id == organisation_id, ProfileView.day >= first
        )
    ):
        views[_week_start(day)] += count
    invited = {s: 0 for s in starts}
    since = datetime(first.year, first.month, first.day, tzinfo=utcnow().tzinfo)
    for (created,) in db.execute(
        select(ProposalInvitation.created_at).where(
            ProposalInvitation.organisation_id == organisation_id, ProposalInvitation.created_at >= since
        )
    ):
        invited[_week_start(created.date())] += 1
    matched = {s: 0 for s in starts}
    # Open needs that match the supplier now, by the week each was posted (what a weekly digest would show).
    for opportunity in matching.opportunities(db, viewer, organisation_id, limit=200):
        posted = _week_start(opportunity.need.created_at.date())
        if posted in matched:
            matched[posted] += 1
    return [Week(s, views[s], matched[s], invited[s]) for s in starts]


@router.get("/billing/{organisation_id}/analytics", response_class=HTMLResponse)
def analytics_page(
    request: Request, organisation_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    organisation = service.billable_organisation(db, viewer, organisation_id)
    context: dict[str, Any] = {
        "page_title": "Profile analytics",
        "organisation": organisation,
        "payments_enabled": payments_enabled(request),
        "upgrade": catalogue(db).plans.get("supplier_plus"),
        "weeks": [],
    }
    if entitlements.has_feature(db, organisation_id, entitlements.ANALYTICS):
        weeks = weekly(db, viewer, organisation_id)
        labels = [f"{week.starts.day} {week.starts:%b}" for week in weeks]
        context["weeks"] = weeks
        context["chart"] = bar_chart(
            f"Views, matches and invitations to respond of {organisation.name} by week",
            labels,
            [
                Series("Views", [w.views for w in weeks]),
                Series("Matching needs", [w.matches for w in weeks]),
                Series("Invitations to respond", [w.invitations for w in weeks]),
            ],
        )
    return render(request, "payments/analytics.html", context)
