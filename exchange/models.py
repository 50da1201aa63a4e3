"""Imports every domain's models so that the metadata (Alembic, tests) sees all tables."""

from exchange.accounts.models import SignInAttempt, User
from exchange.audit.models import AuditEvent
from exchange.core.database import Base
from exchange.evaluation.models import AgreedScore, EvaluationScore, Moderation, NeedOutcome, ProposalFeedback
from exchange.listings.models import Offer, Pitch
from exchange.matching.models import MatchTerm, SupplierDocument
from exchange.needs.models import Need
from exchange.notifications.models import Notification, NotificationSetting
from exchange.organisations.models import CouncilEmailDomain, Member, Organisation
from exchange.outbox.models import OutboxMessage
from exchange.profiles.models import Certification, Declaration, Insurance, PastContract, Reference, SupplierProfile
from exchange.proposals.models import (
    Clarification,
    EvaluationCriterion,
    NeedProcurement,
    Proposal,
    ProposalAnswer,
    Requirement,
)
from exchange.reference.models import Category, Region
from exchange.search.models import SearchDocument, SearchIndexState
from exchange.shortlists.models import ShortlistEntry

__all__ = [
    "AgreedScore",
    "AuditEvent",
    "Base",
    "Category",
    "Certification",
    "Clarification",
    "CouncilEmailDomain",
    "Declaration",
    "EvaluationCriterion",
    "EvaluationScore",
    "Insurance",
    "MatchTerm",
    "Member",
    "Moderation",
    "Need",
    "NeedOutcome",
    "NeedProcurement",
    "Notification",
    "NotificationSetting",
    "Offer",
    "Organisation",
    "OutboxMessage",
    "PastContract",
    "Pitch",
    "Proposal",
    "ProposalAnswer",
    "ProposalFeedback",
    "Reference",
    "Region",
    "Requirement",
    "SearchDocument",
    "SearchIndexState",
    "ShortlistEntry",
    "SignInAttempt",
    "SupplierDocument",
    "SupplierProfile",
    "User",
]
