"""Email jobs: deliver what is queued (after each commit that queued some, and every minute)."""

from __future__ import annotations

from datetime import timedelta

from huey import crontab

from exchange.core import events
from exchange.core.models import utcnow
from exchange.core.queue import RETRIES, huey, job, job_context, unit_of_work
from exchange.outbox import service


@huey.task(**RETRIES)
def deliver_email() -> int:
    context = job_context()
    sent = service.deliver_pending(context.database, context.settings)
    if sent == service.BATCH:  # more wait: another batch, after the other jobs queued meanwhile
        deliver_email()
    with context.database.session(write=False) as db:
        due = service.next_retry_at(db)
    if due is not None and due - utcnow() < timedelta(minutes=1):  # sooner than the next minute's run
        deliver_email.schedule(delay=max(0.0, (due - utcnow()).total_seconds()))
    return sent


@huey.periodic_task(crontab(minute="*"))
def deliver_email_every_minute() -> None:
    """Whatever a failed or delayed job left behind, and messages waiting out a retry delay."""
    deliver_email()


@huey.periodic_task(crontab(minute="*/5"))
def set_aside_interrupted_email() -> None:
    with unit_of_work() as db:
        service.set_aside_interrupted(db)


@events.after_commit(service.EmailQueued)
def _deliver(_: service.EmailQueued) -> list[events.Job]:
    return [job(deliver_email)]
