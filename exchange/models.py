"""Imports every domain's models so that the metadata (Alembic, tests) sees all tables."""

from exchange.accounts.models import Member, SignInAttempt, User, UserSession
from exchange.audit.models import AuditEvent
from exchange.case_studies.models import CaseStudy, CaseStudyInterest, CaseStudyTerm
from exchange.conversations.models import Group, GroupFacilitator, Post, PostSupport
from exchange.core.database import Base
from exchange.core.rate_limits import RateLimitHits
from exchange.evaluation.models import (
    AgreedScore,
    EvaluationScore,
    Moderation,
    NeedOutcome,
    PanelMember,
    ProposalFeedback,
)
from exchange.feedback.models import ContactMessage
from exchange.jobs.models import FailedJob
from exchange.knowledge.models import Endorsement, Follow, SavedSearch
from exchange.listings.models import Offer, Pitch
from exchange.matching.models import MatchTerm, SupplierDocument
from exchange.moderation.models import Report
from exchange.needs.models import Need
from exchange.notifications.models import Notification, NotificationSetting
from exchange.organisations.models import CouncilEmailDomain, Organisation
from exchange.outbox.models import OutboxMessage
from exchange.payments.models import BillingCustomer, ProfileView, Subscription, WebhookEvent
from exchange.profiles.models import Certification, Declaration, Insurance, PastContract, Reference, SupplierProfile
from exchange.proposals.models import (
    Clarification,
    EvaluationCriterion,
    NeedProcurement,
    Proposal,
    ProposalAnswer,
    ProposalInvitation,
    Requirement,
)
from exchange.reference.models import Category, Region
from exchange.search.models import SearchDocument, SearchIndexState
from exchange.sessions.models import (
    MatchmakingSession,
    MeetingFeedback,
    MeetingFollowUp,
    ScheduleRun,
    SessionMeeting,
    SessionParticipant,
    SessionPreference,
)
from exchange.shortlists.models import ShortlistEntry

__all__ = [
    "AgreedScore",
    "AuditEvent",
    "Base",
    "BillingCustomer",
    "CaseStudy",
    "CaseStudyInterest",
    "CaseStudyTerm",
    "Category",
    "Certification",
    "Clarification",
    "ContactMessage",
    "CouncilEmailDomain",
    "Declaration",
    "Endorsement",
    "EvaluationCriterion",
    "EvaluationScore",
    "FailedJob",
    "Follow",
    "Group",
    "GroupFacilitator",
    "Insurance",
    "MatchTerm",
    "MatchmakingSession",
    "MeetingFeedback",
    "MeetingFollowUp",
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
    "PanelMember",
    "PastContract",
    "Pitch",
    "Post",
    "PostSupport",
    "ProfileView",
    "Proposal",
    "ProposalAnswer",
    "ProposalFeedback",
    "ProposalInvitation",
    "RateLimitHits",
    "Reference",
    "Region",
    "Report",
    "Requirement",
    "SavedSearch",
    "ScheduleRun",
    "SearchDocument",
    "SearchIndexState",
    "SessionMeeting",
    "SessionParticipant",
    "SessionPreference",
    "ShortlistEntry",
    "SignInAttempt",
    "Subscription",
    "SupplierDocument",
    "SupplierProfile",
    "User",
    "UserSession",
    "WebhookEvent",
]
