"""What happens to supplier profiles, for matching to act on."""

from __future__ import annotations

from dataclasses import dataclass

from exchange.core.events import DomainEvent


@dataclass(frozen=True)
class TrackRecordChanged(DomainEvent):
    """A supplier's past contracts changed: the evidence it is matched on."""

    organisation_id: int
