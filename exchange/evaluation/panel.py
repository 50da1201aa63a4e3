"""The evaluation panel of a need: the officers of its council assigned to evaluate its proposals, its one
moderator, and each one's declaration of interests.

Rules (the evaluation page states them too):
- the need's owner (the officer who posted it) or an admin of its council assigns the panel;
- until a need has a panel, only its owner and its council's admins read its proposals after opening (a new
  officer of the council does not see every proposal the council has had);
- once a need has a panel, only the owner and panel members read its proposals after opening, and a panel
  member reads nothing before declaring whether they have a conflict of interest with the suppliers;
- a declared conflict takes the member off the evaluation: they neither read, score nor moderate;
- only assigned evaluators who declared no conflict score; only the assigned moderator, likewise, moderates.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from exchange.accounts.models import Member, MemberRole, MemberStatus, User
from exchange.audit import service as audit
from exchange.core.database import take_turns_on
from exchange.core.errors import Conflict, Invalid, NotAllowed
from exchange.core.models import utcnow
from exchange.core.templating import format_date
from exchange.core.viewer import Viewer
from exchange.evaluation.models import EvaluationScore, Moderation, NeedOutcome, PanelMember
from exchange.evaluation.schemas import DeclarationForm, PanelForm
from exchange.needs.models import Need
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind
from exchange.organisations import service as organisations
from exchange.proposals import sealing
from exchange.proposals.models import Proposal


@dataclass
class Panel:
    need: Need
    members: list[PanelMember]
    # The active admins of the need's council: who, besides the owner, reads proposals while there is no panel.
    council_admin_ids: frozenset[int] = frozenset()

    @property
    def assigned(self) -> bool:
        return bool(self.members)

    @property
    def evaluators(self) -> list[PanelMember]:
        return [m for m in self.members if m.is_evaluator]

    @property
    def moderator(self) -> PanelMember | None:
        return next((m for m in self.members if m.is_moderator), None)

    def member(self, user_id: int | None) -> PanelMember | None:
        return next((m for m in self.members if m.user_id == user_id), None)

    def is_owner(self, user_id: int | None) -> bool:
        return user_id is not None and user_id == self.need.created_by_id

    def may_assign(self, viewer: Viewer) -> bool:
        return self.is_owner(viewer.user_id) or self.need.organisation_id in viewer.admin_of

    def next_step(self, user_id: int | None) -> tuple[str, str] | None:
        """Where a refused officer goes next: to the declaration while theirs is due, or, while the need has no
        panel, to the evaluation page where its owner assigns one."""
        member = self.member(user_id)
        if member is None:
            if self.assigned:
                return None
            return ("See who evaluates this need", f"/needs/{self.need.id}/evaluation#panel")
        if member.declared_at is not None:
            return None
        return ("Declare your interests", f"/needs/{self.need.id}/evaluation#declaration")

    def refuse(self, refusal: str | None, user_id: int | None) -> None:
        if refusal is not None:
            raise NotAllowed(refusal, link=self.next_step(user_id))

    def _member_refusal(self, member: PanelMember, doing: str) -> str | None:
        if member.declared_at is None:
            return (
                f"Declare whether you have a conflict of interest with the suppliers before you {doing}."
                " You make your declaration on the need's evaluation page."
            )
        if member.has_conflict:
            return (
                f"You declared a conflict of interest with the suppliers on {format_date(member.declared_at)},"
                f" so you take no part in this evaluation and cannot {doing}."
            )
        return None

    def reading_refusal(self, user_id: int | None) -> str | None:
        """Why this member of the council may not read the need's opened proposals; None if they may."""
        member = self.member(user_id)
        if member is not None:
            return self._member_refusal(member, "read the proposals")
        if self.is_owner(user_id):
            return None
        if not self.assigned:
            if user_id is not None and user_id in self.council_admin_ids:
                return None
            return (
                "Nobody has been assigned to evaluate this need yet, so only its owner and your council's admins"
                " read its proposals. The need's owner assigns the evaluators on the evaluation page."
            )
        return (
            "Only the officers assigned to evaluate this need read its proposals. If you should be one of them,"
            " ask the need's owner or an admin of your council to add you on the evaluation page."
        )

    def scoring_refusal(self, user_id: int | None) -> str | None:
        member = self.member(user_id)
        if member is None or not member.is_evaluator:
            return (
                "Only the evaluators assigned to this need score its proposals, and you are not one of them."
                " The need's owner or an admin of your council assigns evaluators on the evaluation page."
            )
        return self._member_refusal(member, "score the proposals")

    def moderating_refusal(self, user_id: int | None) -> str | None:
        member = self.member(user_id)
        if member is None or not member.is_moderator:
            return (
                "Only the moderator assigned to this need starts moderation and agrees the scores, and you are not"
                " the moderator. The need's owner or an admin of your council assigns the moderator."
            )
        return self._member_refusal(member, "moderate the scores")


def load(db: Session, need: Need) -> Panel:
    members = db.scalars(
        select(PanelMember)
        .where(PanelMember.need_id == need.id)
        .options(selectinload(PanelMember.user))
        .order_by(PanelMember.id)
        .execution_options(populate_existing=True)
    )
    return Panel(need, list(members), _council_admin_ids(db, need))


def _council_admin_ids(db: Session, need: Need) -> frozenset[int]:
    return frozenset(
        db.scalars(
            select(Member.user_id).where(
                Member.organisation_id == need.organisation_id,
                Member.role == MemberRole.ADMIN,
                Member.status == MemberStatus.ACTIVE,
            )
        )
    )


