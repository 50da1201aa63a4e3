"""Payments jobs: Stripe webhook events are processed here, retried with back-off, never inside the request."""

from __future__ import annotations

from exchange.core import events
from exchange.core.queue import RETRIES, huey, job, job_context
from exchange.payments import webhooks
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
