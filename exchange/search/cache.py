"""A per-process cache of search work, valid while the search index is unchanged.

Every key starts with the index's change token, which database triggers renew (randomly) on every
insert, update and delete of a search document, in the same transaction as the change. A worker reads
it with one primary-key lookup; a new token simply misses the cache, and old entries age out.
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

_entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_lock = threading.Lock()


def index_version(db: Session) -> tuple[Any, ...]:
    """Which database, and its index's change token: the start of every cache key."""
    token = db.scalar(select(SearchIndexState.change_token).where(SearchIndexState.id == 1))
    return (str(db.get_bind().engine.url), token)


def cached(key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            hit: T = _entries[key]
            return hit
    value = compute()
    with _lock:
        _entries[key] = value
        while len(_entries) > CACHE_SIZE:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()
