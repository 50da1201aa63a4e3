"""Payments jobs: Stripe webhook events are processed, and Checkout and portal addresses asked of Stripe, here,
retried with back-off, never inside the request."""

from __future__ import annotations

from datetime import date

from huey.api import Task

from exchange.core import events, queue
from exchange.core.models import utcnow
from exchange.core.queue import RETRIES, huey, job, job_context, unit_of_work
from exchange.payments import analytics, billing_pages, webhooks
from exchange.payments.gateway import Gateway, StripeRefused, StripeUnavailable


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


@huey.task(context=True, **RETRIES)
def prepare_billing_page(page_id: int, task: Task | None = None) -> str:
    """Ask Stripe for a Checkout or portal address. Stripe out of reach is retried by the queue; a refusal, or
    the last try failing, shows on the administrator's waiting page (so it is never set aside unseen)."""
    context = job_context()
    if not context.settings.payments_enabled:
        return _billing_page_failed(page_id, "Subscriptions are not available on this exchange.")
    try:
        with unit_of_work() as db:
            billing_pages.prepare(db, Gateway(context.settings), page_id, context.settings.base_url)
    except StripeRefused as refused:
        return _billing_page_failed(page_id, refused.message)
    except StripeUnavailable as unavailable:
        if task is not None and task.retries:
            raise
        return _billing_page_failed(page_id, unavailable.message)
    return "ready"


def _billing_page_failed(page_id: int, problem: str) -> str:
    with unit_of_work() as db:
        billing_pages.fail(db, page_id, problem)
    return "failed"


@events.after_commit(billing_pages.BillingPageRequested)
def _prepare(requested: billing_pages.BillingPageRequested) -> list[events.Job]:
    return [job(prepare_billing_page, requested.page_id)]


@huey.task(**RETRIES)
def record_profile_views(batch: list[tuple[analytics.Seen, int]], day: str) -> int:
    """A web process's tally of supplier page views, written at once."""
    with unit_of_work() as db:
        return analytics.record_views(db, batch, date.fromisoformat(day))


def hand_on_profile_views(batch: list[tuple[analytics.Seen, int]]) -> None:
    """The web process's side: queue its tally (the day is the day the views were seen)."""
    queue.enqueue(job(record_profile_views, batch, utcnow().date().isoformat()))
