"""Clarification questions: suppliers ask, the council answers once, and the answer is published to everyone.

Who asked is never shown to anyone else, the council included: the question and answer are what every
bidder needs, and knowing who asked could favour or count against them. An unanswered question is seen
only by the council and by the person who asked it.

The council may reword a question (to take out anything that says who asked) and correct a published
answer. Both are confirmed first, on a page that shows the new text and who will be told, and audited. A
correction is shown as one, with the answer it replaced, and everyone told of the answer is told again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, func, or_, select, update
from sqlalchemy.orm import Session

from exchange.accounts.models import Member, MemberStatus, User
from exchange.audit import service as audit
from exchange.core import events
from exchange.core.errors import Conflict, Invalid, NotAllowed, NotFound
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.needs import service as needs
from exchange.needs.models import Need
from exchange.notifications.models import NotificationKind
from exchange.notifications.service import notify
from exchange.organisations.models import Organisation
from exchange.proposals import procurement
from exchange.proposals.events import ClarificationAnswered, ClarificationCorrected
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


# --- Rewording a question and correcting an answer ---


@dataclass(frozen=True)
class Told:
    """Who hears of a correction, for the confirmation page: by notification and, where they keep it on, email."""

    asker: bool
    organisations: int
    # Followers are told by knowledge (which hears ClarificationCorrected), whoever they are.

    @property
    def sentence(self) -> str:
        people = []
        if self.asker:
            people.append("the person who asked the question")
        if self.organisations:
            plural = "organisation" if self.organisations == 1 else "organisations"
            people.append(f"everyone at the {self.organisations} {plural} with a proposal for this need")
        people.append("everyone who follows the need")
        return ", ".join(people[:-1]) + (" and " if len(people) > 1 else "") + people[-1]


def council_clarification(db: Session, viewer: Viewer, need_id: int, clarification_id: int) -> Clarification:
    """One of the need's questions, for its council; 404 to everyone else and for another need's question."""
    need = procurement.council_need(db, viewer, need_id)
    clarification = db.get(Clarification, clarification_id)
    if clarification is None or clarification.need_id != need.id:
        raise NotFound()
    return clarification


def told_of_correction(db: Session, clarification: Clarification) -> Told:
    responding = select(func.count(func.distinct(Proposal.organisation_id))).where(
        Proposal.need_id == clarification.need_id,
        Proposal.status.in_((ProposalStatus.DRAFT, ProposalStatus.SUBMITTED)),
    )
    return Told(asker=clarification.asked_by_id is not None, organisations=db.scalar(responding) or 0)


def _unchanged(field: str, what: str) -> Invalid:
    message = f"{what} is the same as before: change it, or cancel"
    return Invalid(message, field_errors={field: message})


def check_question_edit(db: Session, viewer: Viewer, need_id: int, clarification_id: int, form: QuestionForm) -> None:
    """Refuse a rewording that changes nothing, before the council is asked to confirm it."""
    clarification = council_clarification(db, viewer, need_id, clarification_id)
    if form.question == clarification.question:
        raise _unchanged("question", "The question")


def edit_question(
    db: Session, viewer: Viewer, need_id: int, clarification_id: int, form: QuestionForm
) -> Clarification:
    """Reword the question, quietly: nobody is told, as the answer does not change."""
    check_question_edit(db, viewer, need_id, clarification_id, form)
    clarification = council_clarification(db, viewer, need_id, clarification_id)
    clarification.question = form.question
    clarification.question_edited_at = utcnow()
    db.flush()
    # Not the earlier wording: it may say who asked, which is what the rewording takes out.
    audit.record(
        db, viewer.user_id, "clarification.question_edited", "clarification", clarification.id, need_id=need_id
    )
    return clarification


def check_correction(db: Session, viewer: Viewer, need_id: int, clarification_id: int, form: AnswerForm) -> None:
    clarification = council_clarification(db, viewer, need_id, clarification_id)
    if not clarification.answered:
        raise Conflict("This question has no published answer to correct: answer it instead.")
    if form.answer == clarification.answer:
        raise _unchanged("answer", "The answer")


def correction_notice(db: Session, clarification: Clarification) -> tuple[str, str, str]:
    need = db.get_one(Need, clarification.need_id)
    council = db.get_one(Organisation, need.organisation_id)
    return (
        f"Answer corrected: {need.title}",
        f"{council.name} has corrected its answer to a clarification question about “{need.title}”.\n\n"
        f"Question: {clarification.question}\n\nCorrected answer: {clarification.answer}\n\n"
        f"Earlier answer: {clarification.earlier_answer}",
        f"/needs/{need.id}#clarifications",
    )


def correct_answer(db: Session, viewer: Viewer, need_id: int, clarification_id: int, form: AnswerForm) -> Clarification:
    """Replace the published answer, keep the one it replaces on show, and tell everyone told of the answer."""
    check_correction(db, viewer, need_id, clarification_id, form)
    clarification = council_clarification(db, viewer, need_id, clarification_id)
    earlier = clarification.answer
    clarification.earlier_answer = earlier
    clarification.answer = form.answer
    clarification.corrected_at = utcnow()
    db.flush()
    audit.record(
        db,
        viewer.user_id,
        "clarification.corrected",
        "clarification",
        clarification.id,
        need_id=need_id,
        earlier_answer=earlier,
        answer=form.answer,
    )
    told = _told_of_answer(db, clarification)
    notify(db, told, NotificationKind.CLARIFICATION_ANSWERED, *correction_notice(db, clarification))
    events.record(db, ClarificationCorrected(need_id, clarification.id, frozenset(u.id for u in told)))
    return clarification
