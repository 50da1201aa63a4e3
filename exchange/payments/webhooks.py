"""Stripe webhook events: recorded once by id inside the request, processed after its commit.

Processing never trusts the event's copy of a subscription: events arrive late, twice or out of order, so
each one only says *which* subscription to re-read from Stripe, and the row is set to what Stripe says now.
A failure rolls the whole processing back and marks the event failed; Stripe's retry (or an administrator's
replay) processes it again from the start.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exchange.audit import service as audit
from exchange.core.database import Database
from exchange.core.errors import Conflict, NotFound
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.payments import service
from exchange.payments.gateway import Gateway
from exchange.payments.models import WebhookEvent, WebhookStatus

log = logging.getLogger(__name__)

SUBSCRIPTION_EVENTS = frozenset(
    {"customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted"}
)
# invoice.payment_succeeded is the older name of invoice.paid; some accounts (and localstripe) still send it.
INVOICE_EVENTS = frozenset({"invoice.paid", "invoice.payment_succeeded", "invoice.payment_failed"})
HANDLED_EVENTS = SUBSCRIPTION_EVENTS | INVOICE_EVENTS | {"checkout.session.completed"}
RACE_RETRIES = 3
MAX_AUTOMATIC_ATTEMPTS = 5
RETRY_BATCH = 10


def record(db: Session, event: dict[str, Any]) -> tuple[WebhookEvent, bool]:
    """The stored event and whether it is new. The unique event id makes a repeat (even a concurrent one) a no-op."""
    event_id = str(event.get("id") or "")
    existing = db.scalar(select(WebhookEvent).where(WebhookEvent.stripe_event_id == event_id))
    if existing is not None:
        return existing, False
    kind = str(event.get("type") or "")
    row = WebhookEvent(
        stripe_event_id=event_id,
        type=kind,
        payload=event,
        status=WebhookStatus.RECEIVED if kind in HANDLED_EVENTS else WebhookStatus.IGNORED,
        attempts=0,
        last_error="",
    )
    try:
        with db.begin_nested():
            db.add(row)
            db.flush()
    except IntegrityError:
        # Another delivery of the same event committed first: that one does the work.
        found = db.scalar(select(WebhookEvent).where(WebhookEvent.stripe_event_id == event_id))
        assert found is not None
        return found, False
    return row, True


def needs_processing(row: WebhookEvent) -> bool:
    return row.status in (WebhookStatus.RECEIVED, WebhookStatus.FAILED)


def _subscription_id(event: WebhookEvent) -> str | None:
    data: dict[str, Any] = (event.payload.get("data") or {}).get("object") or {}
    if event.type in SUBSCRIPTION_EVENTS:
        return str(data.get("id") or "") or None
    subscription = data.get("subscription")
    if subscription is None:  # newer API versions keep it under the invoice's parent
        details = (data.get("parent") or {}).get("subscription_details") or {}
        subscription = details.get("subscription")
    if isinstance(subscription, dict):
        subscription = subscription.get("id")
    return str(subscription) if subscription else None


def _handle(db: Session, gateway: Gateway, event: WebhookEvent) -> None:
    if event.type == "checkout.session.completed":
        data = (event.payload.get("data") or {}).get("object") or {}
        if data.get("mode") not in (None, "subscription"):
            return
    subscription_id = _subscription_id(event)
    if subscription_id is None:
        return
    service.apply_state(db, gateway.retrieve_subscription(subscription_id), event)


def _process_once(database: Database, gateway: Gateway, event_row_id: int) -> WebhookStatus:
    with database.transaction() as db:
        event = db.get(WebhookEvent, event_row_id, with_for_update=True)
        if event is None or not needs_processing(event):
            return event.status if event else WebhookStatus.IGNORED
        _handle(db, gateway, event)
        event.status = WebhookStatus.PROCESSED
        event.attempts += 1
        event.last_error = ""
        event.processed_at = utcnow()
        return WebhookStatus.PROCESSED


def process(database: Database, gateway: Gateway, event_row_id: int) -> WebhookStatus:
    """Process one stored event in its own transaction; on any error nothing of it stays but the failure."""
    error: Exception | None = None
    for _ in range(RACE_RETRIES):
        try:
            return _process_once(database, gateway, event_row_id)
        except IntegrityError as race:
            # Two events about the same new customer or subscription, processed at once: the other one
            # committed the row first, so starting again finds it and updates it instead.
            error = race
        except Exception as failure:
            error = failure
            break
    log.error("Stripe event %s failed", event_row_id, exc_info=error)
    with database.transaction() as db:
        event = db.get(WebhookEvent, event_row_id)
        if event is not None:
            event.status = WebhookStatus.FAILED
            event.attempts += 1
            event.last_error = f"{type(error).__name__}: {error}"[:2000]
    return WebhookStatus.FAILED


def retry_failed(database: Database, gateway: Gateway, exclude: int | None = None) -> int:
    """Process again the events that failed (a few times at most), oldest first; how many now succeeded.

    The endpoint has already answered Stripe 2xx for them, so Stripe will not resend: the next event to
    arrive carries them along, and an administrator can replay whatever still fails after that.
    """
    with database.session(write=False) as db:
        ids = list(
            db.scalars(
                select(WebhookEvent.id)
                .where(WebhookEvent.status == WebhookStatus.FAILED, WebhookEvent.attempts < MAX_AUTOMATIC_ATTEMPTS)
                .order_by(WebhookEvent.id)
                .limit(RETRY_BATCH)
            )
        )
    return sum(process(database, gateway, row_id) is WebhookStatus.PROCESSED for row_id in ids if row_id != exclude)


def process_then_retry(database: Database, gateway: Gateway, event_row_id: int) -> None:
    process(database, gateway, event_row_id)
    retry_failed(database, gateway, exclude=event_row_id)


def mark_for_replay(db: Session, viewer: Viewer, event_row_id: int) -> WebhookEvent:
    """An administrator asks for an event to be processed again (after fixing what made it fail)."""
    event = db.get(WebhookEvent, event_row_id)
    if event is None:
        raise NotFound()
    if event.type not in HANDLED_EVENTS:
        raise Conflict("The exchange does not act on this kind of event, so there is nothing to replay.")
    event.status = WebhookStatus.RECEIVED
    db.flush()
    audit.record(db, viewer.user_id, "billing.webhook_replayed", "stripe_webhook_event", event.id)
    return event


def recent(db: Session, limit: int = 50) -> list[WebhookEvent]:
    return list(db.scalars(select(WebhookEvent).order_by(WebhookEvent.id.desc()).limit(limit)))
