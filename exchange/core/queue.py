"""The job queue: huey, on a SQLite file by default and on Redis at scale (``EXCHANGE_QUEUE_URL=redis://...``).

huey gives the two storages, retries with back-off, periodic jobs and a consumer with several workers. What
it does not give is a second chance for a job whose worker dies mid-job (its message has already left the
queue): each running job therefore holds a lease in the queue's own key-value store, naming its worker
process, and every worker says it is alive every few seconds. A lease whose worker is dead (a process gone
on this host, or silent for ``worker_dead_after_seconds``) is put back on the queue by the next worker to
start and by a periodic check. Jobs are written to be safe to run twice, so a job that had half-run simply
runs again, once.

Jobs reach the database through ``job_context()``: the worker's own engine, or, in the web process when
jobs run at once (``immediate``), the application's.
"""

from __future__ import annotations

import contextvars
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import Task, TaskWrapper
from huey.constants import EmptyData
from sqlalchemy.orm import Session

from exchange.core import events
from exchange.core.database import Database, carry_settings, make_engine
from exchange.core.settings import Settings, get_settings

log = logging.getLogger("exchange.queue")

LEASE_PREFIX = "lease:"
HEARTBEAT_PREFIX = "heartbeat:"


def make_huey(settings: Settings) -> Huey:
    kind = settings.queue_kind
    if kind == "immediate":
        return MemoryHuey("exchange", immediate=True, results=False, utc=True)
    if kind == "redis":
        return RedisHuey("exchange", url=settings.queue_url, results=False, utc=True)
    settings.queue_file.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("exchange", filename=str(settings.queue_file), results=False, utc=True, timeout=10)


huey = make_huey(get_settings())
_settings = get_settings()
# How every job of the exchange is declared: ``@huey.task(**RETRIES)``. A job that runs at once in the
# enqueuing process has no later to be retried in: it is tried once, then set aside like any other.
RETRIES: dict[str, Any] = {
    "retries": 0 if huey.immediate else _settings.job_retries,
    "retry_delay": _settings.job_retry_delay_seconds,
    "retry_backoff": 2,
}


def job(task: TaskWrapper, *args: Any) -> events.Job:
    """Name a job for ``events.after_commit`` handlers: the task and its JSON-friendly arguments."""
    return events.Job(huey._registry.task_to_string(task.task_class), tuple(args))


def enqueue(named: events.Job) -> None:
    task_class = huey._registry.string_to_task(named.task)
    huey.enqueue(task_class(args=named.args))


# --- the database a job works on ---


@dataclass(frozen=True)
class JobContext:
    database: Database
    settings: Settings


_current: contextvars.ContextVar[JobContext | None] = contextvars.ContextVar("exchange_job_context", default=None)
_process_context: JobContext | None = None
_context_lock = threading.Lock()
# A process that always says which database its jobs use (the test suite) turns the fallback below off, so a
# job run without a context fails at once instead of quietly using the default database.
_process_context_allowed = True


def forbid_process_context() -> None:
    global _process_context_allowed
    _process_context_allowed = False


def use_context(context: JobContext) -> contextvars.Token[JobContext | None]:
    """Jobs run from here on (in this thread and what it starts) use this database and these settings."""
    return _current.set(context)


