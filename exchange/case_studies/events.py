"""What happens to case studies that others are told about (see exchange.case_studies.subscribers)."""

from __future__ import annotations

from dataclasses import dataclass

from exchange.core.events import DomainEvent


@dataclass(frozen=True)
class InterestAdded(DomainEvent):
    """An organisation said "we want to try this" about a case study."""

    case_study_id: int
    organisation_id: int
    by_user_id: int | None


@dataclass(frozen=True)
class SupplierNamed(DomainEvent):
    """A case study that everyone can see names a supplier (on publishing, or when a published one changes)."""

    case_study_id: int
    supplier_id: int
    by_user_id: int | None
