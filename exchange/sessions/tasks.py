"""Session jobs: making a schedule an organiser asked for."""

from __future__ import annotations

from exchange.core import events
from exchange.core.queue import RETRIES, huey, job, job_context
from exchange.sessions import schedule_runs


@huey.task(**RETRIES)
def make_schedule(run_id: int) -> None:
    schedule_runs.run(job_context().database, run_id)


@events.after_commit(schedule_runs.ScheduleRequested)
def _solve(requested: schedule_runs.ScheduleRequested) -> list[events.Job]:
    return [job(make_schedule, requested.run_id)]
