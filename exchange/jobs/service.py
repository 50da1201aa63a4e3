"""Setting aside jobs that keep failing, and what an administrator can do with them.

The queue retries a failing job with back-off (see core.queue ``RETRIES``); when the last try fails, the
signal handler below writes it here instead of letting it vanish, so it never blocks the jobs behind it and
is shown on the administrators' page, where it can be queued again or dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from huey.api import Task
from huey.signals import SIGNAL_ERROR
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core import events
from exchange.core.queue import huey, unit_of_work
from exchange.jobs.models import FailedJob

log = logging.getLogger("exchange.jobs")


@dataclass(frozen=True)
class JobRetried(events.DomainEvent):
    task: str
    args: tuple[Any, ...]


@events.after_commit(JobRetried)
def _queue_again(retried: JobRetried) -> list[events.Job]:
    return [events.Job(retried.task, retried.args)]


@huey.signal(SIGNAL_ERROR)
def set_aside_after_last_try(_signal: str, task: Task, error: BaseException | None = None) -> None:
    if task.retries:  # tries are left: the queue will run it again
        return
    name = huey._registry.task_to_string(type(task))
    args, _kwargs = task.data
    attempts = (task.default_retries or 0) + 1
    log.error("job %s%r failed %d time(s) and is set aside: %r", name, tuple(args), attempts, error)
    with unit_of_work() as db:
        db.add(FailedJob(task=name, args=list(args), error=repr(error)[:4000], attempts=attempts))


def set_aside(db: Session, limit: int = 200) -> list[FailedJob]:
    return list(db.scalars(select(FailedJob).order_by(FailedJob.failed_at.desc(), FailedJob.id.desc()).limit(limit)))


def retry(db: Session, failed_job_id: int) -> FailedJob | None:
    """Queue the job again with the same arguments (after this transaction commits) and forget the failure."""
    failed = db.get(FailedJob, failed_job_id)
    if failed is None:
        return None
    db.delete(failed)
    db.flush()
    events.record(db, JobRetried(failed.task, tuple(failed.args)))
    return failed


def drop(db: Session, failed_job_id: int) -> bool:
    failed = db.get(FailedJob, failed_job_id)
    if failed is None:
        return False
    db.delete(failed)
    return True
