"""What happens in a need's procurement, for the packages built on it (knowledge) to act on."""

from __future__ import annotations

from dataclasses import dataclass

from exchange.core.events import DomainEvent


@dataclass(frozen=True)
class ClarificationAnswered(DomainEvent):
    """A council answered a clarification question; ``told_user_ids`` were told already (asker, bidders)."""

    need_id: int
    clarification_id: int
    told_user_ids: frozenset[int]


@dataclass(frozen=True)
class ClarificationCorrected(DomainEvent):
    """A council corrected a published answer; ``told_user_ids`` were told already (asker, bidders)."""

    need_id: int
    clarification_id: int
    told_user_ids: frozenset[int]
