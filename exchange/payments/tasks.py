"""Payments jobs: Stripe webhook events are processed here, retried with back-off, never inside the request."""

from __future__ import annotations

from datetime import date

from exchange.core import events, queue
from exchange.core.models import utcnow
from exchange.core.queue import RETRIES, huey, job, job_context, unit_of_work
from exchange.payments import analytics, webhooks
from exchange.payments.gateway import Gateway


@huey.task(**RETRIES)
def process_stripe_event(event_row_id: int) -> str:
    """Safe to run twice: an event already processed is left as it is."""
    context = job_context()
    if not context.settings.payments_enabled:
        return "payments are off"
    return webhooks.process(context.database, Gateway(context.settings), event_row_id).value


@events.after_commit(webhooks.StripeEventStored)
def _process(stored: webhooks.StripeEventStored) -> list[events.Job]:
    return [job(process_stripe_event, stored.event_row_id)]


@huey.task(**RETRIES)
def record_profile_views(batch: list[tuple[analytics.Seen, int]], day: str) -> int:
    """A web process's tally of supplier page views, written at once."""
    with unit_of_work() as db:
        return analytics.record_views(db, batch, date.fromisoformat(day))


def hand_on_profile_views(batch: list[tuple[analytics.Seen, int]]) -> None:
    """The web process's side: queue its tally (the day is the day the views were seen)."""
    queue.enqueue(job(record_profile_views, batch, utcnow().date().isoformat()))
