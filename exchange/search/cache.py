"""A per-process cache of search work, valid while the search index is unchanged.

Every key holds the index's change token, which database triggers renew (randomly) on every insert, update
and delete of a search document, in the same transaction as the change. A worker reads it with one
primary-key lookup; a new token simply misses the cache, and old entries age out.

Each kind of work (a key's first element: "results", "related", "search-area"...) ages out on its own, so
that a stream of searches nobody repeats cannot push out the related items that every item page reuses.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.search.models import SearchIndexState

T = TypeVar("T")
CACHE_SIZE = 1024

# Per kind of work, its entries, least recently used first.
_spaces: dict[Any, OrderedDict[tuple[Any, ...], Any]] = {}
_lock = threading.Lock()


def database_key(db: Session) -> str:
    """Which database: the start of every cache key (a process may serve more than one, as the test suite does)."""
    return str(db.get_bind().engine.url)


def index_version(db: Session) -> tuple[Any, ...]:
    """Which database, and its index's change token: the start of every key of work that the index decides."""
    token = db.scalar(select(SearchIndexState.change_token).where(SearchIndexState.id == 1))
    return (database_key(db), token)


def cached(key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """The value for ``key``, computed on a miss; ``key[0]`` names the kind of work (a constant label)."""
    found = get(key)
    if found is not None:
        hit: T = found
        return hit
    value = compute()
    put(key, value)
    return value


def get(key: tuple[Any, ...]) -> Any | None:
    """The value kept for ``key``, or None."""
    with _lock:
        entries = _spaces.setdefault(key[0], OrderedDict())
        if key not in entries:
            return None
        entries.move_to_end(key)
        return entries[key]


def put(key: tuple[Any, ...], value: Any) -> None:
    with _lock:
        entries = _spaces.setdefault(key[0], OrderedDict())
        entries[key] = value
        while len(entries) > CACHE_SIZE:
            entries.popitem(last=False)


def clear() -> None:
    with _lock:
        _spaces.clear()
