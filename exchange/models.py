"""Imports every domain's models so that the metadata (Alembic, tests) sees all tables."""

from exchange.accounts.models import SignInAttempt, User
from exchange.audit.models import AuditEvent
from exchange.core.database import Base
from exchange.listings.models import Offer, Pitch
from exchange.needs.models import Need
from exchange.organisations.models import CouncilEmailDomain, Member, Organisation
from exchange.outbox.models import OutboxMessage
from exchange.profiles.models import PastContract, SupplierProfile
from exchange.reference.models import Category, Region
from exchange.search.models import SearchDocument, SearchIndexState

__all__ = [
    "AuditEvent",
    "Base",
    "Category",
    "CouncilEmailDomain",
    "Member",
    "Need",
    "Offer",
    "Organisation",
    "OutboxMessage",
    "PastContract",
    "Pitch",
    "Region",
    "SearchDocument",
    "SearchIndexState",
    "SignInAttempt",
    "SupplierProfile",
    "User",
]
