"""Domain events: services say what happened; the infrastructure decides what follows.

A service records an event on its session (``record(db, NeedChanged(need.id))``) and knows nothing of who
listens. Two kinds of listener are registered once, by the packages built on top of the domains (see
``exchange.wiring``), so lower domains never import them:

- ``in_transaction`` handlers run at once, in the same transaction as the change (search index, supplier
  documents): they commit or roll back with it, and later queries in the same request see their writes.
- ``after_commit`` handlers name jobs for the queue. They are collected per transaction, once each, and
  enqueued only after that transaction commits; a rolled-back transaction enqueues nothing.

The session hooks at the bottom are installed once per process by ``install()``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("exchange.events")


@dataclass(frozen=True)
class DomainEvent:
    """Base of every event: frozen, so equal events are one (a need changed twice is indexed once after)."""


@dataclass(frozen=True)
class Job:
    """A job to enqueue after commit: the task's name and its JSON-friendly arguments."""

    task: str
    args: tuple[Any, ...] = ()


E = TypeVar("E", bound=DomainEvent)
InTransaction = Callable[[Session, Any], None]
AfterCommit = Callable[[Any], Iterable[Job]]

_in_transaction: dict[type[DomainEvent], list[InTransaction]] = defaultdict(list)
_after_commit: dict[type[DomainEvent], list[AfterCommit]] = defaultdict(list)
# How a job leaves the process once its transaction has committed (set by the queue; see core.jobs).
_enqueue: Callable[[Job], None] | None = None

_PENDING = "exchange.pending_jobs"


def in_transaction(kind: type[E]) -> Callable[[Callable[[Session, E], None]], Callable[[Session, E], None]]:
    """Register a handler that must change the database together with the event's transaction."""

    def register(handler: Callable[[Session, E], None]) -> Callable[[Session, E], None]:
        if handler not in _in_transaction[kind]:
            _in_transaction[kind].append(handler)
        return handler

    return register


def after_commit(kind: type[E]) -> Callable[[Callable[[E], Iterable[Job]]], Callable[[E], Iterable[Job]]]:
    """Register a function naming the jobs an event calls for once its transaction has committed."""

    def register(handler: Callable[[E], Iterable[Job]]) -> Callable[[E], Iterable[Job]]:
        if handler not in _after_commit[kind]:
            _after_commit[kind].append(handler)
        return handler

    return register


def set_enqueue(enqueue: Callable[[Job], None] | None) -> None:
    global _enqueue
    _enqueue = enqueue


def record(db: Session, happened: DomainEvent) -> None:
    """Say what happened: in-transaction handlers run now, jobs wait for the commit."""
    for act in _in_transaction.get(type(happened), ()):
        act(db, happened)
    pending: dict[Job, None] = db.info.setdefault(_PENDING, {})
    for name_jobs in _after_commit.get(type(happened), ()):
        for job in name_jobs(happened):
            pending.setdefault(job, None)


def _enqueue_pending(session: Session) -> None:
    # SQLAlchemy also calls after_commit when a savepoint is released: the jobs wait for the real commit.
    if session.in_nested_transaction():
        return
    pending: dict[Job, None] = session.info.pop(_PENDING, {})
    if not pending:
        return
    if _enqueue is None:
        log.warning("no job queue is configured: %d job(s) dropped", len(pending))
        return
    for job in pending:
        _enqueue(job)


def _forget_pending(session: Session, *_: Any) -> None:
    # A savepoint rolled back inside a transaction that goes on keeps the transaction's jobs.
    if not session.in_transaction():
        session.info.pop(_PENDING, None)


_installed = False


def install() -> None:
    """Enqueue each session's jobs after it commits; forget them when it rolls back. Once per process."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_commit", _enqueue_pending)
    event.listen(Session, "after_soft_rollback", _forget_pending)
    _installed = True
