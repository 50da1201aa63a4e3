"""The demo exchange, plus what the demo does not hold (posts, groups, saved searches, endorsements, follows, a
pending member, failed jobs...), with the ids of what belongs to whom, for tests that try every route."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from exchange.accounts import sessions
from exchange.accounts.models import Member, MemberRole, MemberStatus, User, UserSession
from exchange.case_studies.models import CaseStudy
from exchange.conversations.models import Group, GroupFacilitator, Post, SubjectKind
from exchange.jobs.models import FailedJob
from exchange.knowledge.models import EndorsedKind, Endorsement, Follow, SavedSearch
from exchange.listings.models import Offer, Pitch
from exchange.organisations.models import Organisation
from exchange.outbox.models import OutboxMessage
from exchange.payments.models import BillingPage, BillingPageKind, WebhookEvent
from exchange.profiles.models import Certification, Insurance, PastContract, Reference
from exchange.proposals.models import Clarification, EvaluationCriterion, Proposal
from exchange.seeding.demo import load_demo
from exchange.sessions import check_in_codes
from exchange.sessions.models import (
    MatchmakingSession,
    MeetingRequest,
    ScheduleRun,
    SessionMeeting,
    SessionParticipant,
)
from tests import factories
from tests.conftest import PROJECT_ROOT

# Who plays each part: the owners (a council and a supplier of the demo), two outsiders, the administrator.
EMAILS = {
    "council": "officer@burnley.example.gov.uk",
    "supplier": "founder@civicvoice.example",
    "other_council": "officer@leeds.example.gov.uk",
    "other_supplier": "nikhil@routewise.example",
    "admin": "admin@exchange.example",
}
DEMO_PASSWORD = "demo-password-only"


@dataclass
class World:
    ids: dict[str, int | str] = field(default_factory=dict)


def _one(db: Session, query: object) -> int:
    found = db.scalar(query)  # type: ignore[call-overload]
    assert found is not None, f"the demo holds nothing for {query}"
    return int(found)


def build(db: Session) -> World:
    load_demo(db, PROJECT_ROOT / "seed_data")
    users = {role: db.scalars(select(User).where(User.email == email)).one() for role, email in EMAILS.items()}
    council = db.scalars(select(Organisation).where(Organisation.slug == "burnley")).one()
    supplier = db.scalars(select(Organisation).where(Organisation.slug == "civicvoice-ltd")).one()
    proposal = db.scalars(select(Proposal).where(Proposal.organisation_id == supplier.id)).first()
    assert proposal is not None
    need_id = proposal.need_id
    pitch_id = _one(db, select(Pitch.id).where(Pitch.organisation_id == supplier.id))
    session_id = _one(db, select(MatchmakingSession.id).where(MatchmakingSession.organisation_id == council.id))
    participant_id = _one(
        db,
        select(SessionParticipant.id).where(
            SessionParticipant.session_id == session_id, SessionParticipant.organisation_id == supplier.id
        ),
    )
    # A meeting of the supplier's with a third council: the supplier and the organiser may act on it; neither
    # signed-in council is a side of it (the other council is a participant too, at other meetings).
    councils = select(Organisation.id).where(Organisation.slug.in_(("burnley", "leeds")))
    assert len(db.scalars(councils).all()) == 2, "the demo's two signed-in councils are Burnley and Leeds"
    council_side = aliased(SessionParticipant)
    meeting_id = _one(
        db,
        select(SessionMeeting.id)
        .join(council_side, council_side.id == SessionMeeting.council_id)
        .where(
            SessionMeeting.session_id == session_id,
            SessionMeeting.supplier_id == participant_id,
            council_side.organisation_id.not_in(councils),
        )
        .order_by(SessionMeeting.id),
    )

    # What the demo does not hold, made for the owners.
    council_user, supplier_user = users["council"], users["supplier"]
    post = Post(
        subject_kind=SubjectKind.PITCH,
        subject_id=pitch_id,
        author_id=council_user.id,
        organisation_id=council.id,
        body="Has this been used with a council's housing team?",
    )
    group = Group(slug="recycling-officers", name="Recycling officers", created_by_id=council_user.id)
    saved = SavedSearch(user_id=council_user.id, name="Budget tools", query="q=budget", feed_token="t" * 40)
    endorsement = Endorsement(
        endorser_organisation_id=council.id,
        organisation_id=supplier.id,
        item_kind=EndorsedKind.ORGANISATION,
        item_id=supplier.id,
        statement="Ran our budget consultation well.",
        created_by_id=council_user.id,
    )
    newcomer = factories.user(db, "newcomer@civicvoice.example")
    pending = Member(
        user_id=newcomer.id, organisation_id=supplier.id, role=MemberRole.MEMBER, status=MemberStatus.PENDING
    )
    run = ScheduleRun(session_id=session_id, requested_by_id=council_user.id, solve_seconds=1.0)
    # A council's request to meet the supplier in the session: the supplier answers it.
    requester_id = _one(
        db,
        select(SessionMeeting.council_id).where(
            SessionMeeting.session_id == session_id, SessionMeeting.supplier_id == participant_id
        ),
    )
    meeting_request = MeetingRequest(
        session_id=session_id, requester_id=requester_id, target_id=participant_id, requested_by_id=council_user.id
    )
    failed = FailedJob(task="exchange.outbox.tasks.deliver_email", args=[], error="refused", attempts=5)
    message = OutboxMessage(to_address="someone@example.org", subject="Hello", body_text="Hello")
    event = WebhookEvent(stripe_event_id="evt_matrix", type="invoice.paid", payload={})
    billing_page = BillingPage(
        organisation_id=supplier.id, requested_by_id=supplier_user.id, kind=BillingPageKind.PORTAL
    )
    db.add_all([post, group, saved, endorsement, pending, run, failed, message, event, billing_page, meeting_request])
    db.add(Follow(user_id=council_user.id, target_kind="need", target_id=need_id))
    db.flush()
    db.add(GroupFacilitator(group_id=group.id, user_id=council_user.id))
    sessions.start(db, supplier_user.id, "An old browser", "192.0.2.1")
    db.flush()

    ids: dict[str, int | str] = {
        "need_id": need_id,
        "proposal_id": proposal.id,
        "criterion_id": _one(db, select(EvaluationCriterion.id).where(EvaluationCriterion.need_id == need_id)),
        "clarification_id": _one(db, select(Clarification.id).where(Clarification.need_id == need_id)),
        "pitch_id": pitch_id,
        "offer_id": _one(db, select(Offer.id).where(Offer.organisation_id == supplier.id)),
        "supplier_slug": supplier.slug,
        "supplier_id": supplier.id,
        "council_id": council.id,
        "session_id": session_id,
        "participant_id": participant_id,
        "meeting_id": meeting_id,
        "run_id": run.id,
        "request_id": meeting_request.id,
        # The code on the supplier's printed agenda: its organiser checks the supplier in with it.
        "check_in_token": check_in_codes.token_for(db.get_one(SessionParticipant, participant_id)),
        # The demo's case studies are other councils': Leeds' is the one its officer owns.
        "case_study_id": _one(
            db,
            select(CaseStudy.id)
            .join(Organisation, Organisation.id == CaseStudy.organisation_id)
            .where(Organisation.slug == "leeds"),
        ),
        "post_id": post.id,
        "group_slug": group.slug,
        "saved_id": saved.id,
        "feed_token": saved.feed_token,
        "endorsement_id": endorsement.id,
        "member_id": pending.id,
        "certification_id": _one(db, select(Certification.id).where(Certification.organisation_id == supplier.id)),
        "insurance_id": _one(db, select(Insurance.id).where(Insurance.organisation_id == supplier.id)),
        "past_contract_id": _one(db, select(PastContract.id).where(PastContract.organisation_id == supplier.id)),
        "reference_id": _one(
            db,
            select(Reference.id).where(
                Reference.organisation_id == supplier.id, Reference.buyer_organisation_id == council.id
            ),
        ),
        "sheet": "proposals",
        "failed_job_id": failed.id,
        "message_id": message.id,
        "event_id": event.id,
        "page_id": billing_page.id,
        "user_id": users["other_supplier"].id,
        "user_session_id": _one(
            db, select(UserSession.id).where(UserSession.user_id == supplier_user.id, UserSession.user_agent != "")
        ),
    }
    return World(ids)