def officers(db: Session, need: Need) -> list[User]:
    """Whom the panel may be chosen from: the active members of the need's council, by name."""
    return sorted(organisations.active_members(db, [need.organisation_id]), key=lambda u: (u.name.lower(), u.id))


def refuse_unless_reader(db: Session, need: Need, user_id: int | None) -> None:
    """Registered with sealing: every council page, fragment or API answer with proposal content asks it."""
    found = load(db, need)
    found.refuse(found.reading_refusal(user_id), user_id)


sealing.reader_checks.append(refuse_unless_reader)


# --- Assigning ---


def _has_scored(db: Session, need: Need, user_id: int) -> bool:
    return bool(
        db.scalar(
            select(
                exists()
                .where(EvaluationScore.evaluator_id == user_id, EvaluationScore.proposal_id == Proposal.id)
                .where(Proposal.need_id == need.id)
            )
        )
    )


def assign(db: Session, viewer: Viewer, need: Need, form: PanelForm) -> Panel:
    """Set the panel to these evaluators and this moderator: new members are told, every change is audited."""
    take_turns_on(db, Need.id, need.id)  # two assigners at once: one after the other
    panel = load(db, need)
    if not panel.may_assign(viewer):
        raise NotAllowed(
            "Only the need's owner or an admin of the council assigns the evaluators and the moderator."
            " Nothing was changed."
        )
    if db.scalar(select(exists().where(Moderation.need_id == need.id))):
        raise Conflict("Moderation has started: the evaluators and the moderator can no longer change.")
    if need.stage.is_final or db.scalar(select(exists().where(NeedOutcome.need_id == need.id))):
        raise Conflict("The evaluation is closed: the evaluators and the moderator can no longer change.")
    assert form.moderator_id is not None  # the form requires one
    eligible = {u.id: u for u in officers(db, need)}
    wanted = {*form.evaluator_ids, form.moderator_id}
    if wanted - set(eligible):
        field = "moderator_id" if form.moderator_id not in eligible else "evaluator_ids"
        message = f"Choose officers of {need.organisation.name} only"
        raise Invalid(message, field_errors={field: message})
    leaving = [m for m in panel.members if m.user_id not in wanted]
    stopping = [m for m in panel.members if m.is_evaluator and m.user_id not in form.evaluator_ids]
    scored = [m.user.name for m in [*leaving, *stopping] if _has_scored(db, need, m.user_id)]
    if scored:
        message = f"{scored[0]} has scored already, so stays an evaluator"
        raise Invalid(message, field_errors={"evaluator_ids": message})
    told: list[tuple[User, str]] = []
    for member in leaving:
        audit.record(db, viewer.user_id, "evaluation.panel_member_removed", "need", need.id, user_id=member.user_id)
        db.delete(member)
    # The moderator's flag comes off before it goes on, so the one-moderator index holds at every statement.
    for member in panel.members:
        if member.is_moderator and member.user_id != form.moderator_id and member not in leaving:
            member.is_moderator = False
    db.flush()
    for user_id in sorted(wanted):
        existing = panel.member(user_id)
        roles = {"evaluator": user_id in form.evaluator_ids, "moderator": user_id == form.moderator_id}
        before = {"evaluator": existing.is_evaluator, "moderator": existing.is_moderator} if existing else None
        if before == roles:
            continue
        current = existing or PanelMember(need_id=need.id, user_id=user_id)
        current.is_evaluator, current.is_moderator = roles["evaluator"], roles["moderator"]
        current.assigned_at, current.assigned_by_id = utcnow(), viewer.user_id
        db.add(current)
        db.flush()
        given = [role for role, on in roles.items() if on]
        audit.record(
            db, viewer.user_id, "evaluation.panel_member_assigned", "need", need.id, user_id=user_id, roles=given
        )
        added = [role for role in given if before is None or not before[role]]
        if added:
            told.append((eligible[user_id], " and ".join(added)))
    for user, role_names in told:
        notifications.notify(
            db,
            [user],
            NotificationKind.EVALUATION_ASSIGNED,
            f"You are the {role_names} for “{need.title}”",
            f"{viewer.name or 'A colleague'} assigned you as the {role_names} of the proposals for “{need.title}”."
            " Before you read any proposal, declare on the evaluation page whether you have a conflict of"
            " interest with the suppliers.",
            f"/needs/{need.id}/evaluation",
        )
    return load(db, need)


# --- Declaring interests ---


def declare(db: Session, viewer: Viewer, need: Need, sealed_message: str | None, form: DeclarationForm) -> PanelMember:
    """The viewer's declaration, once: a later change of circumstances goes to the need's owner."""
    panel = load(db, need)
    member = panel.member(viewer.user_id)
    if member is None:
        raise NotAllowed("Only the officers assigned to this need's evaluation declare their interests in it.")
    if sealed_message is not None:
        raise Conflict(
            f"You declare your interests once proposals are opened and you know who sent them. {sealed_message}"
        )
    if member.declared_at is not None:
        raise Conflict(
            f"You declared your interests on {format_date(member.declared_at)}. If something has changed, tell"
            " the need's owner, who can take you off the evaluation."
        )
    member.declared_at = utcnow()
    member.has_conflict = form.has_conflict
    member.conflict_description = form.description or None
    db.flush()
    audit.record(
        db,
        viewer.user_id,
        "evaluation.interests_declared",
        "need",
        need.id,
        conflict=form.has_conflict,
        description=form.description,
    )
    return member
