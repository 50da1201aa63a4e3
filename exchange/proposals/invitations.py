"""Invitations to respond: a council asks chosen suppliers to send a proposal for one of its needs.

The shortlist is the council's private working set and tells nobody; an invitation is the one thing that
tells a supplier (in the app and by email) that the council wants to hear from it. Only the need's own
council invites, only while the need takes proposals, and each supplier once per need: inviting again
changes nothing and emails nobody. Whether an invited supplier has responded stays sealed with the
proposals (see proposals.sealing): until they are opened the council knows only how many arrived.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from exchange.audit import service as audit
from exchange.core.errors import Conflict, Invalid
from exchange.core.templating import format_date
from exchange.core.viewer import Viewer
from exchange.needs.models import Need
from exchange.notifications.models import NotificationKind
from exchange.notifications.service import base_url, notify
from exchange.organisations import service as organisations
from exchange.organisations.models import SUPPLIER_SIDE, Organisation
from exchange.proposals import procurement, sealing
from exchange.proposals.models import NeedProcurement, Proposal, ProposalInvitation, ProposalStatus
from exchange.proposals.procurement import ProcurementView

# Enough for a shortlist and then some; one request never emails a crowd.
MOST_AT_ONCE = 20
DASHBOARD_LIMIT = 20


@dataclass(frozen=True)
class Invited:
    """What inviting did: who was invited now, and who had been already (and was not told again)."""

    invited: list[Organisation]
    already: list[ProposalInvitation]

    def message(self) -> str:
        parts = []
        if self.invited:
            parts.append(f"Invited {_names(o.name for o in self.invited)} to respond. They have been told.")
        for invitation in self.already:
            parts.append(
                f"{invitation.organisation.name} was already invited on {format_date(invitation.created_at)}:"
                " nobody was emailed again."
            )
        return " ".join(parts)


@dataclass(frozen=True)
class InvitationLine:
    """An invitation as the council sees it. ``response`` is None while the proposals are sealed; once they are
    opened, DRAFT stands for "no proposal sent" (the council never sees a draft, only that none arrived)."""

    invitation: ProposalInvitation
    response: ProposalStatus | None

    @property
    def response_label(self) -> str:
        if self.response is ProposalStatus.SUBMITTED:
            return "Sent a proposal"
        if self.response is ProposalStatus.WITHDRAWN:
            return "Withdrew its proposal"
        return "No proposal"


@dataclass(frozen=True)
class ReceivedInvitation:
    """An invitation as the invited supplier sees it, with the dates it is about."""

    invitation: ProposalInvitation
    need: Need
    council: Organisation
    closes_on: date | None
    questions_close_on: date | None
    responded: bool


def _names(names: Iterable[str]) -> str:
    listed = list(names)
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def why_not_inviting(view: ProcurementView) -> str | None:
    """Why the council cannot invite now; None when it can. Invited suppliers must be able to act on it."""
    if not view.need.open_to_everyone:
        return (
            "Only a public need can be sent to suppliers: suppliers could not open this one."
            " Make the need public before inviting suppliers"
        )
    if view.why_closed is not None:
        return f"{view.why_closed}. Suppliers can be invited only while the need is open for proposals"
    return None


def council_view(db: Session, viewer: Viewer, need_id: int) -> ProcurementView:
    """The need's procurement for its own council's members; everyone else (administrators too) gets 404."""
    return procurement.load(db, procurement.council_need(db, viewer, need_id))


def chosen_suppliers(db: Session, organisation_ids: Sequence[int]) -> list[Organisation]:
    """The suppliers chosen, in the order given (each once), or a clear refusal naming what is wrong."""
    ids = list(dict.fromkeys(organisation_ids))
    if not ids:
        raise Invalid("Choose at least one supplier to invite")
    if len(ids) > MOST_AT_ONCE:
        raise Invalid(f"Invite no more than {MOST_AT_ONCE} suppliers at once")
    found = {o.id: o for o in db.scalars(select(Organisation).where(Organisation.id.in_(ids)))}
    for organisation_id in ids:
        organisation = found.get(organisation_id)
        if organisation is None:
            raise Invalid(f"There is no organisation number {organisation_id} on the exchange: nobody was invited")
        if organisation.kind not in SUPPLIER_SIDE:
            raise Invalid(
                f"{organisation.name} is not a supplier: only suppliers, social enterprises and community groups"
                " can be invited to respond. Nobody was invited"
            )
    return [found[i] for i in ids]


def invitations_of(
    db: Session, need_id: int, organisation_ids: Iterable[int] | None = None
) -> list[ProposalInvitation]:
    query = (
        select(ProposalInvitation)
        .options(selectinload(ProposalInvitation.organisation))
        .where(ProposalInvitation.need_id == need_id)
        .order_by(ProposalInvitation.created_at, ProposalInvitation.id)
    )
    if organisation_ids is not None:
        query = query.where(ProposalInvitation.organisation_id.in_(list(organisation_ids)))
    return list(db.scalars(query))


def invite(db: Session, viewer: Viewer, need_id: int, organisation_ids: Sequence[int]) -> Invited:
    """Invite the chosen suppliers, all or none: each is told once; one invited already is left as it was."""
    view = council_view(db, viewer, need_id)
    need = view.need
    suppliers = chosen_suppliers(db, organisation_ids)
    refusal = why_not_inviting(view)
    if refusal is not None:
        raise Conflict(refusal)
    already = {i.organisation_id: i for i in invitations_of(db, need.id, (s.id for s in suppliers))}
    invited: list[Organisation] = []
    for supplier in suppliers:
        if supplier.id in already:
            continue
        existing = _add(db, viewer, need, supplier)
        if existing is not None:
            already[supplier.id] = existing
            continue
        invited.append(supplier)
        audit.record(db, viewer.user_id, "invitation.sent", "need", need.id, organisation_id=supplier.id)
        _tell_supplier(db, view, supplier)
    return Invited(invited, [already[s.id] for s in suppliers if s.id in already])


def _add(db: Session, viewer: Viewer, need: Need, supplier: Organisation) -> ProposalInvitation | None:
    """Add the invitation and answer None; when a colleague's invitation got there first, answer theirs."""
    try:
        # A savepoint: when a colleague invited the same supplier a moment ago, theirs stands and is not re-sent.
        with db.begin_nested():
            db.add(ProposalInvitation(need_id=need.id, organisation_id=supplier.id, invited_by_id=viewer.user_id))
    except IntegrityError:
        [existing] = invitations_of(db, need.id, [supplier.id])
        return existing
    return None


