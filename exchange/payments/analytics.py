"""Profile analytics for Supplier Plus: views of a supplier's public pages, matches and shortlistings by week.

Views are counted per organisation per day (no visitor is tracked), after the response has gone, by a small
ASGI middleware that recognises a supplier's public pages; members looking at their own pages do not count.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exchange.core.database import Database
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.listings.models import Offer, Pitch
from exchange.matching import service as matching
from exchange.organisations.models import Organisation
from exchange.payments.models import ProfileView
from exchange.shortlists.models import ShortlistEntry

log = logging.getLogger(__name__)
WEEKS = 12
COUNTED_PAGES = re.compile(r"^/(?:(pitches|offers)/(\d{1,10})|organisations/([a-z0-9-]{1,220})(?:/profile)?)$")


@dataclass(frozen=True)
class Week:
    starts: date
    views: int
    matches: int
    shortlistings: int


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
    shortlisted = {s: 0 for s in starts}
    since = datetime(first.year, first.month, first.day, tzinfo=utcnow().tzinfo)
    for (created,) in db.execute(
        select(ShortlistEntry.created_at).where(
            ShortlistEntry.organisation_id == organisation_id, ShortlistEntry.created_at >= since
        )
    ):
        shortlisted[_week_start(created.date())] += 1
    matched = {s: 0 for s in starts}
    # Open needs that match the supplier now, by the week each was posted (what a weekly digest would show).
    for opportunity in matching.opportunities(db, viewer, organisation_id, limit=200):
        posted = _week_start(opportunity.need.created_at.date())
        if posted in matched:
            matched[posted] += 1
    return [Week(s, views[s], matched[s], shortlisted[s]) for s in starts]


def record_view(db: Session, organisation_id: int, day: date) -> None:
    """Add one view to the day's count (made on first view; a concurrent first view retries as an update)."""
    added = db.execute(
        update(ProfileView)
        .where(ProfileView.organisation_id == organisation_id, ProfileView.day == day)
        .values(views=ProfileView.views + 1)
    )
    if getattr(added, "rowcount", 0):
        return
    try:
        with db.begin_nested():
            db.add(ProfileView(organisation_id=organisation_id, day=day, views=1))
    except IntegrityError:
        record_view(db, organisation_id, day)


def _organisation_of(db: Session, match: re.Match[str]) -> int | None:
    kind, item_id, slug = match.groups()
    if slug:
        return db.scalar(select(Organisation.id).where(Organisation.slug == slug))
    model = Pitch if kind == "pitches" else Offer
    return db.scalar(select(model.organisation_id).where(model.id == int(item_id)))


def count_view(database: Database, match: re.Match[str], viewer: Viewer | None) -> None:
    try:
        with database.transaction() as db:
            organisation_id = _organisation_of(db, match)
            if organisation_id is None or (viewer is not None and viewer.is_member(organisation_id)):
                return
            record_view(db, organisation_id, utcnow().date())
    except Exception:  # a lost view count must never be anyone's error
        log.exception("could not count a profile view")


class ViewCounter:
    """Counts successful GETs of a supplier's public pages once the response is sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = COUNTED_PAGES.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        status = {"code": 0}

        async def remember_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, receive, remember_status)
        headers = dict(scope.get("headers") or [])
        if status["code"] == 200 and headers.get(b"hx-request") != b"true":
            state: dict[str, Any] = scope.get("state") or {}
            database: Database = scope["app"].state.database
            await run_in_threadpool(count_view, database, match, state.get("viewer"))


def total_views(db: Session, organisation_id: int) -> int:
    return db.scalar(select(func.sum(ProfileView.views)).where(ProfileView.organisation_id == organisation_id)) or 0
