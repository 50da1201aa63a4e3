"""The need filters in the search page's query string: their names, and writing them back into links."""

from __future__ import annotations

from typing import Any

from exchange.search.schemas import SearchQuery

NEED_PARAMS = ("include_ended", "open_now", "closes_within", "closes_after", "value_min", "value_max")
CLOSES_WITHIN_CHOICES = ((7, "Within 7 days"), (30, "Within 30 days"), (90, "Within 90 days"))


def need_params(query: SearchQuery) -> list[tuple[str, Any]]:
    """The need filters set on a query, as query-string pairs (yes/no filters only when on)."""
    pairs: list[tuple[str, Any]] = []
    for name in NEED_PARAMS:
        value = getattr(query, name)
        if value is True:
            pairs.append((name, "true"))
        elif value not in (None, False):
            pairs.append((name, value.isoformat() if name == "closes_after" else value))
    return pairs
