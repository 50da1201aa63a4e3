"""Featured placement for Supplier Plus: its pitches and offers lead the page they already rank on, labelled.

The ranking itself is untouched: only the order within one page of results changes, so no result moves to
another page and nothing unfeatured disappears.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.orm import Session

from exchange.payments import entitlements

FEATURABLE_KINDS = frozenset({"pitch", "offer"})


def featured_first(db: Session, results: Any) -> tuple[Any, set[tuple[str, int]]]:
    """The results with featured hits first on this page, and the (kind, id) of those hits for their label."""
    organisations = {hit.organisation_id for hit in results.hits if hit.kind in FEATURABLE_KINDS}
    featured_organisations = entitlements.organisations_with(db, organisations, entitlements.FEATURED)
    featured = [
        hit for hit in results.hits if hit.kind in FEATURABLE_KINDS and hit.organisation_id in featured_organisations
    ]
    if not featured:
        return results, set()
    others = [hit for hit in results.hits if hit not in featured]
    return dataclasses.replace(results, hits=featured + others), {(hit.kind, hit.item_id) for hit in featured}


def supporters(db: Session, results: Any) -> set[int]:
    """The organisations among these results with a supporter badge (Council Supporter), for their label."""
    return entitlements.organisations_with(
        db, {hit.organisation_id for hit in results.hits}, entitlements.SUPPORTER_BADGE
    )
