"""Featured placement for Supplier Plus: its pitches and offers lead the page they already rank on, labelled.

The ranking itself is untouched: only the order within one page of results changes, so no result moves to
another page and nothing unfeatured disappears.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from exchange.payments import entitlements

FEATURABLE_KINDS = frozenset({"pitch", "offer"})


@dataclass(frozen=True)
class Labelled:
    """A page of results with featured hits first, and what to label: featured hits, supporters' organisations."""

    results: Any
    featured: frozenset[tuple[str, int]]
    supporters: frozenset[int]


def labelled(db: Session, results: Any) -> Labelled:
    """Featured hits lead the page (the ranking is otherwise untouched); one query for both labels."""
    features = entitlements.features_of(db, {hit.organisation_id for hit in results.hits})
    supporters = frozenset(o for o, has in features.items() if entitlements.SUPPORTER_BADGE in has)
    featured = [
        hit
        for hit in results.hits
        if hit.kind in FEATURABLE_KINDS and entitlements.FEATURED in features.get(hit.organisation_id, ())
    ]
    if not featured:
        return Labelled(results, frozenset(), supporters)
    others = [hit for hit in results.hits if hit not in featured]
    return Labelled(
        dataclasses.replace(results, hits=featured + others),
        frozenset((hit.kind, hit.item_id) for hit in featured),
        supporters,
    )
