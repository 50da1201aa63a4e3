"""Words of council and place names ("borough", "council", "burnley", "half"...): where a need is, never what it asks.

A need's words lose them before matching, so they are never scored as shared evidence nor shown as a reason.
The list (``place_words.txt``) was made from the real list of UK local authorities; see its header.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from exchange.core import terms as text

WORDS_FILE = Path(__file__).with_name("place_words.txt")


def _load(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    words = {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}
    # Matching compares terms (light stems): "boroughs" is "borough".
    return frozenset(words | {text.stem(word) for word in words})


PLACE_TERMS = _load(WORDS_FILE)


def is_place(term: str) -> bool:
    return term in PLACE_TERMS


def without_places(terms: Iterable[str]) -> list[str]:
    """The terms that can be evidence of the work, in order."""
    return [term for term in terms if term not in PLACE_TERMS]
