"""Session jobs: making a schedule an organiser asked for, and each participant's agenda reminder."""

from __future__ import annotations

from huey import crontab

from exchange.core import events
from exchange.core.queue import RETRIES, huey, job, job_context, unit_of_work
from exchange.sessions import reminders, schedule_runs


@huey.task(**RETRIES)
def make_schedule(run_id: int) -> None:
    schedule_runs.run(job_context().database, run_id)


@events.after_commit(schedule_runs.ScheduleRequested)
def _solve(requested: schedule_runs.ScheduleRequested) -> list[events.Job]:
    return [job(make_schedule, requested.run_id)]


def send_due_reminders() -> int:
    with unit_of_work() as db:
        return reminders.send_due(db)


@huey.periodic_task(crontab(minute="*/10"))
def send_due_reminders_every_ten_minutes() -> None:
    """Each participant's reminder goes once its first meeting is near; a run every ten minutes keeps them on
    time, and a run missed while down is made up by the next (until the meeting starts)."""
    send_due_reminders()