def notice(db: Session, view: ProcurementView, supplier_name: str) -> tuple[str, str]:
    """The title and text each invited supplier's people are told (also shown to the officer beforehand)."""
    need = view.need
    council = db.get_one(Organisation, need.organisation_id).name
    questions = (
        f"Questions close at the end of {format_date(view.questions_close_on)}."
        if view.questions_close_on
        else "You can ask questions until proposals close."
    )
    title = f"{council} invited {supplier_name} to respond to “{need.title}”"
    body = (
        f"{council} invites {supplier_name} to send a proposal for its need “{need.title}”.\n\n"
        f"Proposals close at the end of {format_date(view.closes_on)} (UK time). {questions} Clarification"
        " questions and their answers are shown to everyone who responds.\n\n"
        f"Read the need and start your proposal: {base_url(db)}/needs/{need.id}/respond"
    )
    return title, body


def _tell_supplier(db: Session, view: ProcurementView, supplier: Organisation) -> None:
    title, body = notice(db, view, supplier.name)
    notify(
        db,
        organisations.active_members(db, [supplier.id]),
        NotificationKind.INVITED_TO_RESPOND,
        title,
        body,
        f"/needs/{view.need.id}",
    )


def invited_on(db: Session, need_id: int) -> dict[int, ProposalInvitation]:
    """Supplier organisation id -> its invitation to this need, for marking rows on the matches and shortlist."""
    return {i.organisation_id: i for i in invitations_of(db, need_id)}


def row_marks(db: Session, viewer: Viewer, view: ProcurementView) -> dict[str, object]:
    """What the rows of the matches and the shortlist show: who was invited when, and whether this viewer may
    invite now (administrators see those pages, but only the need's own council invites)."""
    refusal = why_not_inviting(view)
    return {
        "invited": invited_on(db, view.need.id),
        "can_invite": viewer.is_member(view.need.organisation_id) and refusal is None,
        "invite_refusal": refusal if viewer.is_member(view.need.organisation_id) else None,
    }


def for_council(db: Session, view: ProcurementView, actor_id: int | None) -> list[InvitationLine]:
    """The need's invitations, with each supplier's response only once the proposals may be read."""
    lines = invitations_of(db, view.need.id)
    if not lines or not sealing.open_for_council(db, view, actor_id):
        return [InvitationLine(invitation, None) for invitation in lines]
    statuses = dict(
        db.execute(
            select(Proposal.organisation_id, Proposal.status).where(
                Proposal.need_id == view.need.id,
                Proposal.organisation_id.in_([i.organisation_id for i in lines]),
                Proposal.status != ProposalStatus.DRAFT,
            )
        ).all()
    )
    return [InvitationLine(i, statuses.get(i.organisation_id, ProposalStatus.DRAFT)) for i in lines]


def received(db: Session, organisation_ids: Iterable[int], need_id: int | None = None) -> list[ReceivedInvitation]:
    """Invitations to these supplier organisations (to one need, when given), newest first, for needs they
    can still open."""
    ids = list(organisation_ids)
    if not ids:
        return []
    query = (
        select(ProposalInvitation, Need)
        .join(Need, Need.id == ProposalInvitation.need_id)
        .options(selectinload(ProposalInvitation.organisation), selectinload(Need.organisation))
        .where(ProposalInvitation.organisation_id.in_(ids), Need.open_to_everyone)
        .order_by(ProposalInvitation.created_at.desc(), ProposalInvitation.id.desc())
        .limit(DASHBOARD_LIMIT)
    )
    if need_id is not None:
        query = query.where(ProposalInvitation.need_id == need_id)
    rows = db.execute(query).all()
    need_ids = {need.id for _, need in rows}
    dates = {
        row.need_id: (row.closes_on, row.questions_close_on)
        for row in db.execute(
            select(NeedProcurement.need_id, NeedProcurement.closes_on, NeedProcurement.questions_close_on).where(
                NeedProcurement.need_id.in_(need_ids)
            )
        )
    }
    responded = {
        (need_id, organisation_id)
        for need_id, organisation_id in db.execute(
            select(Proposal.need_id, Proposal.organisation_id).where(
                Proposal.need_id.in_(need_ids),
                Proposal.organisation_id.in_(ids),
                Proposal.status != ProposalStatus.DRAFT,
            )
        )
    }
    return [
        ReceivedInvitation(
            invitation,
            need,
            need.organisation,
            *dates.get(need.id, (None, None)),
            responded=(need.id, invitation.organisation_id) in responded,
        )
        for invitation, need in rows
    ]
