"""Matching jobs: early alerts when a need opens to suppliers (ranking suppliers takes too long for a request),
and the weekly opportunities digest."""

from __future__ import annotations

from huey import crontab

from exchange.core.queue import RETRIES, huey, unit_of_work
from exchange.matching import alerts
from exchange.matching.digest import DigestRun, send_digests
from exchange.needs.models import Need


@huey.task(**RETRIES)
def alert_subscribers(need_id: int) -> int:
    """Safe to run twice: each member is told about a need once at most."""
    with unit_of_work() as db:
        need = db.get(Need, need_id)
        return 0 if need is None else alerts.alert_subscribers(db, need)


def queue_due_opportunity_digests() -> DigestRun:
    with unit_of_work() as db:
        return send_digests(db)


@huey.periodic_task(crontab(minute="15"))
def queue_due_opportunity_digests_every_hour() -> None:
    """Each subscriber's weekly email goes once it is due; an hourly check keeps them on time after downtime."""
    queue_due_opportunity_digests()
