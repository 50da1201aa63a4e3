"""What happens in the knowledge domain that others are told about (see exchange.knowledge.subscribers)."""

from __future__ import annotations

from dataclasses import dataclass

from exchange.core.events import DomainEvent


@dataclass(frozen=True)
class EndorsementAdded(DomainEvent):
    """A council endorsed a supplier or one of its offers."""

    endorsement_id: int
    by_user_id: int | None