def job_context() -> JobContext:
    """The database and settings for a job: the caller's (an immediate job in a request), else the worker's."""
    context = _current.get()
    if context is not None:
        return context
    if not _process_context_allowed:
        raise RuntimeError("a job ran without a job context (use_context): this process has no default database")
    global _process_context
    with _context_lock:
        if _process_context is None:
            settings = get_settings()
            _process_context = JobContext(Database(make_engine(settings.database_url, settings), settings), settings)
        return _process_context


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction of a job, committed on success (and the jobs it names enqueued after)."""
    context = job_context()
    with context.database.transaction() as db:
        yield carry_settings(db, context.settings)


# --- leases: a job whose worker dies is queued again ---


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _lease_key(task: Task) -> str:
    return f"{LEASE_PREFIX}{task.id}"


@huey.pre_execute()
def _take_lease(task: Task) -> None:
    if huey.immediate:
        return
    lease = {"message": huey.serialize_task(task), "worker": worker_id(), "since": time.time()}
    huey.storage.put_data(_lease_key(task), huey.serializer.serialize(lease))


@huey.post_execute()
def _give_back_lease(task: Task, _value: Any, _error: BaseException | None) -> None:
    if not huey.immediate:
        huey.storage.pop_data(_lease_key(task))


def beat() -> None:
    """Say this worker process is alive."""
    huey.storage.put_data(f"{HEARTBEAT_PREFIX}{worker_id()}", huey.serializer.serialize(time.time()))


def start_heartbeat(every_seconds: float) -> threading.Event:
    """Beat in a background thread until the returned event is set."""
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                beat()
            except Exception:  # the queue's store may be briefly unreachable; the next beat tries again
                log.exception("could not write the worker heartbeat")
            stop.wait(every_seconds)

    beat()
    threading.Thread(target=run, name="exchange-heartbeat", daemon=True).start()
    return stop


def _worker_is_dead(worker: str, beats: dict[str, float], dead_after: float, now: float) -> bool:
    host, _, pid = worker.rpartition(":")
    if host == socket.gethostname() and pid.isdigit() and int(pid) != os.getpid():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # alive, under another user
            pass
    last = beats.get(worker)
    return last is None or now - last > dead_after


def requeue_abandoned_jobs(dead_after: float) -> int:
    """Put back on the queue every job whose worker died while running it; how many."""
    items = huey.storage.result_items()
    beats = {
        key[len(HEARTBEAT_PREFIX) :]: float(huey.serializer.deserialize(value))
        for key, value in items.items()
        if key.startswith(HEARTBEAT_PREFIX)
    }
    now = time.time()
    requeued = 0
    for key, value in items.items():
        if not key.startswith(LEASE_PREFIX):
            continue
        lease = huey.serializer.deserialize(value)
        if lease["worker"] == worker_id() or not _worker_is_dead(lease["worker"], beats, dead_after, now):
            continue
        # Whoever pops the lease first requeues it: two workers starting together never requeue it twice.
        if huey.storage.pop_data(key) is EmptyData:
            continue
        huey.storage.enqueue(lease["message"])
        requeued += 1
        log.warning("job %s was abandoned by worker %s: queued again", key[len(LEASE_PREFIX) :], lease["worker"])
    for worker, last in beats.items():
        if now - last > 10 * dead_after:
            huey.storage.delete_data(f"{HEARTBEAT_PREFIX}{worker}")
    return requeued


# --- the worker ---

_started_pid: int | None = None


@huey.on_startup()
def _worker_process_started() -> None:
    """Each worker process (all its threads share one) beats, and first puts back what dead workers left."""
    global _started_pid
    with _context_lock:
        if _started_pid == os.getpid():
            return
        _started_pid = os.getpid()
    settings = job_context().settings
    start_heartbeat(settings.worker_heartbeat_seconds)
    requeue_abandoned_jobs(settings.worker_dead_after_seconds)


@huey.periodic_task(crontab(minute="*"))
def requeue_abandoned() -> None:
    requeue_abandoned_jobs(job_context().settings.worker_dead_after_seconds)


def consume(workers: int, processes: bool = False) -> None:
    """Run the queue's consumer until stopped: ``workers`` threads (or processes), and the periodic jobs."""
    if huey.immediate:
        raise RuntimeError("jobs run at once in this configuration (EXCHANGE_QUEUE_URL=immediate): no worker needed")
    consumer = huey.create_consumer(
        workers=workers,
        worker_type="process" if processes else "thread",
        periodic=True,
        # An idle worker looks at the queue again within a second: email and alerts go out promptly.
        initial_delay=0.1,
        backoff=1.5,
        max_delay=1.0,
        check_worker_health=True,
        health_check_interval=5,
    )
    consumer.run()
