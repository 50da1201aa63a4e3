"""Counting views of suppliers' public pages, for Supplier Plus's profile analytics (the weekly figures beside
matches and invitations are pages.supplier_analytics).

Views are counted per organisation per day (no visitor is tracked). A small ASGI middleware recognises a
supplier's public pages once the response has gone and adds them up in memory, without touching the
database; every few seconds each web process hands its tally to a job, which writes it in one transaction.
Members looking at their own pages do not count. Views of the last few seconds before a process stops
abruptly are lost: an acceptable price for never writing on a page view.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exchange.core.queue import JobContext, use_context
from exchange.core.viewer import Viewer
from exchange.listings.models import Offer, Pitch
from exchange.organisations.models import Organisation
from exchange.payments.models import ProfileView

log = logging.getLogger(__name__)
COUNTED_PAGES = re.compile(r"^/(?:(pitches|offers)/(\d{1,10})|organisations/([a-z0-9-]{1,220})(?:/profile)?)$")


def record_view(db: Session, organisation_id: int, day: date, views: int = 1) -> None:
    """Add views to the day's count (made on first view; a concurrent first view retries as an update)."""
    added = db.execute(
        update(ProfileView)
        .where(ProfileView.organisation_id == organisation_id, ProfileView.day == day)
        .values(views=ProfileView.views + views)
    )
    if getattr(added, "rowcount", 0):
        return
    try:
        with db.begin_nested():
            db.add(ProfileView(organisation_id=organisation_id, day=day, views=views))
    except IntegrityError:
        record_view(db, organisation_id, day, views)


def _organisation_of(db: Session, kind: str, key: str) -> int | None:
    if kind == "organisations":
        return db.scalar(select(Organisation.id).where(Organisation.slug == key))
    model = Pitch if kind == "pitches" else Offer
    return db.scalar(select(model.organisation_id).where(model.id == int(key)))


# One counted page: (pitches|offers|organisations, its id or slug, the viewer's own organisations).
Seen = tuple[str, str, tuple[int, ...]]


def record_views(db: Session, batch: list[tuple[Seen, int]], day: date) -> int:
    """Add a batch of counted pages to the day's counts; how many views counted."""
    counted = 0
    for (kind, key, own), views in batch:
        organisation_id = _organisation_of(db, kind, key)
        if organisation_id is None or organisation_id in own:
            continue
        record_view(db, organisation_id, day, views)
        counted += views
    return counted


class ViewTally:
    """Views seen by this process since it last handed them on; thread-safe."""

    def __init__(self, every_seconds: float) -> None:
        self.every_seconds = every_seconds
        self._counts: Counter[Seen] = Counter()
        self._lock = threading.Lock()
        self._since = time.monotonic()

    def add(self, seen: Seen) -> list[tuple[Seen, int]] | None:
        """Count one view; the batch to hand on when it is time, else None."""
        with self._lock:
            self._counts[seen] += 1
            if time.monotonic() - self._since < self.every_seconds and len(self._counts) < MOST_IN_A_BATCH:
                return None
            return self._take()

    def take(self) -> list[tuple[Seen, int]]:
        with self._lock:
            return self._take()

    def _take(self) -> list[tuple[Seen, int]]:
        batch = list(self._counts.items())
        self._counts.clear()
        self._since = time.monotonic()
        return batch


MOST_IN_A_BATCH = 1000


class ViewCounter:
    """Counts successful GETs of a supplier's public pages once the response is sent (see the module)."""

    def __init__(self, app: ASGIApp, tally: ViewTally, hand_on: Callable[[list[tuple[Seen, int]]], None]) -> None:
        self.app = app
        self.tally = tally
        self.hand_on = hand_on

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
        if status["code"] != 200 or headers.get(b"hx-request") == b"true":
            return
        kind, item_id, slug = match.groups()
        viewer: Viewer | None = (scope.get("state") or {}).get("viewer")
        own = tuple(sorted(viewer.organisation_ids)) if viewer is not None else ()
        batch = self.tally.add(("organisations", slug, own) if slug else (kind, item_id, own))
        if batch:
            await run_in_threadpool(self._hand_on, scope["app"].state, batch)

    def _hand_on(self, state: Any, batch: list[tuple[Seen, int]]) -> None:
        # The application's database and settings, for a job that runs at once (immediate queue).
        token = use_context(JobContext(state.database, state.settings))
        try:
            self.hand_on(batch)
        except Exception:  # a lost view count must never be anyone's error
            log.exception("could not hand on %d counted pages", len(batch))
        finally:
            token.var.reset(token)


def total_views(db: Session, organisation_id: int) -> int:
    return db.scalar(select(func.sum(ProfileView.views)).where(ProfileView.organisation_id == organisation_id)) or 0
