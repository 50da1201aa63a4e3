"""Clarification questions: suppliers ask, the council answers once, and the answer is published to everyone.

Who asked is never shown to anyone else, the council included: the question and answer are what every
bidder needs, and knowing who asked could favour or count against them. An unanswered question is seen
only by the council and by the person who asked it.
"""

from __future__ import annotations

from sqlalchemy import false, func, or_, select, update
from sqlalchemy.orm import Session

from exchange.accounts.models import Member, MemberStatus, User
from exchange.audit import service as audit
from exchange.core import events
from exchange.core.errors import Conflict, NotAllowed, NotFound
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.needs import service as needs
from exchange.needs.models import Need
from exchange.notifications.models import NotificationKind
from exchange.notifications.service import notify
from exchange.organisations.models import Organisation
from exchange.proposals import procurement
from exchange.proposals.events import ClarificationAnswered
from exchange.proposals.models import Clarification, Proposal, ProposalStatus
from exchange.proposals.schemas import AnswerForm, QuestionForm


def published(db: Session, need: Need) -> list[Clarification]:
    return list(
        db.scalars(
            select(Clarification)
            .where(Clarification.need_id == need.id, Clarification.answered_at.is_not(None))
            .order_by(Clarification.answered_at, Clarification.id)
        )
    )


def visible_to(db: Session, viewer: Viewer, need: Need) -> list[Clarification]:
    """Answered questions for everyone; unanswered ones for the council and for whoever asked them."""
    statement = select(Clarification).where(Clarification.need_id == need.id)
    if not viewer.is_member(need.organisation_id):
        mine = Clarification.asked_by_id == viewer.user_id if viewer.user_id else false()
        statement = statement.where(or_(Clarification.answered_at.is_not(None), mine))
    return list(db.scalars(statement.order_by(Clarification.answered_at.is_(None), Clarification.id)))


def waiting_count(db: Session, need: Need) -> int:
    return (
        db.scalar(select(func.count()).where(Clarification.need_id == need.id, Clarification.answered_at.is_(None)))
        or 0
    )


def can_ask(db: Session, viewer: Viewer, need: Need) -> bool:
    return (
        viewer.signed_in
        and not viewer.is_member(need.organisation_id)
        and bool(procurement.responding_organisations(db, viewer))
    )


def ask(db: Session, viewer: Viewer, need_id: int, form: QuestionForm) -> Clarification:
    need = needs.get(db, viewer, need_id)
    if not can_ask(db, viewer, need):
        raise NotAllowed(
            "Only members of suppliers, social enterprises and community groups can ask clarification questions."
            " Councils answer them."
        )
    why_closed = procurement.load(db, need).why_questions_closed
    if why_closed:
        raise Conflict(f"{why_closed}: your question was not sent.")
    clarification = Clarification(need_id=need.id, question=form.question, asked_by_id=viewer.user_id)
    db.add(clarification)
    db.flush()
    audit.record(db, viewer.user_id, "clarification.asked", "clarification", clarification.id, need_id=need.id)
    return clarification


def _told_of_answer(db: Session, clarification: Clarification) -> list[User]:
    """Whoever asked, and everyone at an organisation with a draft or submitted proposal (followers of the need
    are told by knowledge, which hears ClarificationAnswered)."""
    responding = select(Proposal.organisation_id).where(
        Proposal.need_id == clarification.need_id,
        Proposal.status.in_((ProposalStatus.DRAFT, ProposalStatus.SUBMITTED)),
    )
    members = select(Member.user_id).where(Member.organisation_id.in_(responding), Member.status == MemberStatus.ACTIVE)
    asker = User.id == clarification.asked_by_id if clarification.asked_by_id is not None else false()
    return list(db.scalars(select(User).where(or_(User.id.in_(members), asker)).order_by(User.id)))


def answer_notice(db: Session, clarification: Clarification) -> tuple[str, str, str]:
    """The title, text and link that tell someone a question about a need was answered."""
    need = db.get_one(Need, clarification.need_id)
    council = db.get_one(Organisation, need.organisation_id)
    return (
        f"Question answered: {need.title}",
        f"{council.name} has answered a clarification question about “{need.title}”.\n\n"
        f"Question: {clarification.question}\n\nAnswer: {clarification.answer}",
        f"/needs/{need.id}#clarifications",
    )


def answer(db: Session, viewer: Viewer, need_id: int, clarification_id: int, form: AnswerForm) -> Clarification:
    need = procurement.council_need(db, viewer, need_id)
    clarification = db.get(Clarification, clarification_id)
    if clarification is None or clarification.need_id != need.id:
        raise NotFound()
    # Only the first answer stands, even when two colleagues answer at the same moment.
    answered = db.execute(
        update(Clarification)
        .where(Clarification.id == clarification.id, Clarification.answered_at.is_(None))
        .values(answer=form.answer, answered_at=utcnow(), answered_by_id=viewer.user_id)
    )
    if answered.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("This question is already answered: its answer is published and cannot change.")
    db.refresh(clarification)
    audit.record(db, viewer.user_id, "clarification.answered", "clarification", clarification.id, need_id=need.id)
    told = _told_of_answer(db, clarification)
    notify(db, told, NotificationKind.CLARIFICATION_ANSWERED, *answer_notice(db, clarification))
    events.record(db, ClarificationAnswered(need.id, clarification.id, frozenset(u.id for u in told)))
    return clarification
