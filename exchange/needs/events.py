"""What happens to needs, for the packages built on them (search, matching alerts) to act on."""

from __future__ import annotations

from dataclasses import dataclass

from exchange.core.events import DomainEvent


@dataclass(frozen=True)
class NeedChanged(DomainEvent):
    """What a need shows changed: posted, edited, moved to another stage, hidden or restored."""

    need_id: int


@dataclass(frozen=True)
class NeedStageChanged(DomainEvent):
    """A need was posted, moved to another stage or shown again: suppliers may now be able to act on it."""

    need_id: int
