"""Knowledge jobs: the saved-search and following digests, checked every hour (each is sent when it is due)."""

from __future__ import annotations

from huey import crontab

from exchange.core.queue import huey, unit_of_work
from exchange.knowledge.digests import send_saved_search_digests
from exchange.knowledge.following_digest import send_following_digests
from exchange.knowledge.saved_searches import DigestRun


def queue_due_digests() -> tuple[DigestRun, DigestRun]:
    """Queue every saved-search and following email that is due, each kind in its own transaction."""
    with unit_of_work() as db:
        saved = send_saved_search_digests(db)
    with unit_of_work() as db:
        following = send_following_digests(db)
    return saved, following


@huey.periodic_task(crontab(minute="5"))
def queue_due_digests_every_hour() -> None:
    queue_due_digests()
