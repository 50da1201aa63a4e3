"""What happens to organisations, for the packages built on them (search, matching) to act on."""

from __future__ import annotations

from dataclasses import dataclass

from exchange.core.events import DomainEvent


@dataclass(frozen=True)
class OrganisationChanged(DomainEvent):
    """An organisation was created or its name, description, website or region changed."""

    organisation_id: int


@dataclass(frozen=True)
class CouncilDomainAdded(DomainEvent):
    """People with a confirmed address on this domain now join the organisation as officers."""

    organisation_id: int
    domain: str
