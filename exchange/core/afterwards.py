"""Work a request leaves for after its own transaction has finished and its connection has gone back to the
pool: writing a cache for the next requests, say, from a page that only reads.

Doing it during the request would take a second connection while the first is held: with as many requests at
once as the pool has connections, each would wait for another's, until the pool's timeout.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

Work = Callable[[], None]

# The request's list of work, shared with the handler's thread (which runs in a copy of this context).
_pending: ContextVar[list[Work] | None] = ContextVar("exchange_afterwards", default=None)


def defer(work: Work) -> bool:
    """Run ``work`` once the request's transaction has finished; False outside a request (do it now instead)."""
    pending = _pending.get()
    if pending is None:
        return False
    pending.append(work)
    return True


def begin() -> list[Work]:
    """A request starts: work deferred from now on waits in the returned list."""
    pending: list[Work] = []
    _pending.set(pending)
    return pending


def run(pending: list[Work]) -> None:
    while pending:
        pending.pop(0)()
