"""Stripe webhook events: recorded once by id inside the request, processed by a job after its commit.

Processing never trusts the event's copy of a subscription: events arrive late, twice or out of order, so
each one only says *which* subscription to re-read from Stripe, and the row is set to what Stripe says now.
A failure rolls the whole processing back and marks the event failed, and the job fails so that the queue
tries it again with back-off (Stripe has had its answer and will not resend); an administrator can replay
what still fails after the last try.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exchange.audit import service as audit
from exchange.core import events
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


@dataclass(frozen=True)
class StripeEventStored(events.DomainEvent):
    """A verified event waits to be processed (new, sent again after a failure, or replayed)."""

    event_row_id: int


class StripeEventFailed(Exception):
    """Processing failed and was rolled back; the event is marked failed and the job is tried again."""


def record(db: Session, event: dict[str, Any]) -> tuple[WebhookEvent, bool]:
    """The stored event and whether it is new. The unique event id makes a repeat (even a concurrent one) a no-op."""
    event_id = str(event.get("id") or "")
    existing = db.scalar(select(WebhookEvent).where(WebhookEvent.stripe_event_id == event_id))
    if existing is not None:
        if needs_processing(existing):
            events.record(db, StripeEventStored(existing.id))
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
    if needs_processing(row):
        events.record(db, StripeEventStored(row.id))
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
    """Process one stored event in its own transaction; on any error nothing of it stays but the failure,
    and StripeEventFailed is raised for the queue to try again."""
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
    raise StripeEventFailed(f"Stripe event {event_row_id}: {type(error).__name__}: {error}") from error


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
    events.record(db, StripeEventStored(event.id))
    return event


def recent(db: Session, limit: int = 50) -> list[WebhookEvent]:
    return list(db.scalars(select(WebhookEvent).order_by(WebhookEvent.id.desc()).limit(limit)))
