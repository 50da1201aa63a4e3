"""Account clean-ups, every hour: ended sessions, rate-limit counts that no longer count, and sign-in records
older than anyone would look into."""

from __future__ import annotations

from datetime import timedelta

from huey import crontab
from sqlalchemy import delete

from exchange.accounts import sessions
from exchange.accounts.models import SignInAttempt
from exchange.core import rate_limits
from exchange.core.models import utcnow
from exchange.core.queue import huey, unit_of_work

SIGN_IN_RECORDS_KEPT = timedelta(days=90)


def clean_up() -> None:
    with unit_of_work() as db:
        sessions.forget_expired(db)
        rate_limits.forget_expired(db)
        db.execute(delete(SignInAttempt).where(SignInAttempt.attempted_at < utcnow() - SIGN_IN_RECORDS_KEPT))


@huey.periodic_task(crontab(minute="35"))
def clean_up_every_hour() -> None:
    clean_up()
